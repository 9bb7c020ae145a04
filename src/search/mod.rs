//! Searching: a request → the query's language → ranked articles → the best step of each.

mod detect;
mod edits;
mod highlight;
mod query;
mod rank;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::columnar::Column;
use tantivy::DocAddress;

use crate::article::{Article, BlockKind};
use crate::error::{Error, Result};
use crate::index::source_terms::SourceTerms;
use crate::index::store::StoredDoc;
use crate::index::stored::{self, ArticleView};
use crate::index::{HelpIndex, LocaleIndex};
use crate::language::Locale;
use highlight::Found;
use highlight::Matcher;
use query::{PlannedWord, QueryPlan, QueryTerms, TitleSpellings};
use rank::{English, TermInfos, TopDoc};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Hits returned when the request does not say.
pub const DEFAULT_LIMIT: usize = 10;
/// Extra candidates fetched so that duplicates folded away still leave `limit` hits.
const DUPLICATE_ROOM: usize = 3;

/// What to search for.
///
/// As JSON (a line of `--jsonl`, the body of `POST /search`):
/// `{"query": "stänga konto", "lang": "sv-SE", "limit": 5, "source": true}`; only `query`
/// is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRequest {
    /// The user's words. Never parsed as query syntax.
    pub query: String,
    /// The user's language (`sv`, `sv-SE`, `sv_SE`); detected from the query when absent.
    #[serde(default)]
    pub lang: Option<Locale>,
    /// How many hits at most (1–100).
    #[serde(default = "default_limit")]
    pub limit: usize,
    /// Include the English source of titles and steps.
    #[serde(default)]
    pub source: bool,
}

fn default_limit() -> usize {
    DEFAULT_LIMIT
}

impl SearchRequest {
    /// A request for `query` with default settings (detect the language, 10 hits).
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            lang: None,
            limit: DEFAULT_LIMIT,
            source: false,
        }
    }

    /// Sets the user's language.
    pub fn lang(mut self, lang: Locale) -> SearchRequest {
        self.lang = Some(lang);
        self
    }

    /// Sets the number of hits.
    pub fn limit(mut self, limit: usize) -> SearchRequest {
        self.limit = limit;
        self
    }

    /// Includes the English source.
    pub fn with_source(mut self, source: bool) -> SearchRequest {
        self.source = source;
        self
    }
}

/// The answer to a [`SearchRequest`]; the `--json` document.
///
/// ```json
/// {"query": "stänga konto", "lang": "sv-SE", "detected": true,
///  "hits": [{"slug": "how-to-close-your-account", "locale": "sv-SE",
///            "title": "Så stänger du ditt konto", "score": 7.1,
///            "step": {"n": 1, "text": "Ta bort användare.", "highlights": []},
///            "snippet": {"text": "Det finns fem steg för att stänga ditt konto:",
///                        "highlights": [[27, 33], [39, 44]]}}]}
/// ```
/// Highlights are byte ranges `[start, end)` of the query's words in `text`. With `source`
/// requested, `title_source` and `step.source` carry the English source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// The language answered in: the top hit's locale, else the language given or detected;
    /// `null` when nothing in the query tells a language (it has no words, say).
    pub lang: Option<Locale>,
    /// Whether the language was detected (not given).
    pub detected: bool,
    /// The hits, best first.
    pub hits: Vec<Hit>,
}

/// One article found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The article's slug.
    pub slug: String,
    /// The article's locale.
    pub locale: Locale,
    /// The article's title.
    pub title: String,
    /// The English source of the title (when requested and known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_source: Option<String>,
    /// Relevance score (comparable within one answer only).
    pub score: f32,
    /// The numbered step that matches the query best; `null` when none does.
    pub step: Option<StepMatch>,
    /// A short passage with the query's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<Snippet>,
    /// All numbered steps of the article, in order (the procedure the user came for).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<StepText>,
    /// Slugs of articles with the same content, shown once as this hit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

