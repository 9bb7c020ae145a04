//! The per-locale tantivy schema and how an article becomes a document.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::{Index, TantivyDocument};

use crate::article::{Article, BlockKind};
use crate::language::{AnalyzerKind, Locale};

/// Analyzer names registered on every opened index (tantivy does not store them).
const EXACT: &str = "hs_exact";
const FOLDED: &str = "hs_folded";
const ENGLISH: &str = "hs_english";

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
    /// searched in it.
    pub exact: Field,
    /// English source of the title.
    pub title_en: Field,
    /// English source of the steps and body.
    pub source_en: Field,
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

impl Fields {
    /// The schema of every locale index.
    pub fn schema() -> Schema {
        let mut b = Schema::builder();
        b.add_text_field("slug", STRING | STORED);
        b.add_text_field("title", text(FOLDED));
        b.add_text_field("steps", text(FOLDED));
        b.add_text_field("body", text(FOLDED));
        b.add_text_field("exact", text(EXACT));
        b.add_text_field("title_en", text(ENGLISH));
        b.add_text_field("source_en", text(ENGLISH));
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
            title_en: f("title_en")?,
            source_en: f("source_en")?,
            article: f("article")?,
            fingerprint: f("fingerprint")?,
        })
    }

    /// The document of an article.
    pub fn document(&self, article: &Article) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.slug, &article.slug);
        doc.add_u64(self.fingerprint, article.content_fingerprint());
        doc.add_text(self.title, &article.title.text);
        doc.add_text(self.exact, &article.title.text);
        if let Some(source) = &article.title.source {
            doc.add_text(self.title_en, source);
        }
        // The first level-1 heading is a title too: it can differ from the front matter's.
        let heading = article
            .blocks
            .iter()
            .position(|b| b.kind == BlockKind::Heading { level: 1 });
        for (i, block) in article.blocks.iter().enumerate() {
            if Some(i) == heading {
                if block.text.text != article.title.text {
                    doc.add_text(self.title, &block.text.text);
                    doc.add_text(self.exact, &block.text.text);
                }
                if let Some(source) = &block.text.source {
                    if article.title.source.as_ref() != Some(source) {
                        doc.add_text(self.title_en, source);
                    }
                }
                continue;
            }
            let field = match block.kind {
                BlockKind::Step { .. } => self.steps,
                _ => self.body,
            };
            doc.add_text(field, &block.text.text);
            doc.add_text(self.exact, &block.text.text);
            if let Some(source) = &block.text.source {
                doc.add_text(self.source_en, source);
            }
        }
        doc.add_text(self.article, super::stored::encode(article));
        doc
    }
}

/// Registers a locale's analyzers on an index; needed on every open.
pub(crate) fn register_analyzers(index: &Index, locale: Locale) {
    let tokenizers = index.tokenizers();
    tokenizers.register(EXACT, locale.analyzer(AnalyzerKind::Foldable));
    tokenizers.register(FOLDED, locale.analyzer(AnalyzerKind::Folded));
    tokenizers.register(ENGLISH, Locale::ENGLISH.analyzer(AnalyzerKind::Exact));
}
