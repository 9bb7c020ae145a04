//! The languages helpsearch knows, and the analyzers built for them.
//!
//! [`LANGUAGES`] is the one table of languages: adding a language is adding one entry there.
//! Every language shares the [`ScriptTokenizer`] (words, or bigrams for scripts written
//! without spaces), lowercasing and Unicode normalization; an entry adds what is its own:
//! the detector's language, its casing (Turkish's dotted and dotless i), letter
//! equivalences, a stemmer and its function words. Each language gets two analyzers:
//! [`AnalyzerKind::Exact`] keeps diacritics, [`AnalyzerKind::Folded`] removes them so that a
//! query typed without diacritics still matches.

mod casing;
mod folder;
mod latvian;
mod memo;
mod normalizer;
mod slovenian;
mod stemmer;
mod token_map;
mod tokenizer;
mod word_ids;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;
use std::str::FromStr;
use std::sync::OnceLock;

use frostem::Algorithm;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, TextAnalyzer, Token};
use whatlang::Lang;

pub use casing::{CaseMapper, Casing};
pub use folder::{fold_text, DiacriticFolder, FoldableOnly, WithFoldable, FOLDED_EXACT_SEPARATOR};
pub use memo::{HandedOver, HandedOverTokenizer, MemoTokenizer};
pub(crate) use memo::{TokenFinder, TokenNumbering, BARE_FORM_SEPARATOR};
pub use normalizer::{fold_width, Normalizer};
pub use stemmer::{Stemmer, Stemming};
pub use token_map::{MapFilter, TokenMap};
pub(crate) use tokenizer::is_unspaced_script;
pub use tokenizer::ScriptTokenizer;

