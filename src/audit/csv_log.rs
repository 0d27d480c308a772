//! CSV logs (RFC 4180) through the `csv` crate, numbered by physical line.
//!
//! The `csv` crate's own line numbers count neither a lone `\r` nor blank lines before a record,
//! so the line a record starts on is counted here from the byte offsets it reports.

use std::borrow::Cow;

use csv::ByteRecord;

use super::log::{Collector, Columns, Field, LogError, ReadOptions, RejectReason};

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

/// Physical line numbers from byte offsets, counting `\n`, `\r\n` and a lone `\r` as one break.
pub(super) struct Lines<'a> {
    data: &'a [u8],
    offset: usize,
    line: u64,
}

impl<'a> Lines<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        let offset = if data.starts_with(b"\xEF\xBB\xBF") {
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
    pub(super) fn line_of(&mut self, start: u64) -> u64 {
        let mut at = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .max(self.offset);
        while at < self.data.len() && matches!(self.data[at], b'\r' | b'\n') {
            at += 1;
        }
        let at = at.min(self.data.len());
        let chunk = &self.data[self.offset..at];
        let mut breaks = 0u64;
        for (i, &b) in chunk.iter().enumerate() {
            match b {
                b'\n' => breaks += 1,
                // The chunk ends before a byte that is no line break, so a `\r\n` is never split.
                b'\r' if chunk.get(i + 1) != Some(&b'\n') => breaks += 1,
                _ => {}
            }
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
