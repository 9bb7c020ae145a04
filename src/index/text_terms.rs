//! The folded tokens of each text of each locale article, recorded as tantivy indexes them.
//!
//! A hit's best step and snippet are the texts with the most (and rarest) query words.
//! Finding them meant cutting every step and paragraph of every hit into words again (7 %
//! of a query's instructions, measured when this was written). tantivy cuts each text once at build time; the folded
//! fields' tokenizer numbers each token it gives, text by text, in the thread that indexes
//! ([`crate::language::start_recording_texts`]), and this segment plugin, which tantivy
//! calls in that thread after it has indexed a document, keeps the numbers of each of the
//! document's texts. A hit then compares numbers, and cuts only the texts it shows.
//!
//! One file per segment (`.texts`, with tantivy's footer and checksum), its integers
//! little-endian:
//!
//! ```text
//! u32 FST length, the FST (token → number), u32 documents, documents × u32 end of the
//! document's record in the data, the data
//! ```
//!
//! A document's record: the number of texts, in the order the folded fields index them
//! ([`super::schema::folded_texts`]), then for each one more than the length in bytes of
//! its tokens' numbers, and those: sorted, unique, each as its difference from the one
//! before (the encoding of [`super::source_terms`]).

use std::any::Any;
use std::io::Write;
use std::ops::Range;

use fst::{Map, MapBuilder, Streamer};
use tantivy::directory::{OwnedBytes, TerminatingWrite};
use tantivy::index::SegmentComponent;
use tantivy::indexer::doc_id_mapping::MappingType;
use tantivy::indexer::DocIdMapping;
use tantivy::plugin::{PluginMergeContext, PluginWriter, PluginWriterContext, SegmentPlugin};
use tantivy::schema::document::ErasedDocument;
use tantivy::schema::Schema;
use tantivy::{DocId, Segment, SegmentReader, TantivyError};

use super::schema::folded_texts;
use super::source_terms::{put, take, TokenSet};
use crate::article::BlockKind;
use crate::language::{
    finish_recording_texts, start_recording_texts, take_recorded_texts, RecordedTexts,
};

/// The file's extension in a segment.
pub(crate) const EXTENSION: &str = "texts";

fn component() -> SegmentComponent {
    SegmentComponent::Custom(EXTENSION.to_string())
}

/// The plugin that records the tokens of each document's texts; registered on the locale
/// indexes the build writes (with the analyzers of
/// [`crate::language::Locale::indexing_analyzers`], which number the tokens). A writer
/// records in the thread that creates it, which tantivy also indexes its documents in.
pub(crate) struct TextTermsPlugin;

impl SegmentPlugin for TextTermsPlugin {
    fn extensions(&self) -> &[&str] {
        &[EXTENSION]
    }

    fn create_writer(&self, _: &PluginWriterContext) -> tantivy::Result<Box<dyn PluginWriter>> {
        start_recording_texts();
        Ok(Box::<TextTermsWriter>::default())
    }

    /// Stacks the segments' records, numbering their tokens anew.
    fn merge(&self, ctx: PluginMergeContext) -> tantivy::Result<()> {
        if ctx.doc_id_mapping.mapping_type() == MappingType::Shuffled {
            return Err(unsupported("merging segments into another order"));
        }
        let sources: Vec<TextTerms> = ctx
            .readers
            .iter()
            .map(|r| TextTerms::open(r).map_err(TantivyError::InternalError))
            .collect::<tantivy::Result<_>>()?;
        // The union of the vocabularies, numbered in order, and each segment's numbers in it.
        let mut tokens: Vec<Vec<u8>> = Vec::new();
        for source in &sources {
            let mut stream = source.vocabulary.stream();
            while let Some((token, _)) = stream.next() {
                tokens.push(token.to_vec());
            }
        }
        tokens.sort_unstable();
        tokens.dedup();
        let renumbered: Vec<Vec<u32>> = sources
            .iter()
            .map(|source| {
                let mut new = vec![0; source.vocabulary.len()];
                let mut stream = source.vocabulary.stream();
                while let Some((token, old)) = stream.next() {
                    let at = tokens.binary_search_by(|t| t.as_slice().cmp(token));
                    new[old as usize] = at.expect("a token of the union") as u32;
                }
                new
            })
            .collect();
        let mut writer = TextTermsWriter::default();
        let mut texts = RecordedTexts::default();
        for (source, (reader, renumbered)) in
            sources.iter().zip(ctx.readers.iter().zip(&renumbered))
        {
            for doc in 0..reader.max_doc() {
                if reader.is_deleted(doc) {
                    continue;
                }
                texts.numbers.clear();
                texts.starts.clear();
                let record = source.document(doc).ok_or_else(|| damaged(doc))?;
                for set in decode(record).ok_or_else(|| damaged(doc))? {
                    texts.starts.push(texts.numbers.len());
                    for n in set.numbers() {
                        let new = renumbered.get(n as usize).ok_or_else(|| damaged(doc))?;
                        texts.numbers.push(*new);
                    }
                }
                writer.add(&texts);
            }
        }
        let tokens = tokens
            .into_iter()
            .map(|t| String::from_utf8(t).map_err(|e| TantivyError::InternalError(e.to_string())))
            .collect::<tantivy::Result<Vec<String>>>()?;
        writer.write(ctx.target_segment, tokens)
    }
}

