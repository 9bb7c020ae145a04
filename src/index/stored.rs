//! How an article is stored in the index: a compact binary form.
//!
//! Every hit decodes its article, so the stored form must decode fast. The article's JSON
//! (its public form) decodes slowly: blocks flatten their kind and text into one object,
//! which serde can only read through an intermediate map. This form is netstrings (a
//! decimal length, `:`, the text) and decimal numbers ended by `;`, in field order, so the
//! whole is UTF-8 and is stored as a text field, which a hit reads in place
//! ([`super::store`]). The index's format version covers the layout.
//!
//! A locale's document stores the article without its English source: the 36 translations
//! of an article share one source, stored once with the English index ([`encode_sources`])
//! and joined to a hit's article only when it is wanted ([`join_sources`]).

use crate::article::{Article, Block, BlockKind, Link, Metadata, Text};
use crate::language::Locale;

/// Encodes an article, without its English source.
pub(crate) fn encode(article: &Article) -> String {
    let mut w = Writer(String::with_capacity(4096));
    let Article {
        slug,
        locale,
        title,
        meta,
        blocks,
    } = article;
    w.str(slug);
    w.str(locale.code());
    w.text(title);
    let Metadata {
        title,
        content_locale,
        translation_type,
        asset_ids,
        topic,
        date,
        description,
    } = meta;
    for field in [
        title,
        content_locale,
        translation_type,
        topic,
        date,
        description,
    ] {
        w.opt_str(field.as_deref());
    }
    w.len(asset_ids.len());
    for id in asset_ids {
        w.str(id);
    }
    w.len(blocks.len());
    for Block { kind, text, links } in blocks {
        let (tag, n) = match *kind {
            BlockKind::Heading { level } => (0, u32::from(level)),
            BlockKind::Paragraph => (1, 0),
            BlockKind::Note => (2, 0),
            BlockKind::ListItem => (3, 0),
            BlockKind::Step { n } => (4, n),
            BlockKind::TableRow => (5, 0),
            BlockKind::Code => (6, 0),
        };
        w.len(tag);
        w.len(n as usize);
        w.text(text);
        w.len(links.len());
        for Link { text, url } in links {
            w.str(text);
            w.str(url);
        }
    }
    w.0
}

/// Encodes an article's English source: the title's and each block's, in order.
pub(crate) fn encode_sources(article: &Article) -> String {
    let mut w = Writer(String::with_capacity(4096));
    w.len(1 + article.blocks.len());
    for text in article.texts() {
        w.opt_str(text.source.as_deref());
    }
    w.0
}

/// Decodes what [`encode_sources`] wrote.
pub(crate) fn decode_sources(stored: &str) -> Result<Vec<Option<&str>>, String> {
    let mut r = Reader(stored);
    let count = r.len()?;
    let sources = (0..count.min(stored.len()))
        .map(|_| r.opt_str())
        .collect::<Result<Vec<_>, _>>()?;
    if sources.len() != count || !r.0.is_empty() {
        return Err("the English source list is damaged".into());
    }
    Ok(sources)
}

/// A stored article read in place: its texts borrowed from the stored form (and, once
/// joined, from the English index's), so that a hit copies only the few it shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ArticleView<'a> {
    pub slug: &'a str,
    pub locale: Locale,
    pub title: TextView<'a>,
    pub blocks: Vec<BlockView<'a>>,
    /// The metadata's texts in [`Metadata`] order, and its asset ids.
    meta: [Option<&'a str>; 6],
    asset_ids: Vec<&'a str>,
}

/// A text and its English source, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextView<'a> {
    pub text: &'a str,
    pub source: Option<&'a str>,
}

/// A block, borrowed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BlockView<'a> {
    pub kind: BlockKind,
    pub text: TextView<'a>,
    /// (text, url) of each link.
    links: Vec<(&'a str, &'a str)>,
}

