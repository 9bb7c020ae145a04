//! Markdown body → blocks in reading order, translation and English source kept aligned.
//!
//! pulldown-cmark does the Markdown; this walk routes each piece of text by the span it is
//! in: a `data-ttu-id` span holds the translation, the `sxs-lookup` span after it the
//! English source, and text outside spans (product names, link syntax) belongs to both.

use pulldown_cmark::{Event, Options, Parser, Tag as MdTag, TagEnd};

use super::markup::{self, Piece, SpanRole};
use super::{Block, BlockKind, Link, Text, Warning};

/// What a body holds.
pub(super) struct Content {
    pub blocks: Vec<Block>,
    /// The first level-1 heading (the title as the body writes it, with its source).
    pub first_heading: Option<Text>,
}

/// Reads a Markdown body into blocks; markup problems become warnings.
pub(super) fn read_blocks(body: &str, warnings: &mut Vec<Warning>) -> Content {
    let mut reader = Reader::default();
    let options = Options::ENABLE_TABLES | Options::ENABLE_GFM | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(body, options) {
        reader.event(event);
    }
    reader.finish(warnings)
}

/// The text of a Markdown fragment (a title), markup removed.
pub(crate) fn inline_text(fragment: &str) -> String {
    if is_plain_text(fragment) {
        return fragment.to_string();
    }
    parsed_inline_text(fragment)
}

/// [`inline_text`] through the Markdown parser.
fn parsed_inline_text(fragment: &str) -> String {
    let content = read_blocks(fragment, &mut Vec::new());
    let texts: Vec<String> = content
        .blocks
        .into_iter()
        .map(|b| match b.kind {
            BlockKind::Step { n } => format!("{n}. {}", b.text.text),
            _ => b.text.text,
        })
        .collect();
    texts.join(" ")
}

/// Whether Markdown reads `fragment` as the very text it is: words one space apart, of
/// letters, digits and punctuation that marks nothing up, not starting the way a list or
/// a heading does. Most titles are (their parse was 1.4 % of a build's instructions).
fn is_plain_text(fragment: &str) -> bool {
    let plain = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric() || " .,:;'\"()/?%@$=-+{}".contains(c)
        } else {
            !c.is_whitespace()
        }
    };
    let starts_plain = fragment
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || !c.is_ascii() && !c.is_whitespace());
    starts_plain
        && !fragment.ends_with(' ')
        && !fragment.contains("  ")
        && fragment.chars().all(plain)
}

/// A block being read: text goes to every open collector, so a step holds its nested lists.
struct Collector {
    /// Where the finished block goes in reading order.
    slot: usize,
    kind: BlockKind,
    target: String,
    source: String,
    links: Vec<Link>,
}

#[derive(Default)]
struct Reader {
    slots: Vec<Option<Block>>,
    open: Vec<Collector>,
    /// For each block-level tag open: whether it opened a collector.
    block_tags: Vec<bool>,
    /// Next number of each open list (`None`: unordered).
    lists: Vec<Option<u64>>,
    /// Open spans, innermost last.
    spans: Vec<SpanRole>,
    /// Bytes of translation in the current segment.
    segment_target_len: usize,
    /// The last segment closed with no translation.
    last_target_empty: bool,
    /// English source of the current segment.
    segment_source: String,
    /// Open link: URL and text so far.
    link: Option<(String, String)>,
    image_depth: usize,
    saw_source: bool,
    first_heading: Option<Text>,
    stray_closing_spans: usize,
    unclosed_spans: usize,
    untranslated_segments: usize,
    /// Emptied buffers of closed collectors, for the next ones: a block's text grows a
    /// piece at a time, and fresh buffers were reallocated several times for each.
    spare: Vec<String>,
}

