//! Stage values of a log mapped to the SOP's stages: the `--stage-map` file, then an exact id,
//! then an exact title; anything else is an unknown stage with a did-you-mean.

use super::names::HashMap;
use std::marker::PhantomData;
use std::sync::Arc;

use super::process::Process;
use super::rows::Lines;

/// Maps the stage values of a log to stage slots: `0..process.len()` are the SOP's stages in
/// declaration order, the slots after them unknown stages in order of first appearance.
#[derive(Debug)]
pub struct Resolver<'p> {
    names: Arc<Names>,
    cache: HashMap<Box<str>, u32>,
    unknown: Vec<Box<str>>,
    process: PhantomData<&'p ()>,
}

/// What a stage value is looked up in, first match wins; shared by the resolvers of the
/// chunks of a log, on other threads.
#[derive(Debug)]
struct Names {
    map: HashMap<String, usize>,
    by_id: std::collections::HashMap<String, usize>,
    by_title: std::collections::HashMap<String, usize>,
    stages: usize,
}

impl Names {
    fn get(&self, value: &str) -> Option<usize> {
        self.map
            .get(value)
            .or_else(|| self.by_id.get(value))
            .or_else(|| self.by_title.get(value))
            .copied()
    }
}

impl<'p> Resolver<'p> {
    /// A resolver for the stages of `process`, the values of `map` first.
    pub fn new(process: &'p Process, map: StageMap) -> Self {
        let (by_id, by_title) = process.name_maps();
        Resolver {
            names: Arc::new(Names {
                map: map.entries,
                by_id,
                by_title,
                stages: process.len(),
            }),
            cache: HashMap::default(),
            unknown: Vec::new(),
            process: PhantomData,
        }
    }

    /// A resolver with the same stages and map and nothing resolved yet, for another chunk of
    /// the log (its unknown stages are numbered from the first slot after the SOP's stages).
    pub fn fork(&self) -> Resolver<'p> {
        Resolver {
            names: Arc::clone(&self.names),
            cache: HashMap::default(),
            unknown: Vec::new(),
            process: PhantomData,
        }
    }

    /// Number of the SOP's stages: the first slot of an unknown stage.
    pub fn known_stages(&self) -> usize {
        self.names.stages
    }

    /// The slot of a (trimmed, non-empty) stage value.
    pub fn resolve(&mut self, value: &str) -> u32 {
        if let Some(&slot) = self.cache.get(value) {
            return slot;
        }
        let slot = match self.names.get(value) {
            Some(i) => i as u32,
            None => {
                self.unknown.push(value.into());
                (self.names.stages + self.unknown.len() - 1) as u32
            }
        };
        self.cache.insert(value.into(), slot);
        slot
    }

    /// The slot of a value that names one of the SOP's stages; unknown values are not added.
    pub fn known(&self, value: &str) -> Option<u32> {
        if let Some(&slot) = self.cache.get(value) {
            return ((slot as usize) < self.names.stages).then_some(slot);
        }
        self.names.get(value).map(|i| i as u32)
    }

    /// The names of the unknown stages, by slot (after the SOP's stages).
    pub fn into_unknown(self) -> Vec<Box<str>> {
        self.unknown
    }
}

/// The defined stage id of smallest Levenshtein distance to `value` (ties by SOP order), when
/// that distance is at most max(1, ⌊len/4⌋), `len` counted in characters of `value`.
pub fn did_you_mean<'a>(value: &str, process: &'a Process) -> Option<&'a str> {
    let limit = (value.chars().count() / 4).max(1);
    process
        .ids
        .iter()
        .enumerate()
        .map(|(i, id)| (strsim::levenshtein(value, id), i))
        .min()
        .filter(|&(d, _)| d <= limit)
        .map(|(_, i)| process.ids[i].as_str())
}

/// The `--stage-map` file: CSV rows `value,stage_id`, an optional header `value,stage_id`.
#[derive(Debug, Default)]
pub struct StageMap {
    entries: HashMap<String, usize>,
}

/// Why a stage-map file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageMapError {
    /// The 1-based line of the stage-map file refused.
    pub line: u64,
    /// Why, for people: `` `x` is not a stage of the pipeline ``.
    pub message: String,
}

impl StageMap {
    /// The values mapped, each with its stage.
    pub fn entries(&self) -> impl Iterator<Item = (&str, usize)> {
        self.entries.iter().map(|(v, &s)| (v.as_str(), s))
    }

    /// Reads a stage map; every stage id in it must be one of `process`'s.
    pub fn parse(text: &[u8], process: &Process) -> Result<StageMap, StageMapError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut lines = Lines::new(text);
        let mut entries = HashMap::default();
        let mut record = csv::ByteRecord::new();
        let mut first = true;
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    return Err(StageMapError {
                        line: reader.position().line(),
                        message: e.to_string(),
                    });
                }
            }
            let line = lines.line_of(record.position().map_or(0, csv::Position::byte));
            let decoded: Vec<String> = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            let fields: Vec<&str> = decoded.iter().map(|f| f.trim()).collect();
            if fields.iter().all(|f| f.is_empty()) {
                continue;
            }
            let is_header = first && fields == ["value", "stage_id"];
            first = false;
            if is_header {
                continue;
            }
            let [value, id] = fields[..] else {
                return Err(StageMapError {
                    line,
                    message: format!("expected `value,stage_id`, found {} fields", fields.len()),
                });
            };
            let Some(stage) = process.by_id(id) else {
                let hint = did_you_mean(id, process)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(StageMapError {
                    line,
                    message: format!("`{id}` is not a stage of the pipeline{hint}"),
                });
            };
            if let Some(&earlier) = entries.get(value)
                && earlier != stage
            {
                return Err(StageMapError {
                    line,
                    message: format!(
                        "`{value}` is mapped to `{}` and to `{id}`",
                        process.ids[earlier]
                    ),
                });
            }
            entries.insert(value.to_string(), stage);
        }
        Ok(StageMap { entries })
    }
}