/// A numbered step of a hit's article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepText {
    /// The step's number as the reader sees it.
    pub n: u32,
    /// The step's text.
    pub text: String,
    /// The English source (when requested and known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The step of a hit that matches best.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepMatch {
    /// The step's number as the reader sees it.
    pub n: u32,
    /// The step's text.
    pub text: String,
    /// Byte ranges of the query's words in `text`.
    #[serde(default)]
    pub highlights: Vec<[usize; 2]>,
    /// The English source of the step (when requested and known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A short passage of a hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snippet {
    /// The passage ("…" where it was cut).
    pub text: String,
    /// Byte ranges of the query's words in `text`.
    #[serde(default)]
    pub highlights: Vec<[usize; 2]>,
}

impl HelpIndex {
    /// Searches the index.
    ///
    /// Errors: [`Error::BadQuery`] for an empty or over-long query or a bad limit,
    /// [`Error::LocaleNotIndexed`] when `lang` names a language the index lacks.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let query = request.query.trim();
        if query.is_empty() {
            return Err(Error::BadQuery("the query is empty".into()));
        }
        let chars = query.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(Error::BadQuery(format!(
                "the query is {chars} characters long; at most {MAX_QUERY_CHARS} are accepted"
            )));
        }
        if request.limit == 0 || request.limit > MAX_LIMIT {
            return Err(Error::BadQuery(format!(
                "limit must be between 1 and {MAX_LIMIT}, not {}",
                request.limit
            )));
        }
        // A query typed in fullwidth Latin (as East Asian input methods type it) or
        // halfwidth Katakana is the query in the texts' widths.
        let folded = crate::language::fold_width(query);
        let query = folded.as_ref();
        let candidates = match request.lang {
            Some(l) if self.has_locale(l) => vec![(l, 1.0)],
            Some(l) => return Err(Error::LocaleNotIndexed(l.code().to_string())),
            None => detect::candidates(self, query)?,
        };
        // Rank every candidate locale, then make hits of the best documents only: a hit
        // (its article decoded, its best step and snippet found) costs far more than ranking.
        let wanted = request.limit + DUPLICATE_ROOM;
        let mut ranked = Vec::with_capacity(candidates.len());
        let mut best: Vec<(f32, usize, TopDoc)> = Vec::new();
        for (locale, prior) in &candidates {
            let Some(r) = self.rank_locale(*locale, query, wanted)? else {
                continue;
            };
            best.extend(r.top.iter().map(|d| (d.score * prior, ranked.len(), *d)));
            ranked.push(r);
        }
        best.sort_by(|a, b| b.0.total_cmp(&a.0));
        let hits = make_hits(self, &ranked, &best, request)?;
        let lang = hits
            .first()
            .map(|h| h.locale)
            .or(candidates.first().map(|c| c.0));
        Ok(SearchResults {
            query: request.query.clone(),
            lang,
            detected: request.lang.is_none(),
            hits,
        })
    }

    /// The best `wanted` documents of `locale` for `query`; `None` when the query has no
    /// words the locale's analyzer keeps.
    fn rank_locale(
        &self,
        locale: Locale,
        query: &str,
        wanted: usize,
    ) -> Result<Option<RankedLocale<'_>>> {
        let li = self.locale(locale)?;
        let terms = QueryTerms::new(locale, query);
        if terms.is_empty() {
            return Ok(None);
        }
        let searcher = li.reader.searcher();
        let english = self.english_of(li)?;
        let term_infos = TermInfos::new(&searcher, &li.without_terms);
        let spellings = TitleSpellings::new(self, locale);
        let plan = QueryPlan::new(
            &searcher,
            &li.fields,
            english.as_ref(),
            &terms,
            &term_infos,
            &spellings,
        );
        let clauses = query::clauses(&li.fields, english.as_ref().map(|e| &e.fields), &plan);
        let top = rank::top_docs(&searcher, english.as_ref(), &clauses, wanted, &term_infos)?;
        Ok(Some(RankedLocale {
            li,
            searcher,
            english,
            plan,
            term_infos,
            top,
        }))
    }

    /// The English index as `li` sees it; `None` when none of its articles has an English
    /// source.
    fn english_of<'a>(&'a self, li: &'a LocaleIndex) -> Result<Option<English<'a>>> {
        let english = self.english()?;
        let map = li
            .english_map(english)
            .map_err(|reason| self.corrupt(li.locale, reason))?;
        Ok((map.translated > 0).then(|| {
            let searcher = english.reader.searcher();
            English {
                terms: TermInfos::new(&searcher, &english.without_terms),
                searcher,
                stored: &english.stored,
                fields: english.fields,
                map,
            }
        }))
    }

    /// The whole article `slug` in `locale`.
    pub fn article(&self, locale: Locale, slug: &str) -> Result<Article> {
        let li = self.locale(locale)?;
        let address = li.address_of(slug)?.ok_or_else(|| Error::NoArticle {
            locale: locale.code().to_string(),
            slug: slug.to_string(),
        })?;
        let doc = stored_doc(self, li, address)?;
        let english = self.english_of(li)?;
        let source_doc = match &english {
            Some(english) => english_source_doc(self, english, address)?,
            None => None,
        };
        let article = stored_article(self, li, &doc, source_doc.as_ref().zip(english.as_ref()))?;
        Ok(article.to_article())
    }
}

