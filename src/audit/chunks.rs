//! A log read in pieces: the bytes of a reader cut into chunks that each end where a row ends,
//! so that every chunk can be parsed on its own and the results put together in file order.
//!
//! A CSV chunk ends after a line break outside a quoted field, found with the quoting rules of
//! the CSV reader itself (a quote opens a quoted field only as a field's first byte; `""` inside
//! one is a quote); a JSON Lines chunk after any `\n`. A chunk never ends between `\r` and `\n`,
//! and the next never starts with a byte order mark (which the CSV reader would drop).

use std::io::{self, Read};

/// The size chunks are cut at, unless told otherwise: small enough that a few in flight cost
/// little memory, large enough that handing one to a thread costs nothing.
pub const CHUNK_SIZE: usize = 4 << 20;

/// Where the CSV quoting rules are, at a byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoting {
    /// At the start of a field (or of a record).
    Start,
    /// In a field that does not start with a quote: a quote is a plain byte here.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote in a quoted field: another quote is an escaped one.
    QuoteInQuoted,
}

/// How chunks are cut.
#[derive(Debug, Clone, Copy)]
pub enum Cut {
    /// After a line break outside a quoted field, with this delimiter.
    Csv(u8),
    /// After any `\n`.
    Lines,
    /// Never: the whole input is one chunk.
    Whole,
}

/// Cuts a reader into chunks.
pub struct Chunker<R> {
    reader: R,
    cut: Cut,
    size: usize,
    /// Bytes read and not yet handed out.
    buf: Vec<u8>,
    /// How far into `buf` the quoting state has been followed.
    scanned: usize,
    state: Quoting,
    eof: bool,
}

impl<R: Read> Chunker<R> {
    /// Chunks of about `size` bytes (at least 1) of `reader`.
    pub fn new(reader: R, cut: Cut, size: usize) -> Self {
        let cut = match cut {
            // A delimiter that is a quote or a line break leaves no safe place to cut.
            Cut::Csv(b'"' | b'\n' | b'\r') => Cut::Whole,
            c => c,
        };
        Chunker {
            reader,
            cut,
            size: size.max(1),
            buf: Vec::new(),
            scanned: 0,
            state: Quoting::Start,
            eof: false,
        }
    }

