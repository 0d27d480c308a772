//! The shared vocabulary of log reading: formats, fields and columns, accepted records, rejected
//! rows and warnings, amounts and physical line numbers. Every reader imports it; it imports none
//! of them.

use serde::Serialize;

use super::timestamp::Timestamp;

/// The two input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated values with a header row (another delimiter with `--delimiter`).
    Csv,
    /// JSON Lines: one JSON object per line, keys as column names.
    Jsonl,
    /// XES, the XML event-log standard of process mining.
    Xes,
}

impl InputFormat {
    /// By file name: `.jsonl`/`.ndjson` are JSON Lines, `.xes` XES, anything else CSV; a
    /// `.gz` after the name is looked through.
    pub fn from_path(path: &str) -> InputFormat {
        let lower = path.to_ascii_lowercase();
        let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            InputFormat::Jsonl
        } else if lower.ends_with(".xes") {
            InputFormat::Xes
        } else {
            InputFormat::Csv
        }
    }

    /// For standard input: a first non-blank byte `{` means JSON Lines, `<` XES.
    pub fn sniff(data: &[u8]) -> InputFormat {
        let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
        match data.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => InputFormat::Jsonl,
            Some(b'<') => InputFormat::Xes,
            _ => InputFormat::Csv,
        }
    }
}

/// The fields of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The case (deal) the row belongs to.
    Case,
    /// The stage the case entered.
    Stage,
    /// When it entered it.
    Time,
    /// The deal's amount, for currency KPIs.
    Amount,
    /// Who made the change.
    Actor,
    /// The actor's role, for the roles per stage.
    Role,
    /// The column a [`RowFilter`] looks at.
    Filter,
    /// A second stage column, used when the first holds no stage of the SOP.
    StageAlt,
}

impl Field {
    /// The fields a log must have a column for.
    pub const REQUIRED: [Field; 3] = [Field::Case, Field::Stage, Field::Time];
    /// Every field, in the order of [`Values`].
    pub const ALL: [Field; 8] = [
        Field::Case,
        Field::Stage,
        Field::Time,
        Field::Amount,
        Field::Actor,
        Field::Role,
        Field::Filter,
        Field::StageAlt,
    ];
}

/// The header names that identify each field, first match wins.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Names of the case id column (`case_id`, `case:concept:name`; `--case-col`).
    pub case: Vec<String>,
    /// Names of the stage column (`stage`, `concept:name`; `--stage-col`).
    pub stage: Vec<String>,
    /// Names of the timestamp column (`timestamp`, `time:timestamp`; `--time-col`).
    pub time: Vec<String>,
    /// Names of the amount column (`amount`; `--amount-col`).
    pub amount: Vec<String>,
    /// Names of the actor column (`actor`, `org:resource`; `--actor-col`).
    pub actor: Vec<String>,
    /// Names of the role column (`role`, `org:role`; `--role-col`).
    pub role: Vec<String>,
    /// Names of the filter column (a preset's, such as `Field`); empty without a filter.
    pub filter: Vec<String>,
    /// Names of the second stage column (a preset's); empty without one.
    pub stage_alt: Vec<String>,
}

/// Header names from string literals.
pub fn names(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_string()).collect()
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            case: names(&["case_id", "case:concept:name"]),
            stage: names(&["stage", "concept:name"]),
            time: names(&["timestamp", "time:timestamp"]),
            amount: names(&["amount"]),
            actor: names(&["actor", "org:resource"]),
            role: names(&["role", "org:role"]),
            filter: Vec::new(),
            stage_alt: Vec::new(),
        }
    }
}

impl Columns {
    /// The header names that identify `field`.
    pub fn names(&self, field: Field) -> &[String] {
        match field {
            Field::Case => &self.case,
            Field::Stage => &self.stage,
            Field::Time => &self.time,
            Field::Amount => &self.amount,
            Field::Actor => &self.actor,
            Field::Role => &self.role,
            Field::Filter => &self.filter,
            Field::StageAlt => &self.stage_alt,
        }
    }
}

/// Only rows whose filter column holds `value` are stage entries (`Field` = `StageName` in a
/// Salesforce field history); the others are not rows of the stage history at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFilter {
    /// The value the filter column must hold (`StageName`).
    pub value: String,
}

