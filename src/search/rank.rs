//! Ranking: a query's clauses → a locale's best documents, scored term at a time.
//!
//! A locale's index is small (a few thousand articles), so rather than building a tree of
//! tantivy scorers — where each word's postings were read three times, for its own clause,
//! the all-words bonus and the all-in-title bonus — each term's postings are read once into
//! dense per-document arrays, and the three are summed from them in one pass. Scores are
//! tantivy's BM25 (k1 1.2, b 0.75, statistics over the whole index), as its `TermQuery`
//! computes them. Terms of the English source are read from the English index (with its
//! statistics) and land on the locale's documents translated from them.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::rc::Rc;

use rustc_hash::FxHashMap;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::TermInfo;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Searcher, Term};

use crate::error::Result;
use crate::index::store::StoredDocs;
use crate::index::{EnglishFields, EnglishMap};

/// The English index as one locale's ranking sees it.
pub(crate) struct English<'a> {
    pub searcher: Searcher,
    /// Its stored documents (the sources).
    pub stored: &'a StoredDocs,
    pub fields: EnglishFields,
    /// The locale's document of each English document.
    pub map: &'a EnglishMap,
    /// Its terms looked up so far.
    pub terms: TermInfos,
}

/// Each term's entry in every segment of one index, looked up once a search: planning,
/// ranking and the hits' matcher ask for the same few terms, and each lookup walks a term
/// dictionary.
pub(crate) struct TermInfos {
    /// The index's searcher: the entries are of its segments.
    searcher: Searcher,
    /// The index's fields that hold no term: not looked up.
    without_terms: Vec<Field>,
    known: RefCell<Vec<(Field, String, SegmentTermInfos)>>,
}

/// A term's entry in each segment of an index, `None` where it does not occur.
pub(crate) type SegmentTermInfos = Rc<[Option<TermInfo>]>;

impl TermInfos {
    /// Term entries of the segments `searcher` reads, whose index holds no term in the
    /// fields `without_terms`.
    pub fn new(searcher: &Searcher, without_terms: &[Field]) -> TermInfos {
        TermInfos {
            searcher: searcher.clone(),
            without_terms: without_terms.to_vec(),
            known: RefCell::default(),
        }
    }

    /// The entry of `text` in `field` in each segment (`None` where it does not occur).
    pub fn get(&self, field: Field, text: &str) -> Result<SegmentTermInfos> {
        let known = self
            .known
            .borrow()
            .iter()
            .find(|(f, t, _)| *f == field && t == text)
            .map(|(.., infos)| Rc::clone(infos));
        if let Some(infos) = known {
            return Ok(infos);
        }
        let term = Term::from_field_text(field, text);
        let has_terms = self.has_terms(field);
        let infos = self
            .searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                if !has_terms {
                    return Ok(None);
                }
                let info = segment.inverted_index(field)?.get_term_info(&term);
                Ok(info.map_err(tantivy::TantivyError::from)?)
            })
            .collect::<Result<Rc<[_]>>>()?;
        self.known
            .borrow_mut()
            .push((field, text.to_string(), Rc::clone(&infos)));
        Ok(infos)
    }

    /// Whether the index holds any term in `field`.
    pub fn has_terms(&self, field: Field) -> bool {
        !self.without_terms.contains(&field)
    }

    /// How many documents have `text` in `field` (as `Searcher::doc_freq`).
    pub fn doc_freq(&self, field: Field, text: &str) -> Result<u64> {
        let infos = self.get(field, text)?;
        Ok(infos.iter().flatten().map(|t| u64::from(t.doc_freq)).sum())
    }
}

/// BM25's term-frequency saturation.
const K1: f32 = 1.2;
/// BM25's length normalization.
const B: f32 = 0.75;
/// Optional words (function words: "how can I", "hur gör jag för att") add at most this
/// share of what the other words score, unless the title has every word: a question's
/// opening words otherwise raised the articles whose titles are questions ("Hur gör jag
/// för att gå tillbaka …") over those with the words asked about. With 0.5, dev natural and
/// step queries opened by a question (two phrasings a language) went 0.569 → 0.600 and
/// 0.590 → 0.667 (0.686 without one); the dev and title sets kept their figures. 0.25 and
/// 0.35 did better on those and lost a dev query; 0.75 did less well and lost one too.
/// With the all-words bonus lowered (fdb408f) they no longer lose one: 0.3 took the
/// question variants 0.638 → 0.676 (0.695 as written), every other set as it was (0.25
/// to 0.4 did as well, within a query; 0.2 won a product variant and lost a typo one).
const OPTIONAL_SHARE: f32 = 0.3;
/// A word's other matching fields count this much of their score (a disjunction-max tie
/// breaker: the best field decides, the others add a little).
const TIE_BREAKER: f32 = 0.2;