fn unsupported(what: &str) -> TantivyError {
    TantivyError::InvalidArgument(format!("recorded text tokens: {what} is not supported"))
}

fn damaged(doc: DocId) -> TantivyError {
    TantivyError::InternalError(format!(
        "recorded text tokens of document {doc} are damaged"
    ))
}

/// Writes a segment's records.
#[derive(Default)]
struct TextTermsWriter {
    /// Each document's record, one after the other.
    data: Vec<u8>,
    /// Where each document's record ends in `data`.
    ends: Vec<u32>,
    /// Reused buffers.
    recorded: RecordedTexts,
    sorted: Vec<u32>,
    encoded: Vec<u8>,
}

impl TextTermsWriter {
    /// Appends the record of a document of `texts`.
    fn add(&mut self, texts: &RecordedTexts) {
        put(&mut self.data, texts.starts.len() as u32);
        for text in texts.texts() {
            self.sorted.clear();
            self.sorted.extend_from_slice(text);
            self.sorted.sort_unstable();
            self.sorted.dedup();
            self.encoded.clear();
            let mut previous = 0;
            for &n in &self.sorted {
                put(&mut self.encoded, n - previous);
                previous = n;
            }
            put(&mut self.data, 1 + self.encoded.len() as u32);
            self.data.extend_from_slice(&self.encoded);
        }
        self.ends.push(self.data.len() as u32);
    }

    /// Writes the file of `segment`, `tokens` being the tokens by number.
    fn write(&self, segment: &Segment, tokens: Vec<String>) -> tantivy::Result<()> {
        let mut numbered: Vec<(String, u64)> = tokens.into_iter().zip(0..).collect();
        numbered.sort_unstable();
        let mut map = MapBuilder::memory();
        for (token, number) in numbered {
            map.insert(token, number)
                .map_err(|e| TantivyError::InternalError(e.to_string()))?;
        }
        let fst = map
            .into_inner()
            .map_err(|e| TantivyError::InternalError(e.to_string()))?;
        let mut out = segment.open_write(component())?;
        out.write_all(&(fst.len() as u32).to_le_bytes())?;
        out.write_all(&fst)?;
        out.write_all(&(self.ends.len() as u32).to_le_bytes())?;
        for end in &self.ends {
            out.write_all(&end.to_le_bytes())?;
        }
        out.write_all(&self.data)?;
        out.terminate()?;
        Ok(())
    }
}

impl PluginWriter for TextTermsWriter {
    fn add_document(
        &mut self,
        _: DocId,
        _: &dyn ErasedDocument,
        _: &Schema,
    ) -> tantivy::Result<()> {
        let mut recorded = std::mem::take(&mut self.recorded);
        take_recorded_texts(&mut recorded);
        self.add(&recorded);
        self.recorded = recorded;
        Ok(())
    }

    fn serialize(
        self: Box<Self>,
        segment: &Segment,
        doc_id_map: Option<&DocIdMapping>,
    ) -> tantivy::Result<()> {
        let tokens = finish_recording_texts();
        if doc_id_map.is_some() {
            return Err(unsupported("a sorted index"));
        }
        self.write(segment, tokens)
    }

