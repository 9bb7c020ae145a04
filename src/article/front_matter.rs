//! YAML front matter: the fields that matter, and a fallback when the YAML is broken.
//!
//! Front matter is a score of `key: value` lines, yet serde_yaml took a sixth of a whole
//! build's time over it (70 µs a file). Front matter that is only flat `key: value` lines,
//! `- item` lists and simple scalars is read line by line, to the same values serde_yaml
//! gives; anything else (nesting, block or flow collections, escapes, values YAML would read
//! as numbers or booleans) goes to serde_yaml.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use super::Warning;

/// The front matter fields helpsearch uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// `title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `ms.contentlocale`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_locale: Option<String>,
    /// `ms.translationtype` (HT: human, MT: machine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_type: Option<String>,
    /// `ms.assetid` (one or several).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asset_ids: Vec<String>,
    /// `ms.topic`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// `ms.date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Splits `text` into its front matter and the Markdown body after it.
pub(super) fn split<'a>(text: &'a str, warnings: &mut Vec<Warning>) -> (Metadata, &'a str) {
    let Some((yaml, body)) = delimit(text) else {
        warnings.push("no front matter".to_string());
        return (Metadata::default(), text);
    };
    if let Some(meta) = from_flat_lines(yaml) {
        return (clean_title(meta), body);
    }
    let meta = match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(map)) => from_mapping(&map),
        Ok(_) => {
            warnings.push("front matter is not a YAML mapping".to_string());
            from_lines(yaml)
        }
        Err(e) => {
            let reason = e.to_string();
            let reason = reason.lines().next().unwrap_or_default();
            warnings.push(format!("front matter is not valid YAML ({reason})"));
            from_lines(yaml)
        }
    };
    (clean_title(meta), body)
}

/// The YAML between the `---` lines, and what follows; `None` without front matter.
fn delimit(text: &str) -> Option<(&str, &str)> {
    let first_line_end = text.find('\n')?;
    if text[..first_line_end].trim_end() != "---" {
        return None;
    }
    let rest = &text[first_line_end + 1..];
    let mut start = 0;
    for end in line_ends(rest) {
        let trimmed = rest[start..end].trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((&rest[..start], &rest[end..]));
        }
        start = end;
    }
    None
}

/// Where each line of `text` ends, its '\n' included; the last line may lack one. Found
/// with memchr's vector search: every line of every file's front matter is looked at twice.
fn line_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let last = (!text.is_empty() && !text.ends_with('\n')).then_some(text.len());
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|newline| newline + 1)
        .chain(last)
}

/// The lines of `text`, without their '\n' (as `str::lines`, for text without '\r').
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    line_ends(text).map(move |end| {
        let line = text[start..end]
            .strip_suffix('\n')
            .unwrap_or(&text[start..end]);
        start = end;
        line
    })
}

