//! Which step of a hit matches the query best, and a snippet with the query words marked.

use std::collections::HashMap;

use super::query::QueryPlan;
use crate::article::BlockKind;
use crate::index::source_terms::{RecordedSources, SourceTerms, TokenSet};
use crate::index::stored::ArticleView;
use crate::language::{is_unspaced_script, AnalyzerKind, Locale, TokenFinder};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 200;
/// Blocks looked at for a snippet: the answer to a help question comes early.
const SNIPPET_BLOCKS: usize = 8;
/// Shorter terms are not matched in steps and snippets (single CJK characters still are).
const MIN_TERM_CHARS: usize = 2;

/// A query term as the matcher knows it: an index into its weights.
pub(crate) type TermId = usize;

/// Finds one analyzer's query terms in text (each thread remembers what each word analyzes
/// to, so the many texts of a query's hits cost little more than cutting them into words).
struct Side {
    finder: TokenFinder<TermId>,
}

impl Side {
    fn new(locale: Locale, kind: AnalyzerKind, terms: Vec<(String, TermId)>) -> Side {
        Side {
            finder: TokenFinder::new(locale, kind, terms),
        }
    }

    /// The id of a term sought.
    fn id_of(&self, term: &str) -> Option<TermId> {
        self.finder.name_of(term)
    }

    /// `text` scored by the `weights` of the terms it has, function words' (`function`)
    /// aside.
    fn score(&mut self, text: &str, weights: &[f32], function: &[bool]) -> Scored {
        let mut highlights = Vec::new();
        let mut terms = Vec::new();
        self.finder.find(text, |id, range| {
            highlights.push(range);
            if !terms.contains(&id) {
                terms.push(id);
            }
        });
        // Added in the order of the terms' ids, not of the text: the same words score the
        // same in any order, so that a text wins a tie over a later one as intended.
        terms.sort_unstable();
        let counted = terms.iter().filter(|t| !function[**t]);
        Scored {
            score: counted.clone().map(|t| weights[*t]).sum(),
            counted: counted.count(),
            highlights: merge_ranges(highlights),
            terms,
        }
    }
}

/// Scores text by the query words it contains.
pub(crate) struct Matcher {
    folded: Side,
    english: Side,
    /// Weight of each term id (rarer terms weigh more); the locale's own terms first, then
    /// the English ones, so that the two never share an id.
    weights: Vec<f32>,
    /// The English terms the sources hold: (vocabulary number, term id), by number.
    english_numbered: Vec<(u32, TermId)>,
    /// Whether each term is a function word's ([`Matcher::mark_function_words`]).
    function: Vec<bool>,
}

/// A scored piece of text: its score and the byte ranges of the query words in it.
#[derive(Default)]
pub(crate) struct Scored {
    /// The weights of the terms found, function words' aside.
    pub score: f32,
    /// How many terms were found, function words' aside.
    pub counted: usize,
    pub highlights: Vec<[usize; 2]>,
    /// The query terms found, each once, by id.
    pub terms: Vec<TermId>,
}

impl Matcher {
    /// A matcher for folded terms of `locale` and English terms, each with its weight;
    /// `english_recorded` numbers the tokens recorded of the English sources
    /// ([`Matcher::english_terms_recorded`]).
    pub fn new(
        locale: Locale,
        terms: HashMap<String, f32>,
        english_terms: HashMap<String, f32>,
        english_recorded: Option<&RecordedSources>,
    ) -> Matcher {
        // One-letter words ("i", "a") are in every text and say little: they do not count.
        let long_enough =
            |t: &String| t.chars().count() >= MIN_TERM_CHARS || t.chars().any(is_unspaced_script);
        let mut weights = Vec::new();
        // Ids in the terms' order (not a hash map's, which changes between runs), so that
        // scores add up the same way every time.
        let mut ids = |terms: HashMap<String, f32>| -> Vec<(String, TermId)> {
            let mut terms: Vec<(String, f32)> =
                terms.into_iter().filter(|(t, _)| long_enough(t)).collect();
            terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            terms
                .into_iter()
                .map(|(t, w)| {
                    weights.push(w);
                    (t, weights.len() - 1)
                })
                .collect()
        };
        let folded = ids(terms);
        let english = ids(english_terms);
        let mut english_numbered: Vec<(u32, TermId)> = english_recorded
            .map(|v| {
                english
                    .iter()
                    .filter_map(|(t, id)| Some((v.number(t)?, *id)))
                    .collect()
            })
            .unwrap_or_default();
        english_numbered.sort_unstable();
        Matcher {
            folded: Side::new(locale, AnalyzerKind::Folded, folded),
            english: Side::new(Locale::ENGLISH, AnalyzerKind::Exact, english),
            function: vec![false; weights.len()],
            weights,
            english_numbered,
        }
    }