    fn mem_usage(&self) -> usize {
        self.data.capacity() + 4 * self.ends.capacity()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A segment's records, read in place.
pub(crate) struct TextTerms {
    vocabulary: Map<OwnedBytes>,
    file: OwnedBytes,
    ends: Range<usize>,
    data: Range<usize>,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

impl TextTerms {
    /// Opens the records of `segment`; `Err` says what is wrong.
    pub(crate) fn open(segment: &SegmentReader) -> Result<TextTerms, String> {
        let error = |reason: &str| format!("recorded text tokens: {reason}");
        let file = segment
            .open_read(component())
            .map_err(|e| error(&e.to_string()))?
            .read_bytes()
            .map_err(|e| error(&e.to_string()))?;
        let layout = (|| {
            let fst_len = u32_at(&file, 0)? as usize;
            let fst = 4..4usize.checked_add(fst_len)?;
            let docs = u32_at(&file, fst.end)? as usize;
            let ends = fst.end + 4..(fst.end + 4).checked_add(docs.checked_mul(4)?)?;
            let data = ends.end..file.len();
            (ends.end <= file.len() && docs == segment.max_doc() as usize)
                .then_some((fst, ends, data))
        })();
        let (fst, ends, data) = layout.ok_or_else(|| error("damaged layout"))?;
        let vocabulary = Map::new(file.slice(fst)).map_err(|e| error(&e.to_string()))?;
        Ok(TextTerms {
            vocabulary,
            file,
            ends,
            data,
        })
    }

    /// The number of `token`; `None` when no text of the segment holds it.
    pub(crate) fn number(&self, token: &str) -> Option<u32> {
        self.vocabulary
            .get(token)
            .and_then(|n| u32::try_from(n).ok())
    }

    /// The record of document `doc`.
    pub(crate) fn document(&self, doc: DocId) -> Option<&[u8]> {
        let ends = self.file.get(self.ends.clone())?;
        let at = doc as usize * 4;
        let start = match at.checked_sub(4) {
            Some(before) => u32_at(ends, before)? as usize,
            None => 0,
        };
        let end = u32_at(ends, at)? as usize;
        self.file.get(self.data.clone())?.get(start..end)
    }
}

/// The token sets of a document's record, a text's after another in the order the folded
/// fields index them; `None` when the record is damaged.
pub(crate) fn decode(record: &[u8]) -> Option<Vec<TokenSet<'_>>> {
    let mut bytes = record;
    let count = take(&mut bytes)? as usize;
    let mut sets = Vec::with_capacity(count.min(record.len()));
    for _ in 0..count {
        let len = take(&mut bytes)? as usize;
        let (set, rest) = bytes.split_at_checked(len.checked_sub(1)?)?;
        sets.push(TokenSet::new(set));
        bytes = rest;
    }
    bytes.is_empty().then_some(sets)
}

/// The recorded token sets of an article's texts, by where they are in the article.
#[derive(Debug, Default)]
pub(crate) struct ArticleTokens<'a> {
    title: Option<TokenSet<'a>>,
    /// By block; `None` for a block not indexed in its own right.
    blocks: Vec<Option<TokenSet<'a>>>,
}

impl<'a> ArticleTokens<'a> {
    /// The sets of `record`, the record of the article of `title` and `blocks` (their kinds
    /// and texts); `Err` says what is wrong.
    pub(crate) fn of<'t>(
        record: &'a [u8],
        title: &str,
        blocks: impl ExactSizeIterator<Item = (BlockKind, &'t str)> + Clone,
    ) -> Result<ArticleTokens<'a>, String> {
        let sets = decode(record).ok_or("the recorded text tokens are damaged")?;
        let count = blocks.len();
        let texts = folded_texts(title, blocks);
        if sets.len() != texts.len() {
            return Err(format!(
                "text tokens recorded for {} texts of an article of {}",
                sets.len(),
                texts.len()
            ));
        }
        let mut tokens = ArticleTokens {
            title: None,
            blocks: vec![None; count],
        };
        for (at, set) in texts.into_iter().zip(sets) {
            match at.block() {
                None => tokens.title = Some(set),
                Some(i) => tokens.blocks[i] = Some(set),
            }
        }
        Ok(tokens)
    }

