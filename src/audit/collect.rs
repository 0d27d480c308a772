//! The collector every reader feeds: a row's fields accepted as a record or rejected with the
//! first reason that applies; case ids and stage values interned.

use std::collections::HashMap;

use super::rows::{
    NONE, RawLog, Record, RejectReason, RejectedRow, RowWarning, Values, parse_amount,
};
use super::stages::Resolver;
use super::timestamp::Timestamp;

/// Accepts or rejects rows; interns case ids and stage values.
pub struct Collector<'p> {
    resolver: Resolver<'p>,
    default_offset_s: i32,
    case_index: HashMap<Box<str>, u32>,
    actor_index: HashMap<Box<str>, u32>,
    role_index: HashMap<Box<str>, u32>,
    log: RawLog,
}

/// The index of `value` in `names`, added when new.
fn intern(index: &mut HashMap<Box<str>, u32>, names: &mut Vec<Box<str>>, value: &str) -> u32 {
    if let Some(&i) = index.get(value) {
        return i;
    }
    let i = names.len() as u32;
    names.push(value.into());
    index.insert(value.into(), i);
    i
}

impl<'p> Collector<'p> {
    pub fn new(resolver: Resolver<'p>, default_offset_s: i32) -> Self {
        Collector {
            resolver,
            default_offset_s,
            case_index: HashMap::new(),
            actor_index: HashMap::new(),
            role_index: HashMap::new(),
            log: RawLog::default(),
        }
    }

    pub fn set_has_amount(&mut self) {
        self.log.has_amount = true;
    }

    pub fn set_wide(&mut self) {
        self.log.wide = true;
    }

    pub fn set_has_actor(&mut self) {
        self.log.has_actor = true;
    }

    pub fn set_has_role(&mut self) {
        self.log.has_role = true;
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
    pub fn row(&mut self, line: u64, values: Values) {
        let (case, time, amount) = (values.case.trim(), values.time.trim(), values.amount.trim());
        let (first, alt) = (values.stage.trim(), values.stage_alt.trim());
        let stage = if first.is_empty() { alt } else { first };
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
        let case = intern(&mut self.case_index, &mut self.log.case_ids, case);
        // A second stage column (a formatted name beside a numeric id) is used when the first
        // names no stage of the SOP.
        let stage = match (
            first.is_empty() || alt.is_empty(),
            self.resolver.known(first),
        ) {
            (false, None) => self
                .resolver
                .known(alt)
                .unwrap_or_else(|| self.resolver.resolve(first)),
            _ => self.resolver.resolve(stage),
        };
        let actor = match values.actor.trim() {
            "" => NONE,
            a => intern(&mut self.actor_index, &mut self.log.actors, a),
        };
        let role = match values.role.trim() {
            "" => NONE,
            r => intern(&mut self.role_index, &mut self.log.roles, r),
        };
        self.log.records.push(Record {
            time: time_value,
            line,
            case,
            stage,
            actor,
            role,
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
