//! CSV logs (RFC 4180) through the `csv` crate, numbered by physical line.
//!
//! The `csv` crate's own line numbers count neither a lone `\r` nor blank lines before a record,
//! so the line a record starts on is counted here from the byte offsets it reports.

use std::borrow::Cow;

use csv::ByteRecord;

use super::collect::Collector;
use super::rows::{Columns, Field, Lines, LogError, ReadOptions, RejectReason};

pub(super) fn read(
    data: &[u8],
    options: &ReadOptions,
    collector: &mut Collector,
) -> Result<(), LogError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(options.delimiter)
        .from_reader(data);
    let mut record = ByteRecord::new();
    let mut lines = Lines::new(data);
    let header = loop {
        if !next(&mut reader, &mut record)? {
            return Ok(()); // an empty log
        }
        if !is_blank(&record) {
            break record
                .iter()
                .map(|f| text(f).trim().to_string())
                .collect::<Vec<_>>();
        }
    };
    let index = |field| column(&header, &options.columns, field);
    let required: Vec<Option<usize>> = Field::REQUIRED.iter().map(|&f| index(f)).collect();
    let missing: Vec<Vec<String>> = Field::REQUIRED
        .iter()
        .zip(&required)
        .filter(|(_, i)| i.is_none())
        .map(|(&f, _)| options.columns.names(f).to_vec())
        .collect();
    if !missing.is_empty() {
        return Err(LogError::MissingColumns {
            missing,
            found: header,
        });
    }
    let (case, stage, time) = (
        required[0].unwrap_or_default(),
        required[1].unwrap_or_default(),
        required[2].unwrap_or_default(),
    );
    let amount = index(Field::Amount);
    if amount.is_some() {
        collector.set_has_amount();
    }
    while next(&mut reader, &mut record)? {
        let start = record.position().map_or(0, csv::Position::byte);
        let line = lines.line_of(start);
        if is_blank(&record) {
            continue;
        }
        collector.count_row();
        if record.len() != header.len() {
            collector.reject(line, RejectReason::FieldCount, Some(record.len()));
            continue;
        }
        let get = |i: usize| text(record.get(i).unwrap_or_default());
        let amount = amount.map(get).unwrap_or_default();
        collector.row(line, &get(case), &get(stage), &get(time), &amount);
    }
    Ok(())
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
    String::from_utf8_lossy(bytes)
}