fn scalar(value: &Value) -> Option<String> {
    let s = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn from_mapping(map: &serde_yaml::Mapping) -> Metadata {
    let get = |key: &str| map.get(key).and_then(scalar);
    let asset_ids = match map.get("ms.assetid") {
        Some(Value::Sequence(items)) => items.iter().filter_map(scalar).collect(),
        Some(v) => scalar(v).into_iter().collect(),
        None => Vec::new(),
    };
    Metadata {
        title: get("title"),
        content_locale: get("ms.contentlocale"),
        translation_type: get("ms.translationtype"),
        asset_ids,
        topic: get("ms.topic"),
        date: get("ms.date"),
        description: get("description"),
    }
}

/// The keys read, in [`Metadata`] order (`ms.assetid` apart).
const KEYS: [&str; 6] = [
    "title",
    "ms.contentlocale",
    "ms.translationtype",
    "ms.topic",
    "ms.date",
    "description",
];
const ASSET_IDS: &str = "ms.assetid";

/// What a value line holds.
enum Scalar<'a> {
    /// A string, as serde_yaml would read it (before trimming); borrowed from the line
    /// unless unquoting changed it.
    Text(Cow<'a, str>),
    /// YAML's null (an empty value, `~`, `null`).
    Null,
}

/// A value of flat front matter; `None` when only a YAML parser can say what it is.
/// `typed`: the value is read, so whether YAML takes it for a number, a boolean or null
/// matters (for other keys only whether the line parses does).
fn scalar_of(value: &str, typed: bool) -> Option<Scalar<'_>> {
    let value = value.trim();
    if value.is_empty() {
        return Some(Scalar::Null);
    }
    if let Some(inner) = value.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        // No escapes and no inner quote: the text is what stands between the quotes.
        return (!inner.contains(['"', '\\'])).then_some(Scalar::Text(Cow::Borrowed(inner)));
    }
    if let Some(inner) = value.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        // '' is a quote; a lone quote would end the scalar early.
        if !inner.contains('\'') {
            return Some(Scalar::Text(Cow::Borrowed(inner)));
        }
        let unquoted = inner.replace("''", "'");
        return (unquoted.matches('\'').count() * 2 == inner.matches('\'').count())
            .then_some(Scalar::Text(Cow::Owned(unquoted)));
    }
    let first = value.chars().next()?;
    if "[]{}&*!|>%@`#,?:-".contains(first)
        || value.contains(": ")
        || value.contains(" #")
        || value.ends_with(':')
    {
        return None;
    }
    if typed {
        // Words YAML reads as booleans or null, and numbers (1.50, 0x1F, 1e3, 0123, .5):
        // serde_yaml decides. Plain decimal integers keep their text either way.
        let lower = value.to_ascii_lowercase();
        let word = [
            "true", "false", "null", "~", "yes", "no", "on", "off", "y", "n",
        ];
        let decimal = value.bytes().all(|b| b.is_ascii_digit())
            && value.len() <= 18
            && (value == "0" || !value.starts_with('0'));
        let numeric = (first.is_ascii_digit() || "+.".contains(first))
            && (value.parse::<f64>().is_ok()
                || value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    && (lower.starts_with("0x")
                        || lower.starts_with("0o")
                        || lower.starts_with("0b")
                        || value.bytes().all(|b| b.is_ascii_digit() || b == b'_')));
        if word.contains(&lower.as_str())
            || (numeric && !decimal)
            || lower.starts_with(".inf")
            || lower.starts_with(".nan")
        {
            return None;
        }
    }
    Some(Scalar::Text(Cow::Borrowed(value)))
}

/// A key's `- item` lines, read so far.
struct List<'a> {
    key: &'a str,
    items: Vec<Option<String>>,
    /// The items' indentation (all the same: a deeper one would nest).
    indent: Option<usize>,
}

/// Flat front matter read line by line; `None` when it is not flat (see the module doc).
fn from_flat_lines(yaml: &str) -> Option<Metadata> {
    // Searched for a byte at a time (a search for any of several characters decodes each).
    if memchr::memchr2(b'\r', b'\t', yaml.as_bytes()).is_some() || yaml.contains('\u{feff}') {
        return None;
    }
    let mut keys: Vec<&str> = Vec::new();
    let mut values: Vec<Option<String>> = vec![None; KEYS.len()];
    let mut asset_ids = Vec::new();
    // The key whose value is empty so far: its `- item` lines may follow.
    let mut list: Option<List> = None;
    let text = |s: Scalar| match s {
        Scalar::Text(t) => Some(t.trim().to_string()).filter(|t| !t.is_empty()),
        Scalar::Null => None,
    };
    let mut store = |key: &str, items: Option<Vec<Option<String>>>, value: Option<String>| {
        if key == ASSET_IDS {
            asset_ids = match items {
                Some(items) => items.into_iter().flatten().collect(),
                None => value.into_iter().collect(),
            };
        } else if let Some(i) = KEYS.iter().position(|k| *k == key) {
            // A list where a text is expected reads as nothing.
            values[i] = if items.is_some() { None } else { value };
        }
    };
    // No '\r' (checked above): these are the lines `str::lines` gives.
    for line in lines(yaml) {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(item) = content.strip_prefix("- ") {
            // Items of one list, each a value (an empty one could open a nested list).
            let indent = line.len() - content.len();
            let l = list.as_mut()?;
            if *l.indent.get_or_insert(indent) != indent || item.trim().is_empty() {
                return None;
            }
            let typed = l.key == ASSET_IDS || KEYS.contains(&l.key);
            let value = scalar_of(item, typed)?;
            // Values of keys not read need only parse.
            if typed {
                l.items.push(text(value));
            }
            continue;
        }
        if content.len() != line.len() {
            return None; // an indented line: nesting or a continued scalar
        }
        let colon = memchr::memchr(b':', line.as_bytes())?;
        let (key, rest) = (&line[..colon], &line[colon + 1..]);
        let key_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
        if key.is_empty()
            || !key.bytes().all(key_byte)
            || !(rest.is_empty() || rest.starts_with(' '))
        {
            return None;
        }
        if keys.contains(&key) {
            return None; // serde_yaml rejects duplicate keys
        }
        keys.push(key);
        if let Some(l) = list.take() {
            store(l.key, (!l.items.is_empty()).then_some(l.items), None);
        }
        let typed = key == ASSET_IDS || KEYS.contains(&key);
        match scalar_of(rest, typed)? {
            Scalar::Null => {
                list = Some(List {
                    key,
                    items: Vec::new(),
                    indent: None,
                })
            }
            value if typed => store(key, None, text(value)),
            Scalar::Text(_) => {} // a key not read: its value need only parse
        }
    }
    if let Some(l) = list.take() {
        store(l.key, (!l.items.is_empty()).then_some(l.items), None);
    }
    if keys.is_empty() {
        return None;
    }
    let [title, content_locale, translation_type, topic, date, description] =
        <[Option<String>; 6]>::try_from(values).ok()?;
    Some(Metadata {
        title,
        content_locale,
        translation_type,
        asset_ids,
        topic,
        date,
        description,
    })
}

