//! Unicode normalization, width folding and a language's own letter equivalences.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::token_map::TokenMap;

/// The ASCII character a fullwidth form stands for ("ｓ" U+FF53 → "s"): what an East Asian
/// input method types for Latin letters and digits.
fn narrow(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// Characters a query may hold in a width other than the texts': fullwidth ASCII,
/// halfwidth Katakana and Hangul, the ideographic space.
fn is_width_variant(c: char) -> bool {
    matches!(c, '\u{3000}' | '\u{FF01}'..='\u{FFEE}')
}

/// `query` with its width variants folded as Unicode's compatibility mapping (NFKC) folds
/// them: fullwidth Latin to ASCII ("ｓｔäｎｇａ　ｋｏｎｔｏ" → "stänga konto"), halfwidth
/// Katakana to the usual forms, their sound marks joined ("ｶﾞｲﾄﾞ" → "ガイド"). Done to the
/// whole query before it is cut into words, since a halfwidth sound mark is a character of
/// its own; the analyzers' [`Normalizer`] folds fullwidth Latin in any text's words too. Only
/// these characters: NFKC as a whole would also split Thai's ำ, which the texts write whole.
pub fn fold_width(query: &str) -> Cow<'_, str> {
    if query.is_ascii() || !query.chars().any(is_width_variant) {
        return Cow::Borrowed(query);
    }
    let mut folded = String::with_capacity(query.len());
    for c in query.chars() {
        if is_width_variant(c) {
            folded.extend(std::iter::once(c).nfkc());
        } else {
            folded.push(c);
        }
    }
    Cow::Owned(folded.nfc().collect())
}

/// Brings a token to NFC, folds fullwidth Latin letters and digits to ASCII ("ｓ" → "s")
/// and applies a language's letter equivalences (for Romanian, the cedilla letters ş ţ that
/// the corpus still uses for the comma letters ș ț), so that the exact-form field treats
/// spellings of one letter as one.
#[derive(Clone, Debug, Default)]
pub struct Normalizer {
    equivalences: &'static [(char, char)],
}

impl Normalizer {
    /// A normalizer that also maps each `(from, to)` letter pair.
    pub fn new(equivalences: &'static [(char, char)]) -> Self {
        Normalizer { equivalences }
    }

    fn map_letter(&self, c: char) -> char {
        self.equivalences
            .iter()
            .find(|(from, _)| *from == c)
            .map_or(c, |(_, to)| *to)
    }
}

impl TokenMap for Normalizer {
    fn map(&self, text: &mut String, scratch: &mut String) {
        if text.is_ascii() {
            return;
        }
        let needs_nfc = is_nfc_quick(text.chars()) != IsNormalized::Yes;
        let needs_map = text
            .chars()
            .any(|c| narrow(c).is_some() || self.equivalences.iter().any(|(from, _)| *from == c));
        if !needs_nfc && !needs_map {
            return;
        }
        scratch.clear();
        scratch.extend(
            text.nfc()
                .map(|c| narrow(c).unwrap_or_else(|| self.map_letter(c))),
        );
        std::mem::swap(text, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::test_util::mapped;

    fn normalize(n: &Normalizer, s: &str) -> String {
        mapped(n, s)
    }

    #[test]
    fn composes_decomposed_letters() {
        assert_eq!(
            normalize(&Normalizer::default(), "sta\u{0308}nga"),
            "stänga"
        );
    }

    #[test]
    fn folds_fullwidth_letters_and_digits() {
        let n = Normalizer::default();
        assert_eq!(normalize(&n, "ｓｔäｎｇａ"), "stänga");
        assert_eq!(normalize(&n, "ｏｆｆｉｃｅ３６５"), "office365");
        // Other wide characters are words of their own scripts.
        assert_eq!(normalize(&n, "アカウント"), "アカウント");
    }

    #[test]
    fn a_query_in_other_widths_is_folded_whole() {
        assert_eq!(fold_width("ｓｔäｎｇａ　ｋｏｎｔｏ"), "stänga konto");
        assert_eq!(fold_width("ＯｎｅＤｒｉｖｅ：同期"), "OneDrive:同期");
        assert_eq!(fold_width("ｶﾞｲﾄﾞ"), "ガイド");
        assert_eq!(fold_width("ﾊﾟｽﾜｰﾄﾞ"), "パスワード");
        // Thai's sara am stays whole, as the texts write it.
        assert_eq!(fold_width("ทำ ｏｋ"), "ทำ ok");
        for unchanged in ["stänga konto", "アカウント", "ทำ"] {
            assert!(
                matches!(fold_width(unchanged), Cow::Borrowed(_)),
                "{unchanged}"
            );
        }
    }

    #[test]
    fn maps_language_equivalences() {
        let ro = Normalizer::new(&[('ş', 'ș'), ('ţ', 'ț')]);
        assert_eq!(normalize(&ro, "şterge"), "șterge");
        assert_eq!(normalize(&ro, "setări"), "setări");
        assert_eq!(normalize(&ro, "ascii"), "ascii");
    }
}
