//! Unicode normalization and a language's own letter equivalences.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::token_map::TokenMap;

/// Brings a token to NFC and applies a language's letter equivalences (for Romanian, the
/// cedilla letters ş ţ that the corpus still uses for the comma letters ș ț), so that the
/// exact-form field treats spellings of one letter as one.
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
            .any(|c| self.equivalences.iter().any(|(from, _)| *from == c));
        if !needs_nfc && !needs_map {
            return;
        }
        scratch.clear();
        scratch.extend(text.nfc().map(|c| self.map_letter(c)));
        std::mem::swap(text, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize(n: &Normalizer, s: &str) -> String {
        let mut text = s.to_string();
        n.map(&mut text, &mut String::new());
        text
    }

    #[test]
    fn composes_decomposed_letters() {
        assert_eq!(
            normalize(&Normalizer::default(), "sta\u{0308}nga"),
            "stänga"
        );
    }

    #[test]
    fn maps_language_equivalences() {
        let ro = Normalizer::new(&[('ş', 'ș'), ('ţ', 'ț')]);
        assert_eq!(normalize(&ro, "şterge"), "șterge");
        assert_eq!(normalize(&ro, "setări"), "setări");
        assert_eq!(normalize(&ro, "ascii"), "ascii");
    }
}