    /// Marks the locale's terms `folded` and the English terms `english` as function
    /// words': they count for choosing a step, not for choosing a snippet, whose search
    /// ends at a paragraph with every other word the article's texts have.
    pub fn mark_function_words<'t>(
        &mut self,
        folded: impl IntoIterator<Item = &'t str>,
        english: impl IntoIterator<Item = &'t str>,
    ) {
        let ids: Vec<TermId> = (folded.into_iter().filter_map(|t| self.folded.id_of(t)))
            .chain(english.into_iter().filter_map(|t| self.english.id_of(t)))
            .collect();
        for id in ids {
            self.function[id] = true;
        }
    }

    /// The weight of a term.
    pub fn weight(&self, term: TermId) -> f32 {
        self.weights[term]
    }

    /// Scores text in the article's language.
    pub fn score(&mut self, text: &str) -> Scored {
        self.folded.score(text, &self.weights, &self.function)
    }

    /// How many terms of the locale are sought, function words' aside: text with them all
    /// scores the most for a snippet.
    pub fn terms(&self) -> usize {
        self.folded
            .finder
            .names()
            .filter(|id| !self.function[*id])
            .count()
    }

    /// How many of the locale's terms the words of `plan` in `words` (bit `i` for word
    /// `i`) are: words with the same term count once, words too short to seek not at all.
    pub fn terms_of_words(&self, plan: &QueryPlan, words: u64) -> usize {
        let mut ids: Vec<TermId> = plan
            .words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 && words & 1 << i != 0)
            .flat_map(|(_, p)| {
                let forms = std::iter::once(&p.word.folded).chain(&p.word.stands_for);
                forms.filter_map(|form| self.folded.id_of(form))
            })
            .collect();
        // A word's mark may be its joined form's.
        ids.extend(
            (plan.joins.iter())
                .filter(|(i, _)| *i < 63 && words & (0b11 << i) != 0)
                .filter_map(|(_, joined)| self.folded.id_of(joined)),
        );
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    }

    /// Whether any English term is sought: an article's English source is needed only then.
    pub fn seeks_english(&self) -> bool {
        self.english.finder.names().next().is_some()
    }

    /// Scores English source text.
    pub fn score_english(&mut self, text: &str) -> Scored {
        self.english.score(text, &self.weights, &self.function)
    }

    /// The English terms among the tokens recorded of a source text, by id: those
    /// [`Matcher::score_english`] finds in the text.
    pub fn english_terms_recorded(&self, tokens: TokenSet) -> Vec<TermId> {
        let mut terms = Vec::new();
        let Some(&(last, _)) = self.english_numbered.last() else {
            return terms;
        };
        let mut sought = self.english_numbered.iter().peekable();
        for n in tokens.numbers() {
            if n > last {
                break;
            }
            while sought.next_if(|(m, _)| *m < n).is_some() {}
            if let Some(&(_, id)) = sought.next_if(|(m, _)| *m == n) {
                terms.push(id);
            }
        }
        terms.sort_unstable();
        terms
    }

    /// The English terms of a text's source: from its recorded tokens when `recorded` is
    /// given (`text` is then the index of the text: 0 the title, then the blocks), else
    /// from the source text.
    fn english_terms(
        &mut self,
        recorded: Option<&SourceTerms>,
        text: usize,
        source: Option<&str>,
    ) -> Vec<TermId> {
        match recorded {
            Some(recorded) => {
                let set = match text {
                    0 => recorded.title(),
                    i => recorded.block(i - 1),
                };
                set.map(|set| self.english_terms_recorded(set))
                    .unwrap_or_default()
            }
            None => source
                .map(|source| self.score_english(source).terms)
                .unwrap_or_default(),
        }
    }
}

