//! A query's words → tantivy queries over one locale's fields.
//!
//! Query text is never parsed as query syntax: quotes, colons, `AND`, `-` are analyzed like
//! any other text, so no query can fail to parse.

use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::index::Fields;
use crate::language::{AnalyzerKind, Locale};

/// At most this many query tokens are searched; the rest are ignored.
pub(crate) const MAX_QUERY_TERMS: usize = 32;

/// Field weights: the title says most about an article, then its steps, then the body.
const TITLE: f32 = 3.0;
const STEPS: f32 = 1.5;
const BODY: f32 = 1.0;
/// A folded (diacritic-free) match counts less than the exact form.
const FOLDED: f32 = 0.8;
/// Weight of the English source when the query shows no sign of being English.
const ENGLISH_BASE: f32 = 0.3;

/// A query's tokens as each analyzer of a locale makes them, position by position.
#[derive(Debug, Clone)]
pub(crate) struct QueryTerms {
    pub exact: Vec<String>,
    pub folded: Vec<String>,
    pub english: Vec<String>,
}

impl QueryTerms {
    pub fn new(locale: Locale, query: &str) -> QueryTerms {
        let texts = |locale: Locale, kind| {
            let mut v: Vec<String> = locale
                .analyze(kind, query)
                .into_iter()
                .map(|t| t.text)
                .collect();
            v.truncate(MAX_QUERY_TERMS);
            v
        };
        QueryTerms {
            exact: texts(locale, AnalyzerKind::Exact),
            folded: texts(locale, AnalyzerKind::Folded),
            english: texts(Locale::ENGLISH, AnalyzerKind::Exact),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
    }
}

fn term(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// How strongly the English source should count: more when the query's words are found in
/// the English source but not in the locale's own text (an English query).
pub(crate) fn english_weight(searcher: &Searcher, fields: &Fields, terms: &QueryTerms) -> f32 {
    let df = |field, text: &str| {
        searcher
            .doc_freq(&Term::from_field_text(field, text))
            .unwrap_or(0)
    };
    let english_only = terms
        .folded
        .iter()
        .zip(&terms.english)
        .filter(|(f, e)| {
            let in_locale = df(fields.body_folded, f) + df(fields.title_folded, f) > 0;
            let in_english = df(fields.source_en, e) + df(fields.title_en, e) > 0;
            in_english && !in_locale
        })
        .count();
    let share = english_only as f32 / terms.english.len().max(1) as f32;
    ENGLISH_BASE + 1.5 * share
}

/// One clause per query word, each the best of its matches over the fields.
pub(crate) fn build(fields: &Fields, terms: &QueryTerms, english: f32) -> Box<dyn Query> {
    let n = terms
        .exact
        .len()
        .min(terms.folded.len())
        .min(terms.english.len());
    let clauses = (0..n)
        .map(|i| {
            let (exact, folded, en) = (&terms.exact[i], &terms.folded[i], &terms.english[i]);
            let alternatives = vec![
                term(fields.title, exact, TITLE),
                term(fields.steps, exact, STEPS),
                term(fields.body, exact, BODY),
                term(fields.title_folded, folded, TITLE * FOLDED),
                term(fields.steps_folded, folded, STEPS * FOLDED),
                term(fields.body_folded, folded, BODY * FOLDED),
                term(fields.title_en, en, TITLE * english),
                term(fields.source_en, en, english),
            ];
            let best: Box<dyn Query> =
                Box::new(DisjunctionMaxQuery::with_tie_breaker(alternatives, 0.2));
            (Occur::Should, best)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}
