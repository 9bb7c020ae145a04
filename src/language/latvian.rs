//! A light stemmer for Latvian.
//!
//! After K. Kreslins, *A stemming algorithm for Latvian*, PhD thesis, Loughborough
//! University, 1996, in the light form that Lucene's `LatvianStemmer` follows: only the
//! inflectional endings of nouns and adjectives (case, number, gender, definiteness) are
//! removed, the longest first, and only while the stem keeps enough vowels and at least
//! three letters. Where a 2nd, 5th or 6th declension ending goes, the consonant
//! alternation it caused (palatalization: `kontu`/`konts`, `lapu`/`lapa`) is undone.
//!
//! Beyond Kreslins, one verb step: help articles name a task by its verbal noun
//! ("Pastkastes lieluma palielināšana"), their steps are imperatives ("palieliniet") and
//! users type the infinitive ("palielināt"). The verbal noun's -šan-, the infinitive's
//! -t/-st and -ties, and the 2nd person plural's -iet/-ieties are removed, with the
//! conjugation vowel they leave (ā, ē, ī, o, and a j after it), so all three meet at the
//! present stem ("palielin"). A noun never ends in -t, so a bare word in -t is a verb.
//! The step also accepts these endings typed without diacritics (-san-, a, e, i), so that
//! "palielinat" meets "palielināt" once the index folds it.

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

/// Shortest stem the verb step leaves.
const MIN_VERB_STEM: usize = 3;

/// Verb endings of words without a noun ending, longest first: the 2nd person plural
/// (reflexive, then plain), the reflexive infinitive, the infinitive.
const VERB_ENDINGS: &[&str] = &["ieties", "ties", "iet", "st", "t"];

/// Stems a lowercased Latvian word.
pub fn stem(word: &str) -> String {
    for ending in VERB_ENDINGS {
        if let Some(stem) = word.strip_suffix(ending) {
            return verb_stem(stem, word);
        }
    }
    let stem = noun_stem(word);
    // "san" is "šan" typed without its diacritic.
    match stem
        .strip_suffix("šan")
        .or_else(|| stem.strip_suffix("san"))
    {
        Some(verb) => verb_stem(verb, &stem),
        None => stem,
    }
}

/// A verb's present stem from what is left of it once its ending is gone: without the
/// conjugation vowel (and a j after it) the ending left. `whole` is kept if too little
/// would remain.
fn verb_stem(stem: &str, whole: &str) -> String {
    let mut stem = stem;
    if let Some(s) = stem.strip_suffix('j').filter(|s| s.ends_with(is_vowel)) {
        stem = s;
    }
    // The short vowels too: the long ones typed without their diacritics.
    if let Some(s) = stem.strip_suffix(['ā', 'ē', 'ī', 'o', 'a', 'e', 'i']) {
        if s.chars().count() >= MIN_VERB_STEM {
            stem = s;
        }
    }
    if stem.chars().count() >= MIN_VERB_STEM && stem.chars().any(is_vowel) {
        stem.to_string()
    } else {
        whole.to_string()
    }
}

/// Removes the inflectional ending of a noun or adjective.
fn noun_stem(word: &str) -> String {
    let letters = word.chars().count();
    let vowels = word.chars().filter(|c| is_vowel(*c)).count();
    let fits = |e: &&Ending| {
        vowels > e.min_vowels && letters >= e.suffix.chars().count() + 3 && word.ends_with(e.suffix)
    };
    let Some(ending) = ENDINGS.iter().find(fits) else {
        return word.to_string();
    };
    let stem = &word[..word.len() - ending.suffix.len()];
    if ending.palatalizes {
        let removed = ending.suffix.chars().next().unwrap_or_default();
        unpalatalize(stem, removed)
    } else {
        stem.to_string()
    }
}

/// Alternations seen only before a genitive plural in -u: (ending, replacement).
const BEFORE_U: &[(&str, &str)] = &[("kš", "kst"), ("ņņ", "nn")];

/// Alternations undone before any palatalizing ending, tried in order: a labial consonant
/// that gained a j loses it; softened consonants harden.
const ALWAYS: &[(&str, &str)] = &[
    ("pj", "p"),
    ("bj", "b"),
    ("mj", "m"),
    ("vj", "v"),
    ("šņ", "sn"),
    ("žņ", "zn"),
    ("šļ", "sl"),
    ("žļ", "zl"),
    ("ļņ", "ln"),
    ("ļļ", "ll"),
    ("č", "c"),
    ("ļ", "l"),
    ("ņ", "n"),
];

/// Undoes the consonant alternation before a removed ending whose first letter is `removed`.
fn unpalatalize(stem: &str, removed: char) -> String {
    let rules = if removed == 'u' { BEFORE_U } else { &[] };
    for (from, to) in rules.iter().chain(ALWAYS) {
        if let Some(base) = stem.strip_suffix(from) {
            return format!("{base}{to}");
        }
    }
    stem.to_string()
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
    fn infinitive_verbal_noun_and_imperative_share_a_stem() {
        for (forms, expected) in [
            (
                &["palielināt", "palielināšana", "palieliniet", "palielina"][..],
                "palielin",
            ),
            (&["slēgt", "slēgšana", "slēgšanas"][..], "slēg"),
            (&["iespējot", "iespējošana", "iespējojiet"][..], "iespēj"),
            (&["rediģēt", "rediģēšanu", "rediģējiet"][..], "rediģ"),
            (&["atlasīt", "atlasiet", "atlasīšana"][..], "atlas"),
            (&["dzēst", "dzēšana"][..], "dzē"),
            (
                &["pierakstīties", "pierakstīšanās", "pierakstieties"][..],
                "pierakst",
            ),
        ] {
            for w in forms {
                assert_eq!(stem(w), expected, "{w}");
            }
        }
    }

    #[test]
    fn short_verbs_are_kept() {
        // Removing -st or -t would leave too little.
        assert_eq!(stem("iet"), "iet");
        assert_eq!(stem("nest"), "nest");
    }

    #[test]
    fn words_without_enough_vowels_are_kept() {
        // "s" needs a vowel in the word; "zvs" has none.
        assert_eq!(stem("zvs"), "zvs");
    }
}