/// One way a word can match: a term of a field, worth `boost` times its BM25 score.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alternative {
    pub field: Field,
    pub text: String,
    pub boost: f32,
    /// Counts towards the all-in-title bonus.
    pub in_title: bool,
    /// A field of the English index, not of the locale's.
    pub english: bool,
    /// What a document matching it tells its hit: [`IN_STEPS`] or [`IN_BODY`] (the word's
    /// form the hit's matcher looks for is in those texts), or 0.
    pub marks: u8,
    /// [`WHOLE`], or which part of the word written apart it is ([`FIRST_PART`],
    /// [`SECOND_PART`]): a document scores the parts only when it has both.
    pub part: u8,
}

/// [`Alternative::part`]: the word itself, or a form of it.
pub(crate) const WHOLE: u8 = 0;
/// [`Alternative::part`]: the first part of a word found written apart ("post" of
/// "postlåda", where a text has "post låda").
pub(crate) const FIRST_PART: u8 = 1;
/// [`Alternative::part`]: the second part of a word found written apart.
pub(crate) const SECOND_PART: u8 = 2;

/// [`Alternative::marks`]: the form hits look for is in the document's steps.
pub(crate) const IN_STEPS: u8 = 1;
/// [`Alternative::marks`]: the form hits look for is in the document's other texts.
pub(crate) const IN_BODY: u8 = 2;

/// A document ranked: its score and address, and which query words (bit `i` for word `i`)
/// the alternatives marked [`IN_STEPS`] and [`IN_BODY`] found in it, so that its hit looks
/// for them only in texts that have them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TopDoc {
    pub score: f32,
    pub address: DocAddress,
    pub in_steps: u64,
    pub in_body: u64,
}

/// What a query asks of the index.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Clauses {
    /// Per query word, its alternatives; a word scores its best alternative plus a little of
    /// the others.
    pub words: Vec<Vec<Alternative>>,
    /// Terms that add their score on their own (the exact forms of words).
    pub extra: Vec<Alternative>,
    /// Words (bit `i` for word `i`) an article need not have to have them all, and that
    /// add at most [`OPTIONAL_SHARE`] of the others' score.
    pub optional: u64,
    /// Words (bit `i` for word `i`) sought as corrections of typos: guesses, which a title
    /// quoted with a typo does not have.
    pub guessed: u64,
    /// An article with every word scores this share of its word scores again (with two words
    /// or more).
    pub all_words: f32,
    /// An article whose title has every word scores this share of its title scores again.
    pub all_in_title: f32,
}

/// BM25 of one field: the tf part of the formula by fieldnorm id, computed once.
struct FieldBm25 {
    /// `k1 · (1 − b + b · fieldnorm / average)` for each fieldnorm id.
    norm: [f32; 256],
}

impl FieldBm25 {
    fn new(searcher: &Searcher, field: Field, docs: u64) -> Result<FieldBm25> {
        let mut tokens = 0u64;
        for segment in searcher.segment_readers() {
            tokens += segment.inverted_index(field)?.total_num_tokens();
        }
        let average = tokens as f32 / docs.max(1) as f32;
        let mut norm = [0.0; 256];
        for (id, n) in norm.iter_mut().enumerate() {
            let fieldnorm = FieldNormReader::id_to_fieldnorm(id as u8) as f32;
            *n = K1 * (1.0 - B + B * fieldnorm / average);
        }
        Ok(FieldBm25 { norm })
    }
}

/// `ln(1 + (N − n + 0.5) / (n + 0.5))`.
fn idf(doc_freq: u64, docs: u64) -> f32 {
    let x = (docs.saturating_sub(doc_freq) as f32 + 0.5) / (doc_freq as f32 + 0.5);
    (1.0 + x).ln()
}

/// One alternative resolved against its index: its field's BM25 and its weight.
struct Resolved {
    /// Which of the fields' BM25; `None` for an English term without the English index,
    /// which finds nothing.
    field_bm25: Option<usize>,
    /// `boost · idf · (1 + k1)`.
    weight: f32,
    /// The term's entry in each segment, `None` where it does not occur.
    term_infos: SegmentTermInfos,
}

/// What one word's alternatives scored in one document: the best and the sum, overall and
/// in the title.
#[derive(Clone, Copy, Default)]
struct WordScore {
    best: f32,
    sum: f32,
    title_best: f32,
    title_sum: f32,
    /// The marks of the alternatives found.
    marks: u8,
}