/// One locale's ranking of a query, kept to make hits of its documents.
struct RankedLocale<'a> {
    li: &'a LocaleIndex,
    searcher: tantivy::Searcher,
    english: Option<English<'a>>,
    plan: QueryPlan,
    /// The locale's terms looked up so far.
    term_infos: TermInfos,
    /// A few more documents than asked for: duplicates are folded into the first of their
    /// kind.
    top: Vec<TopDoc>,
}

/// Hits of the `best` documents (score, which of `ranked`, address), best first: each
/// article once, its duplicates named in its `also`.
fn make_hits(
    index: &HelpIndex,
    ranked: &[RankedLocale],
    best: &[(f32, usize, TopDoc)],
    request: &SearchRequest,
) -> Result<Vec<Hit>> {
    let mut matchers: Vec<Option<Matcher>> = ranked.iter().map(|_| None).collect();
    let mut hits: Vec<Hit> = Vec::with_capacity(request.limit);
    // (ranking, fingerprint) of each hit.
    let mut seen: Vec<(usize, u64)> = Vec::with_capacity(best.len());
    // Each hit's content fingerprint (duplicates), and its English source's (recorded tokens).
    let mut fingerprints = Columns::new("fingerprint");
    let mut sources = Columns::new("source");
    for &(score, r, top) in best {
        let address = top.address;
        let RankedLocale {
            li,
            searcher,
            english,
            ..
        } = &ranked[r];
        let fingerprint = fingerprints.get(r, searcher, address)?.unwrap_or_default();
        let duplicate_of = (fingerprint != 0)
            .then(|| seen.iter().position(|s| *s == (r, fingerprint)))
            .flatten();
        if let Some(first) = duplicate_of {
            let doc = stored_doc(index, li, address)?;
            let slug = (doc.text(li.fields.slug))
                .map_err(|reason| index.corrupt(li.locale, format!("a stored slug: {reason}")))?;
            if let (Some(hit), Some(slug)) = (hits.get_mut(first), slug) {
                hit.also.push(slug.to_string());
            }
            continue;
        }
        if hits.len() == request.limit {
            break;
        }
        seen.push((r, fingerprint));
        let doc = stored_doc(index, li, address)?;
        if matchers[r].is_none() {
            matchers[r] = Some(matcher(index, &ranked[r])?);
        }
        let matcher = matchers[r].as_mut().expect("made above");
        // English words are sought in the tokens recorded of the source, which is read
        // only to be shown (or where its tokens were not recorded).
        let english_source = english
            .as_ref()
            .and_then(|e| Some((e, e.map.english(address)?)));
        let mut recorded = None;
        if let Some((english, at)) = english_source.filter(|_| matcher.seeks_english()) {
            recorded = match sources.get(r, &english.searcher, at)? {
                Some(source) => index.recorded_sources()?.recorded(source),
                None => None,
            };
        }
        let wants_source = request.source || (matcher.seeks_english() && recorded.is_none());
        let source_doc = match english {
            Some(english) if wants_source => english_source_doc(index, english, address)?,
            _ => None,
        };
        let article = stored_article(index, li, &doc, source_doc.as_ref().zip(english.as_ref()))?;
        let source_terms = recorded
            .map(|r| SourceTerms::decode(r, 1 + article.blocks.len()))
            .transpose()
            .map_err(|reason| index.corrupt_english(reason))?;
        // The words the hit's steps and other texts have, by the ranking's marks.
        let plan = &ranked[r].plan;
        let found = Found {
            in_steps: matcher.terms_of_words(plan, top.in_steps),
            in_body: matcher.terms_of_words(plan, top.in_body),
        };
        hits.push(hit(
            &article,
            source_terms.as_ref(),
            &found,
            score,
            matcher,
            request.source,
        ));
    }
    Ok(hits)
}

