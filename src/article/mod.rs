//! Help articles: what a file holds, read into plain structured text.
//!
//! An [`Article`] is its front matter fields and its content in reading order
//! ([`Block`]s: headings, paragraphs, notes, list items and numbered steps). Articles in the
//! side-by-side format carry the English source of every block beside its translation.
//! Nothing here knows about the index.

mod front_matter;
mod markdown;
mod markup;

use serde::{Deserialize, Serialize};

use crate::language::Locale;

pub use front_matter::Metadata;

/// One help article in one locale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The article's path under its locale folder, without `.md`; the same in every locale.
    pub slug: String,
    /// The article's locale.
    pub locale: Locale,
    /// The title, with its English source when the file has one.
    pub title: Text,
    /// The front matter fields that matter.
    pub meta: Metadata,
    /// The content in reading order.
    pub blocks: Vec<Block>,
}

/// Text with its English source, when the article is in the side-by-side format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Text {
    /// The text in the article's language.
    pub text: String,
    /// The English source text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A unit of content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// What kind of block.
    #[serde(flatten)]
    pub kind: BlockKind,
    /// The text (and English source) of the block, markup removed.
    #[serde(flatten)]
    pub text: Text,
    /// The links in the block.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading of level 1–6.
    Heading {
        /// 1 for `#`.
        level: u8,
    },
    /// A paragraph.
    Paragraph,
    /// A note, tip or warning (a block quote).
    Note,
    /// An item of an unordered list, nested lists included.
    ListItem,
    /// A numbered step: an item of an ordered list, nested content included.
    Step {
        /// The number the reader sees.
        n: u32,
    },
    /// A table row, cells separated by spaces.
    TableRow,
    /// A code block.
    Code,
}

/// A link: its text and where it points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The link text, in the article's language.
    pub text: String,
    /// The URL.
    pub url: String,
}

/// A numbered step of an article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step<'a> {
    /// The number the reader sees.
    pub n: u32,
    /// The step's text and English source.
    pub text: &'a Text,
}

impl Article {
    /// The numbered steps, in reading order.
    pub fn steps(&self) -> impl Iterator<Item = Step<'_>> {
        self.blocks.iter().filter_map(|b| match b.kind {
            BlockKind::Step { n } => Some(Step { n, text: &b.text }),
            _ => None,
        })
    }

    /// A fingerprint of the content (every block's text, lowercased, white space folded;
    /// not the title): articles published twice under different slugs share it. 0 for an
    /// article with too little content to tell (it is never anyone's duplicate).
    pub fn content_fingerprint(&self) -> u64 {
        use std::hash::Hasher;
        const MIN_WORDS: usize = 8;
        // The lowercased words, each ended by 0xFF (never a byte of UTF-8), hashed at once:
        // hashing word by word cost more than parsing the article's Markdown.
        let mut words = 0;
        // Lowercase takes as many bytes, or a few more: room for it all at once.
        let mut content =
            Vec::with_capacity(self.blocks.iter().map(|b| b.text.text.len() + 1).sum());
        let mut utf8 = [0; 4];
        for block in &self.blocks {
            if matches!(block.kind, BlockKind::Heading { level: 1 }) {
                continue;
            }
            // Block text is collapsed: ASCII white space is all there is between words.
            for word in block.text.text.split_ascii_whitespace() {
                if word.is_ascii() {
                    content.extend(word.bytes().map(|b| b.to_ascii_lowercase()));
                } else if !word.chars().any(char::is_uppercase) {
                    // Most words have no capital (none in Chinese, Japanese, Thai): copied
                    // whole, not a character at a time.
                    content.extend_from_slice(word.as_bytes());
                } else {
                    for c in word.chars() {
                        // Most letters are not capitals: asking costs less than looking up
                        // their lowercase.
                        if c.is_uppercase() {
                            for c in c.to_lowercase() {
                                content.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                            }
                        } else {
                            content.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                        }
                    }
                }
                content.push(0xFF);
                words += 1;
            }
        }
        if words < MIN_WORDS {
            return 0;
        }
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(&content);
        hasher.finish().max(1)
    }

    /// A fingerprint of the article's slug and English source (title and every block's
    /// source, as written); `None` when it has no English source. Locales translated from
    /// the same English text share it, so that text is indexed once for all of them.
    pub fn source_fingerprint(&self) -> Option<u64> {
        use std::hash::Hasher;
        if !self.has_source() {
            return None;
        }
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(self.slug.as_bytes());
        // Each text ended by 0xFF (never a byte of UTF-8), a missing one by 0xFE.
        for text in self.texts() {
            match &text.source {
                Some(source) => {
                    hasher.write(source.as_bytes());
                    hasher.write_u8(0xFF);
                }
                None => hasher.write_u8(0xFE),
            }
        }
        Some(hasher.finish())
    }

    /// The title's text, then each block's, in order.
    pub fn texts(&self) -> impl Iterator<Item = &Text> {
        std::iter::once(&self.title).chain(self.blocks.iter().map(|b| &b.text))
    }

    /// Whether the article carries English source text (side-by-side format).
    pub fn has_source(&self) -> bool {
        self.title.source.is_some() || self.blocks.iter().any(|b| b.text.source.is_some())
    }
}

/// A problem met while reading a file that did not stop it from being read.
pub type Warning = String;

