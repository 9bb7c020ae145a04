//! Command-line arguments. They become library types here, once; no search logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Offline multilingual search over localized help articles.
///
/// `helpsearch "stänga konto"` finds the article and its matching step in the query's
/// language. The first search builds the default index from the seed articles.
#[derive(Debug, Parser)]
#[command(name = "helpsearch", version, subcommand_negates_reqs = true)]
pub struct Cli {
    #[command(flatten)]
    pub location: LocationArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub search: SearchArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search (the default command).
    Search(SearchArgs),
    /// Build the index from article folders or files (default: seeds/).
    Index(IndexArgs),
    /// Print the tokens a language's analyzer makes of a text.
    Analyze(AnalyzeArgs),
    /// Print one article with its steps.
    Show(ShowArgs),
    /// List the indexed languages and their article counts.
    Languages,
    /// Serve the HTTP API (loopback by default).
    Serve(ServeArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
}

#[derive(Debug, Clone, Args)]
pub struct LocationArgs {
    /// Index location [default: ./index]; before or after the subcommand.
    #[arg(long, value_name = "DIR", env = "HELPSEARCH_INDEX", global = true)]
    pub index: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// The user's language (sv, sv-SE, sv_SE); detected from the query when absent.
    #[arg(long, value_name = "LOCALE")]
    pub lang: Option<String>,
    /// Show the English source under each shown line.
    #[arg(long)]
    pub source: bool,
    /// Number of hits.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub limit: usize,
    /// Print one JSON document.
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,
    /// Batch mode: JSON-lines queries on stdin, JSON-lines answers on stdout.
    #[arg(long)]
    pub jsonl: bool,
    /// The query (several words may be given without quotes).
    #[arg(value_name = "QUERY", required_unless_present = "jsonl")]
    pub query: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct IndexArgs {
    /// Folders (walked for *.md) or files [default: seeds/].
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct AnalyzeArgs {
    /// The language whose analyzer to use.
    #[arg(long, value_name = "LOCALE")]
    pub lang: String,
    /// Use the diacritic-folding analyzer.
    #[arg(long)]
    pub folded: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The text.
    #[arg(value_name = "TEXT", required = true)]
    pub text: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// The article's locale.
    pub locale: String,
    /// The article's slug.
    pub slug: String,
    /// Show the English source under each line.
    #[arg(long)]
    pub source: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