/// One language: what it is called and how its text is analyzed.
#[derive(Debug)]
pub struct Language {
    /// The locale code, as the corpus names its folders (`sv-SE`).
    pub locale: &'static str,
    /// The language's English name.
    pub name: &'static str,
    /// The language as whatlang detects it. Serbian is written in Latin script here and
    /// whatlang knows Serbian only in Cyrillic, so sr-Latn-RS shares Croatian's.
    pub detector: Lang,
    /// How its capitals become small letters.
    pub casing: Casing,
    /// It writes compounds as one word ("postlåda"): a query's long word is also sought as
    /// two words, as machine translation writes some ("post låda").
    pub closed_compounds: bool,
    /// Letters the corpus writes two ways, mapped to one (from, to).
    pub equivalences: &'static [(char, char)],
    /// The stemmer.
    pub stemming: Stemming,
    /// Where the language's function words come from.
    pub function_words: FunctionWords,
    /// A text in the language and the tokens its exact analyzer must make of it (tested:
    /// a change to the analysis shows up here first).
    pub sample: (&'static str, &'static [&'static str]),
}

/// A language's function words ("how", "the", "to"): a query's words that say little of
/// what is sought, so that a query seeks them in titles only and an article need not have
/// them all. They are words as typed, not stems: a stemmer gives some of them the stem of
/// a content word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionWords {
    /// The list of the `stop-words` crate for this ISO 639-1 code: NLTK's (Snowball's
    /// lists, with Romanian and Slovenian) where it has one, else Stopwords ISO's.
    Listed(&'static str),
    /// No list: scripts cut into character pairs, whose tokens are not words, and
    /// languages whose only list names content words as well (Indonesian's NLTK list has
    /// "membuat", create; Czech's ISO list "clanek", article).
    Unlisted,
}

const fn lang(
    locale: &'static str,
    name: &'static str,
    detector: Lang,
    stemming: Stemming,
    function_words: FunctionWords,
    sample: (&'static str, &'static [&'static str]),
) -> Language {
    Language {
        locale,
        name,
        detector,
        casing: Casing::Unicode,
        closed_compounds: false,
        equivalences: &[],
        stemming,
        function_words,
        sample,
    }
}

/// `language`, which writes compounds as one word ([`Language::closed_compounds`]).
const fn compounding(language: Language) -> Language {
    Language {
        closed_compounds: true,
        ..language
    }
}

use FunctionWords::{Listed, Unlisted};
use Stemming::{None as Unstemmed, Snowball};

/// Every language helpsearch indexes. English comes first: it also analyzes the English
/// source text of translated articles.
pub static LANGUAGES: &[Language] = &[
    lang(
        "en-US",
        "English",
        Lang::Eng,
        Snowball(Algorithm::English),
        Listed("en"),
        (
            "How to close your account",
            &["how", "to", "close", "your", "account"],
        ),
    ),
    Language {
        // Alef maksura as ya, as Lucene's Arabic normalization writes it: users type
        // "محتوي" for "محتوى" (content), which the stemmer would leave as another word.
        equivalences: &[('ى', 'ي')],
        ..lang(
            "ar-SA",
            "Arabic",
            Lang::Ara,
            Snowball(Algorithm::Arabic),
            Listed("ar"),
            ("كيفية إغلاق حسابك ومحتوى", &["كيف", "اغلاق", "حساب", "محتو"]),
        )
    },
    lang(
        "bg-BG",
        "Bulgarian",
        Lang::Bul,
        Unstemmed,
        Unlisted,
        (
            "Как да закриете акаунта си",
            &["как", "да", "закриете", "акаунта", "си"],
        ),
    ),
    lang(
        "cs-CZ",
        "Czech",
        Lang::Ces,
        Snowball(Algorithm::Czech),
        Unlisted,
        ("Jak zavřít účet", &["jak", "zavřít", "účet"]),
    ),
    compounding(lang(
        "da-DK",
        "Danish",
        Lang::Dan,
        Snowball(Algorithm::Danish),
        Listed("da"),
        (
            "Sådan lukker du din konto",
            &["sådan", "luk", "du", "din", "konto"],
        ),
    )),
    compounding(lang(
        "de-DE",
        "German",
        Lang::Deu,
        Snowball(Algorithm::German),
        Listed("de"),
        (
            "So schließen Sie Ihr Konto",
            &["so", "schliess", "sie", "ihr", "konto"],
        ),
    )),
    lang(
        "el-GR",
        "Greek",
        Lang::Ell,
        Snowball(Algorithm::Greek),
        Listed("el"),
        (
            "Πώς να κλείσετε τον λογαριασμό σας",
            &["πωσ", "να", "κλει", "τον", "λογαριασμ", "σ"],
        ),
    ),
    lang(
        "es-ES",
        "Spanish",
        Lang::Spa,
        Snowball(Algorithm::Spanish),
        Listed("es"),
        ("Cerrar la cuenta", &["cerr", "la", "cuent"]),
    ),
    compounding(lang(
        "et-EE",
        "Estonian",
        Lang::Est,
        Snowball(Algorithm::Estonian),
        Listed("et"),
        (
            "Kuidas oma kontot sulgeda?",
            &["kuida", "oma", "konto", "sulge"],
        ),
    )),
    compounding(lang(
        "fi-FI",
        "Finnish",
        Lang::Fin,
        Snowball(Algorithm::Finnish),
        Listed("fi"),
        ("Tilin sulkeminen", &["til", "sulkemin"]),
    )),
    lang(
        "fr-FR",
        "French",
        Lang::Fra,
        Snowball(Algorithm::French),
        Listed("fr"),
        (
            "Comment fermer votre compte",
            &["comment", "ferm", "votr", "compt"],
        ),
    ),
    lang(
        "he-IL",
        "Hebrew",
        Lang::Heb,
        Unstemmed,
        Listed("he"),
        (
            "כיצד לסגור את החשבון שלך",
            &["כיצד", "לסגור", "את", "החשבון", "שלך"],
        ),
    ),
    lang(
        "hr-HR",
        "Croatian",
        Lang::Hrv,
        Snowball(Algorithm::Serbian),
        Listed("hr"),
        ("Zatvaranje računa", &["zatvaranj", "račun"]),
    ),
    compounding(lang(
        "hu-HU",
        "Hungarian",
        Lang::Hun,
        Snowball(Algorithm::Hungarian),
        Listed("hu"),
        (
            "Fiók megszüntetésének módja",
            &["fió", "megszüntetés", "mód"],
        ),
    )),
    lang(
        "id-ID",
        "Indonesian",
        Lang::Ind,
        Snowball(Algorithm::Indonesian),
        Unlisted,
        ("Cara menutup akun Anda", &["cara", "utup", "akun", "anda"]),
    ),
    lang(
        "it-IT",
        "Italian",
        Lang::Ita,
        Snowball(Algorithm::Italian),
        Listed("it"),
        ("Come chiudere l'account", &["com", "chiud", "l", "account"]),
    ),
    lang(
        "ja-JP",
        "Japanese",
        Lang::Jpn,
        Unstemmed,
        Unlisted,
        (
            "アカウントの使用を停止する方法",
            &[
                "アカ", "カウ", "ウン", "ント", "トの", "の使", "使用", "用を", "を停", "停止",
                "止す", "する", "る方", "方法",
            ],
        ),
    ),
    lang(
        "ko-KR",
        "Korean",
        Lang::Kor,
        Unstemmed,
        Unlisted,
        (
            "계정을 폐쇄하는 방법",
            &["계정", "정을", "폐쇄", "쇄하", "하는", "방법"],
        ),
    ),
    lang(
        "lt-LT",
        "Lithuanian",
        Lang::Lit,
        Snowball(Algorithm::Lithuanian),
        Unlisted,
        ("Savo paskyros uždarymas", &["sav", "paskyr", "uždarym"]),
    ),
    lang(
        "lv-LV",
        "Latvian",
        Lang::Lav,
        Stemming::Latvian,
        Listed("lv"),
        ("Kā slēgt kontu", &["kā", "slēg", "kont"]),
    ),
    compounding(lang(
        "nb-NO",
        "Norwegian Bokmål",
        Lang::Nob,
        Snowball(Algorithm::Norwegian),
        Listed("no"),
        (
            "Hvordan avslutte kontoen din",
            &["hvordan", "avslutt", "konto", "din"],
        ),
    )),
    compounding(lang(
        "nl-NL",
        "Dutch",
        Lang::Nld,
        Snowball(Algorithm::Dutch),
        Listed("nl"),
        (
            "Hoe u uw account kunt sluiten",
            &["hoe", "u", "uw", "account", "kunt", "sluit"],
        ),
    )),
    lang(
        "pl-PL",
        "Polish",
        Lang::Pol,
        Snowball(Algorithm::Polish),
        Listed("pl"),
        ("Jak zamknąć konto", &["jak", "zamkn", "kont"]),
    ),
    lang(
        "pt-BR",
        "Portuguese (Brazil)",
        Lang::Por,
        Snowball(Algorithm::Portuguese),
        Listed("pt"),
        ("Como fechar sua conta", &["com", "fech", "sua", "cont"]),
    ),
    lang(
        "pt-PT",
        "Portuguese (Portugal)",
        Lang::Por,
        Snowball(Algorithm::Portuguese),
        Listed("pt"),
        (
            "Como fechar a sua conta",
            &["com", "fech", "a", "sua", "cont"],
        ),
    ),
    Language {
        // The corpus writes ș ț both with a comma (correct) and a cedilla (legacy).
        equivalences: &[('ş', 'ș'), ('ţ', 'ț'), ('Ş', 'Ș'), ('Ţ', 'Ț')],
        ..lang(
            "ro-RO",
            "Romanian",
            Lang::Ron,
            Snowball(Algorithm::Romanian),
            Listed("ro"),
            (
                "Cum să vă închideți contul",
                &["cum", "să", "vă", "închid", "cont"],
            ),
        )
    },
    lang(
        "ru-RU",
        "Russian",
        Lang::Rus,
        Snowball(Algorithm::Russian),
        Listed("ru"),
        (
            "Как закрыть свой аккаунт",
            &["как", "закр", "сво", "аккаунт"],
        ),
    ),
    lang(
        "sk-SK",
        "Slovak",
        Lang::Slk,
        Unstemmed,
        Listed("sk"),
        ("Zrušenie konta", &["zrušenie", "konta"]),
    ),
    lang(
        "sl-SI",
        "Slovenian",
        Lang::Slv,
        Stemming::Slovenian,
        Listed("sl"),
        ("Zapiranje računa", &["zapir", "račun"]),
    ),
    lang(
        "sr-Latn-RS",
        "Serbian (Latin)",
        Lang::Hrv,
        Snowball(Algorithm::Serbian),
        // No list is Serbian's: Croatian's function words are its own in Latin script.
        Listed("hr"),
        ("Kako da zatvorite nalog", &["kak", "da", "zatvori", "nal"]),
    ),
    compounding(lang(
        "sv-SE",
        "Swedish",
        Lang::Swe,
        Snowball(Algorithm::Swedish),
        Listed("sv"),
        (
            "Så stänger du ditt konto",
            &["så", "stäng", "du", "ditt", "konto"],
        ),
    )),
    lang(
        "th-TH",
        "Thai",
        Lang::Tha,
        Unstemmed,
        Unlisted,
        (
            "วิธีการปิดบัญชีผู้ใช้ของคุณ",
            &[
                "วิธี",
                "ธีก",
                "กา",
                "าร",
                "รปิ",
                "ปิด",
                "ดบั",
                "บัญ",
                "ญชี",
                "ชีผู้",
                "ผู้ใ",
                "ใช้",
                "ช้ข",
                "ขอ",
                "อง",
                "งคุ",
                "คุณ",
            ],
        ),
    ),
    Language {
        // Dotted and dotless i: "IŞIK" is "ışık", "İLETİLERİ" "iletileri".
        casing: Casing::Turkic,
        ..lang(
            "tr-TR",
            "Turkish",
            Lang::Tur,
            Snowball(Algorithm::Turkish),
            Listed("tr"),
            (
                "Hesabınızı kapatma: İLETİLERİ IŞIKLARI",
                &["hesap", "kapatma", "ileti", "ışık"],
            ),
        )
    },
    lang(
        "uk-UA",
        "Ukrainian",
        Lang::Ukr,
        Unstemmed,
        Listed("uk"),
        (
            "Закриття облікового запису",
            &["закриття", "облікового", "запису"],
        ),
    ),
    lang(
        "vi-VN",
        "Vietnamese",
        Lang::Vie,
        Unstemmed,
        Unlisted,
        (
            "Cách đóng tài khoản của bạn",
            &["cách", "đóng", "tài", "khoản", "của", "bạn"],
        ),
    ),
    lang(
        "zh-CN",
        "Chinese (Simplified)",
        Lang::Cmn,
        Unstemmed,
        Unlisted,
        (
            "如何关闭你的帐户",
            &["如何", "何关", "关闭", "闭你", "你的", "的帐", "帐户"],
        ),
    ),
    lang(
        "zh-TW",
        "Chinese (Traditional)",
        Lang::Cmn,
        Unstemmed,
        Unlisted,
        (
            "如何關閉您的帳戶",
            &["如何", "何關", "關閉", "閉您", "您的", "的帳", "帳戶"],
        ),
    ),
];

/// The two analyzers every language has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnalyzerKind {
    /// Lowercased, normalized, stemmed; diacritics kept.
    Exact,
    /// As `Exact`, then diacritics removed.
    Folded,
    /// As `Exact`, only the tokens that `Folded` would change: what the index of exact forms
    /// holds, since only those forms are ever looked up there.
    Foldable,
    /// `Folded`, each token followed by its `Foldable` token (if any) after a NUL, and
    /// through its memory by the `Folded` token of its word typed bare (if another) after a
    /// U+0001: how the build cuts text once for all its fields
    /// ([`Locale::indexing_analyzers`]).
    FoldedWithFoldable,
    /// Lowercased, normalized, diacritics removed, not stemmed: words as spelt, which tell
    /// close languages apart where their stems agree (Brazilian `aplicativo`, European
    /// `aplicação`, Spanish `aplicación`: all `aplic`). The same in every language (a
    /// language's letter equivalences join only letters that folding joins too), so a
    /// query's spellings are made once for all locales.
    Spelling,
    /// As `Spelling`, with the diacritics kept: words as written, which tell apart the
    /// languages whose spellings agree once folded (Portuguese `domínios`, Spanish
    /// `dominios`).
    Written,
}

impl AnalyzerKind {
    /// How many kinds there are: one more than the largest [`AnalyzerKind::place`].
    pub(crate) const COUNT: usize = 6;

    /// The kind's place among the kinds, from 0.
    pub(crate) const fn place(self) -> usize {
        match self {
            AnalyzerKind::Exact => 0,
            AnalyzerKind::Folded => 1,
            AnalyzerKind::Foldable => 2,
            AnalyzerKind::FoldedWithFoldable => 3,
            AnalyzerKind::Spelling => 4,
            AnalyzerKind::Written => 5,
        }
    }
}

/// Tokens longer than this (in bytes) are noise (URLs, hashes) and are dropped.
const MAX_TOKEN_BYTES: usize = 64;

/// A locale of [`LANGUAGES`]: a small copyable handle on its table entry.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale(u8);

impl Locale {
    /// English, which also analyzes the English source of translated articles.
    pub const ENGLISH: Locale = Locale(0);

    /// Every locale of the table, in table order.
    pub fn all() -> impl Iterator<Item = Locale> {
        (0..LANGUAGES.len()).map(|i| Locale(i as u8))
    }

    /// The position of the locale in [`LANGUAGES`].
    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }

    /// The table entry.
    pub fn language(self) -> &'static Language {
        &LANGUAGES[self.0 as usize]
    }

    /// The locale code (`sv-SE`).
    pub fn code(self) -> &'static str {
        self.language().locale
    }

