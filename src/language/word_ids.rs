//! A map from words to numbers that keeps its words packed in one string.
//!
//! Cutting text into words and looking each up is what the build's analyzers and a query's
//! hits spend most on, and a lookup's time is its cache misses. A hash map of owned strings
//! (even inline ones of 24 bytes) gives each word a 32-byte slot, and a locale's tens of
//! thousands of words outgrow the CPU's second-level cache. Here a slot is 12 bytes (where
//! the word starts and ends in the packed string, and its number), and the words
//! themselves take their length: the same words in about two thirds of the memory (the
//! build's peak memory is some 20 MB less, its time a few percent). A query's hits are no
//! faster for it: their lookups still miss, in the packed words rather than in the slots.

use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

/// Longest word remembered, in bytes: longer ones (never words of a language) are not.
const MAX_WORD_BYTES: usize = u16::MAX as usize;

/// Words → `u32`, each word stored once in a packed string.
#[derive(Default, Clone)]
pub(crate) struct WordIds {
    slots: HashTable<Slot>,
    /// The words, one after another.
    packed: String,
}

/// A word's place in the packed string, and its number.
#[derive(Clone, Copy)]
struct Slot {
    start: u32,
    len: u16,
    id: u32,
}

fn hash(word: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(word.as_bytes());
    hasher.finish()
}

impl Slot {
    fn word(self, packed: &str) -> &str {
        let start = self.start as usize;
        &packed[start..start + self.len as usize]
    }
}

impl WordIds {
    /// How many words are remembered.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// The number of `word`, if remembered.
    #[inline]
    pub fn get(&self, word: &str) -> Option<u32> {
        let packed = self.packed.as_bytes();
        let bytes = word.as_bytes();
        self.slots
            .find(hash(word), |s| {
                let start = s.start as usize;
                usize::from(s.len) == bytes.len() && packed[start..start + bytes.len()] == *bytes
            })
            .map(|s| s.id)
    }

    /// Remembers `word` as `id`, unless it is too long (then [`WordIds::get`] does not
    /// find it) or the packed words would outgrow their 4 GiB. The caller has found that
    /// the word is not remembered yet.
    pub fn insert(&mut self, word: &str, id: u32) {
        if word.len() > MAX_WORD_BYTES || self.packed.len() + word.len() > u32::MAX as usize {
            return;
        }
        let slot = Slot {
            start: self.packed.len() as u32,
            len: word.len() as u16,
            id,
        };
        self.packed.push_str(word);
        let packed = &self.packed;
        self.slots
            .insert_unique(hash(word), slot, |s| hash(s.word(packed)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_word_remembered_and_no_other() {
        let mut ids = WordIds::default();
        let words: Vec<String> = (0..5000).map(|i| format!("ord{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(ids.get(w), None);
            ids.insert(w, i as u32);
        }
        assert_eq!(ids.len(), 5000);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(ids.get(w), Some(i as u32), "{w}");
        }
        // Prefixes and extensions of remembered words, and the empty word, are other words.
        for w in ["ord", "ord1x", "rd1", "", "ord49999"] {
            assert_eq!(ids.get(w), None, "{w}");
        }
    }

    #[test]
    fn words_of_any_script_and_the_empty_word_are_remembered() {
        let mut ids = WordIds::default();
        for (i, w) in ["stänga", "", "конто", "账户", "ș"].iter().enumerate() {
            ids.insert(w, i as u32);
        }
        assert_eq!(ids.get("stänga"), Some(0));
        assert_eq!(ids.get(""), Some(1));
        assert_eq!(ids.get("账户"), Some(3));
        assert_eq!(ids.get("ș"), Some(4));
        assert_eq!(ids.get("stanga"), None);
    }

    #[test]
    fn a_word_too_long_is_not_remembered() {
        let mut ids = WordIds::default();
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        ids.insert(&long, 7);
        assert_eq!(ids.get(&long), None);
        assert_eq!(ids.len(), 0);
        let longest = "a".repeat(MAX_WORD_BYTES);
        ids.insert(&longest, 8);
        assert_eq!(ids.get(&longest), Some(8));
    }
}
