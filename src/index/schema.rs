//! The tantivy schemas — one per locale, one for the English source of them all — and how an
//! article becomes documents.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, TantivyDocument};

use crate::article::{Article, BlockKind};
use crate::language::{AnalyzerKind, HandedOver, HandedOverTokenizer, Locale};

/// Analyzer names registered on every opened index (tantivy does not store them).
const EXACT: &str = "hs_exact";
const FOLDED: &str = "hs_folded";
const ENGLISH: &str = "hs_english";
const BARE: &str = "hs_bare";

/// The fields of a locale index. Text is matched in its folded form (a query typed with or
/// without diacritics matches either way); `exact` keeps diacritics, so that where folding
/// makes two words one (Swedish "ändra"/"andra"), the form typed ranks first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub slug: Field,
    /// Title (and a first heading that differs), folded.
    pub title: Field,
    /// Numbered steps, folded.
    pub steps: Field,
    /// Everything else, folded.
    pub body: Field,
    /// All of the above in exact form: only the words folding changes, as only those are
    /// searched in it. Last of the text fields: the build fills it with what the folded
    /// fields' tokenizer hands over ([`indexing_analyzers`]).
    pub exact: Field,
    /// Words typed bare (without their diacritics) that analyze to another token than the
    /// words themselves, each as `bare NUL folded` (two folded tokens: Latvian
    /// "lietot\0lietotaj" of "lietotājam"), so that a query typed bare finds the word it
    /// stands for. Only the terms count, not their postings. After `exact`, filled the same
    /// way.
    pub bare: Field,
    /// 1 + the number of the English index's document holding the article's English source
    /// ([`Article::source_fingerprint`]); 0 when it has none. Numbered by the build before
    /// either index is written, so that opening a locale finds its English documents by
    /// number, not by joining the two indexes on their fingerprints (that join was 30 % of
    /// a one-query process's work).
    pub english: Field,
    /// The whole article ([`super::stored`]), for showing hits and fetching articles.
    pub article: Field,
    /// [`Article::content_fingerprint`], to show duplicates once.
    pub fingerprint: Field,
}

fn text(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            // No phrase queries: positions would only cost space and build time.
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

/// The bare forms' field: its terms are looked up, never its documents scored.
fn bare_forms() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BARE)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

impl Fields {
    /// The schema of every locale index.
    pub fn schema() -> Schema {
        let mut b = Schema::builder();
        b.add_text_field("slug", STRING | STORED);
        b.add_text_field("title", text(FOLDED));
        b.add_text_field("steps", text(FOLDED));
        b.add_text_field("body", text(FOLDED));
        b.add_text_field("exact", text(EXACT));
        b.add_text_field("bare", bare_forms());
        b.add_u64_field("english", FAST);
        b.add_text_field("article", STORED);
        b.add_u64_field("fingerprint", FAST);
        b.build()
    }

    /// The fields of `schema`; `None` when it is not ours.
    pub fn of(schema: &Schema) -> Option<Fields> {
        let f = |name| schema.get_field(name).ok();
        Some(Fields {
            slug: f("slug")?,
            title: f("title")?,
            steps: f("steps")?,
            body: f("body")?,
            exact: f("exact")?,
            bare: f("bare")?,
            english: f("english")?,
            article: f("article")?,
            fingerprint: f("fingerprint")?,
        })
    }

    /// The document of an article (its English source goes to [`EnglishFields::document`],
    /// document number `english` of the English index), for the analyzers of
    /// [`indexing_analyzers`]: the fields of exact and bare forms get no text of their own,
    /// but the forms of the folded fields' words.
    pub fn document(&self, article: &Article, english: Option<u32>) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.slug, &article.slug);
        doc.add_u64(self.fingerprint, article.content_fingerprint());
        // Every document has a value, so that the column is read whole at once.
        doc.add_u64(self.english, english.map_or(0, |e| 1 + u64::from(e)));
        doc.add_text(self.title, &article.title.text);
        let heading = first_heading(article);
        for (i, block) in article.blocks.iter().enumerate() {
            if Some(i) == heading {
                if block.text.text != article.title.text {
                    doc.add_text(self.title, &block.text.text);
                }
                continue;
            }
            let field = match block.kind {
                BlockKind::Step { .. } => self.steps,
                _ => self.body,
            };
            doc.add_text(field, &block.text.text);
        }
        doc.add_text(self.exact, "");
        doc.add_text(self.bare, "");
        doc.add_text(self.article, super::stored::encode(article));
        doc
    }
}

/// The first level-1 heading: it is a title too, and can differ from the front matter's.
fn first_heading(article: &Article) -> Option<usize> {
    article
        .blocks
        .iter()
        .position(|b| b.kind == BlockKind::Heading { level: 1 })
}

