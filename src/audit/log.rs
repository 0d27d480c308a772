//! Reading a log: rows to accepted records, with every rejected row and warning kept with its
//! line number and reason (see "Input in short" and "Choices in the details" in `docs/audit.md`).

pub use super::rows::{
    Columns, Field, InputFormat, LogError, MAX_AMOUNT_DIGITS, NONE, RawLog, ReadOptions, Record,
    RejectReason, RejectedRow, RowFilter, RowWarning, Values, parse_amount,
};

use super::collect::Collector;
use super::preset::Preset;
use super::stages::Resolver;
use super::{csv_log, jsonl_log, xes};

/// Reads `data` in the given format.
pub fn read(data: &[u8], options: &ReadOptions, resolver: Resolver) -> Result<RawLog, LogError> {
    let mut collector = Collector::new(resolver, options.default_offset_s);
    let read = match options.format {
        InputFormat::Csv => csv_log::read(data, options, &mut collector),
        InputFormat::Jsonl => jsonl_log::read(data, options, &mut collector),
        InputFormat::Xes => xes::read(data, &mut collector),
    };
    match read {
        Err(LogError::MissingColumns {
            missing,
            found,
            preset,
            ..
        }) => {
            let resembles = Preset::resembling_log(&found, data, options.format)
                .map(Preset::name)
                .filter(|&r| Some(r) != preset);
            return Err(LogError::MissingColumns {
                missing,
                found,
                preset,
                resembles,
            });
        }
        other => other?,
    }
    Ok(collector.finish())
}

/// The two bytes every gzip member starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A gzipped log (`.csv.gz`, `.jsonl.gz`, `.xes.gz`, or gzip on standard input) unpacked; any
/// other log as it is. At most `limit` bytes are unpacked.
pub fn gunzip(data: Vec<u8>, limit: u64) -> Result<Vec<u8>, LogError> {
    use std::io::Read;
    if !data.starts_with(&GZIP_MAGIC) {
        return Ok(data);
    }
    let mut out = Vec::with_capacity(data.len().saturating_mul(4));
    let read = flate2::read::MultiGzDecoder::new(&data[..])
        .take(limit.saturating_add(1))
        .read_to_end(&mut out);
    match read {
        Err(e) => Err(LogError::Unreadable(format!(
            "the gzip data is damaged ({e}); unpack it with `gunzip` to see where"
        ))),
        Ok(n) if n as u64 > limit => Err(LogError::Unreadable(format!(
            "it unpacks to more than {} MiB; split the export",
            limit >> 20
        ))),
        Ok(_) => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_is_unpacked_and_bounded() {
        use std::io::Write;
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
}
