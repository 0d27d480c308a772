//! CSV logs (RFC 4180) through the `csv` crate, numbered by physical line.
//!
//! The `csv` crate's own line numbers count neither a lone `\r` nor blank lines before a record,
//! so the line a record starts on is counted here from the byte offsets it reports.

use std::borrow::Cow;

use csv::ByteRecord;

use super::collect::Collector;
use super::rows::{Columns, Field, LogError, ReadOptions, RejectReason, Values};

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
/// (and skipped). Returns the chunk's line breaks, counted as [`chunks::csv_breaks`] counts them.
///
/// [`chunks::csv_breaks`]: super::chunks::csv_breaks
pub(super) fn rows(
    data: &[u8],
    start: bool,
    header: bool,
    layout: &Layout,
    collector: &mut Collector,
) -> u64 {
    let mut record = Records::new(data, start, layout.delimiter);
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
    let columns = Field::ALL.map(|f| layout.at(f));
    let filter = layout.filter.as_ref();
    let wide = &layout.wide;
    let width = layout.width;
    while let Some(line) = record.next() {
        if record.is_blank() {
            continue;
        }
        if !header_seen {
            header_seen = true;
            continue;
        }
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
        let field = |k: usize| {
            columns[k]
                .map(|i| text(record.get(i).unwrap_or_default()))
                .unwrap_or_default()
        };
        let (case, stage, time, amount) = (field(0), field(1), field(2), field(3));
        let (actor, role, stage_alt) = (field(4), field(5), field(7));
        let values = Values {
            case: &case,
            amount: &amount,
            actor: &actor,
            role: &role,
            ..Values::default()
        };
        if wide.is_empty() {
            collector.row(
                line,
                Values {
                    stage: &stage,
                    time: &time,
                    stage_alt: &stage_alt,
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
    record.line - 1
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

/// The records of one chunk, each with the physical line it starts on (counted from 1 at the
/// chunk's start: `\n`, `\r\n` and a lone `\r` each end a line). A line without a quote is split
/// at the delimiter, which is what RFC 4180 reading makes of it; any other record is read by
/// csv-core, with the `csv` crate's settings (`"` quotes, doubled inside a field; `\r`, `\n` or
/// `\r\n` ends a record). Empty lines are skipped, as the `csv` crate skips them.
struct Records<'a> {
    data: &'a [u8],
    at: usize,
    delimiter: u8,
    core: csv_core::Reader,
    /// A quoted record's fields, unquoted, end to end; `ends` says where each ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The current record's fields: ranges of `data`, or of `out` when `quoted`.
    spans: Vec<(usize, usize)>,
    quoted: bool,
    /// The line `at` is on.
    line: u64,
}

impl<'a> Records<'a> {
    fn new(data: &'a [u8], start: bool, delimiter: u8) -> Self {
        let bom = usize::from(start && data.starts_with(b"\xEF\xBB\xBF")) * 3;
        Records {
            data,
            at: bom,
            delimiter,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 1024],
            ends: vec![0; 32],
            spans: Vec::new(),
            quoted: false,
            line: 1,
        }
    }

    /// Reads the next record; the line it starts on, `None` at the end of the chunk.
    fn next(&mut self) -> Option<u64> {
        while self.at < self.data.len() && matches!(self.data[self.at], b'\r' | b'\n') {
            self.line += u64::from(self.ends_line(self.at));
            self.at += 1;
        }
        if self.at >= self.data.len() {
            return None;
        }
        let (start, line) = (self.at, self.line);
        let rest = &self.data[start..];
        let end = memchr::memchr2(b'\r', b'\n', rest).unwrap_or(rest.len());
        let bytes = &rest[..end];
        self.spans.clear();
        if memchr::memchr(b'"', bytes).is_none() {
            self.quoted = false;
            let mut from = 0;
            for i in memchr::memchr_iter(self.delimiter, bytes) {
                self.spans.push((start + from, start + i));
                from = i + 1;
            }
            self.spans.push((start + from, start + end));
            self.at = start + end;
        } else {
            self.quoted = true;
            self.at = start + self.quoted_record(rest);
            // A quoted field may hold line breaks.
            self.line += (start..self.at).filter(|&i| self.ends_line(i)).count() as u64;
        }
        Some(line)
    }

    /// Whether the byte at `i` ends a line: a `\n`, or a `\r` not followed by `\n`.
    fn ends_line(&self, i: usize) -> bool {
        match self.data[i] {
            b'\n' => true,
            b'\r' => self.data.get(i + 1) != Some(&b'\n'),
            _ => false,
        }
    }

    /// Reads the record at the start of `input` with csv-core; the bytes it took.
    fn quoted_record(&mut self, mut input: &[u8]) -> usize {
        use csv_core::ReadRecordResult;
        self.core.reset();
        let (mut taken, mut out, mut ends) = (0, 0, 0);
        loop {
            let (result, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.out[out..], &mut self.ends[ends..]);
            input = &input[nin..];
            taken += nin;
            out += nout;
            ends += nend;
            match result {
                // All of it was read: the next call, with nothing, ends the record.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        let mut from = 0;
        for &end in &self.ends[..ends] {
            self.spans.push((from, end));
            from = end;
        }
        taken
    }

    /// Number of fields.
    fn len(&self) -> usize {
        self.spans.len()
    }

    /// Field `i`.
    fn get(&self, i: usize) -> Option<&[u8]> {
        let &(from, to) = self.spans.get(i)?;
        Some(match self.quoted {
            true => &self.out[from..to],
            false => &self.data[from..to],
        })
    }

    /// A line holding only white space.
    fn is_blank(&self) -> bool {
        self.len() == 1 && text(self.get(0).unwrap_or_default()).trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records the `csv` crate reads, with the line each starts on.
    fn by_csv(data: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut reader = reader(data, delimiter);
        let mut record = ByteRecord::new();
        let mut lines = crate::audit::rows::Lines::of_chunk(data, true);
        let mut out = Vec::new();
        while next(&mut reader, &mut record).expect("a slice reads") {
            let line = lines.line_of(record.position().map_or(0, csv::Position::byte));
            out.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    fn by_records(data: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut records = Records::new(data, true, delimiter);
        let mut out = Vec::new();
        while let Some(start) = records.next() {
            let fields = (0..records.len())
                .map(|i| records.get(i).unwrap_or_default().to_vec())
                .collect();
            out.push((start, fields));
        }
        out
    }

    #[test]
    fn records_are_read_as_the_csv_crate_reads_them() {
        let logs: [&[u8]; 12] = [
            b"a,b,c\n1,2,3\n",
            b"a,b,c\r\n1,2,3\r\n\r\n4,5,6",
            b"a,b\r1,2\r\r3,4\n",
            b"\"a\",\"b\"\r\n\"1\",\"x, y\"\r\n",
            b"a,b\n1,\"two\nlines\"\n2,\"say \"\"hi\"\"\"\n",
            b"a,b\n\n\n1,2\n   \n3,4",
            b"a,b\n1,\"\"\n,\n1,2,3,4\n5\n",
            b"a;b\n1;\"2;3\"\n4;5\n",
            b"case,stage\nD-1,\xe5\x95\x86\xe6\x9c\xba\nD-2,\"\xe5\xa5\x91\xe7\xba\xa6\"\n",
            b"a,b\n1,\"unclosed\n2,3\n",
            b"a,b\n1,x\"y\n2,3\n",
            b"\xEF\xBB\xBFa,b\n1,2\n",
        ];
        for log in logs {
            let delimiter = if log.contains(&b';') { b';' } else { b',' };
            let mut want = by_csv(log, delimiter);
            if log.starts_with(b"\xEF\xBB\xBF") {
                // The `csv` crate strips the mark from the first field; so does `Records`.
                want[0].1[0] = b"a".to_vec();
            }
            assert_eq!(
                by_records(log, delimiter),
                want,
                "{}",
                String::from_utf8_lossy(log)
            );
        }
    }
}
