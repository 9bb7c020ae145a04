//! The HTML that help articles embed in Markdown: span segments, anchors, breaks, images.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem::Finder;

/// An HTML tag as it appears in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tag<'a> {
    /// Lowercased element name.
    pub name: Cow<'a, str>,
    /// `</name>`.
    pub closing: bool,
    /// The attribute text after the name.
    pub attrs: &'a str,
}

/// What a `<span>` means in the side-by-side format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SpanRole {
    /// `<span data-ttu-id>`: a translated segment.
    Target,
    /// `<span class="sxs-lookup">`: the English source of the segment before it.
    Source,
    /// Any other span: inherits the role of the span around it.
    Neutral,
}

impl Tag<'_> {
    pub fn span_role(&self) -> SpanRole {
        // Every segment of a side-by-side article opens a span: searchers built once.
        static SOURCE: LazyLock<Finder> = LazyLock::new(|| Finder::new("sxs-lookup"));
        static TARGET: LazyLock<Finder> = LazyLock::new(|| Finder::new("data-ttu-id"));
        let attrs = self.attrs.as_bytes();
        if SOURCE.find(attrs).is_some() {
            SpanRole::Source
        } else if TARGET.find(attrs).is_some() {
            SpanRole::Target
        } else {
            SpanRole::Neutral
        }
    }
}

/// Elements whose tags are markup, sorted (for binary search). Anything else in angle
/// brackets (`<email address>`, `<your domain>`) is a placeholder the reader should see as
/// text.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "nobr",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Parses one `<…>` string as a tag of a known HTML element.
pub(super) fn parse_tag(s: &str) -> Option<Tag<'_>> {
    let inner = s.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    };
    // Nine tags in ten are the segments' spans.
    if name != "span" {
        HTML_ELEMENTS.binary_search(&name.as_ref()).ok()?;
    }
    let attrs = inner[name_end..].trim_end_matches('/').trim();
    Some(Tag {
        name,
        closing,
        attrs,
    })
}

/// A piece of an HTML fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece<'a> {
    /// A tag of a known element.
    Tag(Tag<'a>),
    /// Text (entities still encoded), including unknown `<placeholders>`.
    Text(&'a str),
}

/// Splits an HTML fragment (an inline tag or a whole HTML block) into tags and text;
/// comments are dropped. An iterator: side-by-side text has a tag every few words, and a
/// list of each fragment's pieces cost an allocation per tag.
pub(super) fn pieces(html: &str) -> Pieces<'_> {
    Pieces { rest: html }
}

/// The pieces of an HTML fragment, in order ([`pieces`]).
pub(super) struct Pieces<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        loop {
            let rest = self.rest;
            if rest.is_empty() {
                return None;
            }
            if let Some(after) = rest.strip_prefix("<!--") {
                self.rest = after.find("-->").map_or("", |end| &after[end + 3..]);
                continue;
            }
            if let Some(after) = rest.strip_prefix('<') {
                if let Some(end) = memchr::memchr(b'>', rest.as_bytes()) {
                    if let Some(tag) = parse_tag(&rest[..=end]) {
                        self.rest = &rest[end + 1..];
                        return Some(Piece::Tag(tag));
                    }
                }
                // Not a tag: the '<' is text.
                self.rest = after;
                return Some(Piece::Text(&rest[..1]));
            }
            let end = memchr::memchr(b'<', rest.as_bytes()).unwrap_or(rest.len());
            self.rest = &rest[end..];
            return Some(Piece::Text(&rest[..end]));
        }
    }
}

/// Removes `[!NOTE]`-style alert markers that Markdown left in the text.
pub(super) fn strip_alert_markers(text: &str) -> Cow<'_, str> {
    if memchr::memmem::find(text.as_bytes(), b"[!").is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[!") {
        let after = &rest[start + 2..];
        let word_len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        if word_len > 0 && after[word_len..].starts_with(']') {
            out.push_str(&rest[..start]);
            rest = &after[word_len + 1..];
        } else {
            out.push_str(&rest[..start + 2]);
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_span_tags_and_roles() {
        let tag = parse_tag(r#"<span data-ttu-id="b9e6d-102">"#).unwrap();
        assert_eq!(tag.name, "span");
        assert!(!tag.closing);
        assert_eq!(tag.span_role(), SpanRole::Target);
        let tag = parse_tag(r#"<span class="sxs-lookup">"#).unwrap();
        assert_eq!(tag.span_role(), SpanRole::Source);
        let tag = parse_tag("</span>").unwrap();
        assert!(tag.closing);
        assert_eq!(parse_tag("<br/>").unwrap().name, "br");
        assert_eq!(parse_tag("<BR />").unwrap().name, "br");
    }

    #[test]
    fn known_elements_are_sorted_for_binary_search() {
        assert!(HTML_ELEMENTS.windows(2).all(|w| w[0] < w[1]));
        for name in HTML_ELEMENTS {
            assert!(parse_tag(&format!("<{name}>")).is_some(), "{name}");
        }
    }

    #[test]
    fn placeholders_are_not_tags() {
        assert_eq!(parse_tag("<email address>"), None);
        assert_eq!(parse_tag("<your domain>"), None);
        assert_eq!(parse_tag("<>"), None);
    }

    #[test]
    fn splits_html_blocks_into_pieces() {
        let p = pieces("<!-- gen --><p>Hi <b>you</b> & <name></p>");
        let texts: Vec<_> = p
            .filter_map(|p| match p {
                Piece::Text(t) => Some(t),
                Piece::Tag(_) => None,
            })
            .collect();
        assert_eq!(texts.concat(), "Hi you & <name>");
    }

    #[test]
    fn unterminated_comment_and_lone_bracket() {
        assert_eq!(pieces("<!-- never closed").next(), None);
        assert_eq!(
            pieces("a < b").collect::<Vec<_>>(),
            [Piece::Text("a "), Piece::Text("<"), Piece::Text(" b")]
        );
    }

    #[test]
    fn strips_alert_markers() {
        assert_eq!(strip_alert_markers("[!NOTE] Read this"), " Read this");
        assert_eq!(strip_alert_markers("a [!x y] b"), "a [!x y] b");
        assert_eq!(strip_alert_markers("[!"), "[!");
    }
}
