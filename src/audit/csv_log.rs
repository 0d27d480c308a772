//! CSV logs (RFC 4180) through the `csv` crate, numbered by physical line.
//!
//! The `csv` crate's own line numbers count neither a lone `\r` nor blank lines before a record,
//! so the line a record starts on is counted here from the byte offsets it reports.

use std::borrow::Cow;

use csv::ByteRecord;

use super::collect::Collector;
use super::rows::{Columns, Field, Lines, LogError, ReadOptions, RejectReason, Values};

/// What the header says: where each field is, the wide layout's columns, the filter.
pub(super) struct Layout {
    delimiter: u8,
    width: usize,
    columns: Vec<Option<usize>>,
    wide: Vec<(usize, String)>,
    filter: Option<(Option<usize>, String)>,
}

impl Layout {
    fn at(&self, f: Field) -> Option<usize> {
        self.columns[Field::ALL.iter().position(|&g| g == f).unwrap_or(0)]
    }
}

fn reader(data: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(data)
}

/// The header: the first record of the log that is not blank. `None` when `data` (the start of
/// the log, up to a row's end) holds none.
pub(super) fn header(data: &[u8], options: &ReadOptions) -> Result<Option<Layout>, LogError> {
    let mut reader = reader(data, options.delimiter);
    let mut record = ByteRecord::new();
    let header = loop {
        if !next(&mut reader, &mut record)? {
            return Ok(None);
        }
        if !is_blank(&record) {
            break record
                .iter()
                .map(|f| text(f).trim().to_string())
                .collect::<Vec<_>>();
        }
    };
    let index = |field| column(&header, &options.columns, field);
    let wide = wide_columns(&header, &options.wide);
    let mut needed: Vec<Field> = if options.wide.is_empty() {
        Field::REQUIRED.to_vec()
    } else {
        vec![Field::Case]
    };
    if options.filter.is_some() {
        needed.push(Field::Filter);
    }
    let mut missing: Vec<Vec<String>> = needed
        .iter()
        .filter(|&&f| index(f).is_none())
        .map(|&f| options.columns.names(f).to_vec())
        .collect();
    if !options.wide.is_empty() && wide.is_empty() {
        missing.push(options.wide.iter().map(|p| format!("{p}<stage>")).collect());
    }
    if !missing.is_empty() {
        return Err(LogError::MissingColumns {
            missing,
            found: header,
            preset: options.preset,
            resembles: None,
        });
    }
    let columns: Vec<Option<usize>> = Field::ALL.iter().map(|&f| index(f)).collect();
    let mut layout = Layout {
        delimiter: options.delimiter,
        width: header.len(),
        columns,
        wide,
        filter: None,
    };
    layout.filter = options
        .filter
        .as_ref()
        .map(|f| (layout.at(Field::Filter), f.value.clone()));
    Ok(Some(layout))
}

/// Reads the rows of one chunk of the log, lines counted from the chunk's start: `start`, the
/// chunk is the start of the log (a byte order mark is skipped); `header`, the header is in it
/// (and skipped).
pub(super) fn rows(
    data: &[u8],
    start: bool,
    header: bool,
    layout: &Layout,
    collector: &mut Collector,
) -> Result<(), LogError> {
    let mut reader = reader(data, layout.delimiter);
    let mut record = ByteRecord::new();
    let mut lines = Lines::of_chunk(data, start);
    if layout.at(Field::Amount).is_some() {
        collector.set_has_amount();
    }
    if !layout.wide.is_empty() {
        collector.set_wide();
    }
    if layout.at(Field::Actor).is_some() {
        collector.set_has_actor();
    }
    if layout.at(Field::Role).is_some() {
        collector.set_has_role();
    }
    let mut header_seen = !header;
    let at = |f: Field| layout.at(f);
    let filter = layout.filter.as_ref();
    let wide = &layout.wide;
    let width = layout.width;
    while next(&mut reader, &mut record)? {
        let start = record.position().map_or(0, csv::Position::byte);
        let line = lines.line_of(start);
        if is_blank(&record) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
        let get = |f: Field| at(f).map(|i| text(record.get(i).unwrap_or_default()));
        if let Some((column, value)) = filter
            && record.len() == width
            && column.is_some_and(|i| text(record.get(i).unwrap_or_default()).trim() != *value)
        {
            continue; // not a stage entry
        }
        collector.count_row();
        if record.len() != width {
            collector.reject(line, RejectReason::FieldCount, Some(record.len()));
            continue;
        }
        let [case, stage, time, amount, actor, role, _, stage_alt] = Field::ALL.map(get);
        let values = Values {
            case: or_empty(&case),
            amount: or_empty(&amount),
            actor: or_empty(&actor),
            role: or_empty(&role),
            ..Values::default()
        };
        if wide.is_empty() {
            collector.row(
                line,
                Values {
                    stage: or_empty(&stage),
                    time: or_empty(&time),
                    stage_alt: or_empty(&stage_alt),
                    ..values
                },
            );
            continue;
        }
        // One row per case: each non-empty stage column is an entry, in column order.
        let mut entries = 0;
        for (i, stage) in wide {
            let time = text(record.get(*i).unwrap_or_default());
            if time.trim().is_empty() {
                continue;
            }
            entries += 1;
            collector.row(
                line,
                Values {
                    stage,
                    time: &time,
                    ..values
                },
            );
        }
        if entries == 0 {
            // No stage was entered: the row says nothing of the stage history, but is counted.
            collector.row(line, values);
        }
    }
    Ok(())
}

fn or_empty<'a>(value: &'a Option<Cow<'_, str>>) -> &'a str {
    value.as_deref().unwrap_or_default()
}

/// The columns of the wide layout, in header order, with the stage value each names; an
/// earlier prefix wins over a later one for the same stage.
fn wide_columns(header: &[String], prefixes: &[String]) -> Vec<(usize, String)> {
    let mut best: Vec<(usize, usize, &str)> = Vec::new(); // (prefix rank, column, stage)
    for (i, h) in header.iter().enumerate() {
        let Some((rank, stage)) = prefixes
            .iter()
            .enumerate()
            .find_map(|(r, p)| h.strip_prefix(p.as_str()).map(|s| (r, s)))
        else {
            continue;
        };
        if stage.is_empty() {
            continue;
        }
        match best.iter_mut().find(|(_, _, s)| *s == stage) {
            Some(entry) if entry.0 > rank => *entry = (rank, i, stage),
            Some(_) => {}
            None => best.push((rank, i, stage)),
        }
    }
    best.sort_by_key(|&(_, i, _)| i);
    best.into_iter()
        .map(|(_, i, s)| (i, s.to_string()))
        .collect()
}

fn next(reader: &mut csv::Reader<&[u8]>, record: &mut ByteRecord) -> Result<bool, LogError> {
    reader
        .read_byte_record(record)
        .map_err(|e| LogError::Unreadable(e.to_string()))
}

/// The first header that names the field, in the order of the field's names.
fn column(header: &[String], columns: &Columns, field: Field) -> Option<usize> {
    columns
        .names(field)
        .iter()
        .find_map(|name| header.iter().position(|h| h == name))
}

/// A line holding only white space (the `csv` crate skips empty lines itself).
fn is_blank(record: &ByteRecord) -> bool {
    record.len() == 1 && text(&record[0]).trim().is_empty()
}

/// A field as text; invalid UTF-8 is replaced rather than dropping the row.
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}