/// What the parts of a word written apart scored in one document: which parts were found,
/// which in the title, each part's best score overall and in the title, and their marks.
#[derive(Clone, Copy, Default)]
struct PartScores {
    found: u8,
    in_title: u8,
    best: [f32; 2],
    title_best: [f32; 2],
    marks: u8,
}

impl PartScores {
    const BOTH: u8 = FIRST_PART | SECOND_PART;

    fn add(&mut self, alt: &Alternative, score: f32) {
        let k = usize::from(alt.part - 1);
        self.found |= alt.part;
        self.best[k] = self.best[k].max(score);
        self.marks |= alt.marks;
        if alt.in_title {
            self.in_title |= alt.part;
            self.title_best[k] = self.title_best[k].max(score);
        }
    }

    /// With both parts, the word written apart counts as one more alternative of it,
    /// scoring the parts' mean (in the title where the title has both).
    fn add_to(&self, w: &mut WordScore) {
        let score = (self.best[0] + self.best[1]) / 2.0;
        w.best = w.best.max(score);
        w.sum += score;
        w.marks |= self.marks;
        if self.in_title == PartScores::BOTH {
            let title = (self.title_best[0] + self.title_best[1]) / 2.0;
            w.title_best = w.title_best.max(title);
            w.title_sum += title;
        }
    }
}

/// What a query scored in one document so far.
#[derive(Clone, Copy, Default)]
struct DocScore {
    /// Sum of word scores, optional words' aside.
    score: f32,
    /// Sum of optional words' scores.
    optional: f32,
    /// Sum of words' title scores.
    title: f32,
    /// Scores of the extra terms.
    extra: f32,
    /// Which words matched; which matched in the title.
    matched: u64,
    title_matched: u64,
    /// Which words' marked alternatives matched ([`TopDoc`]).
    in_steps: u64,
    in_body: u64,
}

/// Per-document accumulators of one segment, reused from word to word: a record per
/// document, so that a posting touches one place.
struct Scratch {
    /// The current word's scores.
    word: Vec<WordScore>,
    /// The query's scores.
    doc: Vec<DocScore>,
    touched: Vec<bool>,
    /// Documents the current word touched; documents anything touched.
    word_docs: Vec<DocId>,
    any_docs: Vec<DocId>,
}

thread_local! {
    /// The thread's last scratch, zeroed, for its next query: a query touches a few hundred
    /// documents, and zeroing every array of a locale's size cost more than the scoring.
    static SPARE_SCRATCH: RefCell<Option<Scratch>> = const { RefCell::new(None) };
}

impl Scratch {
    /// A zeroed scratch for `max_doc` documents: the thread's spare one when it is big enough.
    fn take(max_doc: usize) -> Scratch {
        SPARE_SCRATCH
            .with(|spare| spare.borrow_mut().take())
            .filter(|s| s.doc.len() >= max_doc)
            .unwrap_or_else(|| Scratch::new(max_doc))
    }

    /// Zeroes what a query touched and keeps the scratch as the thread's spare. (The
    /// per-word records are zeroed after each word already.)
    fn give_back(mut self) {
        for doc in self.any_docs.drain(..) {
            self.doc[doc as usize] = DocScore::default();
            self.touched[doc as usize] = false;
        }
        SPARE_SCRATCH.with(|spare| *spare.borrow_mut() = Some(self));
    }

    fn new(max_doc: usize) -> Scratch {
        Scratch {
            word: vec![WordScore::default(); max_doc],
            doc: vec![DocScore::default(); max_doc],
            touched: vec![false; max_doc],
            word_docs: Vec::new(),
            any_docs: Vec::new(),
        }
    }
}

