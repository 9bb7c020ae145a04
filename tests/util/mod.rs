//! Shared helpers of the integration tests: a temp dir per test and a command builder that
//! runs the real `helpsearch` binary in it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use helpsearch::SearchResults;

/// The project's root (where `seeds/` is).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared`, beside the project.
pub fn shared() -> PathBuf {
    project_root().join("..").join("shared")
}

/// A temp dir with helpers to run helpsearch in it.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("a temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// `helpsearch ARGS` with this dir as working directory, no inherited index location.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_helpsearch"));
        cmd.current_dir(self.path())
            .env_remove("HELPSEARCH_INDEX")
            .env_remove("NO_COLOR")
            .args(args);
        cmd
    }

    /// Runs `helpsearch ARGS`.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("helpsearch runs")
    }

    /// Runs `helpsearch ARGS` with `input` on stdin.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("helpsearch starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Runs `helpsearch index --index INDEX SOURCE`.
    pub fn build(&self, index: &Path, source: &Path) -> Output {
        self.run(&[
            "index",
            "--index",
            index.to_str().unwrap(),
            source.to_str().unwrap(),
        ])
    }

    /// Builds an index of the project's seeds at `index` in this dir.
    pub fn index_seeds(&self) -> PathBuf {
        let index = self.path().join("index");
        let out = self.build(&index, &project_root().join("seeds"));
        assert!(out.status.success(), "{}", stderr(&out));
        index
    }
}

/// Unpacks `locales` of ../shared/corpus into `dest`.
pub fn unpack(dest: &Path, locales: &[&str]) {
    std::fs::create_dir_all(dest).unwrap();
    let out = Command::new("bash")
        .arg(shared().join("corpus/unpack"))
        .arg(dest)
        .args(locales)
        .output()
        .expect("bash runs the unpack script");
    assert!(out.status.success(), "{}", stderr(&out));
}

/// How many entries of `dir` have names starting with `prefix`.
pub fn entries_starting_with(dir: &Path, prefix: &str) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with(prefix)
        })
        .count()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs a `--json` search and decodes it.
pub fn search_json(dir: &Dir, index: &Path, args: &[&str]) -> SearchResults {
    let mut all = vec!["--index", index.to_str().unwrap(), "--json"];
    all.extend_from_slice(args);
    let out = dir.run(&all);
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{}",
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("--json output decodes")
}

/// Articles per locale in each corpus: a query finds all of them.
const COPIES: usize = 4;

/// Writes a corpus of the seeds, each in [`COPIES`] slightly different copies; in corpus "B"
/// every title ends with " B", so an answer tells which corpus it came from.
pub fn corpus(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    for entry in std::fs::read_dir(project_root().join("seeds")).unwrap() {
        let locale = entry.unwrap().path();
        let seed = std::fs::read_to_string(locale.join("how-to-close-your-account.md")).unwrap();
        let (head, rest) = seed.split_once("\ntitle: ").unwrap();
        let (title, rest) = rest.split_once('\n').unwrap();
        let marker = if name == "B" { " B" } else { "" };
        let out = dir.join(locale.file_name().unwrap());
        std::fs::create_dir_all(&out).unwrap();
        for k in 0..COPIES {
            let text = format!("{head}\ntitle: {title}{marker}\n{rest}\n\nKopia {k}.\n");
            std::fs::write(out.join(format!("copy-{k}.md")), text).unwrap();
        }
    }
    dir
}

/// Which corpus an answer came from; panics on a mix.
pub fn corpus_of(titles: &[String]) -> char {
    let b = titles.iter().filter(|t| t.ends_with(" B")).count();
    assert_eq!(titles.len(), COPIES, "{titles:?}");
    assert!(
        b == 0 || b == titles.len(),
        "an answer mixes generations: {titles:?}"
    );
    if b == 0 {
        'A'
    } else {
        'B'
    }
}
