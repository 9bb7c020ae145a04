//! Stemming: one token filter over every stemmer a language can name.

use super::token_map::TokenMap;

/// The stemmer of a language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stemming {
    /// No stemmer: tokens are matched as written (after normalization).
    None,
    /// A Snowball stemmer, through the frostem crate.
    Snowball(frostem::Algorithm),
    /// Our light Latvian stemmer (after Kreslins 1996, as Lucene's).
    Latvian,
    /// Our light Slovenian stemmer (after Popovič & Willett 1992).
    Slovenian,
}

/// Applies a language's [`Stemming`] to lowercased tokens.
#[derive(Clone, Copy)]
pub struct Stemmer {
    stemming: Stemming,
    snowball: Option<frostem::Stemmer>,
}

impl Stemmer {
    /// The stemmer for `stemming`.
    pub fn new(stemming: Stemming) -> Self {
        let snowball = match stemming {
            Stemming::Snowball(algorithm) => Some(frostem::Stemmer::new(algorithm)),
            _ => None,
        };
        Stemmer { stemming, snowball }
    }
}

impl TokenMap for Stemmer {
    fn map(&self, text: &mut String, _scratch: &mut String) {
        match (self.stemming, &self.snowball) {
            (Stemming::Snowball(_), Some(stemmer)) => {
                let stemmed = stemmer.stem(text);
                if stemmed != text.as_str() {
                    let stemmed = stemmed.into_owned();
                    *text = stemmed;
                }
            }
            (Stemming::Latvian, _) => *text = super::latvian::stem(text),
            (Stemming::Slovenian, _) => *text = super::slovenian::stem(text),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frostem::Algorithm;

    fn stem(stemming: Stemming, word: &str) -> String {
        let mut text = word.to_string();
        Stemmer::new(stemming).map(&mut text, &mut String::new());
        text
    }

    #[test]
    fn snowball_stems() {
        assert_eq!(
            stem(Stemming::Snowball(Algorithm::Swedish), "prenumerationer"),
            "prenumeration"
        );
        assert_eq!(
            stem(Stemming::Snowball(Algorithm::English), "closing"),
            "close"
        );
    }

    #[test]
    fn none_keeps_the_token() {
        assert_eq!(stem(Stemming::None, "kontu"), "kontu");
    }
}
