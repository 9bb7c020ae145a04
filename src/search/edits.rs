//! An automaton accepting the words within a few edits of one word, for walking a term
//! dictionary.
//!
//! Edits are those of the optimal string alignment distance (`strsim::osa_distance`, by
//! which near spellings are then ranked): a letter inserted, deleted or replaced, or two
//! adjacent letters swapped, each one edit. The automaton runs the distance's dynamic
//! program a letter at a time, keeping only the cells within `max` of the diagonal, as its
//! state. tantivy's `FuzzyTermQuery` builds a whole DFA for the word first, which for a long
//! word with two edits costs more than ranking the query (every state has a table of 256
//! transitions); a walk reaches few states, and computing each costs a handful of steps.

use tantivy_fst::Automaton;

/// Most edits an automaton allows.
pub(crate) const MAX_EDITS: u8 = 2;
/// Cells of the dynamic program kept per letter: the diagonal and `MAX_EDITS` either side.
const BAND: usize = 2 * MAX_EDITS as usize + 1;
/// No letter: compares unequal to every letter of a word.
const NO_LETTER: u32 = u32::MAX;

/// Accepts the words at most `max` edits from `word`, or from a start of it at least
/// `shortest` letters long.
#[derive(Debug, Clone)]
pub(crate) struct WithinEdits {
    word: Vec<u32>,
    max: u8,
    shortest: usize,
}

/// Where the automaton is after some bytes of a term.
#[derive(Debug, Clone, Copy)]
pub(crate) struct State {
    /// Letters read.
    read: u32,
    /// Distance from the letters read to each prefix of the word near the diagonal: cell
    /// `b` is the prefix of `read − max + b` letters; anything above `max` is `max + 1`.
    row: [u8; BAND],
    /// The row before, for swaps.
    before: [u8; BAND],
    /// The last letter read (a swap with the next one is one edit).
    last: u32,
    /// Bytes of a letter begun but not ended, and how many more it needs.
    pending: u32,
    needed: u8,
}

impl WithinEdits {
    /// The automaton of `word` and `max` edits (at most [`MAX_EDITS`]).
    pub fn new(word: &str, max: u8) -> WithinEdits {
        WithinEdits::of_start(word, max, usize::MAX)
    }

    /// The automaton accepting the words at most `max` edits from a start of `word` at
    /// least `shortest` letters long (the whole word when that is all of it or more): the
    /// stems a word's start may be, when its end is mistyped past what its stemmer knows
    /// ("plitica" → "polit").
    pub fn of_start(word: &str, max: u8, shortest: usize) -> WithinEdits {
        let word: Vec<u32> = word.chars().map(u32::from).collect();
        WithinEdits {
            shortest: shortest.min(word.len()),
            word,
            max: max.min(MAX_EDITS),
        }
    }

    fn over(&self) -> u8 {
        self.max + 1
    }

    /// The band cell of word prefix `i` after `read` letters, if it is in the band.
    fn cell(&self, read: u32, i: i64) -> Option<usize> {
        let b = i - i64::from(read) + i64::from(self.max);
        (0..=2 * i64::from(self.max))
            .contains(&b)
            .then_some(b as usize)
    }

    /// Reads one whole letter.
    fn read_letter(&self, s: &State, letter: u32) -> State {
        let read = s.read + 1;
        let over = self.over();
        let n = self.word.len() as i64;
        let mut row = [over; BAND];
        for b in 0..=2 * self.max as usize {
            let i = i64::from(read) - i64::from(self.max) + b as i64;
            if i < 0 || i > n {
                continue;
            }
            if i == 0 {
                row[b] = read.min(u32::from(over)) as u8;
                continue;
            }
            let q = self.word[(i - 1) as usize];
            // Letter replaced (or kept): the prefix one shorter, one letter before.
            let mut d = s.row[b] + u8::from(q != letter);
            // Letter of the term inserted: the same prefix, one letter before.
            if b < 2 * self.max as usize {
                d = d.min(s.row[b + 1] + 1);
            }
            // Letter of the word left out: the prefix one shorter, this letter.
            if b > 0 {
                d = d.min(row[b - 1] + 1);
            }
            // Two letters swapped.
            if i > 1 && read > 1 && q == s.last && self.word[(i - 2) as usize] == letter {
                d = d.min(s.before[b] + 1);
            }
            row[b] = d.min(over);
        }
        State {
            read,
            row,
            before: s.row,
            last: letter,
            pending: 0,
            needed: 0,
        }
    }
}

impl Automaton for WithinEdits {
    type State = State;

    fn start(&self) -> State {
        let over = self.over();
        let mut row = [over; BAND];
        for (b, cell) in row.iter_mut().enumerate().take(2 * self.max as usize + 1) {
            // Prefix `b − max` of the word against no letters: that many edits.
            let i = b as i64 - i64::from(self.max);
            if (0..=self.word.len() as i64).contains(&i) {
                *cell = (i as u8).min(over);
            }
        }
        State {
            read: 0,
            row,
            before: [over; BAND],
            last: NO_LETTER,
            pending: 0,
            needed: 0,
        }
    }

    fn is_match(&self, s: &State) -> bool {
        s.needed == 0
            && (self.shortest..=self.word.len()).any(|i| {
                self.cell(s.read, i as i64)
                    .is_some_and(|b| s.row[b] <= self.max)
            })
    }

    fn can_match(&self, s: &State) -> bool {
        // Distances never fall as letters are added: a band all above `max` stays so.
        s.row[..=2 * self.max as usize]
            .iter()
            .any(|&d| d <= self.max)
    }

