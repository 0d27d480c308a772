//! Reading a log: rows to accepted records, with every rejected row and warning kept with its
//! line number and reason (see "Input in short" and "Choices in the details" in `docs/audit.md`).

pub use super::rows::{
    Columns, Field, InputFormat, LogError, MAX_AMOUNT_DIGITS, NONE, RawLog, ReadOptions, Record,
    RejectReason, RejectedRow, RowFilter, RowWarning, Values, parse_amount,
};

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::{Mutex, mpsc};

use super::chunks::{self, Chunker, Cut};
use super::collect::{Collector, Merger, Part};
use super::preset::Preset;
use super::stages::Resolver;
use super::view::Zones;
use super::{csv_log, jsonl_log, xes};

/// Reads `data` in the given format.
pub fn read(data: &[u8], options: &ReadOptions, resolver: Resolver) -> Result<RawLog, LogError> {
    read_from(data, options, resolver).map(|(log, _)| log)
}

/// Reads a log from `reader` in the given format, a chunk at a time (CSV and JSON Lines, on
/// several threads; XES as it comes, on one), and the zones its timestamps are written in when
/// [`ReadOptions::scan_zones`] asks for them.
pub fn read_from<R: Read + Send>(
    reader: R,
    options: &ReadOptions,
    resolver: Resolver,
) -> Result<(RawLog, Zones), LogError> {
    let mut merger = Merger::new(resolver.known_stages());
    let read = match options.format {
        InputFormat::Csv => read_csv(reader, options, &resolver, &mut merger),
        InputFormat::Jsonl => read_jsonl(reader, options, &resolver, &mut merger),
        InputFormat::Xes => read_xes(reader, options, &resolver, &mut merger),
    };
    let zones = match read {
        Err(LogError::MissingColumns {
            missing,
            found,
            preset,
            resembles,
        }) => {
            let resembles = resembles.or_else(|| {
                Preset::resembling(&found)
                    .map(Preset::name)
                    .filter(|&r| Some(r) != preset)
            });
            return Err(LogError::MissingColumns {
                missing,
                found,
                preset,
                resembles,
            });
        }
        other => other?,
    };
    Ok((merger.finish(), zones))
}

/// What one chunk gave: its part of the log, its line breaks, the zones of its timestamps.
struct Piece<T> {
    part: Part,
    breaks: u64,
    zones: Zones,
    extra: T,
}

fn unreadable(e: &io::Error) -> LogError {
    LogError::Unreadable(e.to_string())
}

fn zones_of(data: &[u8], options: &ReadOptions) -> Zones {
    match options.scan_zones {
        true => super::view::written_zones(data, options.default_offset_s),
        false => Zones::None,
    }
}

fn read_csv<R: Read + Send>(
    reader: R,
    options: &ReadOptions,
    resolver: &Resolver,
    merger: &mut Merger,
) -> Result<Zones, LogError> {
    let mut chunker = Chunker::new(reader, Cut::Csv(options.delimiter), options.chunk_size);
    // The chunks before the header hold blank lines only.
    let (mut line, mut zones, mut index) = (1u64, Zones::None, 0usize);
    let (first, layout) = loop {
        let Some(chunk) = chunker.next_chunk().map_err(|e| unreadable(&e))? else {
            return Ok(zones); // an empty log
        };
        if let Some(layout) = csv_log::header(&chunk, options)? {
            break (chunk, layout);
        }
        line += chunks::csv_breaks(&chunk);
        zones = zones.and(zones_of(&chunk, options));
        index += 1;
    };
    let header_chunk = index;
    let work = |i: usize, chunk: Vec<u8>| {
        let mut collector = Collector::new(resolver.fork(), options.default_offset_s);
        let breaks = csv_log::rows(
            &chunk,
            header_chunk + i == 0,
            i == 0,
            &layout,
            &mut collector,
        );
        Piece {
            part: collector.finish(),
            breaks,
            zones: zones_of(&chunk, options),
            extra: (),
        }
    };
    in_order(chunker, Some(first), options.threads, &work, &mut |piece| {
        zones = zones.and(piece.zones);
        merger.add(piece.part, line);
        line += piece.breaks;
    })
    .map_err(|e| unreadable(&e))?;
    Ok(zones)
}