fn is_block(tag: &MdTag<'_>) -> bool {
    !matches!(
        tag,
        MdTag::Emphasis
            | MdTag::Strong
            | MdTag::Strikethrough
            | MdTag::Superscript
            | MdTag::Subscript
            | MdTag::Link { .. }
            | MdTag::Image { .. }
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

impl Reader {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.text(&t)
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html),
            Event::SoftBreak | Event::HardBreak | Event::Rule => self.separator(),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: MdTag<'_>) {
        if !is_block(&tag) {
            match tag {
                // A link in the English source repeats the translation's link.
                MdTag::Link { dest_url, .. } if self.role() != Some(SpanRole::Source) => {
                    self.link = Some((dest_url.to_string(), String::new()))
                }
                MdTag::Image { .. } => self.image_depth += 1,
                _ => {}
            }
            return;
        }
        let kind = match &tag {
            MdTag::Heading { level, .. } => Some(BlockKind::Heading {
                level: *level as u8,
            }),
            MdTag::Item => Some(match self.lists.last_mut() {
                Some(Some(next)) => {
                    let n = *next;
                    *next += 1;
                    BlockKind::Step {
                        n: n.min(u32::MAX as u64) as u32,
                    }
                }
                _ => BlockKind::ListItem,
            }),
            _ if !self.open.is_empty() => None,
            MdTag::Paragraph | MdTag::HtmlBlock => Some(BlockKind::Paragraph),
            MdTag::BlockQuote(_) => Some(BlockKind::Note),
            MdTag::TableHead | MdTag::TableRow => Some(BlockKind::TableRow),
            MdTag::CodeBlock(_) => Some(BlockKind::Code),
            _ => None,
        };
        if let MdTag::List(start) = tag {
            self.lists.push(start);
        }
        self.separator();
        self.block_tags.push(kind.is_some());
        if let Some(kind) = kind {
            self.slots.push(None);
            self.open.push(Collector {
                slot: self.slots.len() - 1,
                kind,
                target: self.spare.pop().unwrap_or_default(),
                source: self.spare.pop().unwrap_or_default(),
                links: Vec::new(),
            });
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if !is_block_end(&tag) {
            match tag {
                TagEnd::Link => {
                    if let Some((url, text)) = self.link.take() {
                        let text = collapse(&text);
                        if let Some(c) = self.open.last_mut() {
                            if !text.is_empty() || !url.is_empty() {
                                c.links.push(Link { text, url });
                            }
                        }
                    }
                }
                TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
                _ => {}
            }
            return;
        }
        if let TagEnd::List(_) = tag {
            self.lists.pop();
        }
        self.separator();
        if self.block_tags.pop() == Some(true) {
            if let Some(collector) = self.open.pop() {
                self.close(collector);
            }
        }
        if self.open.is_empty() && !self.spans.is_empty() {
            // A segment left open at the end of a block must not swallow the next one.
            self.unclosed_spans += self.spans.len();
            self.spans.clear();
        }
    }

    fn close(&mut self, c: Collector) {
        let mut target = collapse(&markup::strip_alert_markers(&c.target));
        let mut source = collapse(&markup::strip_alert_markers(&c.source));
        for mut buffer in [c.target, c.source] {
            buffer.clear();
            self.spare.push(buffer);
        }
        let mut kind = c.kind;
        if kind == BlockKind::Paragraph {
            // A step whose number sits inside the translated segment: "<span …>4. Text</span>".
            if let Some((n, rest)) = leading_step_number(&target) {
                kind = BlockKind::Step { n };
                target = rest.to_string();
                if let Some((_, rest)) = leading_step_number(&source) {
                    source = rest.to_string();
                }
            }
        }
        if target.is_empty() && source.is_empty() {
            return;
        }
        let text = Text {
            text: target,
            source: Some(source),
        };
        if matches!(kind, BlockKind::Heading { level: 1 }) && self.first_heading.is_none() {
            self.first_heading = Some(text.clone());
        }
        self.slots[c.slot] = Some(Block {
            kind,
            text,
            links: c.links,
        });
    }

    fn separator(&mut self) {
        self.route(" ", None);
    }

    fn text(&mut self, text: &str) {
        if self.image_depth > 0 {
            return;
        }
        self.route(text, self.role());
    }

    /// The role of the innermost segment span open (`None`: outside any segment).
    fn role(&self) -> Option<SpanRole> {
        self.spans
            .iter()
            .rev()
            .copied()
            .find(|r| *r != SpanRole::Neutral)
    }

    /// Sends text to the translation, the source, or both (`None`: outside any segment).
    fn route(&mut self, text: &str, role: Option<SpanRole>) {
        let to_target = role != Some(SpanRole::Source);
        let to_source = role != Some(SpanRole::Target);
        for c in &mut self.open {
            if to_target {
                c.target.push_str(text);
            }
            if to_source {
                c.source.push_str(text);
            }
        }
        match role {
            Some(SpanRole::Target) => self.segment_target_len += text.trim().len(),
            Some(SpanRole::Source) => self.segment_source.push_str(text),
            _ => {}
        }
        if to_target {
            if let Some((_, link_text)) = &mut self.link {
                link_text.push_str(text);
            }
        }
    }

    fn html(&mut self, html: &str) {
        for piece in markup::pieces(html) {
            match piece {
                Piece::Text(t) => {
                    let decoded = html_escape::decode_html_entities(t);
                    self.text(&decoded);
                }
                Piece::Tag(tag) => match tag.name.as_ref() {
                    "span" if tag.closing => self.close_span(),
                    "span" => self.open_span(tag.span_role()),
                    "img" => {}
                    _ => self.separator_if_block_tag(&tag.name),
                },
            }
        }
    }

    fn separator_if_block_tag(&mut self, name: &str) {
        if !matches!(
            name,
            "a" | "b" | "i" | "em" | "strong" | "u" | "code" | "kbd" | "sup" | "sub"
        ) {
            self.separator();
        }
    }

    fn open_span(&mut self, role: SpanRole) {
        match role {
            SpanRole::Target => self.segment_target_len = 0,
            SpanRole::Source => {
                self.segment_source.clear();
                self.saw_source = true;
            }
            SpanRole::Neutral => {}
        }
        self.spans.push(role);
    }

    fn close_span(&mut self) {
        match self.spans.pop() {
            None => self.stray_closing_spans += 1,
            Some(SpanRole::Target) => self.last_target_empty = self.segment_target_len == 0,
            Some(SpanRole::Source) => {
                if self.last_target_empty && !self.segment_source.trim().is_empty() {
                    // An untranslated segment: the reader sees (and can search) the English.
                    let source = std::mem::take(&mut self.segment_source);
                    self.spans.push(SpanRole::Target);
                    self.route(&source, Some(SpanRole::Target));
                    self.spans.pop();
                    self.untranslated_segments += 1;
                }
                self.last_target_empty = false;
            }
            Some(SpanRole::Neutral) => {}
        }
    }

    fn finish(mut self, warnings: &mut Vec<Warning>) -> Content {
        while let Some(c) = self.open.pop() {
            self.close(c);
        }
        self.unclosed_spans += self.spans.len();
        if self.stray_closing_spans > 0 {
            warnings.push(format!(
                "{} stray </span> tag(s) ignored",
                self.stray_closing_spans
            ));
        }
        if self.unclosed_spans > 0 {
            warnings.push(format!("{} unclosed <span> tag(s)", self.unclosed_spans));
        }
        if self.untranslated_segments > 0 {
            warnings.push(format!(
                "{} segment(s) with an empty translation; English source used",
                self.untranslated_segments
            ));
        }
        let saw_source = self.saw_source;
        let mut blocks: Vec<Block> = self.slots.into_iter().flatten().collect();
        let mut first_heading = self.first_heading;
        // Plain-format articles have no English: drop the copies made while reading.
        for text in blocks
            .iter_mut()
            .map(|b| &mut b.text)
            .chain(first_heading.iter_mut())
        {
            if !saw_source || text.source.as_deref() == Some("") {
                text.source = None;
            }
        }
        blocks.retain(|b| !b.text.text.is_empty() || b.text.source.is_some());
        Content {
            blocks,
            first_heading,
        }
    }
}

/// Splits "4. Text" (also "4.Text") into 4 and "Text".
fn leading_step_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = text[digits..].strip_prefix('.')?;
    let rest_trimmed = rest.trim_start();
    let starts_with_letter = rest_trimmed
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '*' || c == '[');
    if !starts_with_letter {
        return None;
    }
    Some((text[..digits].parse().ok()?, rest_trimmed))
}

