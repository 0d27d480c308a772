//! Arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A compiler and linter for standard operating procedures written as code.
#[derive(Debug, Parser)]
#[command(name = "sopc", version, about, propagate_version = true)]
pub struct Cli {
    /// The subcommand, with its own arguments.
    #[command(subcommand)]
    pub command: Command,
    /// The options that go before or after any subcommand (`--color`, `--config`).
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// When to use colour in what sopc prints for people.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    /// Use this configuration file instead of each project's `sopc.yaml`.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

/// `YYYY-MM-DD`, a date that exists.
fn parse_day(text: &str) -> Result<crate::lint::calendar::Day, String> {
    crate::lint::calendar::Day::parse(text)
        .ok_or_else(|| format!("`{text}` is not a date such as `2026-06-30`"))
}

/// The subcommands of `sopc`.
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
    /// Print the JSON Schema of the JSON that `sopc build` writes (`sopc schema diff`: of
    /// `sopc diff --format json`).
    Schema(SchemaArgs),
    /// Write a small working project: an SOP, a roles library and a `sopc.yaml`.
    Init(InitArgs),
    /// Hold a CRM stage history (CSV or JSON Lines) against the SOP's pipeline.
    Audit(Box<AuditArgs>),
    /// Show what a change to SOP files means: changed stages, owners and SLAs, who must be told,
    /// stages cut off, findings introduced and fixed.
    Diff(DiffArgs),
    /// Run the language server on stdin and stdout, for editors.
    Lsp(LspArgs),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Color {
    #[default]
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
    /// The date checks compare with, e.g. `review-overdue` (default: the current UTC date).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<crate::lint::calendar::Day>,
    /// Report only the findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file (the run then exits 0).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Apply the fixes that findings carry (safe ones only, unless `--unsafe-fixes`), then
    /// report what is left.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`: apply unsafe fixes too (the first of each finding's choices).
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// With `--fix`: print the fixes as a unified diff instead of writing them.
    #[arg(long, requires = "fix")]
    pub diff: bool,
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
    /// The date checks compare with, e.g. `review-overdue` (default: the current UTC date).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<crate::lint::calendar::Day>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    Csv,
    Jsonl,
    Xes,
}

/// Which cases to list one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CasesArg {
    All,
    Deviating,
    None,
}

/// Gates that fail the run (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditDeny {
    /// Any case with a bad start or a disallowed transition.
    Deviations,
    /// Any completed visit longer than its stage's `sla`.
    Sla,
    /// Any open case past its stage's `sla`.
    OpenOverdue,
    /// Any rejected row.
    RejectedRows,
    /// Any event of a stage the SOP does not define.
    UnknownStages,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The `.sop` document to hold the log against.
    pub sop: PathBuf,
    /// The stage history: a CSV, JSON Lines or XES file, or `-` for standard input.
    #[arg(
        allow_hyphen_values = true,
        required_unless_present = "emit_sql",
        default_value = ""
    )]
    pub log: String,
    /// The pipeline to audit (required when the document has several).
    #[arg(long, value_name = "ID")]
    pub pipeline: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,
    /// Format of the log (default: by extension, `.jsonl`/`.ndjson` are JSON Lines, `.xes` XES;
    /// `.gz` is unpacked).
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormatArg>,
    /// CSV field delimiter: one ASCII character, or `tab` (default `,`).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// Column of the case id (default `case_id`, `case:concept:name`).
    #[arg(long, value_name = "NAME")]
    pub case_col: Option<String>,
    /// Column of the stage (default `stage`, `concept:name`).
    #[arg(long, value_name = "NAME")]
    pub stage_col: Option<String>,
    /// Column of the time the stage was entered (default `timestamp`, `time:timestamp`).
    #[arg(long, value_name = "NAME")]
    pub time_col: Option<String>,
    /// Column of the deal amount (default `amount`).
    #[arg(long, value_name = "NAME")]
    pub amount_col: Option<String>,
    /// Column of the actor (default `actor`, `org:resource`): events per actor of each stage.
    #[arg(long, value_name = "NAME")]
    pub actor_col: Option<String>,
    /// Column of the role (default `role`, `org:role`): roles of each stage, against its owner.
    #[arg(long, value_name = "NAME")]
    pub role_col: Option<String>,
    /// The layout and columns of a CRM export: `salesforce`, `salesforce-field-history`,
    /// `hubspot`, `pipedrive` (the `--*-col` options still override its columns).
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    /// A CSV file of `value,stage_id` rows mapping the log's stage values to stage ids.
    #[arg(long, value_name = "FILE")]
    pub stage_map: Option<PathBuf>,
    /// Zone of timestamps that name none (default UTC).
    #[arg(long, value_name = "±HH:MM", allow_hyphen_values = true)]
    pub timezone: Option<String>,
    /// "Now" for open cases (default: the latest timestamp in the log).
    #[arg(long, value_name = "TIMESTAMP")]
    pub as_of: Option<String>,
    /// Cases to list one by one (default: all in JSON, the deviating ones in human output).
    #[arg(long, value_enum)]
    pub cases: Option<CasesArg>,
    /// Fail (exit 1) when the alignment fitness of the log is below F.
    #[arg(long, value_name = "F")]
    pub min_fitness: Option<f64>,
    /// Fail (exit 1) on deviations, SLA breaches, overdue open cases, rejected rows or unknown
    /// stages.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub deny: Vec<AuditDeny>,
    /// Print an SQL script computing the audit's figures inside a warehouse, instead of auditing
    /// a log (with `--dialect` and `--table`).
    #[arg(long, requires = "table")]
    pub emit_sql: bool,
    /// The SQL dialect of `--emit-sql`: `duckdb`, `spark` or `postgres`.
    #[arg(long, value_name = "NAME", default_value = "duckdb")]
    pub dialect: String,
    /// The table `--emit-sql` reads the stage history from.
    #[arg(long, value_name = "NAME")]
    pub table: Option<String>,
    /// Also write the accepted, collapsed events as XES, for process-mining tools.
    #[arg(long, value_name = "FILE")]
    pub export_xes: Option<PathBuf>,
    /// Also write the audit as a one-page, printable HTML report.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// A folder whose `audit.html` replaces the built-in template of the HTML report.
    #[arg(long, value_name = "DIR", requires = "html")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaOf {
    /// The JSON of `sopc diff --format json`.
    Diff,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Whose JSON (default: the JSON `sopc build` writes).
    #[arg(value_enum)]
    pub of: Option<SchemaOf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffDeny {
    /// Fail when the new side has an error finding the old side did not have.
    NewErrors,
    /// Fail on any change in meaning.
    Changes,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// `OLD NEW` (two files or two folders); with `--git`, the paths to compare (default: the
    /// whole repository).
    pub paths: Vec<PathBuf>,
    /// Compare with a git revision: `BASE` against the work tree, or `A..B` / `A...B`.
    #[arg(long, value_name = "BASE")]
    pub git: Option<String>,
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 on new error findings or on any change (can be repeated).
    #[arg(long, value_enum)]
    pub deny: Vec<DiffDeny>,
}

#[derive(Debug, Args)]
pub struct LspArgs {
    /// The date checks compare with, e.g. `review-overdue` (default: the current UTC date).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<crate::lint::calendar::Day>,
}