/// The fields of the English index: the English source of every locale's articles, one
/// document per distinct source. The locales of the side-by-side corpus are translations
/// of one English text, so indexing it once rather than in each locale saves most of the
/// work and space it took there; so is storing it once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EnglishFields {
    /// [`Article::source_fingerprint`].
    pub source: Field,
    /// English source of the title.
    pub title_en: Field,
    /// English source of the steps and body.
    pub source_en: Field,
    /// The source of the title and of each block, stored ([`super::stored::encode_sources`]).
    pub sources: Field,
}

impl EnglishFields {
    /// The schema of the English index.
    pub fn schema() -> Schema {
        let mut b = Schema::builder();
        b.add_u64_field("source", FAST);
        b.add_text_field("title_en", text(ENGLISH));
        b.add_text_field("source_en", text(ENGLISH));
        b.add_text_field("sources", STORED);
        b.build()
    }

    /// The fields of `schema`; `None` when it is not ours.
    pub fn of(schema: &Schema) -> Option<EnglishFields> {
        let f = |name| schema.get_field(name).ok();
        Some(EnglishFields {
            source: f("source")?,
            title_en: f("title_en")?,
            source_en: f("source_en")?,
            sources: f("sources")?,
        })
    }

    /// The document of an article's English source, whose
    /// [`Article::source_fingerprint`] is `fingerprint`.
    pub fn document(&self, article: &Article, fingerprint: u64) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_u64(self.source, fingerprint);
        doc.add_text(self.sources, super::stored::encode_sources(article));
        if let Some(source) = &article.title.source {
            doc.add_text(self.title_en, source);
        }
        let heading = first_heading(article);
        for (i, block) in article.blocks.iter().enumerate() {
            let Some(source) = &block.text.source else {
                continue;
            };
            if Some(i) != heading {
                doc.add_text(self.source_en, source);
            } else if article.title.source.as_ref() != Some(source) {
                doc.add_text(self.title_en, source);
            }
        }
        doc
    }
}

/// The analyzers that build a locale index, by the names its schema gives them: the
/// folded fields' tokenizer hands each word's exact and bare forms over to their fields
/// ([`Locale::indexing_analyzers`]), which come after them in the schema.
pub(crate) fn indexing_analyzers(locale: Locale) -> TokenizerManager {
    let [folded, exact, bare] = locale.indexing_analyzers();
    let tokenizers = TokenizerManager::default();
    tokenizers.register(EXACT, exact);
    tokenizers.register(FOLDED, folded);
    tokenizers.register(BARE, bare);
    tokenizers
}

/// A locale's analyzers, by the names its schema gives them (what the build's make of a
/// text, each on its own). The bare forms' field has no analyzer of its own: its forms are
/// made only in handing over, and a search looks its terms up.
pub(crate) fn locale_analyzers(locale: Locale) -> TokenizerManager {
    let tokenizers = TokenizerManager::default();
    tokenizers.register(EXACT, locale.analyzer(AnalyzerKind::Foldable));
    tokenizers.register(FOLDED, locale.analyzer(AnalyzerKind::Folded));
    tokenizers.register(BARE, HandedOverTokenizer::new(HandedOver::BareForms));
    tokenizers
}

/// The English index's analyzer, by the name its schema gives it.
pub(crate) fn english_analyzers() -> TokenizerManager {
    let tokenizers = TokenizerManager::default();
    tokenizers.register(ENGLISH, Locale::ENGLISH.analyzer(AnalyzerKind::Exact));
    tokenizers
}

/// Registers a locale's analyzers on its index; needed on every open (tantivy does not
/// store them).
pub(crate) fn register_analyzers(index: &mut Index, locale: Locale) {
    index.set_tokenizers(locale_analyzers(locale));
}

/// Registers the English index's analyzer; needed on every open.
pub(crate) fn register_english_analyzer(index: &mut Index) {
    index.set_tokenizers(english_analyzers());
}

#[cfg(test)]
mod tests {
    use tantivy::directory::RamDirectory;
    use tantivy::schema::Value;
    use tantivy::DocId;

    use super::*;
    use crate::article::{parse_article, seed_article, Origin};
    use crate::language::fold_text;

    fn article(locale: &str, slug: &str, markdown: &str) -> Article {
        let origin = Origin {
            slug: slug.into(),
            folder_locale: Some(locale.parse().unwrap()),
        };
        parse_article(markdown.as_bytes(), &origin).unwrap().article
    }

    /// An index of `documents` in memory, written as the build writes.
    fn index_of(analyzers: TokenizerManager, documents: Vec<TantivyDocument>) -> Index {
        let mut writer = Index::builder()
            .schema(Fields::schema())
            .tokenizers(analyzers)
            .single_segment_index_writer(RamDirectory::create(), 15_000_000)
            .unwrap();
        for document in documents {
            writer.add_document(document).unwrap();
        }
        writer.finalize().unwrap()
    }

    /// Every term of `field` with its postings (document, frequency), and each document's
    /// field norm.
    type Postings = (Vec<(Vec<u8>, Vec<(DocId, u32)>)>, Vec<u8>);

