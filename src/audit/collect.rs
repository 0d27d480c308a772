//! The collector every reader feeds: a row's fields accepted as a record or rejected with the
//! first reason that applies; case ids and stage values interned. One collector reads one chunk
//! of a log (numbering its own cases, stages, actors and roles, and its lines from 1); the
//! [`Merger`] puts the chunks together in file order, so the log is the same however it was cut.

use super::names::{HashMap, Interner, Names};
use super::rows::{
    NONE, RawLog, Record, Records, RejectReason, RejectedRow, RowWarning, Values, parse_amount,
};
use super::stages::Resolver;
use super::timestamp::Timestamp;

/// Accepts or rejects rows; interns case ids and stage values.
pub struct Collector<'p> {
    resolver: Resolver<'p>,
    default_offset_s: i32,
    cases: Interner,
    actor_index: HashMap<Box<str>, u32>,
    role_index: HashMap<Box<str>, u32>,
    log: Part,
}

/// What one collector read: records numbered within the chunk, lines counted from its start.
#[derive(Debug, Default)]
pub struct Part {
    pub rows: u64,
    pub rejected: Vec<RejectedRow>,
    pub warnings: Vec<RowWarning>,
    /// Lines counted from the chunk's start; cases, stages, actors and roles numbered in it.
    pub records: Records,
    pub case_ids: Names,
    /// Unknown stage values, by slot after the SOP's stages.
    pub unknown_stages: Vec<Box<str>>,
    pub actors: Vec<Box<str>>,
    pub roles: Vec<Box<str>>,
    pub has_amount: bool,
    pub has_actor: bool,
    pub has_role: bool,
    pub wide: bool,
    /// The latest accepted timestamp an exported XES log records of the log it was written from.
    pub recorded_latest: Option<Timestamp>,
}

/// `s` without white space at either end ([`str::trim`]), at once when it starts and ends with
/// a visible ASCII character, as nearly every field does.
fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    match visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        true => s,
        false => s.trim(),
    }
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
            cases: Interner::new(),
            actor_index: HashMap::default(),
            role_index: HashMap::default(),
            log: Part::default(),
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

    /// The latest accepted timestamp the log records of itself (an XES export's), if it parses.
    pub fn set_recorded_latest(&mut self, text: &str) {
        let recorded = Timestamp::parse(text.trim(), self.default_offset_s);
        self.log.recorded_latest = self.log.recorded_latest.max(recorded);
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
        let (case, time, amount) = (trim(values.case), trim(values.time), trim(values.amount));
        let (first, alt) = (trim(values.stage), trim(values.stage_alt));
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
        let case = self.cases.intern(case);
        // A second stage column (a formatted name beside a numeric id) is used when the first
        // names no stage of the SOP.
        let stage = match first.is_empty() || alt.is_empty() {
            true => self.resolver.resolve(stage),
            false => match self.resolver.known(first) {
                Some(slot) => slot,
                None => self
                    .resolver
                    .known(alt)
                    .unwrap_or_else(|| self.resolver.resolve(first)),
            },
        };
        let actor = match trim(values.actor) {
            "" => NONE,
            a => intern(&mut self.actor_index, &mut self.log.actors, a),
        };
        let role = match trim(values.role) {
            "" => NONE,
            r => intern(&mut self.role_index, &mut self.log.roles, r),
        };
        self.log.records.push(&Record {
            time: time_value,
            line,
            case,
            stage,
            actor,
            role,
            amount,
        });
    }

    /// What was read, lines counted from the start of the chunk.
    pub fn finish(mut self) -> Part {
        self.log.unknown_stages = self.resolver.into_unknown();
        self.log.case_ids = self.cases.into_names();
        self.log
    }
}

/// The chunks of a log put together in file order: unknown stages, actors and roles numbered
/// in order of first appearance in the whole log, lines counted from its start. Each chunk's
/// case ids are put after the last chunk's as they are: a case that is in two chunks is there
/// twice, and numbered once when the events are built.
pub struct Merger {
    known: u32,
    unknown_index: HashMap<Box<str>, u32>,
    actor_index: HashMap<Box<str>, u32>,
    role_index: HashMap<Box<str>, u32>,
    log: RawLog,
}

