//! Which indexed language a query is in.
//!
//! whatlang alone guesses poorly on two-word queries and cannot tell close languages apart
//! (da/nb/sv, hr/sr), so its guess is one piece of evidence; the other is the index itself:
//! which locales' text contains the query's words, rarer words telling more.

use std::rc::Rc;

use super::query::MAX_QUERY_TERMS;
use crate::error::Result;
use crate::index::{locale_bit as bit, HelpIndex, LocaleSet};
use crate::language::{AnalyzerKind, Locale};

/// How much whatlang's guess adds, scaled by its confidence.
const WHATLANG_WEIGHT: f32 = 0.35;
/// Locales scoring at least this share of the best one are searched too.
const CLOSE_CALL: f32 = 0.8;
/// At most this many locales are searched for one query.
const MAX_CANDIDATES: usize = 3;

/// The languages whatlang is asked to choose among, given each locale's evidence from the
/// lexicon; `None` when the lexicon has decided. whatlang adds at most [`WHATLANG_WEIGHT`]
/// to a locale, so only locales within that of a close call of the best can become
/// candidates: when the best is the only one, whatlang cannot change the outcome, and
/// otherwise it chooses among their languages alone (its trigram comparison, the costliest
/// part of detection, costs a language each).
fn whatlang_choices(scores: &[(Locale, f32)]) -> Option<Vec<whatlang::Lang>> {
    let first = scores.iter().map(|s| s.1).fold(0.0, f32::max);
    let contending = scores
        .iter()
        .filter(|(_, s)| s + WHATLANG_WEIGHT >= first * CLOSE_CALL);
    if first > 0.0 && contending.clone().count() == 1 {
        return None;
    }
    let mut languages = Vec::new();
    for (l, _) in contending {
        let lang = l.language().detector;
        if !languages.contains(&lang) {
            languages.push(lang);
        }
    }
    Some(languages)
}

/// The locales to search, most likely first, each with its evidence (best = 1.0); none
/// when nothing in the query tells a language.
pub(crate) fn candidates(index: &HelpIndex, query: &str) -> Result<Vec<(Locale, f32)>> {
    let locales: Vec<Locale> = index.languages().map(|(l, _)| l).collect();
    // For each locale, which of the query's words its text contains, from the lexicon
    // (no locale index is opened).
    let lexicon = index.lexicon()?;
    // Many locales make the same token of a word ("outlook", "mfa"): each is looked up once.
    let mut looked_up: Vec<(Rc<str>, LocaleSet)> = Vec::new();
    let mut known: Vec<Vec<bool>> = Vec::with_capacity(locales.len());
    for &locale in &locales {
        let present = locale
            .token_texts(AnalyzerKind::Folded, query)
            .into_iter()
            .take(MAX_QUERY_TERMS)
            .map(|token| {
                let set = match looked_up.iter().find(|(t, _)| *t == token) {
                    Some((_, set)) => *set,
                    None => {
                        let set = lexicon.locales_of(&token);
                        looked_up.push((token, set));
                        set
                    }
                };
                set & bit(locale) != 0
            })
            .collect();
        known.push(present);
    }
    let words = known.iter().map(Vec::len).max().unwrap_or(0);
    // A word found in fewer locales is better evidence.
    let spread: Vec<usize> = (0..words)
        .map(|i| known.iter().filter(|k| k.get(i) == Some(&true)).count())
        .collect();
    let mut scores: Vec<(Locale, f32)> = locales
        .iter()
        .zip(&known)
        .map(|(&l, k)| {
            let evidence: f32 = k
                .iter()
                .zip(&spread)
                .filter(|(present, _)| **present)
                .map(|(_, &n)| 1.0 / n as f32)
                .sum();
            (l, evidence / words.max(1) as f32)
        })
        .collect();

    let guess = whatlang_choices(&scores)
        .and_then(|languages| whatlang::Detector::with_allowlist(languages).detect(query));
    if let Some(info) = guess {
        for (l, score) in &mut scores {
            if l.language().detector == info.lang() {
                *score += WHATLANG_WEIGHT * info.confidence() as f32;
            }
        }
    }

    scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let best = scores.first().map_or(0.0, |s| s.1);
    // Neither the index nor whatlang knows a word of it ("???"): no language to search.
    if best <= 0.0 {
        return Ok(Vec::new());
    }
    Ok(scores
        .into_iter()
        .take_while(|(_, s)| *s >= best * CLOSE_CALL)
        .take(MAX_CANDIDATES)
        .map(|(l, s)| (l, s / best))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whatlang_chooses_only_among_locales_that_could_become_candidates() {
        let l = |code: &str| code.parse::<Locale>().unwrap();
        let lang = |code: &str| l(code).language().detector;
        // Within WHATLANG_WEIGHT of a close call of the best (0.8 × 1.0): nb and da, not lv.
        let scores = [
            (l("sv"), 1.0),
            (l("nb"), 0.5),
            (l("da"), 0.46),
            (l("lv"), 0.4),
        ];
        let choices = whatlang_choices(&scores).unwrap();
        assert_eq!(choices, [lang("sv"), lang("nb"), lang("da")]);
        // The best far ahead: whatlang is not asked.
        assert_eq!(whatlang_choices(&[(l("sv"), 1.0), (l("lv"), 0.1)]), None);
        // Two locales of one language in contention: asked (its word raises both).
        let choices = whatlang_choices(&[(l("pt-BR"), 1.0), (l("pt-PT"), 0.9), (l("sv"), 0.1)]);
        assert_eq!(choices.unwrap(), [lang("pt-BR")]);
        // No evidence at all: asked about every language, even a single one.
        let choices = whatlang_choices(&[(l("sv"), 0.0), (l("lv"), 0.0)]);
        assert_eq!(choices.unwrap().len(), 2);
        assert_eq!(whatlang_choices(&[(l("sv"), 0.0)]).unwrap().len(), 1);
    }

    #[test]
    fn a_query_is_searched_in_the_locales_its_words_tell_and_nowhere_without_words() {
        // Built from the seeds: Latvian's words are in no other seed locale.
        let dir = tempfile::tempdir().unwrap();
        crate::build_index(dir.path(), &[crate::Source::BuiltinSeeds], &()).unwrap();
        let index = HelpIndex::open(dir.path()).unwrap();
        let found = candidates(&index, "slēgt kontu").unwrap();
        assert_eq!(found, [("lv".parse().unwrap(), 1.0)]);
        assert_eq!(candidates(&index, "??? ...").unwrap(), []);
    }
}