fn read_jsonl<R: Read + Send>(
    reader: R,
    options: &ReadOptions,
    resolver: &Resolver,
    merger: &mut Merger,
) -> Result<Zones, LogError> {
    jsonl_log::check(options)?;
    let chunker = Chunker::new(reader, Cut::Lines, options.chunk_size);
    // The keys inside the first objects, for naming the preset a log of nested objects resembles.
    let nested = Mutex::new(Vec::new());
    let work = |i: usize, chunk: Vec<u8>| {
        let mut collector = Collector::new(resolver.fork(), options.default_offset_s);
        let keys = jsonl_log::rows(&chunk, i == 0, options, &mut collector);
        if i == 0 {
            *nested.lock().unwrap_or_else(|e| e.into_inner()) = Preset::nested_keys(&chunk);
        }
        Piece {
            part: collector.finish(),
            breaks: chunks::newlines(&chunk),
            zones: zones_of(&chunk, options),
            extra: keys,
        }
    };
    let (mut line, mut zones) = (1u64, Zones::None);
    let mut keys = jsonl_log::Keys::default();
    in_order(chunker, None, options.threads, &work, &mut |piece| {
        zones = zones.and(piece.zones);
        merger.add(piece.part, line);
        keys.merge(piece.extra);
        line += piece.breaks;
    })
    .map_err(|e| unreadable(&e))?;
    match keys.finish(options, merger) {
        Err(LogError::MissingColumns {
            missing,
            found,
            preset,
            resembles: None,
        }) => {
            let mut all = found.clone();
            all.extend(nested.into_inner().unwrap_or_else(|e| e.into_inner()));
            let resembles = Preset::resembling(&all)
                .map(Preset::name)
                .filter(|&r| Some(r) != preset);
            Err(LogError::MissingColumns {
                missing,
                found,
                preset,
                resembles,
            })
        }
        other => other.map(|()| zones),
    }
}

fn read_xes<R: Read>(
    reader: R,
    options: &ReadOptions,
    resolver: &Resolver,
    merger: &mut Merger,
) -> Result<Zones, LogError> {
    let mut collector = Collector::new(resolver.fork(), options.default_offset_s);
    let zones = options.scan_zones.then_some(options.default_offset_s);
    let written = xes::read(reader, &mut collector, zones)?;
    merger.add(collector.finish(), 1);
    Ok(written)
}

/// Runs `work` on every chunk of `chunker` (after `first`, which comes before them) on
/// `threads` threads, and hands the results to `merge` in file order.
fn in_order<R: Read + Send, T: Send>(
    mut chunker: Chunker<R>,
    first: Option<Vec<u8>>,
    threads: usize,
    work: &(dyn Fn(usize, Vec<u8>) -> T + Sync),
    merge: &mut dyn FnMut(T),
) -> io::Result<()> {
    if threads <= 1 {
        let mut i = 0;
        if let Some(chunk) = first {
            merge(work(i, chunk));
            i += 1;
        }
        while let Some(chunk) = chunker.next_chunk()? {
            merge(work(i, chunk));
            i += 1;
        }
        return Ok(());
    }
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Vec<u8>)>(threads);
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|s| {
        let (done_tx, done_rx) = mpsc::channel::<(usize, T)>();
        for _ in 0..threads {
            let (job_rx, done_tx) = (&job_rx, done_tx.clone());
            s.spawn(move || {
                loop {
                    let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((i, chunk)) = job else { break };
                    if done_tx.send((i, work(i, chunk))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let reading = s.spawn(move || -> io::Result<()> {
            let mut i = 0;
            if let Some(chunk) = first {
                if job_tx.send((i, chunk)).is_err() {
                    return Ok(());
                }
                i += 1;
            }
            while let Some(chunk) = chunker.next_chunk()? {
                if job_tx.send((i, chunk)).is_err() {
                    break;
                }
                i += 1;
            }
            Ok(())
        });
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        for (i, piece) in done_rx {
            waiting.insert(i, piece);
            while let Some(piece) = waiting.remove(&next) {
                merge(piece);
                next += 1;
            }
        }
        reading
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the log could not be read")))
    })
}

/// The two bytes every gzip member starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A log's bytes as they are read: unpacked when gzipped, at most a limit of them, the first
/// few kept to look at before reading on.
pub struct LogStream {
    head: io::Cursor<Vec<u8>>,
    rest: Box<dyn Read + Send>,
    left: u64,
    too_large: String,
}

/// A gzip stream whose errors say that the data is damaged.
struct Gunzip<R: io::BufRead>(flate2::bufread::MultiGzDecoder<R>);

impl<R: io::BufRead> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            io::Error::other(format!(
                "the gzip data is damaged ({e}); unpack it with `gunzip` to see where"
            ))
        })
    }
}