    fn accept(&self, s: &State, byte: u8) -> State {
        // UTF-8 is decoded here; a malformed sequence is a letter matching nothing.
        if s.needed > 0 {
            if byte & 0xC0 != 0x80 {
                return self.accept(&self.read_letter(s, NO_LETTER), byte);
            }
            let pending = s.pending << 6 | u32::from(byte & 0x3F);
            if s.needed == 1 {
                let letter = char::from_u32(pending).map_or(NO_LETTER, u32::from);
                return self.read_letter(s, letter);
            }
            return State {
                pending,
                needed: s.needed - 1,
                ..*s
            };
        }
        let (pending, needed) = match byte {
            0x00..=0x7F => return self.read_letter(s, u32::from(byte)),
            0xC0..=0xDF => (u32::from(byte & 0x1F), 1),
            0xE0..=0xEF => (u32::from(byte & 0x0F), 2),
            0xF0..=0xF7 => (u32::from(byte & 0x07), 3),
            _ => return self.read_letter(s, NO_LETTER),
        };
        State {
            pending,
            needed,
            ..*s
        }
    }
}

/// The same automaton for the `fst` crate's maps (the lexicon), which tantivy's fork of it
/// does not share a trait with.
impl fst::Automaton for WithinEdits {
    type State = State;

    fn start(&self) -> State {
        Automaton::start(self)
    }

    fn is_match(&self, s: &State) -> bool {
        Automaton::is_match(self, s)
    }

    fn can_match(&self, s: &State) -> bool {
        Automaton::can_match(self, s)
    }

    fn accept(&self, s: &State, byte: u8) -> State {
        Automaton::accept(self, s, byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(a: &WithinEdits, text: &str) -> bool {
        let mut s = a.start();
        for &b in text.as_bytes() {
            if !a.can_match(&s) {
                return false;
            }
            s = a.accept(&s, b);
        }
        a.is_match(&s)
    }

    #[test]
    fn accepts_what_is_within_the_edits() {
        let one = WithinEdits::new("konto", 1);
        for near in ["konto", "kont", "konot", "kanto", "kontot", "okonto"] {
            assert!(accepts(&one, near), "{near}");
        }
        for far in ["", "kon", "knoot", "kontona", "tokon", "lösenord"] {
            assert!(!accepts(&one, far), "{far}");
        }
        let two = WithinEdits::new("lösenord", 2);
        assert!(accepts(&two, "losenord"));
        assert!(accepts(&two, "lösneodr"));
        assert!(accepts(&two, "lösenordet"));
        assert!(!accepts(&two, "losenordet"));
    }

    #[test]
    fn of_start_accepts_what_is_within_the_edits_of_a_long_enough_start() {
        // Starts of "plitica" of 4 letters or more: "plit", "pliti", "plitic", "plitica".
        let start = WithinEdits::of_start("plitica", 1, 4);
        for near in [
            "polit", "plit", "plat", "plitic", "plitica", "plitical", "plt",
        ] {
            assert!(accepts(&start, near), "{near}");
        }
        for far in ["pl", "pol", "poltica", "plitcaa", "pcx"] {
            assert!(!accepts(&start, far), "{far}");
        }
        // As long as the word or longer: the whole word only.
        let whole = WithinEdits::of_start("plitica", 1, 9);
        assert!(accepts(&whole, "plitic") && !accepts(&whole, "polit"));
    }

    #[test]
    fn a_dead_band_stops_the_walk() {
        let one = WithinEdits::new("konto", 1);
        let mut s = one.start();
        for &b in b"xyz" {
            s = one.accept(&s, b);
        }
        assert!(!one.can_match(&s));
    }

    #[test]
    fn agrees_with_the_distance_it_ranks_by() {
        // Every string of up to 5 letters over a small alphabet (with two-byte and
        // three-byte letters) against words of it: accepted exactly when
        // `strsim::osa_distance` is within the edits.
        let alphabet = ['a', 'b', 'ö', '中'];
        let mut texts = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..5 {
            level = level
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(level.iter().cloned());
        }
        let words = ["a", "ab", "ba", "aöb", "öab中", "abab", "b中ab", "aaaaa"];
        for word in words {
            for max in 1..=MAX_EDITS {
                let automaton = WithinEdits::new(word, max);
                for text in &texts {
                    let within = strsim::osa_distance(word, text) <= usize::from(max);
                    assert_eq!(accepts(&automaton, text), within, "{word} {text} {max}");
                }
            }
        }
    }

    #[test]
    fn agrees_with_tantivys_fuzzy_automaton() {
        // The DFA that `FuzzyTermQuery` (transposition one edit) walks with, which this
        // automaton replaces: the same words accepted.
        let texts = [
            "konto",
            "kontot",
            "knoto",
            "kotno",
            "lösenord",
            "losenrod",
            "中文字",
        ];
        for word in ["konto", "lösenord", "中文"] {
            for max in 1..=MAX_EDITS {
                let dfa = levenshtein_automata::LevenshteinAutomatonBuilder::new(max, true)
                    .build_dfa(word);
                let automaton = WithinEdits::new(word, max);
                for text in texts {
                    let by_dfa = matches!(dfa.eval(text), levenshtein_automata::Distance::Exact(_));
                    assert_eq!(accepts(&automaton, text), by_dfa, "{word} {text} {max}");
                }
            }
        }
    }

    #[test]
    fn malformed_bytes_are_letters_matching_nothing() {
        let one = WithinEdits::new("ab", 1);
        let mut s = one.start();
        for &b in &[b'a', 0xC3, b'b'] {
            s = one.accept(&s, b);
        }
        // "a", a broken letter, "b": one edit.
        assert!(one.is_match(&s));
        assert!(!one.is_match(&one.accept(&one.start(), 0xC3)));
    }
}
