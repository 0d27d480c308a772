//! JSON Lines logs: one object per line; a number (or any non-string value) is taken as its JSON
//! text, `null` as empty.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_json::value::RawValue;

use super::collect::Collector;
use super::rows::{Columns, Field, LogError, RejectReason};

/// At most this many distinct keys are named when a required field is missing.
const KEYS_SHOWN: usize = 50;

pub(super) fn read(
    data: &[u8],
    columns: &Columns,
    collector: &mut Collector,
) -> Result<(), LogError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut seen = [false; 4];
    let mut objects = 0u64;
    let mut found: Vec<String> = Vec::new();
    let mut found_set: HashSet<String> = HashSet::new();
    for (index, raw) in data.split(|&b| b == b'\n').enumerate() {
        let line = index as u64 + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        collector.count_row();
        let Ok(object) = serde_json::from_slice::<HashMap<String, &RawValue>>(raw) else {
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
        let mut values: [Cow<'_, str>; 4] = Default::default();
        for (i, field) in [Field::Case, Field::Stage, Field::Time, Field::Amount]
            .into_iter()
            .enumerate()
        {
            let value = columns
                .names(field)
                .iter()
                .find_map(|name| object.get(name.as_str()));
            if let Some(v) = value {
                seen[i] = true;
                values[i] = text(v);
            }
        }
        let [case, stage, time, amount] = &values;
        collector.row(line, case, stage, time, amount);
    }
    if seen[3] {
        collector.set_has_amount();
    }
    let missing: Vec<Vec<String>> = Field::REQUIRED
        .iter()
        .enumerate()
        .filter(|&(i, _)| !seen[i])
        .map(|(_, &f)| columns.names(f).to_vec())
        .collect();
    if objects > 0 && !missing.is_empty() {
        found.sort();
        return Err(LogError::MissingColumns { missing, found });
    }
    Ok(())
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
