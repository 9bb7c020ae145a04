//! The script-aware tokenizer shared by every language.
//!
//! Space-separated scripts (Latin, Cyrillic, Greek, Arabic, Hebrew, …) become one token per
//! word. Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao,
//! Khmer, Myanmar) and Hangul, whose words carry attached particles, become overlapping
//! character bigrams, as Lucene's CJK analyzer does: a query and the text it should match
//! are cut the same way whatever the query's length, with nothing to load at run time.

use std::sync::OnceLock;

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

/// What a byte says of the character it starts: ASCII letters and digits are word
/// characters, other ASCII separates, and a byte ≥ 0x80 starts (or continues) a character
/// whose class needs its code. One lookup a byte, in the loop that most text spends in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    AsciiSeparator,
    AsciiWord,
    NotAscii,
}

const BYTE_CLASS: [ByteClass; 256] = {
    let mut table = [ByteClass::NotAscii; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if (b as u8).is_ascii_alphanumeric() {
            ByteClass::AsciiWord
        } else {
            ByteClass::AsciiSeparator
        };
        b += 1;
    }
    table
};

fn classify(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    // Unicode's tables are searched per character; text of one script keeps to a few
    // blocks of 256 characters, so each block is classified once, when first met.
    static PLANE_0: [OnceLock<[CharClass; 256]>; 256] = [const { OnceLock::new() }; 256];
    let code = c as u32;
    if code > 0xFFFF {
        return classify_by_tables(c);
    }
    let block = PLANE_0[(code >> 8) as usize].get_or_init(|| {
        let first = code & !0xFF;
        std::array::from_fn(|i| {
            // Surrogates are not characters: they never occur in a str.
            char::from_u32(first + i as u32).map_or(CharClass::Separator, classify_by_tables)
        })
    });
    block[(code & 0xFF) as usize]
}

/// The apostrophe Ukrainian keyboards can type ("обʼєкт"): Unicode makes it a letter, but
/// it parts words as `'` and `’` do, which the texts write.
const MODIFIER_APOSTROPHE: char = '\u{2BC}';

/// The class of a character from Unicode's tables.
fn classify_by_tables(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    // Marks first: many (Thai vowels, Devanagari signs) are also alphabetic.
    if c == MODIFIER_APOSTROPHE {
        CharClass::Separator
    } else if is_combining_mark(c) {
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
    fn emit(&mut self, (from, to): (usize, usize)) {
        self.token.position = self.token.position.wrapping_add(1);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.text.clear();
        self.token.text.push_str(&self.text[from..to]);
    }

    /// The next bigram (or the lone unigram) of the pending unspaced run.
    fn next_unspaced(&mut self) -> Option<(usize, usize)> {
        let units = self.unspaced.len();
        let i = self.next_bigram;
        if units == 1 && i == 0 {
            self.next_bigram = 1;
            return Some(self.unspaced[0]);
        }
        if i + 1 < units {
            let (from, _) = self.unspaced[i];
            let (_, to) = self.unspaced[i + 1];
            self.next_bigram += 1;
            return Some((from, to));
        }
        self.unspaced.clear();
        self.next_bigram = 0;
        None
    }

    /// The byte range of the next token, without copying its text into the token: for
    /// callers that only look words up.
    pub(crate) fn next_range(&mut self) -> Option<(usize, usize)> {
        if !self.unspaced.is_empty() {
            if let Some(range) = self.next_unspaced() {
                return Some(range);
            }
        }
        let text = self.text;
        let bytes = text.as_bytes();
        // Most text is ASCII: its bytes are classified without decoding characters.
        let char_at = |i: usize| text[i..].chars().next().expect("a character boundary");
        // Skip separators (and marks with nothing to attach to).
        let mut i = self.cursor;
        let (start, first) = loop {
            let Some(&b) = bytes.get(i) else {
                self.cursor = text.len();
                return None;
            };
            match BYTE_CLASS[b as usize] {
                ByteClass::AsciiWord => break (i, CharClass::Word),
                ByteClass::AsciiSeparator => {
                    i += 1;
                    continue;
                }
                ByteClass::NotAscii => {}
            }
            let c = char_at(i);
            match classify(c) {
                class @ (CharClass::Word | CharClass::Unspaced) => break (i, class),
                CharClass::Separator | CharClass::Mark => i += c.len_utf8(),
            }
        };
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            match BYTE_CLASS[b as usize] {
                ByteClass::AsciiWord if first == CharClass::Word => {
                    end += 1;
                    continue;
                }
                ByteClass::AsciiWord | ByteClass::AsciiSeparator => break,
                ByteClass::NotAscii => {}
            }
            let c = char_at(end);
            let char_end = end + c.len_utf8();
            match classify(c) {
                // A mark extends the current word or unit.
                CharClass::Mark => {
                    if let Some(last) = self.unspaced.last_mut() {
                        last.1 = char_end;
                    }
                }
                class if class == first => {
                    if first == CharClass::Unspaced {
                        self.unspaced.push((end, char_end));
                    }
                }
                _ => break,
            }
            end = char_end;
        }
        self.cursor = end;
        if first == CharClass::Unspaced {
            self.next_unspaced()
        } else {
            Some((start, end))
        }
    }
}

