//! JSON Lines logs: one object per line; a number (or any non-string value) is taken as its JSON
//! text, `null` as empty.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_json::value::RawValue;

use super::collect::{Collector, Merger};
use super::rows::{Field, LogError, ReadOptions, RejectReason, Values};

/// At most this many distinct keys are named when a required field is missing.
const KEYS_SHOWN: usize = 50;

/// What the objects of a log had, gathered chunk by chunk.
#[derive(Default)]
pub(super) struct Keys {
    seen: [bool; Field::ALL.len()],
    objects: u64,
    found: Vec<String>,
    found_set: HashSet<String>,
}

impl Keys {
    /// Adds what a later chunk found.
    pub(super) fn merge(&mut self, other: Keys) {
        for (s, o) in self.seen.iter_mut().zip(other.seen) {
            *s |= o;
        }
        self.objects += other.objects;
        for key in other.found {
            if self.found.len() < KEYS_SHOWN && self.found_set.insert(key.clone()) {
                self.found.push(key);
            }
        }
    }

    fn has(&self, f: Field) -> bool {
        self.seen[Field::ALL.iter().position(|&g| g == f).unwrap_or(0)]
    }

    /// The log's flags, and the error when a required field is in no object.
    pub(super) fn finish(
        mut self,
        options: &ReadOptions,
        merger: &mut Merger,
    ) -> Result<(), LogError> {
        if self.has(Field::Amount) {
            merger.set_has_amount();
        }
        if self.has(Field::Actor) {
            merger.set_has_actor();
        }
        if self.has(Field::Role) {
            merger.set_has_role();
        }
        let mut needed = Field::REQUIRED.to_vec();
        if options.filter.is_some() {
            needed.push(Field::Filter);
        }
        let missing: Vec<Vec<String>> = needed
            .into_iter()
            .filter(|&f| !self.has(f))
            .map(|f| options.columns.names(f).to_vec())
            .collect();
        if self.objects > 0 && !missing.is_empty() {
            self.found.sort();
            return Err(LogError::MissingColumns {
                missing,
                found: self.found,
                preset: options.preset,
                resembles: None,
            });
        }
        Ok(())
    }
}

/// The error of a log in the wide layout, which JSON Lines cannot be.
pub(super) fn check(options: &ReadOptions) -> Result<(), LogError> {
    if options.wide.is_empty() {
        return Ok(());
    }
    Err(LogError::Unreadable(
        "one row per case (a `date entered` column per stage) is read from CSV only; \
         export the deals as CSV"
            .into(),
    ))
}

/// Reads the lines of one chunk of the log (`first`: the start of the log), numbered from the
/// chunk's start.
pub(super) fn rows(
    data: &[u8],
    first: bool,
    options: &ReadOptions,
    collector: &mut Collector,
) -> Keys {
    let columns = &options.columns;
    let data = match first {
        true => data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data),
        false => data,
    };
    let mut keys = Keys::default();
    // The chunk ends with a line break, after which no line starts.
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    for (index, raw) in data.split(|&b| b == b'\n').enumerate() {
        let line = index as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(object) = serde_json::from_slice::<HashMap<String, &RawValue>>(raw) else {
            collector.count_row();
            collector.reject(line, RejectReason::BadJson, None);
            continue;
        };
        keys.objects += 1;
        if keys.found.len() < KEYS_SHOWN {
            for key in object.keys() {
                if keys.found.len() < KEYS_SHOWN && keys.found_set.insert(key.clone()) {
                    keys.found.push(key.clone());
                }
            }
        }
        let mut values: [Cow<'_, str>; Field::ALL.len()] = Default::default();
        for (i, &field) in Field::ALL.iter().enumerate() {
            let value = columns
                .names(field)
                .iter()
                .find_map(|name| lookup(&object, name));
            if let Some(v) = value {
                keys.seen[i] = true;
                values[i] = v;
            }
        }
        let [case, stage, time, amount, actor, role, filter, stage_alt] = &values;
        if let Some(f) = &options.filter
            && filter.trim() != f.value
        {
            continue; // not a stage entry
        }
        collector.count_row();
        collector.row(
            line,
            Values {
                case,
                stage,
                time,
                amount,
                actor,
                role,
                stage_alt,
            },
        );
    }
    keys
}

/// The value of a key, or of a dotted path into nested objects (`data.field_key`) when no key
/// has the whole name.
fn lookup<'a>(object: &HashMap<String, &'a RawValue>, name: &str) -> Option<Cow<'a, str>> {
    if let Some(v) = object.get(name) {
        return Some(text(v));
    }
    let (head, rest) = name.split_once('.')?;
    let inner = object.get(head)?;
    let inner: HashMap<String, &'a RawValue> = serde_json::from_str(inner.get()).ok()?;
    lookup(&inner, rest)
}

/// A JSON value as the text of a field.
fn text(value: &RawValue) -> Cow<'_, str> {
    let raw = value.get().trim();
    if raw.starts_with('"') {
        match serde_json::from_str::<Cow<'_, str>>(raw) {
            Ok(s) => s,
            Err(_) => Cow::Borrowed(""),
        }
    } else if raw == "null" {
        Cow::Borrowed("")
    } else {
        Cow::Borrowed(raw)
    }
}