/// How many of the locale's terms a hit's texts hold, as ranking found them.
pub(crate) struct Found {
    /// In its steps.
    pub in_steps: usize,
    /// In its other texts.
    pub in_body: usize,
}

/// Joins overlapping or touching ranges (bigrams of one word overlap).
fn merge_ranges(mut ranges: Vec<[usize; 2]>) -> Vec<[usize; 2]> {
    ranges.sort_unstable();
    let mut out: Vec<[usize; 2]> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
            _ => out.push(r),
        }
    }
    out
}

/// The best step: its block index, and highlights in its text.
pub(crate) struct BestStep {
    pub block: usize,
    pub highlights: Vec<[usize; 2]>,
}

/// What a query word found in the title counts for in choosing a step.
const IN_TITLE: f32 = 0.25;

/// The step matching the most (and rarest) query words; ties go to the shorter step, then
/// the earlier. `None` when no step contains a query word.
///
/// A word counts for how well it tells the article's steps apart: one in every step, or in
/// the title, says which article this is, not which step.
///
/// English terms are found in the tokens `source_terms` recorded of the article's English
/// source when given, else in the source joined to `article`.
///
/// `in_steps`, when known, is how many of the locale's terms the article's steps have
/// (ranking found them): with none, its steps are not cut into words.
pub(crate) fn best_step(
    article: &ArticleView,
    source_terms: Option<&SourceTerms>,
    in_steps: Option<usize>,
    matcher: &mut Matcher,
) -> Option<BestStep> {
    let local = in_steps != Some(0);
    struct Candidate {
        block: usize,
        len: usize,
        terms: Vec<TermId>,
        highlights: Vec<[usize; 2]>,
    }
    let mut candidates = Vec::new();
    let mut steps = 0usize;
    for (i, block) in article.blocks.iter().enumerate() {
        if !matches!(block.kind, BlockKind::Step { .. }) {
            continue;
        }
        steps += 1;
        let own = if local {
            matcher.score(block.text.text)
        } else {
            Scored::default()
        };
        let mut terms = own.terms;
        terms.extend(matcher.english_terms(source_terms, 1 + i, block.text.source));
        if !terms.is_empty() {
            candidates.push(Candidate {
                block: i,
                len: block.text.text.len(),
                terms,
                highlights: own.highlights,
            });
        }
    }
    if candidates.is_empty() {
        return None;
    }
    let mut in_title = matcher.score(article.title.text).terms;
    in_title.extend(matcher.english_terms(source_terms, 0, article.title.source));
    // How many steps each term is in (each candidate lists a term once), by term id.
    let mut steps_with = vec![0usize; matcher.weights.len()];
    for t in candidates.iter().flat_map(|c| &c.terms) {
        steps_with[*t] += 1;
    }
    let n = steps.max(1) as f32;
    let mut best: Option<(f32, usize, usize)> = None;
    for (k, c) in candidates.iter().enumerate() {
        let score: f32 = c
            .terms
            .iter()
            .map(|t| {
                // 1 for a word in one step only, less the more steps have it.
                let spread = (1.0 + n / steps_with[*t] as f32).ln() / (1.0 + n).ln();
                let title = if in_title.contains(t) { IN_TITLE } else { 1.0 };
                matcher.weight(*t) * spread * title
            })
            .sum();
        let better = match &best {
            None => true,
            Some((s, l, _)) => score > *s + 1e-6 || ((score - *s).abs() <= 1e-6 && c.len < *l),
        };
        if better {
            best = Some((score, c.len, k));
        }
    }
    best.map(|(_, _, k)| {
        let c = candidates.swap_remove(k);
        BestStep {
            block: c.block,
            highlights: c.highlights,
        }
    })
}