    /// The next chunk, `None` at the end of the input.
    pub fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(end) = self.boundary() {
                let rest = self.buf.split_off(end);
                self.scanned = self.scanned.saturating_sub(end);
                return Ok(Some(std::mem::replace(&mut self.buf, rest)));
            }
            if self.eof {
                return Ok((!self.buf.is_empty()).then(|| std::mem::take(&mut self.buf)));
            }
            self.fill()?;
        }
    }

    /// Reads on: up to a chunk's size and a little past it, or a little more when the buffer
    /// holds that already (no place to cut was found in it). The bytes are read straight into
    /// the buffer's spare room, and what is left after a cut is small.
    fn fill(&mut self) -> io::Result<()> {
        const STEP: usize = 1 << 16;
        let want = (self.size.min(CHUNK_SIZE) + 3).max(self.buf.len()) + STEP;
        self.buf.reserve(want - self.buf.len());
        let limit = (want - self.buf.len()) as u64;
        if (&mut self.reader).take(limit).read_to_end(&mut self.buf)? == 0 {
            self.eof = true;
        }
        Ok(())
    }

    /// Where the chunk at the front of the buffer may end, if the buffer reaches that far: the
    /// first safe place at or after `size` bytes with 3 bytes after it to look at.
    fn boundary(&mut self) -> Option<usize> {
        if self.buf.len() < self.size + 3 {
            return None;
        }
        let limit = self.buf.len() - 3;
        match self.cut {
            Cut::Whole => None,
            Cut::Lines => {
                let from = self.size - 1;
                let at = memchr::memchr(b'\n', &self.buf[from..limit])?;
                let end = from + at + 1;
                Some(end)
            }
            Cut::Csv(delimiter) => {
                // Follow the quoting quickly up to the chunk size, then byte by byte.
                if self.scanned < self.size - 1 {
                    let upto = self.size - 1;
                    self.state = skim(&self.buf[self.scanned..upto], self.state, delimiter);
                    self.scanned = upto;
                }
                while self.scanned < limit {
                    let b = self.buf[self.scanned];
                    self.state = step(self.state, b, delimiter);
                    self.scanned += 1;
                    let end = self.scanned;
                    let breaks = b == b'\n' || (b == b'\r' && self.buf[end] != b'\n');
                    if breaks && self.state == Quoting::Start && !self.buf[end..].starts_with(BOM) {
                        return Some(end);
                    }
                }
                None
            }
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The quoting state after one byte.
fn step(state: Quoting, b: u8, delimiter: u8) -> Quoting {
    match state {
        Quoting::Quoted if b == b'"' => Quoting::QuoteInQuoted,
        Quoting::Quoted => Quoting::Quoted,
        Quoting::Start | Quoting::QuoteInQuoted if b == b'"' => Quoting::Quoted,
        _ if b == delimiter || b == b'\n' || b == b'\r' => Quoting::Start,
        _ => Quoting::Unquoted,
    }
}

/// The quoting state after `bytes`, jumping from quote to quote.
fn skim(bytes: &[u8], mut state: Quoting, delimiter: u8) -> Quoting {
    let mut i = 0;
    while i < bytes.len() {
        let Some(k) = memchr::memchr(b'"', &bytes[i..]) else {
            // No quote left: a quoted field stays open, anything else ends as its last byte says.
            if state != Quoting::Quoted {
                state = step(Quoting::Unquoted, bytes[bytes.len() - 1], delimiter);
            }
            return state;
        };
        if k > 0 && state != Quoting::Quoted {
            state = step(Quoting::Unquoted, bytes[i + k - 1], delimiter);
        }
        state = step(state, b'"', delimiter);
        i += k + 1;
    }
    state
}

/// Line breaks in `data` as CSV rows count them: `\n`, `\r\n` and a lone `\r` one each.
pub fn csv_breaks(data: &[u8]) -> u64 {
    let lone = memchr::memchr_iter(b'\r', data)
        .filter(|&i| data.get(i + 1) != Some(&b'\n'))
        .count() as u64;
    newlines(data) + lone
}

/// Line breaks in `data` as JSON Lines count them: each `\n`.
pub fn newlines(data: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', data).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(data: &[u8], cut: Cut, size: usize) -> Vec<Vec<u8>> {
        let mut chunker = Chunker::new(data, cut, size);
        let mut out = Vec::new();
        while let Some(c) = chunker.next_chunk().unwrap() {
            out.push(c);
        }
        assert_eq!(out.concat(), data, "nothing lost or repeated");
        out
    }

    #[test]
    fn csv_chunks_never_end_inside_a_quoted_field_or_a_crlf() {
        let data =
            "h,x\r\na,\"one\ntwo\"\r\nb,\"say \"\"hi\"\"\n\"\nc,d\"e\nf,\"\n\"\r\n".as_bytes();
        for size in 1..data.len() + 2 {
            let all = chunks(data, Cut::Csv(b','), size);
            for (i, c) in all.iter().enumerate() {
                let text = String::from_utf8(c.clone()).unwrap();
                assert!(text.ends_with('\n') || i == all.len() - 1, "{text:?}");
                // Every chunk has whole quoted fields: an even number of quotes, except the
                // literal quote in `d"e`.
                let quotes = text.matches('"').count() - usize::from(text.contains("d\"e"));
                assert_eq!(quotes % 2, 0, "size {size}: {text:?}");
            }
        }
    }

    #[test]
    fn skimming_equals_stepping() {
        let data = b"a,\"b\"\"c\",d\"e\n\"x\ny\"z,\"\",\n,\"";
        for start in [Quoting::Start, Quoting::Unquoted, Quoting::Quoted] {
            for end in 0..=data.len() {
                let stepped = data[..end].iter().fold(start, |s, &b| step(s, b, b','));
                assert_eq!(skim(&data[..end], start, b','), stepped, "{end}");
            }
        }
    }

    #[test]
    fn no_chunk_starts_with_a_byte_order_mark_or_splits_a_character() {
        let data = "h\n\u{feff}a\n线索,阶段\nb\n".as_bytes();
        for size in 1..data.len() {
            for (i, c) in chunks(data, Cut::Csv(b','), size).iter().enumerate() {
                assert!(i == 0 || !c.starts_with(BOM), "{size}");
                assert!(std::str::from_utf8(c).is_ok(), "{size}");
            }
        }
        assert_eq!(chunks(data, Cut::Whole, 1).len(), 1);
        assert_eq!(chunks(b"", Cut::Lines, 1).len(), 0);
    }

    #[test]
    fn breaks_are_counted_as_rows_count_them() {
        assert_eq!(csv_breaks(b"a\r\nb\rc\n\n"), 4);
        assert_eq!(newlines(b"a\r\nb\rc\n\n"), 3);
    }
}