/// Collapses runs of white space (Unicode's, as `split_whitespace` sees it) into one space
/// and trims.
fn collapse(text: &str) -> String {
    // Every article's text passes here twice (translation and source): words are found a
    // byte at a time with one table lookup, not by decoding every character, and copied a
    // run at a time (words already one ASCII space apart), not a word at a time.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        // Skip white space.
        let space = white_space_at(text, i);
        if space > 0 {
            i += space;
            continue;
        }
        // A run of words, each up to the next white space, while that is one ASCII space
        // before another word.
        let start = i;
        loop {
            i += 1;
            while i < bytes.len()
                && (!MAYBE_SPACE[bytes[i] as usize] || white_space_at(text, i) == 0)
            {
                i += 1;
            }
            let one_space_then_word = bytes.get(i) == Some(&b' ')
                && i + 1 < bytes.len()
                && white_space_at(text, i + 1) == 0;
            if !one_space_then_word {
                break;
            }
            i += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..i]);
    }
    out
}

/// Bytes that are, or may start, white space: ASCII's, and the lead bytes of the only
/// non-ASCII white space (U+0085, U+00A0: C2; U+1680: E1; U+2000–U+205F: E2; U+3000: E3).
/// No other byte of UTF-8 (a continuation byte above all) can start white space.
static MAYBE_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    table
};