/// A snippet: the best matching paragraph other than `skip`, cut around its first match.
///
/// `in_body`, when known, is how many of the locale's terms the article's other texts have
/// (ranking found them): a paragraph with that many ends the search, and with none, no
/// paragraph is cut into words.
pub(crate) fn snippet(
    article: &ArticleView,
    matcher: &mut Matcher,
    skip: Option<usize>,
    in_body: Option<usize>,
) -> Option<(String, Vec<[usize; 2]>)> {
    let mut best: Option<(f32, usize, Vec<[usize; 2]>)> = None;
    let mut first_text = None;
    // Only a higher score replaces the best, so a block with every word ends the search
    // (counted, not summed: sums of the same weights in another order can differ).
    let all_terms = in_body.unwrap_or_else(|| matcher.terms());
    let candidates = article.blocks.iter().enumerate().filter(|(i, b)| {
        Some(*i) != skip
            && !matches!(b.kind, BlockKind::Heading { .. } | BlockKind::Step { .. })
            && !b.text.text.is_empty()
    });
    for (i, block) in candidates.take(SNIPPET_BLOCKS) {
        first_text.get_or_insert(i);
        if all_terms == 0 {
            break;
        }
        let scored = matcher.score(block.text.text);
        if scored.score > best.as_ref().map_or(0.0, |b| b.0) {
            best = Some((scored.score, i, scored.highlights));
            if scored.counted == all_terms {
                break;
            }
        }
    }
    let (block, highlights) = match best {
        Some((_, i, h)) => (i, h),
        None => (first_text?, Vec::new()),
    };
    Some(cut(article.blocks[block].text.text, highlights))
}

