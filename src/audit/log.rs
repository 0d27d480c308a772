//! Reading a log: rows to accepted records, with every rejected row and warning kept with its
//! line number and reason (§2 and step 1 of §3 of the contract).

pub use super::rows::{
    Columns, Field, InputFormat, LogError, MAX_AMOUNT_DIGITS, RawLog, ReadOptions, Record,
    RejectReason, RejectedRow, RowWarning, parse_amount,
};

use super::collect::Collector;
use super::stages::Resolver;
use super::{csv_log, jsonl_log};

/// Reads `data` in the given format.
pub fn read(data: &[u8], options: &ReadOptions, resolver: Resolver) -> Result<RawLog, LogError> {
    let mut collector = Collector::new(resolver, options.default_offset_s);
    match options.format {
        InputFormat::Csv => csv_log::read(data, options, &mut collector)?,
        InputFormat::Jsonl => jsonl_log::read(data, &options.columns, &mut collector)?,
    }
    Ok(collector.finish())
}
