//! The script-aware tokenizer shared by every language.
//!
//! Space-separated scripts (Latin, Cyrillic, Greek, Arabic, Hebrew, …) become one token per
//! word. Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao,
//! Khmer, Myanmar) and Hangul, whose words carry attached particles, become overlapping
//! character bigrams, as Lucene's CJK analyzer does: a query and the text it should match
//! are cut the same way whatever the query's length, with nothing to load at run time.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::char::is_combining_mark;

/// Splits text into words, and runs of unspaced scripts into character bigrams.
#[derive(Clone, Debug, Default)]
pub struct ScriptTokenizer {
    token: Token,
}

/// How a character takes part in tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CharClass {
    /// Separates tokens: spaces, punctuation, symbols.
    Separator,
    /// Part of a space-separated word.
    Word,
    /// Part of a run that is cut into bigrams.
    Unspaced,
    /// A combining mark: belongs to whatever precedes it.
    Mark,
}

fn classify(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    // Marks first: many (Thai vowels, Devanagari signs) are also alphabetic.
    if is_combining_mark(c) {
        CharClass::Mark
    } else if is_unspaced_script(c) {
        CharClass::Unspaced
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Separator
    }
}

/// Scripts whose words are not separated by spaces (or, for Hangul, carry attached particles).
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF       // Thai, Lao
        | 0x1000..=0x109F     // Myanmar
        | 0x1100..=0x11FF     // Hangul Jamo
        | 0x1780..=0x17FF     // Khmer
        | 0x3040..=0x30FF     // Hiragana, Katakana
        | 0x3130..=0x318F     // Hangul compatibility Jamo
        | 0x31F0..=0x31FF     // Katakana phonetic extensions
        | 0x3400..=0x4DBF     // CJK extension A
        | 0x4E00..=0x9FFF     // CJK unified ideographs
        | 0xAC00..=0xD7AF     // Hangul syllables
        | 0xF900..=0xFAFF     // CJK compatibility ideographs
        | 0xFF66..=0xFF9F     // half-width Katakana
        | 0x20000..=0x2FFFF) // CJK extensions B–F
}

impl Tokenizer for ScriptTokenizer {
    type TokenStream<'a> = ScriptTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ScriptTokenStream<'a> {
        self.token.reset();
        ScriptTokenStream {
            text,
            cursor: 0,
            unspaced: Vec::new(),
            next_bigram: 0,
            token: &mut self.token,
        }
    }
}

/// The token stream of [`ScriptTokenizer`].
pub struct ScriptTokenStream<'a> {
    text: &'a str,
    /// Byte offset where scanning resumes.
    cursor: usize,
    /// Byte ranges of the units (a base character and its marks) of the current unspaced run.
    unspaced: Vec<(usize, usize)>,
    /// Index of the next bigram to emit from `unspaced`.
    next_bigram: usize,
    token: &'a mut Token,
}

impl ScriptTokenStream<'_> {
    fn emit(&mut self, from: usize, to: usize) {
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
    }

    /// Emits the next bigram (or the lone unigram) of the pending unspaced run.
    fn emit_unspaced(&mut self) -> bool {
        let units = self.unspaced.len();
        let i = self.next_bigram;
        if units == 1 && i == 0 {
            let (from, to) = self.unspaced[0];
            self.next_bigram = 1;
            self.emit(from, to);
            return true;
        }
        if i + 1 < units {
            let (from, _) = self.unspaced[i];
            let (_, to) = self.unspaced[i + 1];
            self.next_bigram += 1;
            self.emit(from, to);
            return true;
        }
        self.unspaced.clear();
        self.next_bigram = 0;
        false
    }
}

impl TokenStream for ScriptTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.unspaced.is_empty() && self.emit_unspaced() {
            return true;
        }
        let rest = &self.text[self.cursor..];
        let mut chars = rest.char_indices().peekable();
        // Skip separators (and marks with nothing to attach to).
        let start = loop {
            match chars.peek() {
                None => {
                    self.cursor = self.text.len();
                    return false;
                }
                Some(&(i, c)) => match classify(c) {
                    CharClass::Word | CharClass::Unspaced => break i,
                    CharClass::Separator | CharClass::Mark => {
                        chars.next();
                    }
                },
            }
        };
        let (_, first_char) = chars.next().expect("peeked");
        let first = classify(first_char);
        let mut end = start + first_char.len_utf8();
        if first == CharClass::Unspaced {
            self.unspaced.push((self.cursor + start, self.cursor + end));
        }
        for (i, c) in chars {
            let class = classify(c);
            let char_end = i + c.len_utf8();
            if class == CharClass::Mark {
                // A mark extends the current word or unit.
                if let Some(last) = self.unspaced.last_mut() {
                    last.1 = self.cursor + char_end;
                }
            } else if class == first {
                if first == CharClass::Unspaced {
                    self.unspaced
                        .push((self.cursor + i, self.cursor + char_end));
                }
            } else {
                break;
            }
            end = char_end;
        }
        let (from, to) = (self.cursor + start, self.cursor + end);
        self.cursor = to;
        if first == CharClass::Unspaced {
            self.emit_unspaced()
        } else {
            self.emit(from, to);
            true
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::test_util::{assert_token, tokens_of};

    #[test]
    fn words_with_offsets() {
        let tokens = tokens_of(ScriptTokenizer::default(), "Stänga  kontot, snabbt!");
        assert_eq!(tokens.len(), 3);
        assert_token(&tokens[0], 0, "Stänga", 0, 7);
        assert_token(&tokens[1], 1, "kontot", 9, 15);
        assert_token(&tokens[2], 2, "snabbt", 17, 23);
    }

    #[test]
    fn punctuation_inside_words_splits_them() {
        let tokens = tokens_of(ScriptTokenizer::default(), "outlook.com 365-konto");
        let texts: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["outlook", "com", "365", "konto"]);
    }

    #[test]
    fn han_and_kana_become_bigrams() {
        let tokens = tokens_of(ScriptTokenizer::default(), "アカウントを閉じる");
        let texts: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["アカ", "カウ", "ウン", "ント", "トを", "を閉", "閉じ", "じる"]
        );
        assert_token(&tokens[0], 0, "アカ", 0, 6);
        assert_token(&tokens[7], 7, "じる", 21, 27);
    }

    #[test]
    fn a_lone_unspaced_character_is_a_unigram() {
        let tokens = tokens_of(ScriptTokenizer::default(), "Teams 的 chat");
        let texts: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Teams", "的", "chat"]);
    }

    #[test]
    fn thai_marks_stay_with_their_base_character() {
        // ปิด = ป + ◌ิ (a combining vowel) + ด: two units, one bigram.
        let tokens = tokens_of(ScriptTokenizer::default(), "ปิด");
        assert_eq!(tokens.len(), 1);
        assert_token(&tokens[0], 0, "ปิด", 0, 9);
    }

    #[test]
    fn script_change_ends_a_token() {
        let tokens = tokens_of(ScriptTokenizer::default(), "Teams会議");
        let texts: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["Teams", "会議"]);
    }

    #[test]
    fn decomposed_marks_stay_in_latin_words() {
        let text = "sta\u{0308}nga";
        let tokens = tokens_of(ScriptTokenizer::default(), text);
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].text, text);
    }

    #[test]
    fn empty_and_separator_only_text() {
        assert!(tokens_of(ScriptTokenizer::default(), "").is_empty());
        assert!(tokens_of(ScriptTokenizer::default(), " ,.!? \u{0301} -").is_empty());
    }
}