/// The `limit` best documents for `clauses`, best first (ties: earlier document first).
/// Alternatives in English fields need `english`; without it they find nothing.
pub(crate) fn top_docs(
    searcher: &Searcher,
    english: Option<&English>,
    clauses: &Clauses,
    limit: usize,
    terms: &TermInfos,
) -> Result<Vec<TopDoc>> {
    let num_docs = |searcher: &Searcher| -> u64 {
        searcher
            .segment_readers()
            .iter()
            .map(|s| u64::from(s.max_doc()))
            .sum()
    };
    let (docs, english_docs) = (
        num_docs(searcher),
        english.map_or(0, |e| num_docs(&e.searcher)),
    );
    // Each field's BM25 once, each term's document frequency over the whole of its index.
    let mut fields: Vec<((bool, Field), FieldBm25)> = Vec::new();
    let mut resolve = |alt: &Alternative| -> Result<Resolved> {
        let (searcher, docs, terms) = match (alt.english, english) {
            (false, _) => (searcher, docs, terms),
            (true, Some(e)) => (&e.searcher, english_docs, &e.terms),
            (true, None) => {
                return Ok(Resolved {
                    field_bm25: None,
                    weight: 0.0,
                    term_infos: Rc::new([]),
                })
            }
        };
        let key = (alt.english, alt.field);
        let field_bm25 = match fields.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                fields.push((key, FieldBm25::new(searcher, alt.field, docs)?));
                fields.len() - 1
            }
        };
        // Each segment's entry for the term, looked up once: its document frequency here,
        // where its postings are below.
        let term_infos = terms.get(alt.field, &alt.text)?;
        let doc_freq = term_infos
            .iter()
            .flatten()
            .map(|t| u64::from(t.doc_freq))
            .sum();
        Ok(Resolved {
            field_bm25: Some(field_bm25),
            weight: alt.boost * idf(doc_freq, docs) * (1.0 + K1),
            term_infos,
        })
    };
    let words: Vec<Vec<Resolved>> = clauses
        .words
        .iter()
        .map(|alts| alts.iter().map(&mut resolve).collect())
        .collect::<Result<_>>()?;
    let extra: Vec<Resolved> = clauses.extra.iter().map(resolve).collect::<Result<_>>()?;
    // Words without alternatives (typos with no near spelling) are not required, nor are
    // optional ones.
    let all: u64 = clauses
        .words
        .iter()
        .enumerate()
        .filter(|(_, alts)| !alts.is_empty())
        .fold(0, |mask, (i, _)| mask | 1 << i)
        & !clauses.optional;
    // A title with every word (corrections aside) is quoted: its optional words count.
    let quoted: u64 = (all | clauses.optional) & !clauses.guessed;
    let required_words = all.count_ones();

    let mut best = Best::new(limit);
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let mut s = Scratch::take(segment.max_doc() as usize);
        // Reads a term's postings, handing `each` its live documents and their scores a
        // block at a time.
        let mut mapped_docs = [0 as DocId; POSTINGS_BLOCK];
        let mut mapped_scores = [0f32; POSTINGS_BLOCK];
        let mut postings = |alt: &Alternative,
                            r: &Resolved,
                            each: &mut dyn FnMut(&[DocId], &[f32])|
         -> Result<()> {
            let Some(norm) = r.field_bm25.map(|i| &fields[i].1.norm) else {
                return Ok(());
            };
            let english = english.filter(|_| alt.english);
            let Some(e) = english else {
                return match &r.term_infos[segment_ord] {
                    Some(info) => scored_postings(segment, alt.field, info, r.weight, norm, each),
                    None => Ok(()),
                };
            };
            // The English documents' postings, on the locale's documents of this segment.
            for (e_ord, e_segment) in e.searcher.segment_readers().iter().enumerate() {
                let Some(info) = &r.term_infos[e_ord] else {
                    continue;
                };
                scored_postings(e_segment, alt.field, info, r.weight, norm, &mut |d, sc| {
                    // At most as many as `d`: a block of postings.
                    let mut n = 0;
                    for (&doc, &score) in d.iter().zip(sc) {
                        match e.map.local(e_ord, doc) {
                            Some(a) if a.segment_ord as usize == segment_ord => {
                                mapped_docs[n] = a.doc_id;
                                mapped_scores[n] = score;
                                n += 1;
                            }
                            _ => {}
                        }
                    }
                    each(&mapped_docs[..n], &mapped_scores[..n]);
                })?;
            }
            Ok(())
        };
        for (i, (alts, resolved)) in clauses.words.iter().zip(&words).enumerate() {
            let of_word = || alts.iter().zip(resolved);
            // The parts of the word written apart, by document: few documents have both.
            let mut apart: FxHashMap<DocId, PartScores> = FxHashMap::default();
            for (alt, r) in of_word().filter(|(alt, _)| alt.part != WHOLE) {
                postings(alt, r, &mut |docs, scores| {
                    for (&doc, &score) in docs.iter().zip(scores) {
                        apart.entry(doc).or_default().add(alt, score);
                    }
                })?;
            }
            for (doc, parts) in apart {
                if parts.found == PartScores::BOTH {
                    let w = &mut s.word[doc as usize];
                    if w.sum == 0.0 && w.title_sum == 0.0 {
                        s.word_docs.push(doc);
                    }
                    parts.add_to(w);
                }
            }
            for (alt, r) in of_word().filter(|(alt, _)| alt.part == WHOLE) {
                postings(alt, r, &mut |docs, scores| {
                    for (&doc, &score) in docs.iter().zip(scores) {
                        let w = &mut s.word[doc as usize];
                        if w.sum == 0.0 && w.title_sum == 0.0 {
                            s.word_docs.push(doc);
                        }
                        w.best = w.best.max(score);
                        w.sum += score;
                        // A posting scores above 0, so its document is in `word_docs`,
                        // where the record is taken back.
                        if score > 0.0 {
                            w.marks |= alt.marks;
                        }
                        if alt.in_title {
                            w.title_best = w.title_best.max(score);
                            w.title_sum += score;
                        }
                    }
                })?;
            }
            // Taken and put back, keeping its room for the next word.
            let word_docs = std::mem::take(&mut s.word_docs);
            for &doc in &word_docs {
                let d = doc as usize;
                let w = std::mem::take(&mut s.word[d]);
                let t = &mut s.doc[d];
                let word_score = w.best + (w.sum - w.best) * TIE_BREAKER;
                if clauses.optional & 1 << i != 0 {
                    t.optional += word_score;
                } else {
                    t.score += word_score;
                }
                t.matched |= 1 << i;
                if w.marks & IN_STEPS != 0 {
                    t.in_steps |= 1 << i;
                }
                if w.marks & IN_BODY != 0 {
                    t.in_body |= 1 << i;
                }
                if w.title_sum > 0.0 {
                    t.title += w.title_best + (w.title_sum - w.title_best) * TIE_BREAKER;
                    t.title_matched |= 1 << i;
                }
                if !s.touched[d] {
                    s.touched[d] = true;
                    s.any_docs.push(doc);
                }
            }
            s.word_docs = word_docs;
            s.word_docs.clear();
        }
        for (alt, r) in clauses.extra.iter().zip(&extra) {
            postings(alt, r, &mut |docs, scores| {
                for (&doc, &score) in docs.iter().zip(scores) {
                    let d = doc as usize;
                    s.doc[d].extra += score;
                    if !s.touched[d] {
                        s.touched[d] = true;
                        s.any_docs.push(doc);
                    }
                }
            })?;
        }
        for &doc in &s.any_docs {
            let t = &s.doc[doc as usize];
            // Optional words count in full only in a title quoted.
            let optional = if t.title_matched & quoted == quoted {
                t.optional
            } else {
                t.optional.min(OPTIONAL_SHARE * t.score)
            };
            let mut score = t.score + optional + t.extra;
            if required_words >= 2 && t.matched & all == all {
                score += clauses.all_words * (t.score + t.optional);
            }
            if required_words >= 1 && t.title_matched & all == all {
                score += clauses.all_in_title * t.title;
            }
            best.offer(TopDoc {
                score,
                address: DocAddress::new(segment_ord as u32, doc),
                in_steps: t.in_steps,
                in_body: t.in_body,
            });
        }
        s.give_back();
    }
    Ok(best.into_sorted())
}