impl Merger {
    /// A merger for a pipeline of `known` stages.
    pub fn new(known: usize) -> Self {
        Merger {
            known: known as u32,
            unknown_index: HashMap::default(),
            actor_index: HashMap::default(),
            role_index: HashMap::default(),
            log: RawLog::default(),
        }
    }

    pub fn set_has_amount(&mut self) {
        self.log.has_amount = true;
    }

    pub fn set_has_actor(&mut self) {
        self.log.has_actor = true;
    }

    pub fn set_has_role(&mut self) {
        self.log.has_role = true;
    }

    /// Adds the next chunk, whose line 1 is line `first_line` of the log.
    pub fn add(&mut self, part: Part, first_line: u64) {
        let shift = first_line.saturating_sub(1);
        let log = &mut self.log;
        log.rows += part.rows;
        log.has_amount |= part.has_amount;
        log.has_actor |= part.has_actor;
        log.has_role |= part.has_role;
        log.wide |= part.wide;
        log.recorded_latest = log.recorded_latest.max(part.recorded_latest);
        log.rejected.extend(part.rejected.into_iter().map(|mut r| {
            r.line += shift;
            r
        }));
        log.warnings.extend(part.warnings.into_iter().map(|mut w| {
            w.line += shift;
            w
        }));
        let case_base = log.case_ids.len() as u32;
        log.case_ids.append(&part.case_ids);
        let unknown: Vec<u32> = part
            .unknown_stages
            .into_iter()
            .map(|u| {
                let n = self.unknown_index.len() as u32;
                let slot = *self.unknown_index.entry(u.clone()).or_insert(n);
                if slot == n {
                    log.unknown_stages.push(u);
                }
                self.known + slot
            })
            .collect();
        let names = |index: &mut HashMap<Box<str>, u32>, all: &mut Vec<Box<str>>, local| {
            let local: Vec<Box<str>> = local;
            local
                .into_iter()
                .map(|v| intern(index, all, &v))
                .collect::<Vec<u32>>()
        };
        let actors = names(&mut self.actor_index, &mut log.actors, part.actors);
        let roles = names(&mut self.role_index, &mut log.roles, part.roles);
        let known = self.known;
        let (to, from) = (&mut log.records, part.records);
        let before = to.len();
        to.times.extend_from_slice(&from.times);
        to.lines.extend(
            from.lines
                .iter()
                .map(|&l| u32::try_from(u64::from(l) + shift).unwrap_or(u32::MAX)),
        );
        to.cases.extend(from.cases.iter().map(|&c| case_base + c));
        to.stages
            .extend(from.stages.iter().map(|&s| match s < known {
                true => s,
                false => unknown[(s - known) as usize],
            }));
        let added = from.len();
        for (column, part_column, ids) in [
            (&mut to.actors, &from.actors, &actors),
            (&mut to.roles, &from.roles, &roles),
        ] {
            // A column is empty while no record has a value in it, else one per record.
            if part_column.is_empty() {
                if !column.is_empty() {
                    column.resize(before + added, NONE);
                }
                continue;
            }
            column.resize(before, NONE);
            column.extend(part_column.iter().map(|&i| match i {
                NONE => NONE,
                i => ids[i as usize],
            }));
        }
        to.amounts.extend(
            from.amounts
                .iter()
                .map(|&(at, amount)| (before as u32 + at, amount)),
        );
    }

    /// The log, with its rejected rows and warnings in line order.
    pub fn finish(mut self) -> RawLog {
        self.log.rejected.sort_by_key(|r| r.line);
        self.log.warnings.sort_by_key(|r| r.line);
        self.log
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn trimming_is_str_trim() {
        let samples = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\r",
            "D-1",
            "\u{3000}商机\u{3000}",
            "商机",
            "a\u{85}",
            "\u{a0}x",
            "x\u{2003}",
            "~",
            "\u{7f}",
            "a b",
        ];
        for s in samples {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
    }
}