/// The length of the white-space character at byte `i` (a character boundary), 0 when it
/// is not white space.
fn white_space_at(text: &str, i: usize) -> usize {
    let b = text.as_bytes()[i];
    if !MAYBE_SPACE[b as usize] {
        return 0;
    }
    if b.is_ascii() {
        return 1;
    }
    let c = text[i..].chars().next().expect("a character boundary");
    if c.is_whitespace() {
        c.len_utf8()
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_numbers_inside_segments() {
        assert_eq!(
            leading_step_number("4. kör verktyget"),
            Some((4, "kör verktyget"))
        );
        assert_eq!(leading_step_number("1.Sign in"), Some((1, "Sign in")));
        assert_eq!(leading_step_number("2020. gada"), None);
        assert_eq!(leading_step_number("3.5 GB"), None);
        assert_eq!(leading_step_number("Text"), None);
    }

    #[test]
    fn collapses_white_space() {
        assert_eq!(collapse("  a \n\t b  "), "a b");
        assert_eq!(
            collapse("\u{a0}kör\u{2009}\u{3000}verktyget\u{85}"),
            "kör verktyget"
        );
        // Runs of words one space apart, ended by any other white space.
        assert_eq!(collapse("a b  c\td e "), "a b c d e");
        assert_eq!(collapse("a \u{3000}b c"), "a b c");
        assert_eq!(collapse("ab c"), "ab c");
    }

    #[test]
    fn plain_text_is_what_the_parser_makes_of_it() {
        let plain = [
            "Så stänger du ditt konto",
            "Outlook.com: fel 550 (5.7.1)",
            "Microsoft 365-konto, e-post/kalender?",
            "Вход в Outlook.com",
            "«Ошибка» — 50% @ $5 {x} = y+1",
            "《开始》菜单",
        ];
        for title in plain {
            assert!(is_plain_text(title), "{title:?}");
            assert_eq!(parsed_inline_text(title), title, "{title:?}");
        }
        // Markup, entities, block starts, white space to collapse: parsed.
        for title in [
            "*Stäng* kontot",
            "a_b_",
            "[Länk](x)",
            "A &amp; B",
            "A <b>B</b>",
            "# Rubrik",
            "1. Steg",
            "- Punkt",
            "+ Punkt",
            " Inledande",
            "Avslutande ",
            "Två  mellanslag",
            "Rad\nbrytning",
            "A\u{a0}B",
            "a~~b~~",
            "a | b",
            "a\\b",
            "`kod`",
            "[!NOTE] Obs",
            "",
        ] {
            assert!(!is_plain_text(title), "{title:?}");
        }
        assert_eq!(inline_text("*Stäng* kontot"), "Stäng kontot");
    }

    #[test]
    fn collapse_splits_where_split_whitespace_does() {
        // Every white-space character, and characters that share their first bytes.
        let mut text = String::new();
        for c in (0..=0x3100u32).filter_map(char::from_u32) {
            text.push(c);
            text.push('x');
        }
        let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(collapse(&text), expected);
    }
}