    /// The language subtag (`sv`).
    pub fn language_code(self) -> &'static str {
        self.code().split('-').next().unwrap_or_default()
    }

    /// Whether `word`, lowercased and folded as [`fold_text`] does, is one of the
    /// language's function words ([`FunctionWords`]).
    pub fn is_function_word(self, word: &str) -> bool {
        static SETS: OnceLock<Vec<OnceLock<FxHashSet<String>>>> = OnceLock::new();
        let FunctionWords::Listed(code) = self.language().function_words else {
            return false;
        };
        // Each list folded once, when its language is first searched.
        SETS.get_or_init(|| Locale::all().map(|_| OnceLock::new()).collect())[self.index()]
            .get_or_init(|| stop_words::get(code).iter().map(|w| fold_text(w)).collect())
            .contains(word)
    }

    /// The locales whatlang reports as `lang` (pt-BR and pt-PT share one).
    pub fn for_detected(lang: Lang) -> impl Iterator<Item = Locale> {
        Locale::all().filter(move |l| l.language().detector == lang)
    }

    /// Builds this language's analyzer of the given kind.
    pub fn analyzer(self, kind: AnalyzerKind) -> TextAnalyzer {
        TextAnalyzer::from(MemoTokenizer::new(self, kind, self.word_analyzer(kind)))
    }

    /// The analyzers that build a locale index: the folded fields', the exact forms' and
    /// the bare forms'. The first cuts each text into words once for all, and hands the
    /// exact and bare forms over to the others ([`HandedOverTokenizer`]), which give them
    /// in place of their own text: the exact forms' index is as if the `Foldable` analyzer
    /// had cut every text. They hand over through the calling thread, which must be the one
    /// that indexes.
    pub fn indexing_analyzers(self) -> [TextAnalyzer; 3] {
        memo::forget_handed_over();
        let folded = MemoTokenizer::new(
            self,
            AnalyzerKind::FoldedWithFoldable,
            self.word_analyzer(AnalyzerKind::FoldedWithFoldable),
        );
        [
            TextAnalyzer::from(folded),
            TextAnalyzer::from(HandedOverTokenizer::new(HandedOver::ExactForms)),
            TextAnalyzer::from(HandedOverTokenizer::new(HandedOver::BareForms)),
        ]
    }

    /// The analyzer without its memory: what [`MemoTokenizer`] applies to each word.
    fn word_analyzer(self, kind: AnalyzerKind) -> TextAnalyzer {
        let language = self.language();
        let (casing, equivalences, stemming) = match kind {
            AnalyzerKind::Spelling | AnalyzerKind::Written => {
                (Casing::Unicode, &[][..], Stemming::None)
            }
            _ => (language.casing, language.equivalences, language.stemming),
        };
        let builder = TextAnalyzer::builder(ScriptTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(MapFilter(CaseMapper(casing)))
            .filter(LowerCaser)
            .filter(MapFilter(Normalizer::new(equivalences)))
            .filter(MapFilter(Stemmer::new(stemming)));
        match kind {
            AnalyzerKind::Exact | AnalyzerKind::Written => builder.build(),
            AnalyzerKind::Folded | AnalyzerKind::Spelling => {
                builder.filter(MapFilter(DiacriticFolder)).build()
            }
            AnalyzerKind::Foldable => builder.filter(MapFilter(FoldableOnly)).build(),
            AnalyzerKind::FoldedWithFoldable => builder.filter(MapFilter(WithFoldable)).build(),
        }
    }

    /// The text of the tokens this language's analyzer makes of `text`, cheaply: what a
    /// query is analyzed into for each locale when its language is guessed.
    pub(crate) fn token_texts(self, kind: AnalyzerKind, text: &str) -> Vec<Rc<str>> {
        memo::tokens_of(self, kind, text)
    }

    /// [`Locale::token_texts`] for each of `locales`, in their order (the text is cut into
    /// words once).
    pub(crate) fn token_texts_each(
        locales: &[Locale],
        kind: AnalyzerKind,
        text: &str,
    ) -> Vec<Vec<Rc<str>>> {
        memo::tokens_of_each(locales, kind, text)
    }

    /// The words of `text` as spelt ([`AnalyzerKind::Spelling`]), each with its form as
    /// written ([`AnalyzerKind::Written`]) where that differs. Both analyzers are the same in
    /// every language, so this is too.
    pub(crate) fn spellings(text: &str) -> Vec<(Rc<str>, Option<Rc<str>>)> {
        let spelt = Locale::ENGLISH.token_texts(AnalyzerKind::Spelling, text);
        let written = Locale::ENGLISH.token_texts(AnalyzerKind::Written, text);
        // The two analyzers cut alike and drop alike: word by word.
        let aligned = written.len() == spelt.len();
        (spelt.into_iter().enumerate())
            .map(|(i, spelt)| {
                let written = written.get(i).filter(|w| aligned && **w != spelt);
                (spelt, written.cloned())
            })
            .collect()
    }

    /// The tokens this language's analyzer makes of `text` (for `helpsearch analyze`).
    pub fn analyze(self, kind: AnalyzerKind, text: &str) -> Vec<Token> {
        thread_local! {
            /// Queries are analyzed for many locales (detection tries them all): each
            /// thread builds each analyzer once.
            static ANALYZERS: RefCell<HashMap<(Locale, AnalyzerKind), TextAnalyzer>> =
                RefCell::new(HashMap::new());
        }
        ANALYZERS.with(|analyzers| {
            let mut analyzers = analyzers.borrow_mut();
            let analyzer = analyzers
                .entry((self, kind))
                .or_insert_with(|| self.analyzer(kind));
            let mut stream = analyzer.token_stream(text);
            let mut tokens = Vec::new();
            stream.process(&mut |t: &Token| tokens.push(t.clone()));
            tokens
        })
    }
}

