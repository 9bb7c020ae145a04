//! A light stemmer for Latvian.
//!
//! After K. Kreslins, *A stemming algorithm for Latvian*, PhD thesis, Loughborough
//! University, 1996, in the light form that Lucene's `LatvianStemmer` follows: only the
//! inflectional endings of nouns and adjectives (case, number, gender, definiteness) are
//! removed, the longest first, and only while the stem keeps enough vowels and at least
//! three letters. Where a 2nd, 5th or 6th declension ending goes, the consonant
//! alternation it caused (palatalization: `kontu`/`konts`, `lapu`/`lapa`) is undone.

/// An ending: its letters, the vowels a word needs beyond it, and whether removing it
/// uncovers a palatalized consonant.
struct Ending {
    suffix: &'static str,
    min_vowels: usize,
    palatalizes: bool,
}

const fn e(suffix: &'static str, min_vowels: usize, palatalizes: bool) -> Ending {
    Ending {
        suffix,
        min_vowels,
        palatalizes,
    }
}

/// Longest first: the first ending that fits is removed.
const ENDINGS: &[Ending] = &[
    e("ajiem", 3, false),
    e("ajai", 3, false),
    e("ajam", 2, false),
    e("ajām", 2, false),
    e("ajos", 2, false),
    e("ajās", 2, false),
    e("iem", 2, true),
    e("ajā", 2, false),
    e("ais", 2, false),
    e("ai", 2, false),
    e("ei", 2, false),
    e("ām", 1, false),
    e("am", 1, false),
    e("ēm", 1, false),
    e("īm", 1, false),
    e("im", 1, false),
    e("um", 1, false),
    e("us", 1, true),
    e("as", 1, false),
    e("ās", 1, false),
    e("es", 1, false),
    e("os", 1, true),
    e("ij", 1, false),
    e("īs", 1, false),
    e("ēs", 1, false),
    e("is", 1, false),
    e("ie", 1, false),
    e("u", 1, true),
    e("a", 1, true),
    e("i", 1, true),
    e("e", 1, false),
    e("ā", 1, false),
    e("ē", 1, false),
    e("ī", 1, false),
    e("ū", 1, false),
    e("o", 1, false),
    e("s", 0, false),
    e("š", 0, false),
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'ā' | 'ē' | 'ī' | 'ū')
}

/// Stems a lowercased Latvian word.
pub fn stem(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let vowels = chars.iter().filter(|c| is_vowel(**c)).count();
    for ending in ENDINGS {
        let suffix: Vec<char> = ending.suffix.chars().collect();
        if vowels > ending.min_vowels && chars.len() >= suffix.len() + 3 && chars.ends_with(&suffix)
        {
            chars.truncate(chars.len() - suffix.len());
            if ending.palatalizes {
                unpalatalize(&mut chars, suffix[0]);
            }
            break;
        }
    }
    chars.into_iter().collect()
}

/// Undoes the consonant alternation before a removed ending whose first letter is `removed`.
fn unpalatalize(s: &mut Vec<char>, removed: char) {
    let n = s.len();
    let ends = |pair: &str| {
        let p: Vec<char> = pair.chars().collect();
        s.ends_with(&p)
    };
    if removed == 'u' {
        // Only a genitive plural in -u shows these two.
        if ends("kš") {
            s[n - 1] = 's';
            s.push('t');
            return;
        }
        if ends("ņņ") {
            s[n - 2] = 'n';
            s[n - 1] = 'n';
            return;
        }
    }
    if ends("pj") || ends("bj") || ends("mj") || ends("vj") {
        // A labial consonant gains a j: drop it.
        s.pop();
    } else if ends("šņ") {
        s[n - 2] = 's';
        s[n - 1] = 'n';
    } else if ends("žņ") {
        s[n - 2] = 'z';
        s[n - 1] = 'n';
    } else if ends("šļ") {
        s[n - 2] = 's';
        s[n - 1] = 'l';
    } else if ends("žļ") {
        s[n - 2] = 'z';
        s[n - 1] = 'l';
    } else if ends("ļņ") {
        s[n - 2] = 'l';
        s[n - 1] = 'n';
    } else if ends("ļļ") {
        s[n - 2] = 'l';
        s[n - 1] = 'l';
    } else if s.last() == Some(&'č') {
        s[n - 1] = 'c';
    } else if s.last() == Some(&'ļ') {
        s[n - 1] = 'l';
    } else if s.last() == Some(&'ņ') {
        s[n - 1] = 'n';
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn noun_cases_share_a_stem() {
        for w in ["konts", "kontu", "konta", "kontam", "kontiem", "kontā"] {
            assert_eq!(stem(w), "kont", "{w}");
        }
    }

    #[test]
    fn adjective_definite_endings() {
        assert_eq!(stem("aktīvajiem"), "aktīv");
        assert_eq!(stem("aktīvos"), "aktīv");
    }

    #[test]
    fn palatalization_is_undone() {
        // ezers → ezeru is regular; lapa/lapu (5th decl.) and briedis/briežu style pairs.
        assert_eq!(stem("lāču"), "lāc");
        assert_eq!(stem("zemju"), "zem");
        assert_eq!(stem("brieži"), "briež");
    }

    #[test]
    fn short_words_are_kept() {
        assert_eq!(stem("un"), "un");
        assert_eq!(stem("ir"), "ir");
        assert_eq!(stem("kas"), "kas");
    }

    #[test]
    fn words_without_enough_vowels_are_kept() {
        // "s" needs a vowel in the word; "zvs" has none.
        assert_eq!(stem("zvs"), "zvs");
    }
}