/// Cuts `text` to at most [`SNIPPET_CHARS`] around its first highlight, with "…" marks.
fn cut(text: &str, highlights: Vec<[usize; 2]>) -> (String, Vec<[usize; 2]>) {
    if text.chars().count() <= SNIPPET_CHARS {
        return (text.to_string(), highlights);
    }
    let focus = highlights.first().map_or(0, |h| h[0]);
    // Start a little before the first match, at a word boundary.
    let back = text[..focus]
        .char_indices()
        .rev()
        .nth(SNIPPET_CHARS / 4)
        .map_or(0, |(i, _)| i);
    let start = if back == 0 {
        0
    } else {
        text[back..]
            .find(' ')
            .map_or(back, |s| back + s + 1)
            .min(focus)
    };
    let end = text[start..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    let end = if end < text.len() {
        text[start..end].rfind(' ').map_or(end, |s| start + s)
    } else {
        end
    };
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let shift = prefix.len();
    let out = format!("{prefix}{}{suffix}", &text[start..end]);
    let highlights = highlights
        .into_iter()
        .filter(|h| h[0] >= start && h[1] <= end)
        .map(|h| [h[0] - start + shift, h[1] - start + shift])
        .collect();
    (out, highlights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_overlapping_ranges() {
        assert_eq!(
            merge_ranges(vec![[3, 9], [0, 6], [12, 15]]),
            [[0, 9], [12, 15]]
        );
    }

    #[test]
    fn short_text_is_kept_whole() {
        let (s, h) = cut("kort text", vec![[0, 4]]);
        assert_eq!(s, "kort text");
        assert_eq!(h, [[0, 4]]);
    }

    #[test]
    fn long_text_is_cut_around_the_first_match() {
        let text = format!("{} target {}", "word ".repeat(100), "tail ".repeat(100));
        let at = text.find("target").unwrap();
        let (s, h) = cut(&text, vec![[at, at + 6]]);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.chars().count() <= SNIPPET_CHARS + 2);
        assert_eq!(&s[h[0][0]..h[0][1]], "target");
    }

    #[test]
    fn best_step_is_the_one_the_distinguishing_words_point_to() {
        use crate::article::{Article, Block, Text};
        let sv: Locale = "sv".parse().unwrap();
        let text = |t: &str| Text {
            text: t.to_string(),
            source: None,
        };
        let step = |n, t: &str| Block {
            kind: BlockKind::Step { n },
            text: text(t),
            links: Vec::new(),
        };
        let article = Article {
            slug: "import".into(),
            locale: sv,
            title: text("Importera favoriter i Edge"),
            meta: Default::default(),
            blocks: vec![
                step(1, "Öppna Edge och välj favoriter."),
                step(2, "Under Profil väljer du profilen."),
                step(3, "Välj Klar."),
            ],
        };
        // "välja profil … favoriter i edge": step 1 has more of the words, but "favoriter"
        // and "edge" are in the title (they name the article) and "välj" is in every step.
        let terms = ["valj", "profil", "favorit", "edg"].map(|t| (t.to_string(), 1.0));
        let mut m = Matcher::new(sv, HashMap::from(terms), HashMap::new(), None);
        let best = best_step(&ArticleView::of(&article), None, None, &mut m).unwrap();
        assert_eq!(best.block, 1);
        assert_eq!(best.highlights.len(), 3);
    }

    #[test]
    fn snippet_is_the_first_block_with_the_most_words() {
        use crate::article::{Article, Block, Text};
        let sv: Locale = "sv".parse().unwrap();
        let paragraph = |t: &str| Block {
            kind: BlockKind::Paragraph,
            text: Text {
                text: t.to_string(),
                source: None,
            },
            links: Vec::new(),
        };
        let article = |blocks| Article {
            slug: "s".into(),
            locale: sv,
            title: Text {
                text: "Titel".into(),
                source: None,
            },
            meta: Default::default(),
            blocks,
        };
        let terms = ["konto", "stang", "las"].map(|t| (t.to_string(), 1.0));
        let mut m = Matcher::new(sv, HashMap::from(terms), HashMap::new(), None);
        let with =
            |a: &Article, m: &mut Matcher| snippet(&ArticleView::of(a), m, None, None).unwrap().0;
        // The block with more of the words wins over an earlier one.
        let a = article(vec![
            paragraph("Ditt konto."),
            paragraph("Stäng ditt konto."),
            paragraph("Lås och stäng ditt konto."),
        ]);
        assert_eq!(with(&a, &mut m), "Lås och stäng ditt konto.");
        // Of blocks with every word, the first: the search ends there.
        let a = article(vec![
            paragraph("Konto."),
            paragraph("Stäng, lås, konto."),
            paragraph("Konto: lås och stäng."),
        ]);
        assert_eq!(with(&a, &mut m), "Stäng, lås, konto.");

        // Function words do not choose the snippet: without them the first block here
        // has one word, the second two (with them, one each more: a tie the first wins).
        let terms = ["konto", "stang", "och"].map(|t| (t.to_string(), 1.0));
        let mut m = Matcher::new(sv, HashMap::from(terms), HashMap::new(), None);
        let a = article(vec![
            paragraph("Konto och inget."),
            paragraph("Stäng ditt konto."),
        ]);
        assert_eq!(with(&a, &mut m), "Konto och inget.");
        m.mark_function_words(["och"], []);
        assert_eq!(with(&a, &mut m), "Stäng ditt konto.");
        // And count for no word found: "och" is highlighted, but the search goes on.
        let a = article(vec![paragraph("Och konto."), paragraph("Stäng konto.")]);
        assert_eq!(with(&a, &mut m), "Stäng konto.");
    }

    #[test]
    fn english_words_count_the_same_from_recorded_tokens_as_from_the_source() {
        use crate::index::source_terms::Recorder;
        let dir = tempfile::tempdir().unwrap();
        for locale in ["sv-SE", "nl-NL", "lv-LV", "ro-RO", "sl-SI"] {
            let article = crate::article::seed_article(locale);
            let mut recorder = Recorder::default();
            recorder.record(1, &article);
            let file = dir.path().join(locale);
            std::fs::write(&file, recorder.into_file()).unwrap();
            let recorded = RecordedSources::open(&file).unwrap();
            let terms =
                SourceTerms::decode(recorded.recorded(1).unwrap(), 1 + article.blocks.len())
                    .unwrap();
            let view = ArticleView::of(&article);
            for query in [
                "delete users",
                "cancel subscriptions",
                "multifactor authentication azure",
                "close account",
                "no such words",
            ] {
                let english: HashMap<String, f32> = Locale::ENGLISH
                    .token_texts(AnalyzerKind::Exact, query)
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.to_string(), 1.0 + i as f32))
                    .collect();
                let local = HashMap::from([("konto".to_string(), 0.5)]);
                let mut m = Matcher::new(article.locale, local, english, Some(&recorded));
                let from_text =
                    best_step(&view, None, None, &mut m).map(|b| (b.block, b.highlights));
                let from_tokens =
                    best_step(&view, Some(&terms), None, &mut m).map(|b| (b.block, b.highlights));
                assert_eq!(from_tokens, from_text, "{locale}: {query}");
                if query == "delete users" {
                    assert!(from_text.is_some(), "{locale}: the seed's steps say so");
                }
            }
        }
    }

    #[test]
    fn looking_only_for_the_words_a_hit_has_finds_the_same() {
        for locale in ["sv-SE", "nl-NL", "ro-RO"] {
            let article = crate::article::seed_article(locale);
            let view = ArticleView::of(&article);
            // Words of its steps, of its other texts, of both, of neither.
            let words: Vec<String> = article
                .blocks
                .iter()
                .flat_map(|b| b.text.text.split_whitespace().take(2))
                .chain(["zzzz", "qqqq"])
                .map(str::to_string)
                .collect();
            for pair in words.windows(2) {
                let query = pair.join(" ");
                let terms: HashMap<String, f32> = article
                    .locale
                    .token_texts(AnalyzerKind::Folded, &query)
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (t.to_string(), 1.0 + i as f32))
                    .collect();
                let mut m = Matcher::new(article.locale, terms, HashMap::new(), None);
                // What ranking would have found: the terms each kind of text has.
                let has = |m: &mut Matcher, step: bool| -> Vec<TermId> {
                    let mut ids: Vec<TermId> = article
                        .blocks
                        .iter()
                        .filter(|b| matches!(b.kind, BlockKind::Step { .. }) == step)
                        .flat_map(|b| m.score(&b.text.text).terms)
                        .collect();
                    ids.sort_unstable();
                    ids.dedup();
                    ids
                };
                let (in_steps, in_body) = (has(&mut m, true), has(&mut m, false));
                let step = |b: Option<BestStep>| b.map(|b| (b.block, b.highlights));
                assert_eq!(
                    step(best_step(&view, None, Some(in_steps.len()), &mut m)),
                    step(best_step(&view, None, None, &mut m)),
                    "{locale}: {query}"
                );
                assert_eq!(
                    snippet(&view, &mut m, None, Some(in_body.len())),
                    snippet(&view, &mut m, None, None),
                    "{locale}: {query}"
                );
            }
        }
    }

    #[test]
    fn the_same_words_score_the_same_in_any_order() {
        let sv: Locale = "sv".parse().unwrap();
        // Weights whose float sum depends on the order they are added in (in text order,
        // 3 + 3 + 1e8 rounds up and 1e8 + 3 + 3 does not), so that a later paragraph with the
        // same words would outscore an earlier one.
        let terms = HashMap::from([
            ("konto".to_string(), 1e8),
            ("stang".to_string(), 3.0),
            ("las".to_string(), 3.0),
        ]);
        let mut m = Matcher::new(sv, terms, HashMap::new(), None);
        let first = m.score("Konto: lås och stäng.").score;
        let second = m.score("Stäng, lås, konto.").score;
        assert_eq!(first.to_bits(), second.to_bits());
    }

    #[test]
    fn matcher_scores_and_highlights() {
        let sv: Locale = "sv".parse().unwrap();
        let terms = HashMap::from([("konto".to_string(), 1.0), ("stang".to_string(), 2.0)]);
        let mut m = Matcher::new(sv, terms, HashMap::new(), None);
        let s = m.score("Så stänger du ditt konto");
        assert_eq!(s.score, 3.0);
        assert_eq!(s.highlights.len(), 2);
        assert_eq!(m.score("Inget här").score, 0.0);
    }
}