impl TokenStream for ScriptTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.next_range() {
            Some(range) => {
                self.emit(range);
                true
            }
            None => false,
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
    fn every_apostrophe_parts_words() {
        for text in ["об'єкт", "об’єкт", "обʼєкт"] {
            let tokens = tokens_of(ScriptTokenizer::default(), text);
            let texts: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
            assert_eq!(texts, ["об", "єкт"], "{text}");
        }
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

    /// The tokens by the definition: runs of one class (marks joining what precedes them),
    /// unspaced runs cut into bigrams of their units.
    fn by_definition(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokens = Vec::new();
        let mut run: Vec<(usize, usize)> = Vec::new();
        let mut class = CharClass::Separator;
        let mut flush = |class: CharClass, run: &mut Vec<(usize, usize)>| {
            let piece = |a: usize, b: usize| (text[a..b].to_string(), a, b);
            match (class, run.len()) {
                (_, 0) | (CharClass::Separator | CharClass::Mark, _) => {}
                (CharClass::Word, _) => tokens.push(piece(run[0].0, run[run.len() - 1].1)),
                (CharClass::Unspaced, 1) => tokens.push(piece(run[0].0, run[0].1)),
                (CharClass::Unspaced, _) => {
                    tokens.extend(run.windows(2).map(|w| piece(w[0].0, w[1].1)));
                }
            }
            run.clear();
        };
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            match classify(c) {
                CharClass::Mark if !run.is_empty() => run.last_mut().unwrap().1 = end,
                CharClass::Mark | CharClass::Separator => {
                    flush(class, &mut run);
                    class = CharClass::Separator;
                }
                c if c == class => run.push((i, end)),
                c => {
                    flush(class, &mut run);
                    class = c;
                    run.push((i, end));
                }
            }
        }
        flush(class, &mut run);
        tokens
    }

    #[test]
    fn tokens_are_the_runs_of_one_script_class() {
        let alphabet = [
            'a', 'Z', '9', ' ', '-', '.', 'ä', '\u{0308}', '日', '本', 'ア', 'ก', '\u{0E34}', '한',
            'ß', 'İ', '،', '\u{0301}', 'я',
        ];
        let mut seed = 0x2545_f491_u64;
        for _ in 0..5000 {
            let len = (seed >> 33) % 16;
            let text: String = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[(seed >> 33) as usize % alphabet.len()]
                })
                .collect();
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let ours: Vec<_> = tokens_of(ScriptTokenizer::default(), &text)
                .into_iter()
                .map(|t| (t.text, t.offset_from, t.offset_to))
                .collect();
            assert_eq!(ours, by_definition(&text), "{text:?}");
        }
    }

    #[test]
    fn classes_remembered_by_block_are_unicode_s() {
        for c in (0..=0x2FFFF).filter_map(char::from_u32) {
            assert_eq!(classify(c), classify_by_tables(c), "{c:?}");
        }
    }

    #[test]
    fn empty_and_separator_only_text() {
        assert!(tokens_of(ScriptTokenizer::default(), "").is_empty());
        assert!(tokens_of(ScriptTokenizer::default(), " ,.!? \u{0301} -").is_empty());
    }
}
