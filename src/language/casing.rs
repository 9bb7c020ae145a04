//! Turkish and Azerbaijani casing, before lowercasing.
//!
//! These languages have two i's: dotted `İ i` and dotless `I ı`. Unicode's default lowercase
//! makes `I` an `i` and `İ` an `i` with a combining dot above (`i̇`), so a word capitalized
//! in a title ("İletileri") or typed in capitals ("IŞIK") is neither the word written small
//! nor stemmed as it: Snowball's Turkish stemmer reads `i̇letileri` as a word it does not
//! know. Lucene's `TurkishLowerCaseFilter` maps the capitals first; so does this.

use super::token_map::TokenMap;

/// How a language's capitals become small letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    /// Unicode's default lowercase (tantivy's `LowerCaser`) alone.
    Unicode,
    /// `I` → `ı`, `İ` → `i`, and an `i` written with a combining dot above loses it; then
    /// Unicode's lowercase.
    Turkic,
}

/// Applies a language's [`Casing`] before the analyzer's lowercasing.
#[derive(Clone, Debug)]
pub struct CaseMapper(pub Casing);

/// The combining dot above that Unicode's lowercase of `İ` leaves after the `i`.
const COMBINING_DOT_ABOVE: char = '\u{307}';

impl TokenMap for CaseMapper {
    fn map(&self, text: &mut String, scratch: &mut String) {
        if self.0 == Casing::Unicode || !text.contains(['I', 'İ', COMBINING_DOT_ABOVE]) {
            return;
        }
        scratch.clear();
        let mut after_i = false;
        for c in text.chars() {
            match c {
                'I' => scratch.push('ı'),
                'İ' => scratch.push('i'),
                COMBINING_DOT_ABOVE if after_i => {}
                _ => scratch.push(c),
            }
            after_i = matches!(c, 'i' | 'İ');
        }
        std::mem::swap(text, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::test_util::mapped;

    fn map(casing: Casing, s: &str) -> String {
        mapped(&CaseMapper(casing), s)
    }

    #[test]
    fn turkic_capitals_keep_their_dots() {
        assert_eq!(map(Casing::Turkic, "IŞIK"), "ıŞıK");
        assert_eq!(map(Casing::Turkic, "İLETİLERİ"), "iLETiLERi");
        assert_eq!(map(Casing::Turkic, "İletileri"), "iletileri");
        // Written as i and a combining dot (what Unicode's lowercase of İ gives).
        assert_eq!(map(Casing::Turkic, "i\u{307}leti"), "ileti");
        // A combining dot over another letter is that letter's.
        assert_eq!(map(Casing::Turkic, "e\u{307}"), "e\u{307}");
        assert_eq!(map(Casing::Turkic, "kullanıcılar"), "kullanıcılar");
    }

    #[test]
    fn other_languages_are_left_to_unicode() {
        assert_eq!(map(Casing::Unicode, "IŞIK İleti"), "IŞIK İleti");
    }
}