impl<'a> TextView<'a> {
    #[cfg(test)]
    fn of(text: &'a Text) -> TextView<'a> {
        TextView {
            text: &text.text,
            source: text.source.as_deref(),
        }
    }

    fn to_text(self) -> Text {
        Text {
            text: self.text.to_string(),
            source: self.source.map(str::to_string),
        }
    }
}

impl<'a> ArticleView<'a> {
    /// Reads what [`encode`] wrote (an article without its English source); `Err` says what
    /// is wrong with the bytes.
    pub fn decode(stored: &'a str) -> Result<ArticleView<'a>, String> {
        let mut r = Reader(stored);
        let slug = r.str()?;
        let locale = r.str()?.parse().map_err(|e| format!("{e}"))?;
        let title = r.text()?;
        // In the order `encode` writes them.
        let mut meta = [None; 6];
        for field in &mut meta {
            *field = r.opt_str()?;
        }
        let asset_ids = (0..r.len()?.min(stored.len()))
            .map(|_| r.str())
            .collect::<Result<_, _>>()?;
        let count = r.len()?;
        let mut blocks = Vec::with_capacity(count.min(stored.len()));
        for _ in 0..count {
            let tag = r.len()?;
            let n = r.len()?;
            let kind = match tag {
                0 => BlockKind::Heading {
                    level: u8::try_from(n).map_err(|_| "a heading level is out of range")?,
                },
                1 => BlockKind::Paragraph,
                2 => BlockKind::Note,
                3 => BlockKind::ListItem,
                4 => BlockKind::Step {
                    n: u32::try_from(n).map_err(|_| "a step number is out of range")?,
                },
                5 => BlockKind::TableRow,
                6 => BlockKind::Code,
                other => return Err(format!("unknown block kind {other}")),
            };
            let text = r.text()?;
            let links = (0..r.len()?.min(stored.len()))
                .map(|_| Ok((r.str()?, r.str()?)))
                .collect::<Result<_, String>>()?;
            blocks.push(BlockView { kind, text, links });
        }
        if !r.0.is_empty() {
            return Err(format!("{} bytes left over", r.0.len()));
        }
        Ok(ArticleView {
            slug,
            locale,
            title,
            blocks,
            meta,
            asset_ids,
        })
    }

    /// A view of an article held whole.
    #[cfg(test)]
    pub fn of(article: &'a Article) -> ArticleView<'a> {
        let m = &article.meta;
        ArticleView {
            slug: &article.slug,
            locale: article.locale,
            title: TextView::of(&article.title),
            blocks: article
                .blocks
                .iter()
                .map(|b| BlockView {
                    kind: b.kind,
                    text: TextView::of(&b.text),
                    links: b.links.iter().map(|l| (&*l.text, &*l.url)).collect(),
                })
                .collect(),
            meta: [
                &m.title,
                &m.content_locale,
                &m.translation_type,
                &m.topic,
                &m.date,
                &m.description,
            ]
            .map(|f| f.as_deref()),
            asset_ids: m.asset_ids.iter().map(String::as_str).collect(),
        }
    }

    /// Gives the title and blocks their English `sources` (what [`decode_sources`] read);
    /// `Err` when they are not as many as the texts.
    pub fn join_sources(&mut self, sources: &[Option<&'a str>]) -> Result<(), String> {
        if sources.len() != 1 + self.blocks.len() {
            return Err(format!(
                "{} English sources for an article of {} texts",
                sources.len(),
                1 + self.blocks.len()
            ));
        }
        let texts =
            std::iter::once(&mut self.title).chain(self.blocks.iter_mut().map(|b| &mut b.text));
        for (text, source) in texts.zip(sources) {
            text.source = *source;
        }
        Ok(())
    }

    /// The numbered steps: number and text.
    pub fn steps(&self) -> impl Iterator<Item = (u32, TextView<'a>)> + '_ {
        self.blocks.iter().filter_map(|b| match b.kind {
            BlockKind::Step { n } => Some((n, b.text)),
            _ => None,
        })
    }

    /// The article, owned.
    pub fn to_article(&self) -> Article {
        let owned = |s: Option<&str>| s.map(str::to_string);
        let [title, content_locale, translation_type, topic, date, description] = self.meta;
        Article {
            slug: self.slug.to_string(),
            locale: self.locale,
            title: self.title.to_text(),
            meta: Metadata {
                title: owned(title),
                content_locale: owned(content_locale),
                translation_type: owned(translation_type),
                topic: owned(topic),
                date: owned(date),
                description: owned(description),
                asset_ids: self.asset_ids.iter().map(|s| s.to_string()).collect(),
            },
            blocks: self
                .blocks
                .iter()
                .map(|b| Block {
                    kind: b.kind,
                    text: b.text.to_text(),
                    links: b
                        .links
                        .iter()
                        .map(|(text, url)| Link {
                            text: text.to_string(),
                            url: url.to_string(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

struct Writer(String);

impl Writer {
    /// `n` in decimal, then `end` (not through `write!`: its formatting machinery was 2 %
    /// of a build's instructions).
    fn number(&mut self, n: usize, end: char) {
        self.0.push_str(itoa::Buffer::new().format(n));
        self.0.push(end);
    }

    fn len(&mut self, n: usize) {
        self.number(n, ';');
    }

    fn str(&mut self, s: &str) {
        self.number(s.len(), ':');
        self.0.push_str(s);
    }

    /// `None` as `-`, `Some(s)` as a netstring.
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.0.push('-'),
            Some(s) => self.str(s),
        }
    }

    /// The text only: the source is stored with the English index.
    fn text(&mut self, t: &Text) {
        self.str(&t.text);
    }
}

struct Reader<'a>(&'a str);

impl<'a> Reader<'a> {
    /// A decimal number ended by `end`. Read digit by digit: `str::parse` (sign and radix
    /// checks a digit) was 3 % of a query's instructions.
    fn number(&mut self, end: u8) -> Result<usize, String> {
        let mut n: usize = 0;
        for (i, b) in self.0.bytes().enumerate() {
            if b == end && i > 0 {
                self.0 = &self.0[i + 1..];
                return Ok(n);
            }
            let digit = b.is_ascii_digit().then(|| usize::from(b - b'0'));
            match digit.and_then(|d| n.checked_mul(10)?.checked_add(d)) {
                Some(more) => n = more,
                None => {
                    let read = self.0.get(..=i).unwrap_or(&self.0[..i]);
                    return Err(format!("{read:?} is not a length"));
                }
            }
        }
        Err("the text ends early".to_string())
    }

    fn len(&mut self) -> Result<usize, String> {
        self.number(b';')
    }

    fn str(&mut self) -> Result<&'a str, String> {
        let len = self.number(b':')?;
        let s = self
            .0
            .get(..len)
            .ok_or("a string runs past the end or splits a character")?;
        self.0 = &self.0[len..];
        Ok(s)
    }

    fn opt_str(&mut self) -> Result<Option<&'a str>, String> {
        match self.0.strip_prefix('-') {
            Some(rest) => {
                self.0 = rest;
                Ok(None)
            }
            None => self.str().map(Some),
        }
    }

    fn text(&mut self) -> Result<TextView<'a>, String> {
        Ok(TextView {
            text: self.str()?,
            source: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes an article (without its English source).
    fn decode(stored: &str) -> Result<Article, String> {
        ArticleView::decode(stored).map(|view| view.to_article())
    }

    #[test]
    fn numbers_read_digit_by_digit() {
        let mut r = Reader("12;3:x");
        assert_eq!(r.len(), Ok(12));
        assert_eq!(r.number(b':'), Ok(3));
        assert_eq!(r.0, "x");
        for bad in [
            "",
            ";",
            "1x;",
            "-1;",
            "+1;",
            "99999999999999999999999;",
            "12",
        ] {
            assert!(Reader(bad).len().is_err(), "{bad:?}");
        }
    }

    fn article() -> Article {
        let text = |t: &str, s: Option<&str>| Text {
            text: t.into(),
            source: s.map(Into::into),
        };
        let block = |kind, t| Block {
            kind,
            text: text(t, Some("source")),
            links: Vec::new(),
        };
        Article {
            slug: "commercial-dialogues/close".into(),
            locale: "sv-SE".parse().unwrap(),
            title: text(
                "Så stänger du ditt konto",
                Some("How to close your account"),
            ),
            meta: Metadata {
                title: Some("Så stänger".into()),
                content_locale: Some("sv-SE".into()),
                translation_type: None,
                asset_ids: vec!["a".into(), "b".into()],
                topic: Some("".into()),
                date: Some("01/01/2024".into()),
                description: Some("x".repeat(300)),
            },
            blocks: vec![
                block(BlockKind::Heading { level: 2 }, "Rubrik"),
                block(BlockKind::Paragraph, ""),
                block(BlockKind::Note, "Obs"),
                block(BlockKind::ListItem, "punkt"),
                Block {
                    kind: BlockKind::Step { n: 300 },
                    text: text("Ta bort användare.", None),
                    links: vec![Link {
                        text: "länk".into(),
                        url: "https://example.com/ä".into(),
                    }],
                },
                block(BlockKind::TableRow, "a b"),
                block(BlockKind::Code, "ls -l"),
            ],
        }
    }

    /// Decodes `a` and joins its source back.
    fn round_trip(a: &Article) -> Article {
        let stored = encode(a);
        let without = decode(&stored).unwrap();
        assert!(
            !without.has_source(),
            "the source is not in the locale's form"
        );
        let mut view = ArticleView::decode(&stored).unwrap();
        let sources = encode_sources(a);
        view.join_sources(&decode_sources(&sources).unwrap())
            .unwrap();
        assert_eq!(view, ArticleView::of(a));
        view.to_article()
    }

    #[test]
    fn an_article_decodes_as_it_was() {
        let a = article();
        assert_eq!(round_trip(&a), a);
        let empty = Article {
            blocks: Vec::new(),
            meta: Metadata::default(),
            ..a
        };
        assert_eq!(round_trip(&empty), empty);
    }

    #[test]
    fn sources_of_another_shape_are_refused() {
        let a = article();
        let stored = encode(&a);
        let mut view = ArticleView::decode(&stored).unwrap();
        let sources = encode_sources(&a);
        let mut sources = decode_sources(&sources).unwrap();
        sources.pop();
        assert!(view.join_sources(&sources).is_err());
        let stored = encode_sources(&a);
        for (cut, _) in stored.char_indices().skip(1) {
            assert!(decode_sources(&stored[..cut]).is_err(), "cut at {cut}");
        }
        assert!(decode_sources("99999999999;").is_err());
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let bytes = encode(&article());
        for (cut, _) in bytes.char_indices() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push('0');
        assert!(decode(&longer).is_err());
        for (i, _) in bytes.char_indices() {
            for c in ['0', '9', ':', ';', '-', 'x', 'ä'] {
                let mut changed = bytes.clone();
                changed.replace_range(
                    i..i + bytes[i..].chars().next().unwrap().len_utf8(),
                    &c.to_string(),
                );
                let _ = decode(&changed);
            }
        }
        assert!(decode("99999999999999999999999:").is_err());
    }
}
