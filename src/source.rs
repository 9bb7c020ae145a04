//! Where articles come from: folders and files on disk, or the seeds built into the binary.
//!
//! A source is walked into [`SourceFile`]s, each with its slug and the locale its folder
//! names; reading and parsing a file reports every problem with the file's path.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::article::{self, Origin, ParsedArticle, MAX_ARTICLE_BYTES};
use crate::error::Error;
use crate::language::Locale;

/// A source of articles, as recorded in the index so it can be rebuilt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A folder (walked for `*.md`) or a single file.
    Path(PathBuf),
    /// The five seed articles compiled into helpsearch.
    BuiltinSeeds,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Path(p) => write!(f, "{}", p.display()),
            Source::BuiltinSeeds => f.write_str("(built-in seeds)"),
        }
    }
}

/// The seed articles, as they stand in the project's `seeds/` folder.
const SEEDS: &[(&str, &str)] = &[
    (
        "lv-LV/how-to-close-your-account.md",
        include_str!("../seeds/lv-LV/how-to-close-your-account.md"),
    ),
    (
        "nl-NL/how-to-close-your-account.md",
        include_str!("../seeds/nl-NL/how-to-close-your-account.md"),
    ),
    (
        "ro-RO/how-to-close-your-account.md",
        include_str!("../seeds/ro-RO/how-to-close-your-account.md"),
    ),
    (
        "sl-SI/how-to-close-your-account.md",
        include_str!("../seeds/sl-SI/how-to-close-your-account.md"),
    ),
    (
        "sv-SE/how-to-close-your-account.md",
        include_str!("../seeds/sv-SE/how-to-close-your-account.md"),
    ),
];

/// The default source: the `seeds/` folder when the working directory has one (so edits
/// to it count), else the seeds built into the binary.
pub fn default_source() -> Source {
    let dir = Path::new("seeds");
    match dir.canonicalize() {
        Ok(abs) if dir.is_dir() => Source::Path(abs),
        _ => Source::BuiltinSeeds,
    }
}

/// One file to read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown in reports.
    pub path: PathBuf,
    /// Slug and folder locale.
    pub origin: Origin,
    content: Content,
}

#[derive(Debug, Clone)]
enum Content {
    OnDisk,
    Builtin(&'static str),
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worked around; the file is indexed with what could be read.
    Warning,
    /// The file is not indexed.
    Skipped,
}

/// A problem with one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file.
    pub path: PathBuf,
    /// Warning or skipped.
    pub severity: Severity,
    /// What was wrong.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.severity {
            Severity::Warning => "warning",
            Severity::Skipped => "skipped",
        };
        write!(f, "{what}: {}: {}", self.path.display(), self.reason)
    }
}

/// Lists the files of `sources`. A source that does not exist is an error; a file that
/// cannot be listed (a symlink, an unreadable folder) is a problem, and the walk goes on.
pub fn discover(sources: &[Source]) -> Result<(Vec<SourceFile>, Vec<Problem>), Error> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for source in sources {
        match source {
            Source::BuiltinSeeds => files.extend(SEEDS.iter().map(|(name, text)| {
                let path = PathBuf::from(name);
                SourceFile {
                    origin: origin_of(&path, Path::new("")),
                    path,
                    content: Content::Builtin(text),
                }
            })),
            Source::Path(root) => walk(root, &mut files, &mut problems)?,
        }
    }
    Ok((files, problems))
}

fn walk(
    root: &Path,
    files: &mut Vec<SourceFile>,
    problems: &mut Vec<Problem>,
) -> Result<(), Error> {
    let meta = std::fs::metadata(root).map_err(|e| Error::Source {
        path: root.to_path_buf(),
        reason: e.to_string(),
    })?;
    if meta.is_file() {
        let base = root.parent().unwrap_or(Path::new(""));
        files.push(SourceFile {
            origin: origin_of(root, base),
            path: root.to_path_buf(),
            content: Content::OnDisk,
        });
        return Ok(());
    }
    // Symlinks are not followed: indexing stays inside the source tree. Siblings in name
    // order, compared as whole paths: the same order (they share their folder's path)
    // without finding each name's start in every comparison.
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()));
    // The folder of the file last listed, worked out once for the files after it there
    // (a subfolder in between is listed whole first: then it is worked out again).
    let mut folder: Option<(PathBuf, FolderOrigin)> = None;
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Problem {
                    path: e.path().unwrap_or(root).to_path_buf(),
                    severity: Severity::Skipped,
                    reason: format!("cannot list: {e}"),
                });
                continue;
            }
        };
        let path = entry.path();
        let is_md = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("md"));
        if !is_md {
            continue;
        }
        if entry.path_is_symlink() {
            problems.push(Problem {
                path: path.to_path_buf(),
                severity: Severity::Skipped,
                reason: "symbolic link not followed".into(),
            });
            continue;
        }
        if entry.file_type().is_file() {
            let parent = path.parent().unwrap_or(Path::new(""));
            let origin = match &folder {
                Some((known, origin)) if known.as_os_str() == parent.as_os_str() => origin,
                _ => {
                    let origin = FolderOrigin::of(parent, root);
                    &folder.insert((parent.to_path_buf(), origin)).1
                }
            };
            files.push(SourceFile {
                origin: origin.file(path),
                path: path.to_path_buf(),
                content: Content::OnDisk,
            });
        }
    }
    Ok(())
}

