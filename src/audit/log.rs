//! Reading a log: rows to accepted records, with every rejected row and warning kept with its
//! line number and reason (§2 and step 1 of §3 of the contract).

pub use super::rows::{
    Columns, Field, InputFormat, LogError, MAX_AMOUNT_DIGITS, NONE, RawLog, ReadOptions, Record,
    RejectReason, RejectedRow, RowFilter, RowWarning, Values, parse_amount,
};

use super::collect::Collector;
use super::preset::Preset;
use super::stages::Resolver;
use super::{csv_log, jsonl_log};

/// Reads `data` in the given format.
pub fn read(data: &[u8], options: &ReadOptions, resolver: Resolver) -> Result<RawLog, LogError> {
    let mut collector = Collector::new(resolver, options.default_offset_s);
    let read = match options.format {
        InputFormat::Csv => csv_log::read(data, options, &mut collector),
        InputFormat::Jsonl => jsonl_log::read(data, options, &mut collector),
    };
    match read {
        Err(LogError::MissingColumns {
            missing,
            found,
            preset,
            ..
        }) => {
            let resembles = Preset::resembling(&found)
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
