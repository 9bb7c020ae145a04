//! YAML front matter: the fields that matter, and a fallback when the YAML is broken.

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
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
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
