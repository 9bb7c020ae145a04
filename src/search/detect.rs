//! Which indexed language a query is in.
//!
//! whatlang alone guesses poorly on two-word queries and cannot tell close languages apart
//! (da/nb/sv, hr/sr), so its guess is one piece of evidence; the other is the index itself:
//! which locales' text contains the query's words and how often, rarer words telling more,
//! and for a word none has (a typo), which locales' text has a word one edit from it.

use std::rc::Rc;

use super::edits::WithinEdits;
use super::query::{title_spellings_near, MAX_QUERY_TERMS};
use crate::error::Result;
use crate::index::lexicon::Lexicon;
use crate::index::{HelpIndex, TermLocales};
use crate::language::{AnalyzerKind, Locale};

/// How much whatlang's guess adds, scaled by its confidence.
const WHATLANG_WEIGHT: f32 = 0.35;
/// Locales scoring at least this share of the best one are searched too.
const CLOSE_CALL: f32 = 0.8;
/// At most this many locales are searched for one query.
const MAX_CANDIDATES: usize = 3;
/// Words shorter than this are not looked for one edit away: too many words are. Four, as
/// in correcting typos (one letter left out of five leaves four): with five, the detected
/// title typo variants did 0 to 0.6 points less well.
const MIN_NEAR_LETTERS: usize = 4;
/// How a locale's presence of a word grows with its articles that have it, relative to the
/// locale that has it most: a word in 3 of one locale's articles (a quoted Spanish phrase)
/// and in 46 of another's is mostly the other's. The square root: on the dev and title
/// sets with detection, powers from 0.2 to 0.5 all did better than presence alone (1 or 0),
/// 1.0 less well.
const FREQUENCY_POWER: f32 = 0.5;

/// For each locale, how much its text has each of its tokens of the query's words
/// (`tokens`, by locale), by `locales_of`: 0 where not at all, else [`relative`] to the
/// locale with the most articles with it. Many locales make the same token of a word
/// ("outlook", "mfa"): each is looked up once. Every analyzer keeps the same words; should
/// one not, its missing ones are not found.
fn presence<'l>(
    locales: &[Locale],
    tokens: &[Vec<Rc<str>>],
    locales_of: impl Fn(&str) -> TermLocales<'l>,
) -> Vec<Vec<f32>> {
    let words = tokens.iter().map(Vec::len).max().unwrap_or(0);
    let mut looked_up: Vec<(Rc<str>, TermLocales)> = Vec::new();
    let mut found: Vec<Vec<f32>> = (locales.iter().zip(tokens))
        .map(|(&locale, tokens)| {
            let mut found: Vec<f32> = (tokens.iter())
                .map(|token| {
                    let term = match looked_up.iter().find(|(t, _)| t == token) {
                        Some((_, term)) => *term,
                        None => {
                            let term = locales_of(token);
                            looked_up.push((Rc::clone(token), term));
                            term
                        }
                    };
                    term.doc_freq(locale)
                })
                .collect();
            found.resize(words, 0.0);
            found
        })
        .collect();
    relative(&mut found);
    found
}

/// Each locale's articles with each word (`found`, by locale) as a share of the most any
/// locale has, to the [`FREQUENCY_POWER`]: 1 for the locale with the most.
fn relative(found: &mut [Vec<f32>]) {
    let words = found.first().map_or(0, Vec::len);
    for i in 0..words {
        relative_column(found, i);
    }
}

/// [`relative`] for word `i` alone.
fn relative_column(found: &mut [Vec<f32>], i: usize) {
    let most = found.iter().map(|f| f[i]).fold(0.0, f32::max);
    for f in found.iter_mut().filter(|f| f[i] > 0.0) {
        f[i] = (f[i] / most).powf(FREQUENCY_POWER);
    }
}