    /// The title's tokens.
    pub(crate) fn title(&self) -> Option<TokenSet<'a>> {
        self.title
    }

    /// Block `i`'s tokens.
    pub(crate) fn block(&self, i: usize) -> Option<TokenSet<'a>> {
        self.blocks.get(i).copied().flatten()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};

    use tantivy::schema::Value;
    use tantivy::{IndexWriter, TantivyDocument};

    use super::*;
    use crate::article::{parse_article, seed_article, Origin};
    use crate::index::schema::{indexing_analyzers, Fields};
    use crate::index::stored::ArticleView;
    use crate::index::{build_index, HelpIndex};
    use crate::language::{AnalyzerKind, Locale};
    use crate::source::Source;

    /// The tokens of a recorded set, by the segment's vocabulary.
    fn tokens(terms: &TextTerms, set: TokenSet) -> BTreeSet<String> {
        let mut by_number = HashMap::new();
        let mut stream = terms.vocabulary.stream();
        while let Some((token, n)) = stream.next() {
            by_number.insert(n as u32, String::from_utf8(token.to_vec()).unwrap());
        }
        set.numbers().map(|n| by_number[&n].clone()).collect()
    }

    /// The folded tokens the locale's analyzer makes of `text`.
    fn analyzed(locale: Locale, text: &str) -> BTreeSet<String> {
        locale
            .analyze(AnalyzerKind::Folded, text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    /// Checks every document of `segment` against its stored article: the title's and each
    /// block's recorded tokens are what the analyzer makes of their text.
    fn check_segment(locale: Locale, fields: &Fields, segment: &SegmentReader) -> usize {
        let terms = TextTerms::open(segment).unwrap();
        let store = segment.get_store_reader(1).unwrap();
        let mut texts = 0;
        for doc in 0..segment.max_doc() {
            let stored: TantivyDocument = store.get(doc).unwrap();
            let stored = stored.get_first(fields.article).unwrap().as_str().unwrap();
            let article = ArticleView::decode(stored).unwrap();
            let blocks = article.blocks.iter().map(|b| (b.kind, b.text.text));
            let record = terms.document(doc).unwrap();
            let recorded = ArticleTokens::of(record, article.title.text, blocks).unwrap();
            let title = recorded.title().unwrap();
            assert_eq!(tokens(&terms, title), analyzed(locale, article.title.text));
            for (i, block) in article.blocks.iter().enumerate() {
                if let Some(set) = recorded.block(i) {
                    let text = block.text.text;
                    assert_eq!(tokens(&terms, set), analyzed(locale, text), "{text}");
                    texts += 1;
                }
            }
        }
        texts
    }

    #[test]
    fn each_text_is_recorded_with_the_folded_tokens_of_its_words() {
        let dir = tempfile::tempdir().unwrap();
        build_index(dir.path(), &[Source::BuiltinSeeds], &()).unwrap();
        let index = HelpIndex::open(dir.path()).unwrap();
        for (locale, _) in index.languages() {
            let li = index.locale(locale).unwrap();
            let searcher = li.reader.searcher();
            let texts: usize = searcher
                .segment_readers()
                .iter()
                .map(|s| check_segment(locale, &li.fields, s))
                .sum();
            // Every block but the first heading (the title's) is a text of its own.
            assert!(texts >= 5, "{locale}: {texts} texts");
        }
    }

    #[test]
    fn merged_segments_keep_each_documents_record() {
        let sv: Locale = "sv".parse().unwrap();
        let schema = Fields::schema();
        let fields = Fields::of(&schema).unwrap();
        let index = tantivy::Index::builder()
            .schema(schema)
            .tokenizers(indexing_analyzers(sv))
            .register_plugin(std::sync::Arc::new(TextTermsPlugin))
            .create_in_ram()
            .unwrap();
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let texts = [
            "Ändra lösenord\n\nAndra användare kan ändra sitt lösenord.\n\n1. Välj Ändra.\n",
            "Stäng kontot\n\nSå stänger du ditt konto.\n\n1. Ta bort användare.\n2. Stäng.\n",
            "Återställ filer\n\nFiler som tagits bort kan återställas.\n",
        ];
        // One segment per commit, then one of them all.
        for (k, text) in texts.iter().enumerate() {
            let origin = Origin {
                slug: format!("a{k}"),
                folder_locale: Some(sv),
            };
            let article = parse_article(str::as_bytes(text), &origin).unwrap().article;
            writer.add_document(fields.document(&article)).unwrap();
            let seed = seed_article("sv-SE");
            writer.add_document(fields.document(&seed)).unwrap();
            writer.commit().unwrap();
        }
        let segments = index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), texts.len());
        writer.merge(&segments).wait().unwrap();
        writer.wait_merging_threads().unwrap();
        let reader = index.reader().unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let segment = &searcher.segment_readers()[0];
        assert_eq!(segment.max_doc(), 2 * texts.len() as u32);
        assert!(check_segment(sv, &fields, segment) >= 2 * texts.len());
    }

    #[test]
    fn a_damaged_record_is_refused() {
        let mut data = Vec::new();
        let mut writer = TextTermsWriter::default();
        let texts = RecordedTexts {
            numbers: vec![3, 1, 3, 2, 70, 0],
            starts: vec![0, 3],
        };
        writer.add(&texts);
        data.extend_from_slice(&writer.data);
        let sets = decode(&data).unwrap();
        let numbers: Vec<Vec<u32>> = sets.iter().map(|s| s.numbers().collect()).collect();
        assert_eq!(numbers, [vec![1, 3], vec![0, 2, 70]]);
        // Cut short, or with bytes beyond its last text.
        for len in 0..data.len() {
            assert!(decode(&data[..len]).is_none(), "cut to {len}");
        }
        let mut longer = data.clone();
        longer.push(1);
        assert!(decode(&longer).is_none());
        // A record of another count of texts than the article has.
        let blocks = [(BlockKind::Paragraph, "x"), (BlockKind::Paragraph, "y")];
        assert!(ArticleTokens::of(&data, "t", blocks.iter().copied()).is_err());
        assert!(ArticleTokens::of(&data, "t", blocks[..1].iter().copied()).is_ok());
    }
}
