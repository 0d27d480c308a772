//! JSON Lines logs: one object per line; a number (or any non-string value) is taken as its JSON
//! text, `null` as empty.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_json::value::RawValue;

use super::collect::Collector;
use super::rows::{Field, LogError, ReadOptions, RejectReason, Values};

/// At most this many distinct keys are named when a required field is missing.
const KEYS_SHOWN: usize = 50;

pub(super) fn read(
    data: &[u8],
    options: &ReadOptions,
    collector: &mut Collector,
) -> Result<(), LogError> {
    if !options.wide.is_empty() {
        return Err(LogError::Unreadable(
            "one row per case (a `date entered` column per stage) is read from CSV only; \
             export the deals as CSV"
                .into(),
        ));
    }
    let columns = &options.columns;
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut seen = [false; Field::ALL.len()];
    let mut objects = 0u64;
    let mut found: Vec<String> = Vec::new();
    let mut found_set: HashSet<String> = HashSet::new();
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
        objects += 1;
        if found.len() < KEYS_SHOWN {
            for key in object.keys() {
                if found.len() < KEYS_SHOWN && found_set.insert(key.clone()) {
                    found.push(key.clone());
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
                seen[i] = true;
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
    let has = |f: Field| seen[Field::ALL.iter().position(|&g| g == f).unwrap_or(0)];
    if has(Field::Amount) {
        collector.set_has_amount();
    }
    if has(Field::Actor) {
        collector.set_has_actor();
    }
    if has(Field::Role) {
        collector.set_has_role();
    }
    let mut needed = Field::REQUIRED.to_vec();
    if options.filter.is_some() {
        needed.push(Field::Filter);
    }
    let missing: Vec<Vec<String>> = needed
        .into_iter()
        .filter(|&f| !has(f))
        .map(|f| columns.names(f).to_vec())
        .collect();
    if objects > 0 && !missing.is_empty() {
        found.sort();
        return Err(LogError::MissingColumns {
            missing,
            found,
            preset: options.preset,
            resembles: None,
        });
    }
    Ok(())
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
