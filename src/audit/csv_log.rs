//! CSV logs (RFC 4180) through the `csv` crate, numbered by physical line.
//!
//! The `csv` crate's own line numbers count neither a lone `\r` nor blank lines before a record,
//! so the line a record starts on is counted here from the byte offsets it reports.

use std::borrow::Cow;

use csv::ByteRecord;

use super::collect::Collector;
use super::rows::{Columns, Field, Lines, LogError, ReadOptions, RejectReason, Values};

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
    let at = |f: Field| columns[Field::ALL.iter().position(|&g| g == f).unwrap_or(0)];
    if at(Field::Amount).is_some() {
        collector.set_has_amount();
    }
    if !wide.is_empty() {
        collector.set_wide();
    }
    if at(Field::Actor).is_some() {
        collector.set_has_actor();
    }
    if at(Field::Role).is_some() {
        collector.set_has_role();
    }
    let filter = options.filter.as_ref().map(|f| (at(Field::Filter), f));
    while next(&mut reader, &mut record)? {
        let start = record.position().map_or(0, csv::Position::byte);
        let line = lines.line_of(start);
        if is_blank(&record) {
            continue;
        }
        let get = |f: Field| at(f).map(|i| text(record.get(i).unwrap_or_default()));
        if let Some((column, filter)) = filter
            && record.len() == header.len()
            && column
                .is_some_and(|i| text(record.get(i).unwrap_or_default()).trim() != filter.value)
        {
            continue; // not a stage entry
        }
        collector.count_row();
        if record.len() != header.len() {
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
        for (i, stage) in &wide {
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
    String::from_utf8_lossy(bytes)
}