/// Each locale's evidence from what it has of each word (`found`, by locale): its share of
/// what all locales have of the word, so that a word found in fewer locales is better
/// evidence; averaged over the words.
fn scores_of(locales: &[Locale], found: &[Vec<f32>]) -> Vec<(Locale, f32)> {
    let words = found.first().map_or(0, Vec::len);
    let spread: Vec<f32> = (0..words)
        .map(|i| found.iter().map(|f| f[i]).sum())
        .collect();
    (locales.iter().zip(found))
        .map(|(&locale, found)| {
            let evidence: f32 = (found.iter().zip(&spread))
                .filter(|(f, _)| **f > 0.0)
                .map(|(f, n)| f / n)
                .sum();
            (locale, evidence / words.max(1) as f32)
        })
        .collect()
}

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
    let mut tokens = Locale::token_texts_each(&locales, AnalyzerKind::Folded, query);
    for tokens in &mut tokens {
        tokens.truncate(MAX_QUERY_TERMS);
    }
    // How much each locale's text has each word's stem.
    let mut found = presence(&locales, &tokens, |t| lexicon.locales_of(t));
    let stems = found.first().map_or(0, Vec::len);
    // And, for each word some titles have as spelt, how much each locale's titles have it:
    // a second piece of evidence from the same word, which tells apart the close languages
    // whose stems agree.
    let mut spellings = Locale::spellings(query);
    spellings.truncate(MAX_QUERY_TERMS);
    let spelt: Vec<Rc<str>> = spellings.iter().map(|(s, _)| Rc::clone(s)).collect();
    let by_spelling = presence(&locales, &vec![spelt.clone(); locales.len()], |s| {
        lexicon.locales_of_spelling(s)
    });
    // And likewise as written, for each word with diacritics folding removes: they tell
    // apart the languages whose spellings agree once folded.
    let written: Vec<Rc<str>> = spellings.into_iter().filter_map(|(_, w)| w).collect();
    let by_written = presence(&locales, &vec![written; locales.len()], |w| {
        lexicon.locales_of_written(w)
    });
    for by in [&by_spelling, &by_written] {
        for i in 0..by.first().map_or(0, Vec::len) {
            if by.iter().any(|f| f[i] > 0.0) {
                for (found, by) in found.iter_mut().zip(by) {
                    found.push(by[i]);
                }
            }
        }
    }
    let mut scores = scores_of(&locales, &found);
    // A word no locale has (a typo: "applösnord") tells by the locales with a word one edit
    // from it, when the other words leave the language open: only words long enough for a
    // typo to be told apart, and only near spellings with the first letter.
    let unknown: Vec<usize> = (0..stems)
        .filter(|&i| found.iter().all(|f| f[i] == 0.0))
        .filter(|&i| {
            (tokens.iter()).all(|t| {
                t.get(i)
                    .is_some_and(|t| t.chars().count() >= MIN_NEAR_LETTERS)
            })
        })
        .collect();
    if !unknown.is_empty() && whatlang_choices(&scores).is_some() {
        let unknown_tokens: Vec<Vec<Rc<str>>> = (tokens.iter())
            .map(|t| unknown.iter().map(|&i| Rc::clone(&t[i])).collect())
            .collect();
        let near = presence(&locales, &unknown_tokens, |t| {
            let first = t.chars().next().unwrap_or_default();
            TermLocales::of_set(lexicon.locales_near(WithinEdits::new(t, 1), first))
        });
        for (found, near) in found.iter_mut().zip(near) {
            for (&i, near) in unknown.iter().zip(near) {
                found[i] = near;
            }
        }
        // And by how much each locale's titles and headings have the spellings one edit from
        // the word as typed (its stems can be far from the word's: "cuennta" is one edit
        // from Spanish "cuenta").
        if spelt.len() == stems {
            for &i in &unknown {
                let near = spelling_near(lexicon, &locales, &spelt[i]);
                if near.iter().any(|n| *n > 0.0) {
                    for (found, near) in found.iter_mut().zip(near) {
                        found.push(near);
                    }
                    let column = found.first().map_or(0, Vec::len) - 1;
                    relative_column(&mut found, column);
                }
            }
        }
        scores = scores_of(&locales, &found);
    }

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