/// Whether `a` ranks above `b` (`Less`): the higher score, then the earlier document.
fn by_rank(a: &TopDoc, b: &TopDoc) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.address.cmp(&b.address))
}

/// The best few of the documents offered. A query's words touch thousands of documents:
/// keeping the best as they come costs most of them one comparison, where choosing the
/// best of all at the end cost 5 % of a query's instructions.
struct Best {
    limit: usize,
    /// The worst kept on top.
    kept: BinaryHeap<Ranked>,
}

/// A document ordered by [`by_rank`]: the greater ranks lower.
struct Ranked(TopDoc);

impl PartialEq for Ranked {
    fn eq(&self, other: &Ranked) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Ranked) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Ranked) -> Ordering {
        by_rank(&self.0, &other.0)
    }
}

impl Best {
    fn new(limit: usize) -> Best {
        Best {
            limit,
            kept: BinaryHeap::with_capacity(limit + 1),
        }
    }

    fn offer(&mut self, doc: TopDoc) {
        if self.kept.len() < self.limit {
            self.kept.push(Ranked(doc));
        } else if let Some(mut worst) = self.kept.peek_mut() {
            if by_rank(&doc, &worst.0) == Ordering::Less {
                *worst = Ranked(doc);
            }
        }
    }

    /// The kept documents, best first.
    fn into_sorted(self) -> Vec<TopDoc> {
        self.kept
            .into_sorted_vec()
            .into_iter()
            .map(|r| r.0)
            .collect()
    }
}

/// Documents in a block of postings (tantivy's compression block).
const POSTINGS_BLOCK: usize = 128;