/// One u64 column of each segment a search reads documents of, opened once.
struct Columns {
    name: &'static str,
    /// (ranking, segment, column).
    opened: Vec<(usize, u32, Column<u64>)>,
}

impl Columns {
    fn new(name: &'static str) -> Columns {
        Columns {
            name,
            opened: Vec::new(),
        }
    }

    /// The column's value for `at`, a document of `searcher` (which ranking `r` holds).
    fn get(
        &mut self,
        r: usize,
        searcher: &tantivy::Searcher,
        at: DocAddress,
    ) -> Result<Option<u64>> {
        let key = (r, at.segment_ord);
        let i = match self.opened.iter().position(|(r, s, _)| (*r, *s) == key) {
            Some(i) => i,
            None => {
                let column = searcher
                    .segment_reader(at.segment_ord)
                    .fast_fields()
                    .u64(self.name)?;
                self.opened.push((r, at.segment_ord, column));
                self.opened.len() - 1
            }
        };
        Ok(self.opened[i].2.first(at.doc_id))
    }
}

/// A matcher weighting each query word by its rarity in the locale and by its plan (which
/// gives no weight to a form the locale's index lacks, so a side with nothing to find costs
/// nothing).
fn matcher(index: &HelpIndex, ranked: &RankedLocale) -> Result<Matcher> {
    let RankedLocale {
        li,
        searcher,
        english,
        plan,
        term_infos,
        ..
    } = ranked;
    let idf = |searcher: &tantivy::Searcher, terms: &TermInfos, field, text: &str| {
        let docs = searcher.num_docs().max(1) as f32;
        let df = terms.doc_freq(field, text).unwrap_or(0) as f32;
        (1.0 + docs / (df + 1.0)).ln()
    };
    // A term's rarity in the locale's texts.
    let rarity = |text: &str| {
        let [body, steps] = [li.fields.body, li.fields.steps];
        idf(searcher, term_infos, body, text).max(idf(searcher, term_infos, steps, text))
    };
    let mut folded = HashMap::new();
    let mut english_terms = HashMap::new();
    for p in &plan.words {
        let w = &p.word;
        if p.locale_weight > 0.0 {
            let weight = rarity(&w.folded) * p.locale_weight * p.in_steps_choice();
            folded.insert(w.folded.clone(), weight);
            // The other words it stands for (typed bare, or mistyped).
            for b in &w.stands_for {
                let weight = rarity(b) * p.locale_weight * p.in_steps_choice();
                folded.entry(b.clone()).or_insert(weight);
            }
        }
        // The English source counts for the words that are more English than local.
        if let Some(e) = english.as_ref().filter(|_| p.english_weight > 0.0) {
            english_terms.insert(
                w.english.clone(),
                idf(&e.searcher, &e.terms, e.fields.source_en, &w.english)
                    * p.english_weight
                    * p.in_steps_choice(),
            );
        }
    }
    // Two words written as one stand for both.
    for (i, joined) in &plan.joins {
        let weight: f32 = (plan.words[*i..=*i + 1].iter())
            .map(PlannedWord::in_steps_choice)
            .sum();
        (folded.entry(joined.clone())).or_insert(rarity(joined) * weight * query::JOINED);
    }
    // A word written apart is found in its parts.
    for (i, parts) in &plan.apart {
        let weight = plan.words[*i].in_steps_choice() * query::WRITTEN_APART / 2.0;
        for part in parts {
            (folded.entry(part.clone())).or_insert(rarity(part) * weight);
        }
    }
    let vocabulary = match english {
        Some(_) if !english_terms.is_empty() => Some(index.recorded_sources()?),
        _ => None,
    };
    let mut matcher = Matcher::new(li.locale, folded, english_terms, vocabulary);
    let function_words = plan.words.iter().filter(|p| p.function_word);
    matcher.mark_function_words(
        function_words.clone().map(|p| p.word.folded.as_str()),
        function_words.map(|p| p.word.english.as_str()),
    );
    Ok(matcher)
}