/// A folder name that is exactly a locale code (`sv-SE`, `sv_SE`), not a bare language.
fn folder_locale(name: &str) -> Option<Locale> {
    let name = name.replace('_', "-");
    Locale::all().find(|l| l.code().eq_ignore_ascii_case(&name))
}

/// The slug is the path under the nearest locale folder (or under the source root when no
/// folder names a locale), without `.md`.
fn origin_of(path: &Path, root: &Path) -> Origin {
    FolderOrigin::of(path.parent().unwrap_or(Path::new("")), root).file(path)
}

/// What a folder's files take from it: the locale it or the nearest folder above it (up
/// to the source root) names, and the path from there, which starts their slugs.
struct FolderOrigin {
    folder_locale: Option<Locale>,
    /// `/`-separated, empty for the locale folder itself.
    slug_prefix: String,
}

impl FolderOrigin {
    fn of(folder: &Path, root: &Path) -> FolderOrigin {
        let (relative, under_root) = match folder.strip_prefix(root) {
            Ok(relative) => (relative, true),
            Err(_) => (folder, false),
        };
        let named = |folder: &Path| folder.file_name()?.to_str().and_then(folder_locale);
        // The nearest folder naming a locale: one under the root, else the root itself.
        let nearest = (relative.ancestors())
            .find_map(|above| Some((relative.strip_prefix(above).ok()?, named(above)?)))
            .or_else(|| Some((relative, named(root).filter(|_| under_root)?)));
        let (under, folder_locale) = match nearest {
            Some((under, locale)) => (under, Some(locale)),
            None => (relative, None),
        };
        let mut slug_prefix = String::with_capacity(under.as_os_str().len());
        for component in under.components() {
            slug_prefix.push_str(&component.as_os_str().to_string_lossy());
            slug_prefix.push('/');
        }
        FolderOrigin {
            folder_locale,
            slug_prefix,
        }
    }

    /// The origin of `file`, one of the folder's files.
    fn file(&self, file: &Path) -> Origin {
        let stem = Path::new(file.file_name().unwrap_or_default()).with_extension("");
        Origin {
            slug: format!("{}{}", self.slug_prefix, stem.to_string_lossy()),
            folder_locale: self.folder_locale,
        }
    }
}

impl SourceFile {
    /// Reads and parses the file. Every problem is reported with the file's path.
    pub fn read(&self) -> Result<(ParsedArticle, Vec<Problem>), Problem> {
        let skipped = |reason: String| Problem {
            path: self.path.clone(),
            severity: Severity::Skipped,
            reason,
        };
        let mut changed = None;
        let parsed = match self.content {
            Content::Builtin(text) => article::parse_article(text.as_bytes(), &self.origin),
            Content::OnDisk => {
                let (bytes, warning) = read_limited(&self.path).map_err(skipped)?;
                changed = warning;
                article::parse_article(&bytes, &self.origin)
            }
        }
        .map_err(|e| skipped(e.to_string()))?;
        let warnings = changed
            .iter()
            .chain(&parsed.warnings)
            .map(|w| Problem {
                path: self.path.clone(),
                severity: Severity::Warning,
                reason: w.clone(),
            })
            .collect();
        Ok((parsed, warnings))
    }
}

/// Times a file is read before one that keeps changing is given up.
const READ_ATTEMPTS: usize = 3;

/// What identifies one version of a file: a file rewritten or replaced differs in one of them.
fn version_of(meta: &std::fs::Metadata) -> (u64, u64, Option<std::time::SystemTime>) {
    use std::os::unix::fs::MetadataExt;
    (meta.ino(), meta.len(), meta.modified().ok())
}

/// Reads a file whole, at most [`MAX_ARTICLE_BYTES`]. A file that changes while it is read
/// (the docs pipeline writing it) is read again; the version read is one the file had from
/// start to end. Returns the bytes and, when the file changed, a warning saying so.
fn read_limited(path: &Path) -> Result<(Vec<u8>, Option<String>), String> {
    read_stable(path, |_| {})
}