/// Bytes looked at before the log is read (the format of standard input).
const HEAD: usize = 4096;

impl LogStream {
    /// The log `reader` gives, unpacked when it is gzipped; more than `limit` bytes (unpacked)
    /// is an error, with `too_large` as its message when the log is not gzipped.
    pub fn new(
        reader: Box<dyn Read + Send>,
        limit: u64,
        too_large: String,
    ) -> io::Result<LogStream> {
        let mut magic = Vec::with_capacity(2);
        let mut reader = reader;
        (&mut reader).take(2).read_to_end(&mut magic)?;
        let raw = io::Cursor::new(magic.clone()).chain(reader);
        let (mut rest, too_large): (Box<dyn Read + Send>, String) = if magic == GZIP_MAGIC {
            let z =
                flate2::bufread::MultiGzDecoder::new(io::BufReader::with_capacity(1 << 16, raw));
            let message = format!(
                "it unpacks to more than {} MiB; split the export",
                limit >> 20
            );
            (Box::new(Gunzip(z)), message)
        } else {
            (Box::new(raw), too_large)
        };
        let mut head = Vec::with_capacity(HEAD);
        (&mut rest).take(HEAD as u64).read_to_end(&mut head)?;
        Ok(LogStream {
            head: io::Cursor::new(head),
            rest,
            left: limit.saturating_add(1),
            too_large,
        })
    }

    /// The first bytes of the (unpacked) log.
    pub fn head(&self) -> &[u8] {
        self.head.get_ref()
    }
}

impl Read for LogStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match self.head.read(buf)? {
            0 => {
                let want = buf
                    .len()
                    .min(usize::try_from(self.left).unwrap_or(usize::MAX));
                self.rest.read(&mut buf[..want])?
            }
            n => n,
        };
        self.left = self.left.saturating_sub(n as u64);
        if self.left == 0 {
            return Err(io::Error::other(self.too_large.clone()));
        }
        Ok(n)
    }
}