/// The values of one row, untrimmed, empty where the row has no such column.
#[derive(Debug, Default, Clone, Copy)]
pub struct Values<'a> {
    /// The case id.
    pub case: &'a str,
    /// The stage value as written.
    pub stage: &'a str,
    /// The timestamp as written.
    pub time: &'a str,
    /// The amount as written.
    pub amount: &'a str,
    /// The actor.
    pub actor: &'a str,
    /// The role.
    pub role: &'a str,
    /// The second stage column's value.
    pub stage_alt: &'a str,
}

/// How to read a log.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The format, from the file name or by sniffing standard input.
    pub format: InputFormat,
    /// The CSV delimiter byte (`--delimiter`; `,` by default).
    pub delimiter: u8,
    /// The header names of each field.
    pub columns: Columns,
    /// The zone of timestamps that name none, in seconds east of UTC.
    pub default_offset_s: i32,
    /// Rows that are stage entries, when not all are.
    pub filter: Option<RowFilter>,
    /// The wide layout (one row per case): a column named one of these prefixes followed by a
    /// stage value holds the time the case entered that stage. Empty: one row per stage entry.
    /// An earlier prefix wins over a later one for the same stage.
    pub wide: Vec<String>,
    /// The preset the mapping comes from, named in messages.
    pub preset: Option<&'static str>,
    /// The size of the chunks the log is read in.
    pub chunk_size: usize,
    /// How many threads parse chunks (1: all on the calling thread).
    pub threads: usize,
    /// Whether to find the zones the log's timestamps are written in (for the page).
    pub scan_zones: bool,
}

impl ReadOptions {
    /// CSV with the default columns, in UTC.
    pub fn new(format: InputFormat) -> ReadOptions {
        ReadOptions {
            format,
            delimiter: b',',
            columns: Columns::default(),
            default_offset_s: 0,
            filter: None,
            wide: Vec::new(),
            preset: None,
            chunk_size: super::chunks::CHUNK_SIZE,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get().min(4)),
            scan_zones: false,
        }
    }
}

/// Why a row was rejected, in the order the rows are checked (`docs/audit.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RejectReason {
    /// `field-count`: the row has another number of fields than the header (CSV).
    FieldCount,
    /// `bad-json`: the line is not a JSON object (JSON Lines).
    BadJson,
    /// `missing-case-id`: the case id is empty.
    MissingCaseId,
    /// `missing-stage`: the stage is empty.
    MissingStage,
    /// `missing-timestamp`: the timestamp is empty.
    MissingTimestamp,
    /// `bad-timestamp`: the timestamp cannot be read as a time.
    BadTimestamp,
}

impl RejectReason {
    /// The reason's code as the report writes it: `field-count`, `bad-timestamp`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            RejectReason::FieldCount => "field-count",
            RejectReason::BadJson => "bad-json",
            RejectReason::MissingCaseId => "missing-case-id",
            RejectReason::MissingStage => "missing-stage",
            RejectReason::MissingTimestamp => "missing-timestamp",
            RejectReason::BadTimestamp => "bad-timestamp",
        }
    }
}

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectedRow {
    /// `line`: the row's physical line in the file, 1-based (XES: the line the event ends on).
    pub line: u64,
    /// `reason`: why the row was rejected, such as `missing-stage`.
    pub reason: RejectReason,
    /// The offending value (`bad-timestamp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The row's case id, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    /// How many fields the row has (`field-count`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<usize>,
}

/// A row kept with a part of it dropped (`bad-amount`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowWarning {
    /// `line`: the row's physical line in the file, 1-based.
    pub line: u64,
    /// `reason`: what was dropped: `bad-amount`.
    pub reason: &'static str,
    /// `value`: the value dropped, as the log writes it.
    pub value: String,
    /// `case_id`: the row's case id.
    pub case_id: String,
}

/// An accepted row: a case entering a stage.
#[derive(Debug, Clone, Copy)]
pub struct Record {
    /// When the case entered the stage.
    pub time: Timestamp,
    /// The row's physical line in the file, 1-based.
    pub line: u64,
    /// Index into [`RawLog::case_ids`].
    pub case: u32,
    /// Stage slot (see `stages::Resolver`).
    pub stage: u32,
    /// Index into [`RawLog::actors`], [`NONE`] without one.
    pub actor: u32,
    /// Index into [`RawLog::roles`], [`NONE`] without one.
    pub role: u32,
    /// NaN when the row has no (valid) amount.
    pub amount: f64,
}

