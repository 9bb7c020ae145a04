//! The terminal printer: title, locale and slug, the best step, a snippet.

use std::io::{self, Write};

use crate::article::{Article, BlockKind};
use crate::search::SearchResults;

/// How to print.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextStyle {
    /// ANSI colors and bold highlights.
    pub color: bool,
    /// Show the English source under each shown line.
    pub source: bool,
}

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const MARK: &str = "\x1b[1;33m";
const STEP: &str = "\x1b[1;36m";
const RESET: &str = "\x1b[0m";

impl TextStyle {
    fn paint(&self, style: &'static str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// `text` with the byte ranges in `marks` highlighted.
    fn marked(&self, text: &str, marks: &[[usize; 2]]) -> String {
        if !self.color || marks.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + marks.len() * 12);
        let mut at = 0;
        for &[from, to] in marks {
            let valid = from >= at
                && to <= text.len()
                && from <= to
                && text.is_char_boundary(from)
                && text.is_char_boundary(to);
            if !valid {
                continue;
            }
            out.push_str(&text[at..from]);
            out.push_str(MARK);
            out.push_str(&text[from..to]);
            out.push_str(RESET);
            at = to;
        }
        out.push_str(&text[at..]);
        out
    }
}

/// Prints search results for a person.
pub fn write_results(
    out: &mut impl Write,
    results: &SearchResults,
    style: &TextStyle,
) -> io::Result<()> {
    for (i, hit) in results.hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{}", style.paint(BOLD, &hit.title))?;
        if style.source {
            if let Some(source) = &hit.title_source {
                writeln!(out, "{}", style.paint(DIM, source))?;
            }
        }
        writeln!(
            out,
            "  {}",
            style.paint(DIM, &format!("{} · {}", hit.locale, hit.slug))
        )?;
        if !hit.also.is_empty() {
            let also = format!("same article as: {}", hit.also.join(", "));
            writeln!(out, "  {}", style.paint(DIM, &also))?;
        }
        // The top hit shows its whole procedure, the matching step marked; the others
        // show only their matching step.
        let shown: Vec<(u32, &str, Option<&str>)> = if i == 0 && !hit.steps.is_empty() {
            hit.steps
                .iter()
                .map(|s| (s.n, s.text.as_str(), s.source.as_deref()))
                .collect()
        } else {
            hit.step
                .iter()
                .map(|s| (s.n, s.text.as_str(), s.source.as_deref()))
                .collect()
        };
        for (n, text, source) in shown {
            let matched = hit.step.as_ref().filter(|s| s.n == n && s.text == text);
            let marker = if matched.is_some() { "›" } else { " " };
            let number = style.paint(STEP, &format!("{n}."));
            let text = match matched {
                Some(m) => style.marked(text, &m.highlights),
                None => text.to_string(),
            };
            writeln!(out, " {marker}{number} {text}")?;
            if style.source {
                if let Some(source) = source {
                    writeln!(out, "     {}", style.paint(DIM, source))?;
                }
            }
        }
        if let Some(snippet) = &hit.snippet {
            writeln!(
                out,
                "  {}",
                style.marked(&snippet.text, &snippet.highlights)
            )?;
        }
    }
    Ok(())
}

/// Prints a whole article: title, then each block, steps numbered.
pub fn write_article(out: &mut impl Write, article: &Article, style: &TextStyle) -> io::Result<()> {
    writeln!(out, "{}", style.paint(BOLD, &article.title.text))?;
    writeln!(
        out,
        "{}",
        style.paint(DIM, &format!("{} · {}", article.locale, article.slug))
    )?;
    for block in &article.blocks {
        let text = &block.text.text;
        match block.kind {
            BlockKind::Heading { .. } => writeln!(out, "\n{}", style.paint(BOLD, text))?,
            BlockKind::Step { n } => {
                writeln!(out, "{} {text}", style.paint(STEP, &format!("{n}.")))?
            }
            BlockKind::ListItem => writeln!(out, "- {text}")?,
            _ => writeln!(out, "{text}")?,
        }
        if style.source {
            if let Some(source) = &block.text.source {
                writeln!(out, "   {}", style.paint(DIM, source))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Hit, Snippet, StepMatch, StepText};

    fn results() -> SearchResults {
        SearchResults {
            query: "stänga konto".into(),
            lang: Some("sv".parse().unwrap()),
            detected: true,
            hits: vec![Hit {
                slug: "how-to-close-your-account".into(),
                locale: "sv".parse().unwrap(),
                title: "Så stänger du ditt konto".into(),
                title_source: Some("How to close your account".into()),
                score: 1.0,
                step: Some(StepMatch {
                    n: 4,
                    text: "Inaktivera multifaktorautentisering.".into(),
                    highlights: vec![[0, 10]],
                    source: Some("Disable multi-factor authentication.".into()),
                }),
                snippet: Some(Snippet {
                    text: "Det finns fem steg för att stänga ditt konto:".into(),
                    highlights: vec![[28, 35]],
                }),
                steps: vec![
                    StepText {
                        n: 3,
                        text: "Ta bort alla inaktiverade prenumerationer.".into(),
                        source: None,
                    },
                    StepText {
                        n: 4,
                        text: "Inaktivera multifaktorautentisering.".into(),
                        source: Some("Disable multi-factor authentication.".into()),
                    },
                ],
                also: Vec::new(),
            }],
        }
    }

    fn render(style: TextStyle) -> String {
        let mut out = Vec::new();
        write_results(&mut out, &results(), &style).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_text_has_no_escape_codes() {
        let text = render(TextStyle::default());
        assert!(!text.contains('\x1b'));
        assert_eq!(
            text,
            "Så stänger du ditt konto\n  sv-SE · how-to-close-your-account\n  3. Ta bort alla inaktiverade prenumerationer.\n ›4. Inaktivera multifaktorautentisering.\n  Det finns fem steg för att stänga ditt konto:\n"
        );
    }

    #[test]
    fn source_lines_when_asked() {
        let text = render(TextStyle {
            color: false,
            source: true,
        });
        assert!(text.contains("How to close your account\n"));
        assert!(text.contains("     Disable multi-factor authentication.\n"));
    }

    #[test]
    fn color_highlights_query_words() {
        let text = render(TextStyle {
            color: true,
            source: false,
        });
        assert!(text.contains(&format!("{MARK}Inaktivera{RESET}")));
        assert!(text.contains(&format!("{MARK}stänga{RESET}")), "{text:?}");
    }

    #[test]
    fn bad_highlight_ranges_are_ignored() {
        let style = TextStyle {
            color: true,
            source: false,
        };
        assert_eq!(style.marked("åäö", &[[1, 2], [0, 99]]), "åäö");
    }
}