/// A gzipped log (`.csv.gz`, `.jsonl.gz`, `.xes.gz`, or gzip on standard input) unpacked; any
/// other log as it is. At most `limit` bytes are unpacked.
pub fn gunzip(data: Vec<u8>, limit: u64) -> Result<Vec<u8>, LogError> {
    if !data.starts_with(&GZIP_MAGIC) {
        return Ok(data);
    }
    let mut stream = LogStream::new(Box::new(io::Cursor::new(data)), limit, String::new())
        .map_err(|e| unreadable(&e))?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out).map_err(|e| unreadable(&e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_unpacked_and_bounded() {
        use std::io::Write as _;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&b"case_id,stage,timestamp\n".repeat(100))
            .unwrap();
        let packed = z.finish().unwrap();
        assert_eq!(gunzip(packed.clone(), 1 << 20).unwrap().len(), 2400);
        assert!(matches!(
            gunzip(packed.clone(), 100),
            Err(LogError::Unreadable(_))
        ));
        let mut cut = packed;
        cut.truncate(cut.len() / 2);
        assert!(matches!(gunzip(cut, 1 << 20), Err(LogError::Unreadable(_))));
        assert_eq!(gunzip(b"plain".to_vec(), 1).unwrap(), b"plain");
    }

    use crate::audit::process::Process;
    use crate::audit::stages::StageMap;

    /// The log as read, in a form to compare.
    fn read_with(data: &[u8], options: &ReadOptions, size: usize, threads: usize) -> String {
        let process = Process::from_edges(3, Some(0), &[(0, 1), (1, 2)], &[2]);
        let options = ReadOptions {
            chunk_size: size,
            threads,
            scan_zones: true,
            ..options.clone()
        };
        let resolver = Resolver::new(&process, StageMap::default());
        // A case read in two chunks has two numbers: compare each record's case id.
        let read = read_from(data, &options, resolver).map(|(mut log, zones)| {
            let ids = std::mem::take(&mut log.case_ids);
            let cases: Vec<&str> = std::mem::take(&mut log.records.cases)
                .into_iter()
                .map(|c| &ids[c as usize])
                .collect();
            format!("{log:?} {zones:?} {cases:?}")
        });
        format!("{read:?}")
    }

    /// Reading in chunks of every size, on one thread and on two, gives what reading the log in
    /// one piece gives.
    fn same_in_chunks(data: &[u8], options: &ReadOptions) {
        let whole = read_with(data, options, usize::MAX / 2, 1);
        for size in 1..data.len() + 2 {
            for threads in [1, 2] {
                let chunked = read_with(data, options, size, threads);
                assert_eq!(
                    chunked, whole,
                    "chunks of {size} bytes on {threads} threads"
                );
            }
        }
    }

    #[test]
    fn csv_read_in_chunks_is_read_whole() {
        let csv = ReadOptions::new(InputFormat::Csv);
        // A quoted field with a line break (and a quote) in it, CRLF, a lone CR, blank lines, a
        // byte order mark, Chinese stage values and case ids, a rejected row, a bad amount.
        let log = "\u{feff}case_id,stage,timestamp,amount\r\n\r\n\
                   A,\"线\r\n索\",2026-03-01T09:00:00+08:00,1\r\n\
                   客户甲,\"say \"\"hi\"\"\",2026-03-01T10:00:00+08:00,x\rB,s1,2026-03-02,\n\
                   \n  \nA,s0,2026-02-01T00:00:00Z,\nC,s2\n客户甲,s1,not a time,\nD,s0,2026-03-03T00:00:00+08:00,5";
        same_in_chunks(log.as_bytes(), &csv);
        let semicolons = ReadOptions {
            delimiter: b';',
            ..csv.clone()
        };
        same_in_chunks(
            b"case_id;stage;timestamp\nA;\"x;\ny\";2026-01-01\nB;y;2026-01-02\n",
            &semicolons,
        );
        // Blank lines before the header, a header alone, a log of nothing.
        same_in_chunks(b"\n\n \ncase_id,stage,timestamp\nA,s0,2026-01-01\n", &csv);
        same_in_chunks(b"case_id,stage,timestamp", &csv);
        same_in_chunks(b"", &csv);
        // A literal quote inside an unquoted field, then a quoted field with a line break.
        same_in_chunks(
            b"case_id,stage,timestamp\nA,s\"0,2026-01-01\nB,\"s\n1\",2026-01-02\nC,s2,2026-01-03\n",
            &csv,
        );
    }

    #[test]
    fn wide_csv_read_in_chunks_is_read_whole() {
        let wide = ReadOptions {
            wide: vec!["entered_".into()],
            ..ReadOptions::new(InputFormat::Csv)
        };
        same_in_chunks(
            "case_id,entered_s0,entered_s1,amount\nA,2026-01-01,2026-01-01,3\nB,,,\n甲,2026-01-02,2026-01-03,x\n".as_bytes(),
            &wide,
        );
    }

    #[test]
    fn json_lines_read_in_chunks_are_read_whole() {
        let jsonl = ReadOptions::new(InputFormat::Jsonl);
        let log = "\u{feff}{\"case_id\":\"A\",\"stage\":\"线索\",\"timestamp\":\"2026-01-01T00:00:00+08:00\"}\r\n\
                   not json\n\n{\"case_id\":7,\"stage\":\"s1\",\"timestamp\":\"2026-01-02\",\"amount\":\"x\"}\n\
                   {\"case_id\":\"A\",\"stage\":\"s0\",\"timestamp\":\"2025-12-31\",\"actor\":\"张伟\"}";
        same_in_chunks(log.as_bytes(), &jsonl);
        same_in_chunks(b"{\"a\":1}\n{\"b\":2}\n", &jsonl);
    }

    #[test]
    fn a_log_stream_unpacks_and_bounds() {
        use std::io::Write as _;
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"case_id,stage\n").unwrap();
        let packed = z.finish().unwrap();
        let mut stream =
            LogStream::new(Box::new(io::Cursor::new(packed)), 100, "big".into()).unwrap();
        assert_eq!(stream.head(), b"case_id,stage\n");
        let mut out = Vec::new();
        stream.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"case_id,stage\n");
        let mut small =
            LogStream::new(Box::new(io::Cursor::new(vec![b'a'; 10])), 9, "big".into()).unwrap();
        let error = small.read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(error.to_string(), "big");
        let mut exact =
            LogStream::new(Box::new(io::Cursor::new(vec![b'a'; 9])), 9, "big".into()).unwrap();
        assert_eq!(exact.read_to_end(&mut Vec::new()).unwrap(), 9);
    }
}