/// The English index's document holding the source of the locale's document `address`.
fn english_source_doc(
    index: &HelpIndex,
    english: &English,
    address: DocAddress,
) -> Result<Option<StoredDoc>> {
    english
        .map
        .english(address)
        .map(|source| english.stored.get(source))
        .transpose()
        .map_err(|reason| index.corrupt_english(reason))
}

/// The stored document at `address` of `li`.
fn stored_doc(index: &HelpIndex, li: &LocaleIndex, address: DocAddress) -> Result<StoredDoc> {
    (li.stored.get(address)).map_err(|reason| index.corrupt(li.locale, reason))
}

/// The article stored in `doc`, read in place, with the English source in `source` (a
/// document of the English index) joined when given.
fn stored_article<'a>(
    index: &HelpIndex,
    li: &LocaleIndex,
    doc: &'a StoredDoc,
    source: Option<(&'a StoredDoc, &English)>,
) -> Result<ArticleView<'a>> {
    let corrupt = |what: &str, reason: String| {
        index.corrupt(li.locale, format!("{what} does not decode: {reason}"))
    };
    let stored = (doc.text(li.fields.article))
        .map_err(|reason| corrupt("a stored article", reason))?
        .unwrap_or_default();
    let mut article =
        ArticleView::decode(stored).map_err(|reason| corrupt("a stored article", reason))?;
    if let Some((source, english)) = source {
        let stored = (source.text(english.fields.sources))
            .map_err(|reason| corrupt("an English source", reason))?
            .unwrap_or_default();
        stored::decode_sources(stored)
            .and_then(|sources| article.join_sources(&sources))
            .map_err(|reason| corrupt("an English source", reason))?;
    }
    Ok(article)
}

/// Shapes an article into a hit: its best step and a snippet.
fn hit(
    article: &ArticleView,
    source_terms: Option<&SourceTerms>,
    found: &Found,
    score: f32,
    matcher: &mut Matcher,
    source: bool,
) -> Hit {
    let with_source = |text: &stored::TextView| text.source.filter(|_| source).map(str::to_string);
    let best = highlight::best_step(article, source_terms, Some(found.in_steps), matcher);
    let step = best.as_ref().map(|b| {
        let block = &article.blocks[b.block];
        let n = match block.kind {
            BlockKind::Step { n } => n,
            _ => 0,
        };
        StepMatch {
            n,
            text: block.text.text.to_string(),
            highlights: b.highlights.clone(),
            source: with_source(&block.text),
        }
    });
    let snippet = highlight::snippet(
        article,
        matcher,
        best.as_ref().map(|b| b.block),
        Some(found.in_body),
    )
    .map(|(text, highlights)| Snippet { text, highlights });
    let steps = article
        .steps()
        .map(|(n, text)| StepText {
            n,
            text: text.text.to_string(),
            source: with_source(&text),
        })
        .collect();
    Hit {
        title_source: with_source(&article.title),
        steps,
        also: Vec::new(),
        slug: article.slug.to_string(),
        locale: article.locale,
        title: article.title.text.to_string(),
        score,
        step,
        snippet,
    }
}