/// A locale name that is not one of [`LANGUAGES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?} (known: {known})", known = known_locales())]
pub struct UnknownLocale(pub String);

fn known_locales() -> String {
    Locale::all()
        .map(Locale::code)
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for Locale {
    type Err = UnknownLocale;

    /// Accepts `sv-SE`, `sv_SE`, `SV-se` and a bare language `sv` (the first locale of that
    /// language in the table: `pt` is pt-BR, `zh` is zh-CN), plus `no` and `sr` aliases.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Most codes come as written in the table (every stored article's does).
        if let Some(l) = Locale::all().find(|l| l.code() == s) {
            return Ok(l);
        }
        let wanted = s.trim().replace('_', "-");
        if let Some(l) = Locale::all().find(|l| l.code().eq_ignore_ascii_case(&wanted)) {
            return Ok(l);
        }
        let language = match wanted.to_ascii_lowercase().as_str() {
            "no" | "nn" => "nb".to_string(),
            "sr-rs" | "sr-latn" => "sr".to_string(),
            other => other.to_string(),
        };
        Locale::all()
            .find(|l| l.language_code().eq_ignore_ascii_case(&language))
            .ok_or_else(|| UnknownLocale(s.to_string()))
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

    use super::TokenMap;

    /// `text` as the filter `map` rewrites it.
    pub fn mapped(map: &impl TokenMap, text: &str) -> String {
        let mut text = text.to_string();
        map.map(&mut text, &mut String::new());
        text
    }

    /// All tokens of `text`.
    pub fn tokens_of<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<Token> {
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    /// Checks a token's position, text and byte offsets, as tantivy's own tests do.
    pub fn assert_token(token: &Token, position: usize, text: &str, from: usize, to: usize) {
        assert_eq!(
            (
                token.position,
                token.text.as_str(),
                token.offset_from,
                token.offset_to
            ),
            (position, text, from, to),
            "token {token:?}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn texts(locale: &str, kind: AnalyzerKind, text: &str) -> Vec<String> {
        let locale: Locale = locale.parse().unwrap();
        locale
            .analyze(kind, text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn the_spelling_analyzer_folds_but_does_not_stem() {
        let spelt = texts("pt-PT", AnalyzerKind::Spelling, "Configurar a Aplicação");
        assert_eq!(spelt, ["configurar", "a", "aplicacao"]);
        let written = texts("pt-PT", AnalyzerKind::Written, "Configurar a Aplicação");
        assert_eq!(written, ["configurar", "a", "aplicação"]);
        let stemmed = texts("pt-PT", AnalyzerKind::Folded, "Configurar a Aplicação");
        assert_eq!(stemmed, ["configur", "a", "aplic"]);
        assert_eq!(
            texts("pt-BR", AnalyzerKind::Folded, "aplicativo"),
            ["aplic"],
            "the stems of the two spellings agree"
        );
        assert_eq!(
            texts("sv-SE", AnalyzerKind::Spelling, "Så stänger du ditt konto"),
            ["sa", "stanger", "du", "ditt", "konto"]
        );
        // The same in every language: Romanian's letter equivalences join what folding joins.
        let romanian = "Setări şi setări în ţară";
        for locale in Locale::all() {
            let spelt = locale.analyze(AnalyzerKind::Spelling, romanian);
            let spelt: Vec<String> = spelt.into_iter().map(|t| t.text).collect();
            assert_eq!(spelt, ["setari", "si", "setari", "in", "tara"], "{locale}");
        }
    }

    #[test]
    fn locale_codes_are_unique_and_english_comes_first() {
        let codes: HashSet<_> = Locale::all().map(Locale::code).collect();
        assert_eq!(codes.len(), LANGUAGES.len());
        assert_eq!(Locale::ENGLISH.code(), "en-US");
        // Locale is a u8; the index's lexicon keeps a set of locales in a u64.
        assert!(LANGUAGES.len() <= 64);
    }

    #[test]
    fn parses_locale_spellings() {
        for s in ["sv", "sv-SE", "sv_SE", "SV-se", " sv-se "] {
            assert_eq!(s.parse::<Locale>().unwrap().code(), "sv-SE", "{s}");
        }
        assert_eq!("sr".parse::<Locale>().unwrap().code(), "sr-Latn-RS");
        assert_eq!("no".parse::<Locale>().unwrap().code(), "nb-NO");
        assert_eq!("pt-PT".parse::<Locale>().unwrap().code(), "pt-PT");
        assert_eq!("zh_TW".parse::<Locale>().unwrap().code(), "zh-TW");
        let err = "xx-YY".parse::<Locale>().unwrap_err();
        assert!(err.to_string().contains("unknown language \"xx-YY\""));
    }

    #[test]
    fn locale_round_trips_through_json() {
        let l: Locale = "ro".parse().unwrap();
        let json = serde_json::to_string(&l).unwrap();
        assert_eq!(json, "\"ro-RO\"");
        assert_eq!(serde_json::from_str::<Locale>(&json).unwrap(), l);
        assert!(serde_json::from_str::<Locale>("\"klingon\"").is_err());
    }

    #[test]
    fn exact_analyzer_lowercases_and_stems() {
        assert_eq!(
            texts("sv-SE", AnalyzerKind::Exact, "Stänga Prenumerationer"),
            ["stäng", "prenumeration"]
        );
    }

    #[test]
    fn folded_analyzer_matches_text_typed_without_diacritics() {
        let with = texts("sv-SE", AnalyzerKind::Folded, "återställa användare");
        let without = texts("sv-SE", AnalyzerKind::Folded, "aterstalla anvandare");
        assert_eq!(with, without);
    }

    #[test]
    fn romanian_cedilla_and_comma_letters_are_one_letter() {
        assert_eq!(
            texts("ro-RO", AnalyzerKind::Exact, "setări şterge"),
            texts("ro-RO", AnalyzerKind::Exact, "setări șterge")
        );
    }

    #[test]
    fn long_tokens_are_dropped() {
        let long = "a".repeat(100);
        assert_eq!(
            texts("en", AnalyzerKind::Exact, &format!("{long} ok")),
            ["ok"]
        );
    }

    #[test]
    fn every_listed_language_has_its_function_words() {
        for locale in Locale::all() {
            if let FunctionWords::Listed(code) = locale.language().function_words {
                // `stop_words::get` panics on a code it does not know.
                assert!(stop_words::get(code).len() > 30, "{}", locale.code());
            }
        }
    }

    #[test]
    fn function_words_are_known_typed_with_or_without_diacritics() {
        let l = |code: &str| code.parse::<Locale>().unwrap();
        for (locale, word) in [("sv", "och"), ("sv", "på"), ("ro", "cum"), ("lv", "kā")] {
            assert!(
                l(locale).is_function_word(&fold_text(word)),
                "{locale} {word}"
            );
        }
        assert!(l("sv").is_function_word("pa"));
        assert!(l("lv").is_function_word("ka"));
        for (locale, word) in [("sv", "konto"), ("ro", "cont"), ("en", "account")] {
            assert!(!l(locale).is_function_word(word), "{locale} {word}");
        }
        // Character pairs are not words: no list.
        assert!(!l("ja").is_function_word("の"));
    }

    #[test]
    fn every_language_makes_the_tokens_of_its_sample() {
        let mut failures = Vec::new();
        for locale in Locale::all() {
            let (text, expected) = locale.language().sample;
            let actual: Vec<String> = locale
                .analyze(AnalyzerKind::Exact, text)
                .into_iter()
                .map(|t| t.text)
                .collect();
            if actual != expected {
                failures.push(format!(
                    "{locale}: {text:?} gives {actual:?}, the table expects {expected:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{}\nhelp: if the new tokens are right, update the samples in LANGUAGES",
            failures.join("\n")
        );
    }

    #[test]
    fn every_language_analyzes_its_name_without_panicking() {
        for locale in Locale::all() {
            for kind in [AnalyzerKind::Exact, AnalyzerKind::Folded] {
                let tokens = locale.analyze(kind, locale.language().name);
                assert!(!tokens.is_empty(), "{locale}");
            }
        }
    }
}