/// The accepted records of a log in file order, one column per field: a few bytes a row.
#[derive(Debug, Default)]
pub struct Records {
    /// When the case entered the stage.
    pub times: Vec<Timestamp>,
    /// The row's physical line in the file, 1-based (a log is at most 2 GiB, so it fits).
    pub lines: Vec<u32>,
    /// Index into [`RawLog::case_ids`] (one of the places the case's id is).
    pub cases: Vec<u32>,
    /// Stage slot (see `stages::Resolver`).
    pub stages: Vec<u32>,
    /// Index into [`RawLog::actors`], [`NONE`] without one; empty while no row has an actor.
    pub actors: Vec<u32>,
    /// Index into [`RawLog::roles`], like `actors`.
    pub roles: Vec<u32>,
    /// The records that have a (valid) amount: (record, amount), in record order.
    pub amounts: Vec<(u32, f64)>,
}

impl Records {
    /// Number of records.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// Adds a record whose case, stage, actor and role are already numbered for the log.
    pub fn push(&mut self, r: &Record) {
        let n = self.times.len();
        self.times.push(r.time);
        self.lines.push(u32::try_from(r.line).unwrap_or(u32::MAX));
        self.cases.push(r.case);
        self.stages.push(r.stage);
        for (column, value) in [(&mut self.actors, r.actor), (&mut self.roles, r.role)] {
            if !column.is_empty() || value != NONE {
                column.resize(n, NONE);
                column.push(value);
            }
        }
        if !r.amount.is_nan() {
            self.amounts.push((n as u32, r.amount));
        }
    }
}

/// A log as read: accepted records in file order and everything left out.
#[derive(Debug, Default)]
pub struct RawLog {
    /// Data rows read, rejected included, blank lines not.
    pub rows: u64,
    /// The rows rejected, in file order.
    pub rejected: Vec<RejectedRow>,
    /// The rows kept with a part dropped, in file order.
    pub warnings: Vec<RowWarning>,
    /// The accepted records, in file order.
    pub records: Records,
    /// Case ids: each chunk's in order of first appearance in it, one chunk after another, so
    /// a case read in two chunks is here twice ([`super::events::build`] numbers each case once).
    pub case_ids: super::names::Names,
    /// Unknown stage values, by slot after the SOP's stages.
    pub unknown_stages: Vec<Box<str>>,
    /// Actor and role values in order of first appearance.
    pub actors: Vec<Box<str>>,
    /// Role values in order of first appearance.
    pub roles: Vec<Box<str>>,
    /// Whether the log has an amount column (a key in some JSON Lines object).
    pub has_amount: bool,
    /// Whether the log has an actor, a role column.
    pub has_actor: bool,
    /// Whether the log has a role column.
    pub has_role: bool,
    /// Whether a row may hold several entries (the wide layout), so lines are not unique.
    pub wide: bool,
    /// The latest accepted timestamp of the log an XES export was written from, as the export
    /// records it.
    pub recorded_latest: Option<super::timestamp::Timestamp>,
}

/// No actor, no role.
pub const NONE: u32 = u32::MAX;

/// Why a log could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogError {
    /// Required fields with no column; the columns that were found.
    MissingColumns {
        /// For each required field without a column, the header names that would have matched.
        missing: Vec<Vec<String>>,
        /// The header names the log has.
        found: Vec<String>,
        /// The preset asked for, whose columns these are.
        preset: Option<&'static str>,
        /// Without a preset: the one whose columns the log has most of.
        resembles: Option<&'static str>,
    },
    /// The delimiter given cannot be used.
    Unreadable(String),
}

/// Integer digits an amount may have (leading zeros aside): every amount of up to 15 digits is
/// held exactly (they are below 2^53), and sums of them stay finite.
pub const MAX_AMOUNT_DIGITS: usize = 15;

