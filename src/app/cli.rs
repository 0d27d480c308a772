//! Arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A compiler and linter for standard operating procedures written as code.
#[derive(Debug, Parser)]
#[command(name = "sopc", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files or directories (every `*.sop`, recursively) and report problems.
    Check(CheckArgs),
    /// List every check with its default level.
    Rules(RulesArgs),
    /// Print the documentation of one check, with a bad and a good example.
    Explain(ExplainArgs),
    /// Rewrite files in the canonical layout, keeping every comment.
    Fmt(FmtArgs),
    /// Check, then write the JSON, the handbook (Markdown, HTML) and the checklists of every
    /// document.
    Build(BuildArgs),
    /// Print the pipeline graph of a document as Mermaid or Graphviz DOT.
    Graph(GraphArgs),
    /// Print the JSON Schema of the JSON that `sopc build` writes.
    Schema,
    /// Write a small working project: an SOP, a roles library and a `sopc.yaml`.
    Init(InitArgs),
    /// Hold a CRM stage history (CSV or JSON Lines) against the SOP's pipeline.
    Audit(Box<super::audit_cmd::AuditArgs>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum)]
    pub deny: Vec<Deny>,
    /// Fail (exit 1) when there are more than N warnings.
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Report suppression comments without a reason (`-- why`) as warnings.
    #[arg(long)]
    pub require_reason: bool,
    /// When to use colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The check's name, e.g. `unreachable-stage`.
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Files or directories to format (default: the current directory); `-` formats standard
    /// input to standard output.
    pub paths: Vec<PathBuf>,
    /// Write nothing: list the files that would change, and exit 1 if there are any.
    #[arg(long)]
    pub check: bool,
    /// Show what would change as a unified diff (implies `--check`).
    #[arg(long)]
    pub diff: bool,
}

/// The language of generated labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Zh,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Files or directories to build (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// The folder to write the outputs into (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: PathBuf,
    /// Language of the labels in the outputs (default: each document's `lang`, else `en`).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// A folder whose files replace the built-in templates of the same name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The `.sop` file whose pipelines to draw.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the project in (default: the current directory).
    pub dir: Option<PathBuf>,
}
