//! A light stemmer for Slovenian.
//!
//! Slovenian has no Snowball stemmer. This one follows the approach of M. Popovič and
//! P. Willett, "The effectiveness of stemming for natural-language access to Slovene
//! textual data", JASIS 43(5), 1992: strip the longest matching ending from a list of
//! inflectional endings, keeping a stem of at least three letters (four for the longer
//! endings, which would otherwise eat into short roots). The list covers the case endings
//! of nouns and adjectives (all three genders, singular, dual and plural), verb endings
//! of the present, the infinitive and the l-participle, and the verbal-noun endings
//! (-anje, -enje, -itev) that help-article titles are full of; after the root of an -iti
//! verb these have a j (-janje, -jenje, -jevanje: "ustvarjanje" of "ustvariti"), which
//! goes with them.
//!
//! The -itev nouns ("nastavitev", "nastavitve": setting, settings) change their stem
//! between cases, so their whole paradigm is removed first, down to the verb's root
//! ("nastav", as "nastaviti" gets): one ending list alone would leave "nastavit" and
//! "nastavitv".

/// The case endings of the -itev verbal nouns, with the -it- they share, longest first.
const ITEV_ENDINGS: &[&str] = &[
    "itvami", "itvama", "itvijo", "itvah", "itvam", "itev", "itve", "itvi",
];

/// Endings, longest first within the order they are tried.
const ENDINGS: &[&str] = &[
    // verbal nouns and adjectival participles
    "jevanje", "janjem", "jenjem", "janja", "jenja", "janje", "jenje", "janju", "jenju", "ovanje",
    "evanje", "anjem", "enjem", "anja", "enja", "anje", "enje", "anju", "enju",
    // adjectives (definite and comparative)
    "ejšega", "ejšemu", "ejših", "ejšim", "ejša", "ejše", "ejši", "ega", "emu", "imi", "ima", "ih",
    "im", // verbs: present, infinitive, l-participle
    "amo", "ate", "ajo", "imo", "ite", "ijo", "emo", "ete", "ejo", "ati", "iti", "eti", "uti",
    "ala", "alo", "ali", "ale", "ila", "ilo", "ili", "ile", "ela", "elo", "eli", "ele", "al", "il",
    "el", "aš", "iš", "eš", // nouns
    "ami", "ema", "oma", "ama", "ovi", "ov", "ev", "om", "em", "ah", "am", "mi", "a", "e", "i",
    "o", "u",
];

/// Shortest stem left by a one- or two-letter ending.
const MIN_STEM: usize = 3;
/// Shortest stem left by a longer ending.
const MIN_STEM_LONG: usize = 4;

/// Stems a lowercased Slovenian word.
pub fn stem(word: &str) -> String {
    let len = word.chars().count();
    for ending in ITEV_ENDINGS {
        if let Some(stem) = word.strip_suffix(ending) {
            if len - ending.chars().count() >= MIN_STEM {
                return stem.to_string();
            }
        }
    }
    for ending in ENDINGS {
        let Some(stem) = word.strip_suffix(ending) else {
            continue;
        };
        let ending_len = ending.chars().count();
        let min = if ending_len > 2 {
            MIN_STEM_LONG
        } else {
            MIN_STEM
        };
        if len - ending_len >= min {
            return stem.to_string();
        }
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn noun_cases_share_a_stem() {
        for w in [
            "račun", "računa", "računu", "računom", "računi", "računov", "računih",
        ] {
            assert_eq!(stem(w), "račun", "{w}");
        }
    }

    #[test]
    fn verbal_nouns() {
        assert_eq!(stem("zapiranje"), "zapir");
        assert_eq!(stem("zapiranja"), "zapir");
        // An -iti verb's noun has a j after the root: the verb's stem all the same.
        for (verb, noun) in [
            ("ustvariti", "ustvarjanje"),
            ("ustvariti", "ustvarjanja"),
            ("odstraniti", "odstranjevanje"),
        ] {
            assert_eq!(stem(verb), stem(noun), "{verb} {noun}");
        }
    }

    #[test]
    fn itev_nouns_share_the_verb_root() {
        for w in [
            "nastavitev",
            "nastavitve",
            "nastavitvi",
            "nastavitvijo",
            "nastavitvah",
            "nastavitvami",
            "nastaviti",
            "nastavite",
        ] {
            assert_eq!(stem(w), "nastav", "{w}");
        }
        assert_eq!(stem("rešitev"), stem("rešitve"));
    }

    #[test]
    fn adjectives() {
        assert_eq!(stem("aktivnega"), "aktivn");
        assert_eq!(stem("aktivne"), "aktivn");
    }

    #[test]
    fn short_words_are_kept() {
        assert_eq!(stem("ali"), "ali");
        assert_eq!(stem("in"), "in");
        assert_eq!(stem("geslo"), "gesl");
    }
}