/// Reads a term's postings a block at a time, handing `each` the live documents of each
/// block with their scores (`weight · tf / (tf + norm)`): one call per block of 128
/// rather than per document.
fn scored_postings(
    segment: &tantivy::SegmentReader,
    field: Field,
    info: &TermInfo,
    weight: f32,
    norm: &[f32; 256],
    each: &mut dyn FnMut(&[DocId], &[f32]),
) -> Result<()> {
    let mut postings = segment
        .inverted_index(field)?
        .read_block_postings_from_terminfo(info, IndexRecordOption::WithFreqs)
        .map_err(tantivy::TantivyError::from)?;
    let fieldnorms = segment.get_fieldnorms_reader(field)?;
    let alive = segment.alive_bitset();
    let mut docs = [0 as DocId; POSTINGS_BLOCK];
    let mut scores = [0f32; POSTINGS_BLOCK];
    loop {
        let block = postings.docs();
        if block.is_empty() {
            return Ok(());
        }
        let mut n = 0;
        for (&doc, &tf) in block.iter().zip(postings.freqs()) {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let tf = tf as f32;
                docs[n] = doc;
                scores[n] = weight * tf / (tf + norm[fieldnorms.fieldnorm_id(doc) as usize]);
                n += 1;
                // Never with tantivy's blocks of 128; handed on rather than lost if so.
                if n == POSTINGS_BLOCK {
                    each(&docs, &scores);
                    n = 0;
                }
            }
        }
        each(&docs[..n], &scores[..n]);
        postings.advance();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index};

    /// The best ten documents of `clauses` in an index with terms in every field.
    fn top_ten(searcher: &Searcher, clauses: &Clauses) -> Result<Vec<TopDoc>> {
        top_docs(searcher, None, clauses, 10, &TermInfos::new(searcher, &[]))
    }

    /// A searcher over a `title` and a `body` field, with a document per (title, body).
    fn title_and_body_index(docs: &[(&str, &str)]) -> (Searcher, Field, Field) {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        for (t, b) in docs {
            writer.add_document(doc!(title => *t, body => *b)).unwrap();
        }
        writer.commit().unwrap();
        (index.reader().unwrap().searcher(), title, body)
    }

    /// An alternative of the locale's fields; a body's marks [`IN_BODY`].
    fn alternative(field: Field, text: &str, boost: f32, in_title: bool) -> Alternative {
        Alternative {
            field,
            text: text.into(),
            boost,
            in_title,
            english: false,
            marks: if in_title { 0 } else { IN_BODY },
            part: WHOLE,
        }
    }

    #[test]
    fn the_best_kept_are_the_first_of_all_sorted() {
        // Scores with ties (broken by the earlier document), offered in a scrambled order.
        let docs: Vec<TopDoc> = (0..200u32)
            .map(|i| TopDoc {
                score: ((i * 37) % 23) as f32,
                address: DocAddress::new(i % 3, (i * 101) % 211),
                in_steps: 0,
                in_body: 0,
            })
            .collect();
        let mut sorted = docs.clone();
        sorted.sort_by(by_rank);
        for limit in [0, 1, 5, 13, 199, 200, 300] {
            let mut best = Best::new(limit);
            for doc in &docs {
                best.offer(*doc);
            }
            let expected: Vec<TopDoc> = sorted.iter().take(limit).copied().collect();
            assert_eq!(best.into_sorted(), expected, "limit {limit}");
        }
    }

    /// The same clauses as a tree of tantivy queries: what the ranker must agree with.
    fn tantivy_query(c: &Clauses) -> Box<dyn Query> {
        let term = |a: &Alternative| -> Box<dyn Query> {
            let t = Term::from_field_text(a.field, &a.text);
            let q = TermQuery::new(t, IndexRecordOption::WithFreqs);
            Box::new(BoostQuery::new(Box::new(q), a.boost))
        };
        let word = |alts: Vec<&Alternative>| -> Box<dyn Query> {
            let alts = alts.into_iter().map(term).collect();
            Box::new(DisjunctionMaxQuery::with_tie_breaker(alts, TIE_BREAKER))
        };
        let all = |words: Vec<Box<dyn Query>>, boost| -> (Occur, Box<dyn Query>) {
            let must = words.into_iter().map(|q| (Occur::Must, q)).collect();
            let q = Box::new(BooleanQuery::new(must));
            (Occur::Should, Box::new(BoostQuery::new(q, boost)))
        };
        let words: Vec<_> = c.words.iter().map(|a| word(a.iter().collect())).collect();
        let titles = c
            .words
            .iter()
            .map(|a| word(a.iter().filter(|a| a.in_title).collect()))
            .collect();
        let mut clauses = vec![all(
            words.iter().map(|q| q.box_clone()).collect(),
            c.all_words,
        )];
        clauses.push(all(titles, c.all_in_title));
        clauses.extend(words.into_iter().map(|q| (Occur::Should, q)));
        clauses.extend(c.extra.iter().map(|a| (Occur::Should, term(a))));
        Box::new(BooleanQuery::new(clauses))
    }

    #[test]
    fn term_infos_are_looked_up_once_and_count_as_tantivy_counts() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let title = schema.add_text_field("title", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        // Two segments: a term's entries are one per segment.
        for batch in [&["close account", "close"][..], &["account", "close it"]] {
            for text in batch {
                writer.add_document(doc!(body => *text)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let terms = TermInfos::new(&searcher, &[]);
        for (field, text) in [
            (body, "close"),
            (body, "account"),
            (body, "none"),
            (title, "close"),
        ] {
            let expected = searcher
                .doc_freq(&Term::from_field_text(field, text))
                .unwrap();
            assert_eq!(terms.doc_freq(field, text).unwrap(), expected);
        }
        assert_eq!(terms.doc_freq(body, "close").unwrap(), 3);
        let once = terms.get(body, "close").unwrap();
        assert!(Rc::ptr_eq(&once, &terms.get(body, "close").unwrap()));
        assert_eq!(terms.known.borrow().len(), 4);
    }

    #[test]
    fn a_word_written_apart_counts_only_with_both_parts() {
        let (searcher, title, body) = title_and_body_index(&[
            ("postlada", "x"),
            ("post lada", "x"),
            ("post office", "x"),
            ("lada", "x"),
            ("post", "lada"),
        ]);
        let part = |text: &str, field, part| Alternative {
            part,
            ..alternative(field, text, 1.0, field == title)
        };
        let word = vec![
            alternative(title, "postlada", 1.0, true),
            part("post", title, FIRST_PART),
            part("lada", title, SECOND_PART),
            part("post", body, FIRST_PART),
            part("lada", body, SECOND_PART),
        ];
        let ranked = |words: Vec<Vec<Alternative>>| -> Vec<(u32, f32)> {
            let clauses = Clauses {
                words,
                ..Clauses::default()
            };
            let top = top_ten(&searcher, &clauses).unwrap();
            top.iter().map(|d| (d.address.doc_id, d.score)).collect()
        };
        let found = ranked(vec![word.clone()]);
        let mut docs: Vec<u32> = found.iter().map(|(d, _)| *d).collect();
        docs.sort_unstable();
        // One part alone ("post office", "lada") is not the word; parts in two fields are.
        assert_eq!(docs, [0, 1, 4]);
        // Both parts in the title score their mean, as an alternative of the word.
        let alone = |text| ranked(vec![vec![alternative(title, text, 1.0, true)]]);
        let of_doc_1 = |found: &[(u32, f32)]| found.iter().find(|(d, _)| *d == 1).unwrap().1;
        let mean = (of_doc_1(&alone("post")) + of_doc_1(&alone("lada"))) / 2.0;
        assert!((of_doc_1(&found) - mean).abs() < 1e-4, "{found:?} {mean}");
    }

    #[test]
    fn an_optional_word_is_not_needed_for_the_all_words_bonus() {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        for text in ["close account", "close account how", "close"] {
            writer.add_document(doc!(body => text)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let word = |text: &str| {
            vec![Alternative {
                field: body,
                text: text.into(),
                boost: 1.0,
                in_title: false,
                english: false,
                marks: 0,
                part: WHOLE,
            }]
        };
        let rank = |optional| {
            let clauses = Clauses {
                words: vec![word("close"), word("account"), word("how")],
                extra: Vec::new(),
                optional,
                guessed: 0,
                all_words: 1.0,
                all_in_title: 0.0,
            };
            let top = top_ten(&searcher, &clauses).unwrap();
            top.iter()
                .map(|d| (d.address.doc_id, d.score))
                .collect::<Vec<_>>()
        };
        // "how" required: only the second document has every word.
        let required = rank(0);
        assert_eq!(required[0].0, 1);
        // "how" optional: the first two have every required word and get the bonus (the
        // second still scores "how").
        let optional = rank(0b100);
        assert_eq!(optional.iter().map(|d| d.0).collect::<Vec<_>>(), [1, 0, 2]);
        let without_bonus = required.iter().find(|d| d.0 == 0).unwrap().1;
        let with_bonus = optional.iter().find(|d| d.0 == 0).unwrap().1;
        assert!((with_bonus - 2.0 * without_bonus).abs() < 1e-4);
    }

    #[test]
    fn optional_words_add_at_most_a_share_of_the_others_unless_the_title_has_all() {
        // A question's words in a title, the word asked about in the body; the word asked
        // about in a title; and every word in a title.
        let (searcher, title, body) = title_and_body_index(&[
            ("how can i go back", "account"),
            ("close account", "account"),
            ("other", "other"),
            ("other", "other"),
            ("how can i close account", "account"),
        ]);
        let word = |text: &str| {
            vec![
                alternative(title, text, 2.0, true),
                alternative(body, text, 1.0, false),
            ]
        };
        let optional = |text: &str| vec![alternative(title, text, 2.0, true)];
        let clauses = Clauses {
            words: vec![
                optional("how"),
                optional("can"),
                optional("i"),
                word("account"),
            ],
            extra: Vec::new(),
            optional: 0b111,
            guessed: 0,
            all_words: 1.0,
            all_in_title: 0.5,
        };
        let top = top_ten(&searcher, &clauses).unwrap();
        let order: Vec<u32> = top.iter().map(|d| d.address.doc_id).collect();
        assert_eq!(order, [4, 1, 0]);
        // The question's words add their share of the score of "account" in the first
        // one's body.
        let account = |d: u32| {
            let only = Clauses {
                words: vec![word("account")],
                optional: 0,
                ..clauses.clone()
            };
            let top = top_ten(&searcher, &only);
            let top = top.unwrap();
            top.iter().find(|t| t.address.doc_id == d).unwrap().score
        };
        let first = top.iter().find(|t| t.address.doc_id == 0).unwrap().score;
        assert!(
            (first - (1.0 + OPTIONAL_SHARE) * account(0)).abs() < 1e-4,
            "{first}"
        );
        // With "account" a typo's correction (a guess), a title with every other word is
        // quoted: its optional words count in full.
        let guessed = Clauses {
            guessed: 0b1000,
            ..clauses.clone()
        };
        let top = top_ten(&searcher, &guessed).unwrap();
        let quoted = top.iter().find(|t| t.address.doc_id == 0).unwrap().score;
        assert!(quoted > first + account(0), "{quoted} against {first}");
    }

    #[test]
    fn scores_as_the_equivalent_tantivy_query_does() {
        let docs = [
            (
                "close your account",
                "before you close it cancel the subscription",
            ),
            (
                "cancel a subscription",
                "cancel cancel the subscription in the admin center",
            ),
            ("account settings", "change the settings of your account"),
            (
                "reset a password",
                "nothing about the other words here at all",
            ),
            ("close account and subscription", "close"),
        ];
        let (searcher, title, body) = title_and_body_index(&docs);
        let word = |text: &str| {
            vec![
                alternative(title, text, 2.0, true),
                alternative(body, text, 1.0, false),
            ]
        };
        let clauses = Clauses {
            words: vec![word("close"), word("account"), word("subscription")],
            extra: vec![alternative(body, "cancel", 0.3, false)],
            optional: 0,
            guessed: 0,
            all_words: 1.0,
            all_in_title: 0.5,
        };
        let ours = top_ten(&searcher, &clauses).unwrap();
        let theirs = searcher
            .search(
                &tantivy_query(&clauses),
                &TopDocs::with_limit(10).order_by_score(),
            )
            .unwrap();
        assert_eq!(
            ours.len(),
            4,
            "the article with none of the words is not found"
        );
        assert_eq!(ours.len(), theirs.len());
        for (ours, (t, b)) in ours.iter().zip(&theirs) {
            assert_eq!(ours.address, *b);
            let s = ours.score;
            assert!((s - t).abs() < 1e-4 * t.abs(), "{s} vs {t}");
        }
        // The one with every word in its title comes first.
        assert_eq!(ours[0].address.doc_id, 4);
        // Each document's marks name the words its body has ("close" = bit 0, …).
        let bodies: Vec<u64> = ours.iter().map(|d| d.in_body).collect();
        let expected: Vec<u64> = ours
            .iter()
            .map(|d| {
                let body = docs[d.address.doc_id as usize].1;
                ["close", "account", "subscription"]
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| body.split(' ').any(|b| b == **w))
                    .fold(0, |m, (i, _)| m | 1 << i)
            })
            .collect();
        assert_eq!(bodies, expected);
        assert!(ours.iter().all(|d| d.in_steps == 0));
        let terms = TermInfos::new(&searcher, &[]);
        assert_eq!(
            top_docs(&searcher, None, &clauses, 2, &terms).unwrap(),
            ours[..2]
        );
    }
}
