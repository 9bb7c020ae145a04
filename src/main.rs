//! The `helpsearch` command: a thin shell over the library.

mod cli;

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use helpsearch::language::AnalyzerKind;
use helpsearch::render::{self, TextStyle};
use helpsearch::source::default_source;
use helpsearch::{build_index, BuildObserver, Error, HelpIndex, Locale, SearchRequest, Source};

use cli::{Cli, Command};

/// mimalloc: searching and indexing allocate many small, short-lived values (8 % off the
/// query p50, 10 % more server requests per second than glibc's malloc). Built without
/// transparent huge pages, which cost a one-query process 1 ms of page clearing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes: 0 found, 1 nothing found, 2 error.
const FOUND: u8 = 0;
const NOT_FOUND: u8 = 1;
const FAILED: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(FOUND),
        Err(e) => {
            eprintln!("helpsearch: error: {e:#}");
            ExitCode::from(FAILED)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<u8> {
    let location = Location::from(&cli.location);
    let s = &cli.search;
    let search_options = s.lang.is_some() || s.source || s.json || s.jsonl || !s.query.is_empty();
    if cli.command.is_some() && search_options {
        anyhow::bail!("search options and words go after `search`, or with no subcommand");
    }
    match cli.command {
        None => search(&location, cli.search),
        Some(Command::Search(args)) => search(&location, args),
        Some(Command::Index(args)) => index(&location, args),
        Some(Command::Analyze(args)) => analyze(args),
        Some(Command::Show(args)) => show(&location, args),
        Some(Command::Languages) => languages(&location),
        Some(Command::Serve(args)) => serve(&location, args),
    }
}

/// Where the index is, and whether the user chose it.
struct Location {
    path: PathBuf,
    chosen: bool,
}

impl From<&cli::LocationArgs> for Location {
    fn from(args: &cli::LocationArgs) -> Location {
        match &args.index {
            Some(p) => Location {
                path: p.clone(),
                chosen: true,
            },
            None => Location {
                path: PathBuf::from("index"),
                chosen: false,
            },
        }
    }
}

/// Opens the index, building the default one from the seeds on first use and rebuilding
/// one of an older format from its recorded sources. A chosen index is never replaced by
/// the seeds.
fn open(location: &Location) -> Result<HelpIndex> {
    let path = &location.path;
    match HelpIndex::open(path) {
        Err(Error::NoIndex(_)) if !location.chosen => {
            let source = default_source();
            eprintln!(
                "helpsearch: no index at {}; building it from {source} (first run)",
                path.display()
            );
            build_index(path, &[source], &())
                .with_context(|| format!("building the index at {}", path.display()))?;
        }
        Err(Error::FormatVersion {
            sources, rebuild, ..
        }) if sources_exist(&sources) => {
            eprintln!(
                "helpsearch: the index at {} is of an older format; rebuilding it ({rebuild})",
                path.display()
            );
            build_index(path, &sources, &())
                .with_context(|| format!("rebuilding the index at {}", path.display()))?;
        }
        other => return other.with_context(|| format!("opening the index at {}", path.display())),
    }
    HelpIndex::open(path).with_context(|| format!("opening the index at {}", path.display()))
}

fn sources_exist(sources: &[Source]) -> bool {
    !sources.is_empty()
        && sources.iter().all(|s| match s {
            Source::Path(p) => p.exists(),
            Source::BuiltinSeeds => true,
        })
}

fn parse_locale(lang: &str) -> Result<Locale> {
    lang.parse::<Locale>().map_err(anyhow::Error::from)
}

/// How text goes to stdout: color only on a terminal, and never when NO_COLOR is set.
fn text_style(source: bool) -> TextStyle {
    let color =
        io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    TextStyle { color, source }
}

fn search(location: &Location, args: cli::SearchArgs) -> Result<u8> {
    let index = open(location)?;
    if args.jsonl {
        return batch(&index);
    }
    let mut request = SearchRequest::new(args.query.join(" "))
        .limit(args.limit)
        .with_source(args.source);
    if let Some(lang) = &args.lang {
        request = request.lang(parse_locale(lang)?);
    }
    let results = index.search(&request)?;
    let mut out = io::stdout().lock();
    if args.json {
        render::write_json_line(&mut out, &results)?;
    } else {
        let style = text_style(args.source);
        render::write_results(&mut out, &results, &style)?;
        if results.hits.is_empty() {
            let lang = results.lang.map_or(String::new(), |l| format!(" in {l}"));
            eprintln!("helpsearch: nothing found for {:?}{lang}", results.query);
        }
    }
    out.flush()?;
    // The process ends here, and the kernel takes back the index's file mappings at once,
    // sooner than dropping the index would unmap them one by one (6 % of a one-query
    // process's time).
    std::mem::forget(index);
    Ok(if results.hits.is_empty() {
        NOT_FOUND
    } else {
        FOUND
    })
}

/// JSON-lines batch: one answer per query line, errors included, until end of input.
fn batch(index: &HelpIndex) -> Result<u8> {
    let stdin = io::stdin().lock();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in stdin.lines() {
        let line = line.context("reading queries from stdin")?;
        if let Some(answer) = index.answer_line(&line) {
            render::write_json_line(&mut out, &answer)?;
            out.flush()?;
        }
    }
    Ok(FOUND)
}

/// Draws a progress bar on a terminal (indicatif draws nothing elsewhere).
struct Progress(indicatif::ProgressBar);

impl BuildObserver for Progress {
    fn files_found(&self, count: usize) {
        self.0.set_length(count as u64);
    }
    fn file_read(&self) {
        self.0.inc(1);
    }
    fn writing(&self) {
        self.0.set_message("writing the index");
    }
}

fn index(location: &Location, args: cli::IndexArgs) -> Result<u8> {
    let sources: Vec<Source> = if args.sources.is_empty() {
        vec![default_source()]
    } else {
        args.sources
            .iter()
            .map(|p| {
                let abs =
                    std::fs::canonicalize(p).with_context(|| format!("source {}", p.display()))?;
                Ok(Source::Path(abs))
            })
            .collect::<Result<_>>()?
    };
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {msg}")
            .expect("a valid template"),
    );
    let started = Instant::now();
    let summary = build_index(&location.path, &sources, &Progress(bar.clone()))
        .with_context(|| format!("building the index at {}", location.path.display()))?;
    bar.finish_and_clear();
    let mut err = io::stderr().lock();
    for problem in &summary.problems {
        writeln!(err, "{problem}")?;
    }
    writeln!(
        err,
        "indexed {} articles in {} locales ({} with warnings), skipped {}, in {:.1} s → {}",
        summary.indexed,
        summary.locales.len(),
        summary.with_warnings,
        summary.skipped,
        started.elapsed().as_secs_f64(),
        location.path.display()
    )?;
    Ok(FOUND)
}

