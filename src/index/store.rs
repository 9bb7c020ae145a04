//! Stored documents read in place.
//!
//! Every hit reads its document: tantivy's `Searcher::doc` builds it as a document of owned
//! values, copying each stored text and checking its UTF-8 (together a twentieth of a
//! query's instructions). A hit needs two texts and keeps neither, so this reads the
//! document's bytes from the segment's store and finds the texts in them, checking their
//! UTF-8 with `simdutf8` (vectorized).
//!
//! A stored document is tantivy's binary form (`tantivy::schema::document::se`): the
//! number of values, then each value as its field (`u32`, little-endian), its type code and,
//! for a text, its length and bytes. Numbers of variable length are 7 bits a byte, low
//! first, the last byte marked by its high bit. Our schemas store only texts; the unit tests
//! below read documents tantivy wrote, so that a tantivy whose form differs fails them.

use tantivy::directory::OwnedBytes;
use tantivy::schema::Field;
use tantivy::store::StoreReader;
use tantivy::{DocAddress, Searcher};

/// The type code of a text value (tantivy's `type_codes::TEXT_CODE`, not public).
const TEXT_CODE: u8 = 0;

/// The stored documents of an index's segments.
pub(crate) struct StoredDocs {
    /// By segment.
    readers: Vec<StoreReader>,
}

impl StoredDocs {
    /// The stores of `searcher`'s segments, each keeping `cache_blocks` blocks decompressed.
    pub fn open(searcher: &Searcher, cache_blocks: usize) -> Result<StoredDocs, String> {
        let readers = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.get_store_reader(cache_blocks))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("opening the document store: {e}"))?;
        Ok(StoredDocs { readers })
    }

    /// The stored document at `address`.
    pub fn get(&self, address: DocAddress) -> Result<StoredDoc, String> {
        let reader = (self.readers.get(address.segment_ord as usize))
            .ok_or_else(|| format!("no segment {}", address.segment_ord))?;
        let bytes = reader
            .get_document_bytes(address.doc_id)
            .map_err(|e| format!("reading document {}: {e}", address.doc_id))?;
        Ok(StoredDoc { bytes })
    }
}

/// One stored document, its texts read in place.
pub(crate) struct StoredDoc {
    bytes: OwnedBytes,
}

impl StoredDoc {
    /// The first text stored in `field`; `None` when the document has none, `Err` when its
    /// bytes are not a document of texts.
    pub fn text(&self, field: Field) -> Result<Option<&str>, String> {
        let mut bytes = self.bytes.as_slice();
        let values = read_vint(&mut bytes)?;
        for _ in 0..values {
            let (id, rest) = bytes
                .split_first_chunk::<4>()
                .ok_or("a stored value is cut short")?;
            let (&code, rest) = rest.split_first().ok_or("a stored value is cut short")?;
            if code != TEXT_CODE {
                return Err(format!("a stored value of type {code}, not a text"));
            }
            bytes = rest;
            let len = usize::try_from(read_vint(&mut bytes)?).map_err(|e| e.to_string())?;
            if len > bytes.len() {
                return Err("a stored text is cut short".to_string());
            }
            let (text, rest) = bytes.split_at(len);
            if Field::from_field_id(u32::from_le_bytes(*id)) == field {
                return simdutf8::basic::from_utf8(text)
                    .map(Some)
                    .map_err(|_| "a stored text is not UTF-8".to_string());
            }
            bytes = rest;
        }
        Ok(None)
    }
}

/// Reads a number of variable length (7 bits a byte, low first, the last byte's high bit
/// set) off the front of `bytes`.
fn read_vint(bytes: &mut &[u8]) -> Result<u64, String> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7F) << (7 * i);
        if b & 0x80 != 0 {
            *bytes = &bytes[i + 1..];
            return Ok(value);
        }
    }
    Err("a stored number is cut short".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, Value, STORED, STRING};
    use tantivy::{doc, Index, TantivyDocument};

    /// An index of `docs` (slug, article) in RAM, one block each, and its searcher.
    fn stored(docs: &[(&str, &str)]) -> (Searcher, Field, Field) {
        let mut schema = Schema::builder();
        let slug = schema.add_text_field("slug", STRING | STORED);
        let unstored = schema.add_text_field("unstored", STRING);
        let article = schema.add_text_field("article", STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (s, a) in docs {
            writer
                .add_document(doc!(slug => *s, unstored => "x", article => *a))
                .unwrap();
        }
        writer.commit().unwrap();
        (index.reader().unwrap().searcher(), slug, article)
    }

    #[test]
    fn texts_read_in_place_are_those_tantivy_reads() {
        // Lengths of one, two and three bytes.
        let (long, longer) = ("ö".repeat(300), "å".repeat(10_000));
        let docs = [("a", "ett"), ("b-2", &long), ("", "tre ✓"), ("c", &longer)];
        let (searcher, slug, article) = stored(&docs);
        let store = StoredDocs::open(&searcher, 0).unwrap();
        for doc_id in 0..docs.len() as u32 {
            let address = DocAddress::new(0, doc_id);
            let theirs: TantivyDocument = searcher.doc(address).unwrap();
            let ours = store.get(address).unwrap();
            for field in [slug, article] {
                let want = theirs.get_first(field).and_then(|v| v.as_str());
                assert_eq!(ours.text(field).unwrap(), want);
            }
        }
    }

    #[test]
    fn a_field_not_stored_is_none() {
        let (searcher, ..) = stored(&[("a", "b")]);
        let store = StoredDocs::open(&searcher, 0).unwrap();
        let doc = store.get(DocAddress::new(0, 0)).unwrap();
        assert_eq!(doc.text(Field::from_field_id(1)).unwrap(), None);
    }

    #[test]
    fn damaged_documents_are_errors_not_panics() {
        let doc = |bytes: &[u8]| StoredDoc {
            bytes: OwnedBytes::new(bytes.to_vec()),
        };
        let field = Field::from_field_id(0);
        // One value: field 0, a text of 3 bytes.
        let whole = [0x81, 0, 0, 0, 0, TEXT_CODE, 0x83, b'a', b'b', b'c'];
        assert_eq!(doc(&whole).text(field).unwrap(), Some("abc"));
        for cut in 0..whole.len() {
            assert!(doc(&whole[..cut]).text(field).is_err(), "cut at {cut}");
        }
        let mut not_text = whole;
        not_text[5] = 99;
        assert!(doc(&not_text).text(field).is_err());
        let mut not_utf8 = whole;
        not_utf8[7] = 0xFF;
        assert!(doc(&not_utf8).text(field).is_err());
        assert!(doc(&[0xFF; 12]).text(field).is_err());
    }
}