/// For each locale, in how many articles' titles and headings the commonest of the
/// spellings one edit from `spelt` (with its first letter) is.
fn spelling_near(lexicon: &Lexicon, locales: &[Locale], spelt: &str) -> Vec<f32> {
    let mut most = vec![0.0f32; locales.len()];
    for (_, term) in title_spellings_near(lexicon, spelt, 1) {
        for (most, &locale) in most.iter_mut().zip(locales) {
            *most = most.max(term.doc_freq(locale));
        }
    }
    most
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
    fn a_word_tells_most_for_the_locale_with_the_most_articles_with_it() {
        let l = |code: &str| code.parse::<Locale>().unwrap();
        let locales = [l("es-ES"), l("pt-PT"), l("sv-SE")];
        // "cerrar cuenta": "cerrar" in 46 Spanish articles and 3 Portuguese ones (a quoted
        // phrase), "cuenta" in Spanish alone.
        let mut found = vec![vec![46.0, 300.0], vec![3.0, 0.0], vec![0.0, 0.0]];
        relative(&mut found);
        assert_eq!(found[0], [1.0, 1.0]);
        assert!((found[1][0] - (3.0f32 / 46.0).sqrt()).abs() < 1e-6);
        assert_eq!(found[2], [0.0, 0.0]);
        let scores = scores_of(&locales, &found);
        // "cerrar" gives Spanish 1 / 1.26 of its evidence rather than half.
        assert!((scores[0].1 - (1.0 / (1.0 + (3.0f32 / 46.0).sqrt()) + 1.0) / 2.0).abs() < 1e-6);
        assert!(scores[1].1 < 0.11, "{scores:?}");
        assert_eq!(scores[2].1, 0.0);
        // Where every locale with a word has it as often, each has an equal share.
        let mut even = vec![vec![5.0], vec![5.0], vec![0.0]];
        relative(&mut even);
        let scores = scores_of(&locales, &even);
        assert_eq!((scores[0].1, scores[1].1, scores[2].1), (0.5, 0.5, 0.0));
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

    /// Checks that each query goes first to its locale, over an index of one article per
    /// (locale, title).
    fn assert_first_locales(titles: &[(&str, &str)], queries: &[(&str, &str)]) {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        for (locale, title) in titles {
            std::fs::create_dir_all(corpus.join(locale)).unwrap();
            let text = format!("---\ntitle: {title}\n---\n# {title}\n\n1. Abra.\n");
            std::fs::write(corpus.join(locale).join("article.md"), text).unwrap();
        }
        let index_dir = dir.path().join("index");
        crate::build_index(&index_dir, &[crate::Source::Path(corpus)], &()).unwrap();
        let index = HelpIndex::open(&index_dir).unwrap();
        for (query, locale) in queries {
            let found = candidates(&index, query).unwrap();
            let first = found.first().map(|c| c.0.code());
            assert_eq!(first, Some(*locale), "{query}: {found:?}");
        }
    }

    #[test]
    fn a_word_s_spelling_tells_locales_apart_whose_stems_agree() {
        // Brazilian "aplicativo" and European "aplicação" are both "aplic", and whatlang
        // knows one Portuguese: the titles' spellings tell.
        assert_first_locales(
            &[
                ("pt-BR", "Configurar o aplicativo"),
                ("pt-PT", "Configurar a aplicação"),
            ],
            &[
                ("configurar aplicativo", "pt-BR"),
                ("configurar aplicação", "pt-PT"),
                ("aplicacao configurar", "pt-PT"),
            ],
        );
    }

    #[test]
    fn a_word_s_diacritics_tell_locales_apart_whose_spellings_agree_once_folded() {
        // Portuguese "domínios" and Spanish "dominios": one stem, one folded spelling.
        assert_first_locales(
            &[
                ("pt-BR", "Domínios personalizados"),
                ("es-ES", "Dominios personalizados"),
            ],
            &[
                ("personalizados domínios", "pt-BR"),
                ("dominios personalizados", "es-ES"),
            ],
        );
    }

    #[test]
    fn a_mistyped_word_no_locale_has_tells_by_the_words_one_edit_from_it() {
        let dir = tempfile::tempdir().unwrap();
        crate::build_index(dir.path(), &[crate::Source::BuiltinSeeds], &()).unwrap();
        let index = HelpIndex::open(dir.path()).unwrap();
        let lexicon = index.lexicon().unwrap();
        let l = |code: &str| code.parse::<Locale>().unwrap();
        // "prenumerationr": one edit from Swedish "prenumeration" only.
        let near = lexicon.locales_near(WithinEdits::new("prenumerationr", 1), 'p');
        assert_eq!(near, crate::index::locale_bit(l("sv-SE")));
        assert_eq!(lexicon.locales_of("prenumerationr").set, 0);
        // Only words with the first letter given are looked at.
        assert_eq!(
            lexicon.locales_near(WithinEdits::new("rprenumeration", 1), 'r'),
            0
        );
        // A typo's spellings one edit away, in titles and headings: "kontuu" is one edit
        // from Latvian "kontu", two from Swedish "konto"; "stagner" one swap from Swedish
        // "stanger" (of "stänger").
        let locales: Vec<Locale> = index.languages().map(|(l, _)| l).collect();
        let near = |spelt| {
            let near = spelling_near(lexicon, &locales, spelt);
            let with = locales.iter().zip(near).filter(|(_, n)| *n > 0.0);
            with.map(|(l, _)| l.code()).collect::<Vec<_>>()
        };
        assert_eq!(near("kontuu"), ["lv-LV"]);
        assert_eq!(near("stagner"), ["sv-SE"]);
        assert_eq!(near("stanger"), Vec::<&str>::new(), "not its own spelling");
        // whatlang alone takes these for Slovenian, Swedish and Romanian.
        for (query, locale) in [
            ("prenumerationr", "sv-SE"),
            ("abonemnetus", "lv-LV"),
            ("uporabnkie", "sl-SI"),
        ] {
            let found = candidates(&index, query).unwrap();
            assert_eq!(found.first().map(|c| c.0), Some(l(locale)), "{query}");
        }
    }
}