/// An article read from a file, with what was wrong on the way.
#[derive(Debug, Clone)]
pub struct ParsedArticle {
    /// The article.
    pub article: Article,
    /// Problems that were worked around (the file is still indexed).
    pub warnings: Vec<Warning>,
}

/// Why a file could not be read as an article at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    /// Nothing but whitespace.
    #[error("empty file")]
    Empty,
    /// NUL bytes: not a text file.
    #[error("binary file (contains NUL bytes)")]
    Binary,
    /// Larger than [`MAX_ARTICLE_BYTES`].
    #[error("file is {0} bytes, over the {max} byte limit", max = MAX_ARTICLE_BYTES)]
    TooLarge(u64),
    /// No text to index and no title.
    #[error("no text found")]
    NoText,
    /// The locale could not be told from the front matter, the folder or the text.
    #[error("cannot tell the article's language: {0}")]
    UnknownLocale(String),
}

/// Files over this size are not help articles (the largest in the corpus is 379 KB).
pub const MAX_ARTICLE_BYTES: u64 = 10 * 1024 * 1024;

/// Where a file's article comes from, as the corpus walk found it.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The slug (path under the locale folder, without `.md`).
    pub slug: String,
    /// The locale the folder names, if it names one.
    pub folder_locale: Option<Locale>,
}

/// Reads an article from a file's bytes.
///
/// Never panics: a byte-order mark and CRLF line endings are accepted silently, invalid
/// UTF-8 is replaced (with a warning), broken front matter or span markup is worked around
/// (with a warning); an empty or binary file is [`Unreadable`].
pub fn parse_article(bytes: &[u8], origin: &Origin) -> Result<ParsedArticle, Unreadable> {
    let mut warnings = Vec::new();
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(Unreadable::TooLarge(bytes.len() as u64));
    }
    // The whole file is scanned twice (NUL here, CR below): memchr's vector search, where
    // the standard library's goes a word at a time.
    if memchr::memchr(0, bytes).is_some() {
        return Err(Unreadable::Binary);
    }
    // simdutf8 checks UTF-8 in a quarter of the standard library's time (the corpus's 354 MB:
    // 27 against 109 ms); the standard library then says where a file goes wrong.
    let text = match simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes)) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(e) => {
            warnings.push(format!(
                "invalid UTF-8 at byte {}; replaced with U+FFFD",
                e.valid_up_to()
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    if text.trim().is_empty() {
        return Err(Unreadable::Empty);
    }

    let (meta, body) = front_matter::split(&text, &mut warnings);
    let content = markdown::read_blocks(body, &mut warnings);

    let title = match (&meta.title, content.first_heading) {
        (Some(t), Some(h)) => Text {
            text: t.clone(),
            source: h.source,
        },
        (Some(t), None) => Text {
            text: t.clone(),
            source: None,
        },
        (None, Some(h)) => h,
        (None, None) => Text {
            text: origin
                .slug
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string(),
            source: None,
        },
    };
    if content.blocks.is_empty() && meta.title.is_none() {
        return Err(Unreadable::NoText);
    }

    let locale = resolve_locale(&meta, origin, &title, &content.blocks, &mut warnings)?;
    Ok(ParsedArticle {
        article: Article {
            slug: origin.slug.clone(),
            locale,
            title,
            meta,
            blocks: content.blocks,
        },
        warnings,
    })
}

/// `ms.contentlocale`, else the folder's locale, else the language detected in the text.
fn resolve_locale(
    meta: &Metadata,
    origin: &Origin,
    title: &Text,
    blocks: &[Block],
    warnings: &mut Vec<Warning>,
) -> Result<Locale, Unreadable> {
    if let Some(declared) = &meta.content_locale {
        match declared.parse::<Locale>() {
            Ok(l) => return Ok(l),
            Err(_) => warnings.push(format!("unknown ms.contentlocale {declared:?}")),
        }
    }
    if let Some(l) = origin.folder_locale {
        return Ok(l);
    }
    let sample: String = std::iter::once(title.text.as_str())
        .chain(blocks.iter().map(|b| b.text.text.as_str()))
        .collect::<Vec<_>>()
        .join(" ");
    let allow: Vec<_> = Locale::all().map(|l| l.language().detector).collect();
    let detected = whatlang::Detector::with_allowlist(allow).detect_lang(&sample);
    match detected.and_then(|lang| Locale::for_detected(lang).next()) {
        Some(l) => {
            warnings.push(format!("no locale in front matter or folder; detected {l}"));
            Ok(l)
        }
        None => Err(Unreadable::UnknownLocale(
            "no ms.contentlocale, no locale folder, and the text's language is unclear".into(),
        )),
    }
}

#[cfg(test)]
mod tests;

/// The seed article of `locale` (`seeds/<locale>/how-to-close-your-account.md`), for tests.
#[cfg(test)]
pub(crate) fn seed_article(locale: &str) -> Article {
    let origin = Origin {
        slug: "how-to-close-your-account".into(),
        folder_locale: Some(locale.parse().expect("a known locale")),
    };
    let path = format!("seeds/{locale}/how-to-close-your-account.md");
    parse_article(&std::fs::read(path).expect("the seeds"), &origin)
        .expect("a seed parses")
        .article
}
