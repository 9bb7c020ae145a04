//! Diacritic folding: the form a user types without diacritics.

use unicode_normalization::UnicodeNormalization;

use super::token_map::TokenMap;

/// Removes diacritics from Latin, Greek and Cyrillic letters (and vowel points from Arabic
/// and Hebrew), and spells letters that do not decompose (ø, æ, ß, đ, ł …) as ASCII users
/// type them. Thai vowels and Japanese voicing marks are letters, not diacritics: kept.
#[derive(Clone, Debug, Default)]
pub struct DiacriticFolder;

fn is_foldable_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F        // combining diacritical marks (Latin, Greek, Cyrillic)
        | 0x0591..=0x05C7      // Hebrew points and accents
        | 0x0610..=0x061A      // Arabic signs
        | 0x064B..=0x065F      // Arabic harakat
        | 0x0670               // Arabic superscript alef
        | 0x0640) // Arabic tatweel
}

fn spell_out(c: char) -> Option<&'static str> {
    Some(match c {
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'đ' => "d",
        'ð' => "d",
        'ł' => "l",
        'ı' => "i",
        'þ' => "th",
        _ => return None,
    })
}

impl TokenMap for DiacriticFolder {
    fn map(&self, text: &mut String, scratch: &mut String) {
        if text.is_ascii() {
            return;
        }
        scratch.clear();
        for c in text.nfd() {
            if is_foldable_mark(c) {
                continue;
            }
            match spell_out(c) {
                Some(s) => scratch.push_str(s),
                None => scratch.push(c),
            }
        }
        // Recompose what stays decomposed (Japanese voicing marks, Hangul).
        text.clear();
        text.extend(scratch.nfc());
    }
}

/// Keeps only the tokens that [`DiacriticFolder`] would change: the words whose exact form
/// says more than their folded one (an index of exact forms needs no others).
#[derive(Clone, Debug, Default)]
pub struct FoldableOnly;

impl TokenMap for FoldableOnly {
    fn map(&self, _text: &mut String, _scratch: &mut String) {}

    fn keep(&self, text: &str) -> bool {
        if text.is_ascii() {
            return false;
        }
        let mut folded = text.to_string();
        DiacriticFolder.map(&mut folded, &mut String::new());
        folded != text
    }
}

/// Folds a token and, when folding changed it, keeps its exact form after a NUL
/// ([`FOLDED_EXACT_SEPARATOR`]): the [`DiacriticFolder`] token and the [`FoldableOnly`] one
/// of a word in one token, so that the build cuts each text into words once for both.
#[derive(Clone, Debug, Default)]
pub struct WithFoldable;

/// What separates the folded form from the exact one in a [`WithFoldable`] token (never
/// part of a token: the tokenizer cuts words at control characters).
pub const FOLDED_EXACT_SEPARATOR: char = '\0';

impl TokenMap for WithFoldable {
    fn map(&self, text: &mut String, scratch: &mut String) {
        if text.is_ascii() {
            return;
        }
        let exact = text.clone();
        DiacriticFolder.map(text, scratch);
        if *text != exact {
            text.push(FOLDED_EXACT_SEPARATOR);
            text.push_str(&exact);
        }
    }
}

/// Lowercases and folds a whole text in one pass, without tokenizing: a quick way to ask
/// whether a text could contain a folded term at all. Only Latin, Greek and Cyrillic letters
/// are decomposed, so other scripts keep their composed form, as the folded tokens do.
pub fn fold_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            if (lower as u32) < 0x0530 || (0x1E00..0x2000).contains(&(lower as u32)) {
                if let Some(s) = spell_out(lower) {
                    out.push_str(s);
                    continue;
                }
                unicode_normalization::char::decompose_canonical(lower, |d| {
                    if !is_foldable_mark(d) {
                        out.push(d);
                    }
                });
            } else if !is_foldable_mark(lower) {
                out.push(lower);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::test_util::mapped;

    fn fold(s: &str) -> String {
        mapped(&DiacriticFolder, s)
    }

    #[test]
    fn folds_latin_diacritics() {
        assert_eq!(fold("återställa"), "aterstalla");
        assert_eq!(fold("slēgt"), "slegt");
        assert_eq!(fold("računa"), "racuna");
        assert_eq!(fold("închideți"), "inchideti");
        assert_eq!(fold("şterge"), "sterge");
    }

    #[test]
    fn only_words_folding_changes_are_kept_as_foldable() {
        for (word, kept) in [
            ("stänger", true),
            ("straße", true),
            ("λογαριασμός", true),
            ("konto", false),
            ("365", false),
            ("アカ", false),
            ("учетная", false),
        ] {
            assert_eq!(FoldableOnly.keep(word), kept, "{word}");
        }
    }

    #[test]
    fn with_foldable_pairs_the_folded_form_with_the_foldable_one() {
        for word in [
            "stänger",
            "straße",
            "λογαριασμός",
            "konto",
            "365",
            "アカ",
            "учетная",
            "đ",
        ] {
            let mut paired = word.to_string();
            WithFoldable.map(&mut paired, &mut String::new());
            let expected = if FoldableOnly.keep(word) {
                format!("{}{FOLDED_EXACT_SEPARATOR}{word}", fold(word))
            } else {
                fold(word)
            };
            assert_eq!(paired, expected, "{word}");
        }
    }

    #[test]
    fn spells_out_letters_without_decomposition() {
        assert_eq!(fold("søg"), "sog");
        assert_eq!(fold("straße"), "strasse");
        assert_eq!(fold("łódź"), "lodz");
    }

    #[test]
    fn folds_greek_and_cyrillic_accents() {
        assert_eq!(fold("λογαριασμός"), "λογαριασμος");
        assert_eq!(fold("ёлка"), "елка");
    }

    #[test]
    fn folds_whole_texts_like_tokens() {
        assert_eq!(
            fold_text("Återställa LÖSENORD, ş ț"),
            "aterstalla losenord, s t"
        );
        assert_eq!(fold_text("Straße ปิด が 계정"), "strasse ปิด が 계정");
    }

    #[test]
    fn keeps_letters_that_are_not_diacritics() {
        assert_eq!(fold("ปิด"), "ปิด");
        assert_eq!(fold("が"), "が");
        assert_eq!(fold("계정"), "계정");
    }
}