fn analyze(args: cli::AnalyzeArgs) -> Result<u8> {
    let locale = parse_locale(&args.lang)?;
    let kind = if args.folded {
        AnalyzerKind::Folded
    } else {
        AnalyzerKind::Exact
    };
    let text = args.text.join(" ");
    let tokens = locale.analyze(kind, &text);
    let mut out = io::stdout().lock();
    if args.json {
        let json: Vec<_> = tokens
            .iter()
            .map(|t| {
                serde_json::json!({
                    "token": t.text, "position": t.position,
                    "start": t.offset_from, "end": t.offset_to,
                })
            })
            .collect();
        render::write_json_line(&mut out, &json)?;
    } else {
        for t in &tokens {
            writeln!(
                out,
                "{}\t{}\t{}..{}\t{}",
                t.position,
                t.text,
                t.offset_from,
                t.offset_to,
                &text[t.offset_from..t.offset_to]
            )?;
        }
    }
    Ok(if tokens.is_empty() { NOT_FOUND } else { FOUND })
}

fn show(location: &Location, args: cli::ShowArgs) -> Result<u8> {
    let index = open(location)?;
    let locale = parse_locale(&args.locale)?;
    let article = match index.article(locale, &args.slug) {
        Err(e @ Error::NoArticle { .. }) => {
            eprintln!("helpsearch: {e}");
            return Ok(NOT_FOUND);
        }
        other => other?,
    };
    let mut out = io::stdout().lock();
    if args.json {
        render::write_json_line(&mut out, &article)?;
    } else {
        let style = text_style(args.source);
        render::write_article(&mut out, &article, &style)?;
    }
    Ok(FOUND)
}

fn languages(location: &Location) -> Result<u8> {
    let index = open(location)?;
    let mut out = io::stdout().lock();
    for (locale, count) in index.languages() {
        writeln!(out, "{locale}\t{count}\t{}", locale.language().name)?;
    }
    Ok(FOUND)
}

fn serve(location: &Location, args: cli::ServeArgs) -> Result<u8> {
    // Builds the default index on first use, like a search.
    drop(open(location)?);
    let live = helpsearch::LiveIndex::open(&location.path)
        .with_context(|| format!("opening the index at {}", location.path.display()))?;
    helpsearch::serve::serve(std::sync::Arc::new(live), args.addr, |addr| {
        eprintln!("helpsearch: listening on http://{addr}");
    })
    .with_context(|| format!("serving on {}", args.addr))?;
    Ok(FOUND)
}