/// [`read_limited`], with `between` called after each read, before the file is looked at
/// again (tests change the file there).
fn read_stable(
    path: &Path,
    mut between: impl FnMut(usize),
) -> Result<(Vec<u8>, Option<String>), String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read: {e}");
    for attempt in 0..READ_ATTEMPTS {
        let file = std::fs::File::open(path).map_err(cannot)?;
        let before = file.metadata().map_err(cannot)?;
        if before.len() > MAX_ARTICLE_BYTES {
            return Err(article::Unreadable::TooLarge(before.len()).to_string());
        }
        let mut bytes = Vec::with_capacity(before.len() as usize);
        // Read at most one byte past the limit: a file that grows while read is caught too.
        file.take(MAX_ARTICLE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        between(attempt);
        let after =
            std::fs::metadata(path).map_err(|e| format!("disappeared while being read: {e}"))?;
        if version_of(&before) == version_of(&after) && bytes.len() as u64 == after.len() {
            let warning = (attempt > 0)
                .then(|| "changed while being read; the version read whole is indexed".to_string());
            return Ok((bytes, warning));
        }
    }
    Err(format!(
        "kept changing while being read ({READ_ATTEMPTS} tries); not indexed"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_is_the_path_under_the_locale_folder() {
        let o = origin_of(
            Path::new("/c/sv-SE/commercial-dialogues/x.md"),
            Path::new("/c"),
        );
        assert_eq!(o.slug, "commercial-dialogues/x");
        assert_eq!(o.folder_locale.unwrap().code(), "sv-SE");
    }

    #[test]
    fn slug_without_locale_folder_is_relative_to_the_root() {
        let o = origin_of(Path::new("/docs/a/b.md"), Path::new("/docs"));
        assert_eq!(o.slug, "a/b");
        assert_eq!(o.folder_locale, None);
    }

    #[test]
    fn folder_names_must_be_whole_locale_codes() {
        assert_eq!(folder_locale("sv_se").unwrap().code(), "sv-SE");
        assert_eq!(folder_locale("sr-Latn-RS").unwrap().code(), "sr-Latn-RS");
        assert_eq!(folder_locale("sv"), None);
        assert_eq!(folder_locale("includes"), None);
    }

    #[test]
    fn builtin_seeds_are_the_seed_folder() {
        let (files, problems) = discover(&[Source::BuiltinSeeds]).unwrap();
        assert!(problems.is_empty());
        assert_eq!(files.len(), 5);
        for f in &files {
            assert_eq!(f.origin.slug, "how-to-close-your-account");
            let on_disk = std::fs::read_to_string(Path::new("seeds").join(&f.path)).unwrap();
            match f.content {
                Content::Builtin(text) => assert_eq!(text, on_disk),
                Content::OnDisk => panic!("seeds are built in"),
            }
        }
    }

    #[test]
    fn a_file_changed_while_read_is_read_again_and_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "# v1\n").unwrap();
        let (bytes, warning) = read_stable(&path, |attempt| {
            if attempt == 0 {
                std::fs::write(&path, "# version two\n").unwrap();
            }
        })
        .unwrap();
        assert_eq!(bytes, b"# version two\n");
        assert!(warning.unwrap().contains("changed while being read"));

        let (_, warning) = read_stable(&path, |_| {}).unwrap();
        assert_eq!(warning, None);
    }

    #[test]
    fn a_file_that_keeps_changing_or_disappears_is_not_indexed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "x").unwrap();
        let err = read_stable(&path, |attempt| {
            std::fs::write(&path, "y".repeat(attempt + 2)).unwrap();
        })
        .unwrap_err();
        assert!(err.contains("kept changing"), "{err}");

        let err = read_stable(&path, |_| std::fs::remove_file(&path).unwrap()).unwrap_err();
        assert!(err.contains("disappeared while being read"), "{err}");
    }

    #[test]
    fn a_walk_gives_each_file_the_origin_of_its_own_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Listed in name order, folder by folder: back in sv-SE after its subfolder.
        for file in [
            "sv-SE/a.md",
            "sv-SE/sub/b.c.md",
            "sv-SE/z.md",
            "nl_NL/d.md",
            "misc/e.md",
            "f.md",
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::write(root.join(file), "# T\n").unwrap();
        }
        let origins = |source: &Path| -> Vec<(String, Option<&str>)> {
            let (files, _) = discover(&[Source::Path(source.to_path_buf())]).unwrap();
            (files.into_iter())
                .map(|f| (f.origin.slug, f.origin.folder_locale.map(|l| l.code())))
                .collect()
        };
        let expected = [
            ("f", None),
            ("misc/e", None),
            ("d", Some("nl-NL")),
            ("a", Some("sv-SE")),
            ("sub/b.c", Some("sv-SE")),
            ("z", Some("sv-SE")),
        ];
        assert_eq!(origins(root), expected.map(|(s, l)| (s.to_string(), l)));
        // A locale folder given as the source, and a file in it.
        assert_eq!(
            origins(&root.join("sv-SE"))[1],
            ("sub/b.c".to_string(), Some("sv-SE"))
        );
        assert_eq!(
            origins(&root.join("sv-SE/z.md")),
            [("z".to_string(), Some("sv-SE"))]
        );
    }

    #[test]
    fn a_missing_source_is_an_error() {
        let err = discover(&[Source::Path("/no/such/dir".into())]).unwrap_err();
        assert!(err.to_string().contains("/no/such/dir"), "{err}");
    }
}