/// Reads `key: value` lines when the YAML as a whole does not parse.
fn from_lines(yaml: &str) -> Metadata {
    let get = |key: &str| {
        yaml.lines().find_map(|line| {
            let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(value);
            (!value.is_empty()).then(|| value.to_string())
        })
    };
    Metadata {
        title: get("title"),
        content_locale: get("ms.contentlocale"),
        translation_type: get("ms.translationtype"),
        asset_ids: Vec::new(),
        topic: get("ms.topic"),
        date: get("ms.date"),
        description: get("description"),
    }
}

/// Titles can carry markup and entities too.
fn clean_title(mut meta: Metadata) -> Metadata {
    meta.title = meta
        .title
        .map(|t| super::markdown::inline_text(&t))
        .filter(|t| !t.is_empty());
    meta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_those_of_the_standard_library() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\n\nb\n",
            "\n\na",
            "x: 1\n- y\n",
        ] {
            let inclusive: Vec<usize> = text
                .split_inclusive('\n')
                .scan(0, |end, line| {
                    *end += line.len();
                    Some(*end)
                })
                .collect();
            assert_eq!(line_ends(text).collect::<Vec<_>>(), inclusive, "{text:?}");
            // As `str::lines` (no text here has a '\r').
            assert_eq!(
                lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reads_the_fields_that_matter() {
        let text = "---\ntitle: Så stänger du ditt konto\nms.assetid:\n- \"9002317\"\n- \"4502\"\nms.translationtype: HT\nms.contentlocale: sv-SE\nms.date: 2020-03-25\n---\n# Body\n";
        let mut warnings = Vec::new();
        let (meta, body) = split(text, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(meta.title.as_deref(), Some("Så stänger du ditt konto"));
        assert_eq!(meta.asset_ids, ["9002317", "4502"]);
        assert_eq!(meta.translation_type.as_deref(), Some("HT"));
        assert_eq!(meta.content_locale.as_deref(), Some("sv-SE"));
        assert_eq!(meta.date.as_deref(), Some("2020-03-25"));
        assert_eq!(body, "# Body\n");
    }

    /// What serde_yaml reads of front matter, as `split` uses it.
    fn by_serde(yaml: &str) -> Option<Metadata> {
        match serde_yaml::from_str::<Value>(yaml) {
            Ok(Value::Mapping(map)) => Some(from_mapping(&map)),
            _ => None,
        }
    }

    /// Checks the flat reading of `yaml`, if any, against serde_yaml's; whether it was flat.
    fn agrees(yaml: &str) -> bool {
        let Some(flat) = from_flat_lines(yaml) else {
            return false;
        };
        assert_eq!(Some(flat), by_serde(yaml), "{yaml}");
        true
    }

    #[test]
    fn flat_front_matter_reads_as_serde_yaml_reads_it() {
        let flat = [
            "title: Så stänger du ditt konto\nms.date: 04/21/2020\nms.topic: article",
            "title: Inspelning av 1:1-samtal\nms.assetid: 8000079\n",
            "ms.assetid: 6c8c7f4a-0d7e-4f7e-9c8e-2b4f1d7e9a10\ntitle: x",
            "ms.assetid:\n- \"9002317\"\n- 4502\n- 'a''b'\ntitle: ok",
            "ms.assetid:\n  - 6c8c7f4a-0d7e\n  - e1f2\nms.openlocfilehash: 6a6a779e\nms.custom: ''",
            "# a comment\ntitle: \"Stäng: konto\"  \n\nms.custom:\n- x\ndescription: 'It''s here'",
            "title: Fish \"and\" chips#1\nms.topic:\nms.date: 2020-03-25",
            "title: a#b, [c] {d}\nms.translationtype: MT",
            "title: .NET 6\nms.date: 12abc",
            "description:\n- a\n- b\ntitle: t",
            "title: '   '\nms.topic: \"\"",
            "ROBOTS: NOINDEX, NOFOLLOW\nms.locfileid: \"52882671\"\nms.lasthandoff: 06/10/2021",
        ];
        for yaml in flat {
            assert!(agrees(yaml), "not read as flat: {yaml}");
        }
        // Left to serde_yaml (some of them are not valid YAML at all).
        let not_flat = [
            "title: 1.50",
            "title: 0123",
            "title: 0x1F",
            "title: 1e3",
            "title: true",
            "title: ~",
            "title: null",
            "title: -x",
            "title: a: b",
            "title: a # comment",
            "title: \"a \\\"b\\\"\"",
            "title: 'a'b'",
            "title: >\n  folded\n  text",
            "title: |\n  literal",
            "title: [a, b]",
            "title: {a: b}",
            "title: &x a\nother: *x",
            "title: !!str 12",
            "title: first\n  continued",
            "meta:\n  title: nested",
            "title: a\ntitle: b",
            "title:a",
            "\"title\": x",
            "title: x\r\n",
            "title:\tx",
            "- a\n- b",
            "",
            "# only a comment",
            "title: x\n-notalist",
            "ms.assetid:\n- a\n- \n  - b",
            "ms.assetid:\n- a\n  - b",
            "ms.assetid: 1.50",
            "title: +1",
            "title: 1_000",
        ];
        for yaml in not_flat {
            assert!(!agrees(yaml), "read as flat: {yaml}");
        }
    }

    /// Every front matter of the seeds, and of the corpus folder in
    /// `$HELPSEARCH_FRONT_MATTER_CORPUS` when set, reads the same either way.
    #[test]
    fn front_matter_of_real_articles_reads_as_serde_yaml_reads_it() {
        let mut roots = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")];
        roots.extend(std::env::var_os("HELPSEARCH_FRONT_MATTER_CORPUS").map(Into::into));
        let (mut files, mut flat) = (0, 0);
        let mut dirs = roots;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    if let Some((yaml, _)) = delimit(&text) {
                        files += 1;
                        flat += usize::from(agrees(yaml));
                    }
                }
            }
        }
        assert!(
            files >= 5 && flat * 10 >= files * 9,
            "{flat} of {files} flat"
        );
        eprintln!("{flat} of {files} front matters read as flat");
    }

    #[test]
    fn broken_yaml_falls_back_to_lines() {
        let text =
            "---\ntitle: \"Stäng: konto\"\nms.contentlocale: sv-SE\nbad: [unclosed\n---\nBody";
        let mut warnings = Vec::new();
        let (meta, body) = split(text, &mut warnings);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("front matter is not valid YAML"));
        assert_eq!(meta.title.as_deref(), Some("Stäng: konto"));
        assert_eq!(meta.content_locale.as_deref(), Some("sv-SE"));
        assert_eq!(body, "Body");
    }

    #[test]
    fn no_front_matter_is_reported_and_the_body_kept() {
        let mut warnings = Vec::new();
        let (meta, body) = split("# Title\ntext", &mut warnings);
        assert_eq!(meta, Metadata::default());
        assert_eq!(body, "# Title\ntext");
        assert_eq!(warnings, ["no front matter"]);
    }

    #[test]
    fn unclosed_front_matter_is_no_front_matter() {
        let mut warnings = Vec::new();
        let (_, body) = split("---\ntitle: x\n", &mut warnings);
        assert_eq!(body, "---\ntitle: x\n");
        assert_eq!(warnings, ["no front matter"]);
    }

    #[test]
    fn title_markup_is_removed() {
        let text = "---\ntitle: '<span data-ttu-id=\"a\">Fish &amp; chips</span>'\n---\n";
        let (meta, _) = split(text, &mut Vec::new());
        assert_eq!(meta.title.as_deref(), Some("Fish & chips"));
    }
}
