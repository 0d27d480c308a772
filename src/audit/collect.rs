//! The collector every reader feeds: a row's fields accepted as a record or rejected with the
//! first reason that applies; case ids and stage values interned.

use std::collections::HashMap;

use super::rows::{RawLog, Record, RejectReason, RejectedRow, RowWarning, parse_amount};
use super::stages::Resolver;
use super::timestamp::Timestamp;

/// Accepts or rejects rows; interns case ids and stage values.
pub struct Collector<'p> {
    resolver: Resolver<'p>,
    default_offset_s: i32,
    case_index: HashMap<Box<str>, u32>,
    log: RawLog,
}

impl<'p> Collector<'p> {
    pub fn new(resolver: Resolver<'p>, default_offset_s: i32) -> Self {
        Collector {
            resolver,
            default_offset_s,
            case_index: HashMap::new(),
            log: RawLog::default(),
        }
    }

    pub fn set_has_amount(&mut self) {
        self.log.has_amount = true;
    }

    /// Counts a data row (rejected or not).
    pub fn count_row(&mut self) {
        self.log.rows += 1;
    }

    pub fn reject(&mut self, line: u64, reason: RejectReason, fields: Option<usize>) {
        self.log.rejected.push(RejectedRow {
            line,
            reason,
            value: None,
            case_id: None,
            fields,
        });
    }

    /// A row whose fields were found; values are trimmed here.
    pub fn row(&mut self, line: u64, case: &str, stage: &str, time: &str, amount: &str) {
        let (case, stage, time, amount) = (case.trim(), stage.trim(), time.trim(), amount.trim());
        let reason = if case.is_empty() {
            Some(RejectReason::MissingCaseId)
        } else if stage.is_empty() {
            Some(RejectReason::MissingStage)
        } else if time.is_empty() {
            Some(RejectReason::MissingTimestamp)
        } else {
            None
        };
        let parsed = match reason {
            Some(_) => None,
            None => Timestamp::parse(time, self.default_offset_s),
        };
        let Some(time_value) = parsed else {
            let reason = reason.unwrap_or(RejectReason::BadTimestamp);
            self.log.rejected.push(RejectedRow {
                line,
                reason,
                value: (reason == RejectReason::BadTimestamp).then(|| time.to_string()),
                case_id: (!case.is_empty()).then(|| case.to_string()),
                fields: None,
            });
            return;
        };
        let amount = if amount.is_empty() {
            f64::NAN
        } else if let Some(a) = parse_amount(amount) {
            a
        } else {
            self.log.warnings.push(RowWarning {
                line,
                reason: "bad-amount",
                value: amount.to_string(),
                case_id: case.to_string(),
            });
            f64::NAN
        };
        let case = match self.case_index.get(case) {
            Some(&c) => c,
            None => {
                let c = self.log.case_ids.len() as u32;
                self.log.case_ids.push(case.into());
                self.case_index.insert(case.into(), c);
                c
            }
        };
        let stage = self.resolver.resolve(stage);
        self.log.records.push(Record {
            time: time_value,
            line,
            case,
            stage,
            amount,
        });
    }

    pub fn finish(mut self) -> RawLog {
        self.log.unknown_stages = self.resolver.into_unknown();
        self.log.rejected.sort_by_key(|r| r.line);
        self.log.warnings.sort_by_key(|r| r.line);
        self.log
    }
}