    fn postings(index: &Index, field: Field) -> Postings {
        use tantivy::postings::Postings as _;
        use tantivy::DocSet;
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let inverted = segment.inverted_index(field).unwrap();
        let mut terms = Vec::new();
        let mut stream = inverted.terms().stream().unwrap();
        while stream.advance() {
            let mut postings = inverted
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)
                .unwrap();
            let mut docs = Vec::new();
            while postings.doc() != tantivy::TERMINATED {
                docs.push((postings.doc(), postings.term_freq()));
                postings.advance();
            }
            terms.push((stream.key().to_vec(), docs));
        }
        let norms = segment.get_fieldnorms_reader(field).unwrap();
        let norms = (0..segment.max_doc())
            .map(|d| norms.fieldnorm_id(d))
            .collect();
        (terms, norms)
    }

    #[test]
    fn the_exact_forms_handed_over_index_as_the_foldable_analyzer_cutting_every_text() {
        let sv = "Ändra lösenord\n\nAndra användare kan ändra sitt lösenord.\n\n1. Välj Ändra.\n";
        let hr =
            "Pređi na postavke\n\nOdjava i prijava: odjeljak Đurđica, čćžš.\n\n1. Odjavite se.\n";
        let groups = [
            vec![
                seed_article("sv-SE"),
                article("sv-SE", "a", sv),
                seed_article("sv-SE"),
            ],
            vec![
                article("hr-HR", "a", hr),
                article("hr-HR", "b", "Djeca i djed\n"),
            ],
            vec![seed_article("lv-LV")],
            vec![seed_article("sl-SI")],
            vec![
                seed_article("ro-RO"),
                article("ro-RO", "a", "Şterge ştergeţi ștergeți\n"),
            ],
            vec![
                seed_article("nl-NL"),
                article("nl-NL", "a", "Geüpload en gecreëerd: één keer\n"),
            ],
        ];
        for articles in groups {
            let locale = articles[0].locale;
            let fields = Fields::of(&Fields::schema()).unwrap();
            let built: Vec<_> = articles.iter().map(|a| fields.document(a, None)).collect();
            // The reference: every text of the folded fields given to the exact forms' field
            // too, each field cutting its own text.
            let reference = built
                .iter()
                .map(|document| {
                    let mut doc = TantivyDocument::default();
                    for (field, value) in document.field_values() {
                        if field == fields.exact {
                            continue;
                        }
                        let text = value.as_str();
                        match text {
                            Some(text) => doc.add_text(field, text),
                            None => doc.add_u64(field, value.as_u64().unwrap()),
                        }
                        if [fields.title, fields.steps, fields.body].contains(&field) {
                            doc.add_text(fields.exact, text.unwrap());
                        }
                    }
                    doc
                })
                .collect();
            let built = index_of(indexing_analyzers(locale), built);
            let reference = index_of(locale_analyzers(locale), reference);
            for field in [fields.title, fields.steps, fields.body, fields.exact] {
                assert_eq!(
                    postings(&built, field),
                    postings(&reference, field),
                    "{} field {field:?}",
                    locale.code()
                );
            }
            let (exact_terms, _) = postings(&built, fields.exact);
            assert!(!exact_terms.is_empty(), "{} has exact forms", locale.code());
        }
    }

    #[test]
    fn the_bare_forms_are_the_words_typed_bare_that_analyze_otherwise() {
        let text = "Închideți contul\n\nPăstrați datele înainte de a închide contul.\n\n\
                    1. Închideți contul.\n";
        let article = article("ro-RO", "a", text);
        let locale = article.locale;
        let fields = Fields::of(&Fields::schema()).unwrap();
        let index = index_of(
            indexing_analyzers(locale),
            vec![fields.document(&article, None)],
        );
        let searcher = index.reader().unwrap().searcher();
        let inverted = searcher.segment_readers()[0]
            .inverted_index(fields.bare)
            .unwrap();
        let mut stream = inverted.terms().stream().unwrap();
        let mut built = Vec::new();
        while stream.advance() {
            built.push(String::from_utf8(stream.key().to_vec()).unwrap());
        }
        // Word by word, with the analyzer a query is searched with.
        let folded = |word: &str| {
            let tokens = locale.analyze(AnalyzerKind::Folded, word);
            assert_eq!(tokens.len(), 1, "{word}");
            tokens[0].text.clone()
        };
        let mut expected: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty() && fold_text(word) != word.to_lowercase())
            .filter_map(|word| {
                let (bare, folded) = (folded(&fold_text(word)), folded(word));
                (bare != folded).then(|| format!("{bare}\0{folded}"))
            })
            .collect();
        expected.sort();
        expected.dedup();
        assert_eq!(built, expected);
        assert_eq!(built, ["inchidet\0inchid", "pastrat\0pastr"]);
    }
}