/// `^[+-]?\d+(\.\d+)?$` (ASCII digits) as a number; `None` for anything else, and for an amount
/// of more than [`MAX_AMOUNT_DIGITS`] integer digits, which cannot be represented exactly.
pub fn parse_amount(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let unsigned = b.strip_prefix(b"+").or(b.strip_prefix(b"-")).unwrap_or(b);
    let (int, frac) = match unsigned.iter().position(|&c| c == b'.') {
        Some(dot) => (&unsigned[..dot], Some(&unsigned[dot + 1..])),
        None => (unsigned, None),
    };
    let all_digits = |d: &[u8]| !d.is_empty() && d.iter().all(u8::is_ascii_digit);
    if !all_digits(int) || frac.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let significant = int.iter().skip_while(|&&c| c == b'0').count();
    if significant > MAX_AMOUNT_DIGITS {
        return None;
    }
    text.parse().ok().filter(|a: &f64| a.is_finite())
}

/// Physical line numbers from byte offsets, counting `\n`, `\r\n` and a lone `\r` as one break.
pub struct Lines<'a> {
    data: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    /// Lines of `data`, starting at line 1 after any UTF-8 byte order mark.
    pub fn new(data: &'a [u8]) -> Self {
        Lines::of_chunk(data, true)
    }

    /// Lines of a piece of a file, starting at line 1; a byte order mark is skipped only at the
    /// start of the file (`first`).
    pub fn of_chunk(data: &'a [u8], first: bool) -> Self {
        let offset = if first && data.starts_with(b"\xEF\xBB\xBF") {
            3
        } else {
            0
        };
        Lines {
            data,
            offset,
            line: 1,
        }
    }

    /// The line of the record the reader started reading at `start`: blank lines (line breaks)
    /// before it are skipped. Offsets must not decrease between calls.
    pub fn line_of(&mut self, start: u64) -> u64 {
        let mut at = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .max(self.offset);
        while at < self.data.len() && matches!(self.data[at], b'\r' | b'\n') {
            at += 1;
        }
        let at = at.min(self.data.len());
        let chunk = &self.data[self.offset..at];
        // Counting bytes equal to one value is done many at a time; a lone `\r` is rare.
        let mut breaks = chunk.iter().filter(|&&b| b == b'\n').count() as u64;
        if chunk.contains(&b'\r') {
            // The chunk ends before a byte that is no line break, so a `\r\n` is never split.
            breaks += chunk
                .iter()
                .zip(chunk.iter().skip(1).map(Some).chain([None]))
                .filter(|&(&b, next)| b == b'\r' && next != Some(&b'\n'))
                .count() as u64;
        }
        self.line += breaks;
        self.offset = at;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("120000"), Some(120_000.0));
        assert_eq!(parse_amount("+1.50"), Some(1.5));
        assert_eq!(parse_amount("-3"), Some(-3.0));
        for bad in [
            "", "1.", ".5", "1,000", "1e5", "¥100", "12 000", "+-1", "NaN", "inf",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
        let huge = "9".repeat(401);
        assert_eq!(parse_amount(&huge), None);
        assert_eq!(parse_amount(&format!("-{huge}.5")), None);
        assert_eq!(parse_amount("1000000000000000"), None, "16 digits");
        assert_eq!(
            parse_amount("999999999999999.99"),
            Some(999_999_999_999_999.99)
        );
        let padded = format!("{}42.5", "0".repeat(400));
        assert_eq!(parse_amount(&padded), Some(42.5));
        let long_fraction = format!("1.{}", "5".repeat(400));
        assert_eq!(parse_amount(&long_fraction), Some(1.5555555555555556));
    }

    #[test]
    fn sniffing_stdin() {
        assert_eq!(InputFormat::sniff(b"  \n{\"a\":1}"), InputFormat::Jsonl);
        assert_eq!(InputFormat::sniff(b"\xEF\xBB\xBF{"), InputFormat::Jsonl);
        assert_eq!(InputFormat::sniff(b"case_id,stage"), InputFormat::Csv);
        assert_eq!(InputFormat::from_path("x.NDJSON"), InputFormat::Jsonl);
        assert_eq!(InputFormat::from_path("x.json"), InputFormat::Csv);
    }

    #[test]
    fn physical_lines() {
        let data = b"h\r\n\r\nA,\"x\ny\"\nB\rC\n\n\nD";
        let mut lines = Lines::new(data);
        // Where the reader starts each record: after the header's `\r`, after `y"\n`, after
        // `B\r`, after `C\n`.
        let offsets = [2, 13, 15, 17];
        let got: Vec<u64> = offsets.iter().map(|&o| lines.line_of(o)).collect();
        assert_eq!(got, [3, 5, 6, 9]);
    }
}
