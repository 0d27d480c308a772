//! What a finding of reading, resolving and importing is about, as data: the kind of problem and
//! the names, places and candidates involved. The words a user reads (message, label, help) are
//! made from it here, in one place; tools read the data itself (`--format json`'s `data`, SARIF's
//! `properties`).
//!
//! `L` is a place: a [`crate::diag::Loc`] inside the pipeline, a file, line and column in output.

use serde::Serialize;

use crate::rule_id::RuleId;
use crate::syntax::SyntaxErrorKind;

/// One kind of problem with its data. Serialised with its kind as `"kind"`, e.g.
/// `{"kind":"undefined","namespace":"role","name":"sales_rpe","suggestion":"sales_rep"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FindingData<L> {
    /// The file does not parse.
    Syntax(SyntaxErrorKind),
    /// A name that refers to nothing in `namespace` (`role`, `training`, `kpi`, `goal`,
    /// `stage`, `pipeline`).
    Undefined {
        /// What was referred to: `role`, `training`, `kpi`, `goal`, `stage` or `pipeline`.
        namespace: &'static str,
        /// The name as written.
        name: String,
        /// The closest defined name, if one is close.
        suggestion: Option<String>,
        /// For a stage: the pipeline it was looked for in.
        #[serde(skip_serializing_if = "Option::is_none")]
        pipeline: Option<String>,
        /// For a stage looked for in one pipeline: the other pipelines that have a stage of
        /// that name, in reading order (a `->` cannot lead there; a kpi writes `pipeline.stage`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        elsewhere: Vec<String>,
    },
    /// A name that refers to more than one definition: each of `candidates` says which.
    Ambiguous {
        /// What was referred to (`stage`).
        namespace: &'static str,
        /// The name as written.
        name: String,
        /// The qualified id of each definition it could mean (`pipeline.stage`).
        candidates: Vec<String>,
    },
    /// A second definition of `id` in `namespace` (a block kind, `sop` for a second header, or
    /// `attribute` for a single-valued attribute given twice); `first` is the first one's place.
    Duplicate {
        /// The kind of the definition: a block kind, `sop` or `attribute`.
        namespace: &'static str,
        /// The id (or attribute keyword) defined twice.
        id: String,
        /// Where the first definition is.
        first: L,
        /// What the id is unique within: `document`, `pipeline`, `stage`, `block`, `kpi`.
        scope: &'static str,
    },
    /// The imports lead back to a file on the way: `chain` is the files, the first repeated last.
    ImportCycle {
        /// The files on the way, by their displayed paths, the first repeated last.
        chain: Vec<String>,
    },
    /// An import that cannot be followed.
    Import {
        /// The path as written.
        path: String,
        /// Why it cannot be followed (serialised as `problem` beside `path`).
        #[serde(flatten)]
        problem: ImportProblem,
    },
    /// A value that reads but cannot be true.
    InvalidValue {
        /// The value as written.
        value: String,
        /// Why it cannot be true (serialised as `problem` beside `value`).
        #[serde(flatten)]
        problem: ValueProblem,
    },
}

/// Why an import cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ImportProblem {
    /// The path is empty (`import ""`).
    Empty,
    /// The path is absolute; imports are relative to the importing file.
    Absolute,
    /// The path leads out of the project root (the folder with `sopc.yaml`, else the git
    /// repository).
    OutsideProject,
    /// No file at the path.
    Missing,
    /// The file exists but reading it failed.
    Unreadable {
        /// Why reading it failed, in words (the system's error).
        reason: String,
    },
    /// The file imports itself.
    SelfImport,
    /// The path names a directory.
    Directory,
    /// `what` is the kind of file, e.g. "a FIFO".
    NotRegular {
        /// The kind of file, in words ("a FIFO").
        what: String,
    },
    /// `limit` is the largest size read, in words ("16 MiB").
    TooLarge {
        /// The largest size sopc reads, in words ("16 MiB").
        limit: String,
    },
}

/// Why a value cannot be true.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ValueProblem {
    /// A duration of zero (`0h`), where a time must pass.
    ZeroDuration,
    /// `largest` is the longest allowed in the same unit, e.g. `153722867280912930m`.
    DurationTooLong {
        /// The largest duration allowed, in the unit written.
        largest: String,
    },
    /// A percentage above `100%`.
    #[serde(rename = "percent_over_100")]
    PercentOver100,
    /// A number too large for a 64-bit float (1.8 × 10^308 or more).
    NumberTooLarge,
    /// A month outside 01..12 (`day` is `None`), or a day the month does not have.
    NoSuchDate {
        /// The day of the month written, when the month exists; `None` when the month is not
        /// 01..12.
        day: Option<u32>,
    },
    /// `lang` other than `"en"` or `"zh"`.
    UnknownLanguage,
}

impl<L> FindingData<L> {
    /// The check that reports it.
    pub fn rule(&self) -> RuleId {
        match self {
            FindingData::Syntax(_) => RuleId::Syntax,
            FindingData::Undefined { .. } | FindingData::Ambiguous { .. } => {
                RuleId::UndefinedReference
            }
            FindingData::Duplicate { .. } => RuleId::DuplicateDefinition,
            FindingData::ImportCycle { .. } | FindingData::Import { .. } => RuleId::ImportError,
            FindingData::InvalidValue { .. } => RuleId::InvalidValue,
        }
    }

    /// The same data with every place turned into another kind of place.
    pub fn map_places<M>(&self, mut place: impl FnMut(&L) -> M) -> FindingData<M> {
        match self {
            FindingData::Syntax(k) => FindingData::Syntax(k.clone()),
            FindingData::Undefined {
                namespace,
                name,
                suggestion,
                pipeline,
                elsewhere,
            } => FindingData::Undefined {
                namespace,
                name: name.clone(),
                suggestion: suggestion.clone(),
                pipeline: pipeline.clone(),
                elsewhere: elsewhere.clone(),
            },
            FindingData::Ambiguous {
                namespace,
                name,
                candidates,
            } => FindingData::Ambiguous {
                namespace,
                name: name.clone(),
                candidates: candidates.clone(),
            },
            FindingData::Duplicate {
                namespace,
                id,
                first,
                scope,
            } => FindingData::Duplicate {
                namespace,
                id: id.clone(),
                first: place(first),
                scope,
            },
            FindingData::ImportCycle { chain } => FindingData::ImportCycle {
                chain: chain.clone(),
            },
            FindingData::Import { path, problem } => FindingData::Import {
                path: path.clone(),
                problem: problem.clone(),
            },
            FindingData::InvalidValue { value, problem } => FindingData::InvalidValue {
                value: value.clone(),
                problem: problem.clone(),
            },
        }
    }

    /// What went wrong, in a sentence.
    pub fn message(&self) -> String {
        match self {
            FindingData::Syntax(k) => k.message(),
            FindingData::Undefined {
                namespace,
                name,
                pipeline,
                ..
            } => match pipeline {
                Some(p) => format!("no {namespace} named `{name}` in pipeline `{p}`"),
                None => format!("no {namespace} named `{name}`"),
            },
            FindingData::Ambiguous {
                namespace, name, ..
            } => {
                let container = match *namespace {
                    "stage" => "pipeline",
                    _ => "place",
                };
                format!("{namespace} `{name}` is in more than one {container}")
            }
            FindingData::Duplicate { namespace, id, .. } => match *namespace {
                "sop" => "a document has one `sop` header; this is the second".to_string(),
                "attribute" => format!("`{id}` is given twice"),
                _ => format!("{namespace} `{id}` is defined twice"),
            },
            FindingData::ImportCycle { chain } => {
                format!("import cycle: {}", crate::text::chain(chain))
            }
            FindingData::Import { path, problem } => match problem {
                ImportProblem::Empty => "import path is empty".to_string(),
                ImportProblem::Absolute => format!("import `{path}` is an absolute path"),
                ImportProblem::OutsideProject => {
                    format!("import `{path}` leaves the project root")
                }
                ImportProblem::Missing => format!("imported file `{path}` does not exist"),
                ImportProblem::Unreadable { reason } => {
                    format!("imported file `{path}` cannot be read: {reason}")
                }
                ImportProblem::SelfImport => format!("`{path}` imports itself"),
                ImportProblem::Directory => {
                    format!("import `{path}` is a directory, not a file")
                }
                ImportProblem::NotRegular { what } => {
                    format!("imported file `{path}` is {what}, not a regular file")
                }
                ImportProblem::TooLarge { limit } => {
                    format!("imported file `{path}` is larger than {limit}, the most sopc reads")
                }
            },
            FindingData::InvalidValue { value, problem } => match problem {
                ValueProblem::ZeroDuration => format!("duration `{value}` is zero"),
                ValueProblem::DurationTooLong { largest } => {
                    format!("duration `{value}` is too long: the largest allowed is `{largest}`")
                }
                ValueProblem::PercentOver100 => format!("percentage `{value}` is over 100%"),
                ValueProblem::NumberTooLarge => format!("number `{value}` is too large"),
                ValueProblem::NoSuchDate { .. } => format!("date `{value}` does not exist"),
                ValueProblem::UnknownLanguage => {
                    format!("`lang` must be \"en\" or \"zh\", not \"{value}\"")
                }
            },
        }
    }

    /// What the primary place is, shown under the underline.
    pub fn label(&self) -> Option<String> {
        Some(match self {
            FindingData::Syntax(k) => k.label(),
            FindingData::Undefined {
                namespace,
                pipeline,
                elsewhere,
                ..
            } => match (*namespace, pipeline) {
                ("stage", Some(_)) if !elsewhere.is_empty() => {
                    format!("a stage of {}, not of this pipeline", pipelines(elsewhere))
                }
                ("stage", Some(_)) => "not a stage of this pipeline".to_string(),
                ("stage" | "pipeline", None) => "not a stage".to_string(),
                _ => format!("not a defined {namespace}"),
            },
            FindingData::Ambiguous { namespace, .. } => format!("not a {namespace}"),
            FindingData::Duplicate { namespace, .. } => match *namespace {
                "sop" => "second header",
                "attribute" => "given again here",
                _ => "defined again here",
            }
            .to_string(),
            FindingData::ImportCycle { .. } => "this import closes the cycle".to_string(),
            FindingData::Import { .. } => return None,
            FindingData::InvalidValue { problem, .. } => match problem {
                ValueProblem::ZeroDuration => "zero",
                ValueProblem::DurationTooLong { .. } => "too long",
                ValueProblem::PercentOver100 => "over 100%",
                ValueProblem::NumberTooLarge => "too large",
                ValueProblem::NoSuchDate { .. } => "no such day",
                ValueProblem::UnknownLanguage => "unknown language",
            }
            .to_string(),
        })
    }

    /// The second place that matters, and what it is.
    pub fn secondary(&self) -> Option<(&L, &'static str)> {
        match self {
            FindingData::Duplicate {
                namespace, first, ..
            } => Some((
                first,
                match *namespace {
                    "sop" => "first header",
                    "attribute" => "first given here",
                    _ => "first defined here",
                },
            )),
            _ => None,
        }
    }

    /// How to fix it.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            FindingData::Syntax(k) => return k.help(),
            FindingData::Undefined {
                namespace: "stage",
                name,
                suggestion,
                pipeline: Some(p),
                elsewhere,
            } if !elsewhere.is_empty() => {
                let there = format!("`{name}` is a stage of {}", pipelines(elsewhere));
                match suggestion {
                    Some(s) if s.contains('.') => format!("{there}: did you mean `{s}`?"),
                    Some(s) => {
                        format!("{there}, and a `->` stays inside its pipeline: did you mean `{s}`?")
                    }
                    None => format!(
                        "{there}, and a `->` stays inside its pipeline: add `stage {name} {{ ... }}` to `{p}`"
                    ),
                }
            }
            FindingData::Undefined {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`?"),
            FindingData::Undefined {
                namespace,
                name,
                pipeline,
                ..
            } => match (*namespace, pipeline) {
                ("stage", Some(p)) => format!("add `stage {name} {{ ... }}` to pipeline `{p}`"),
                ("stage", None) => "name a stage of one of the document's pipelines".to_string(),
                ("pipeline", _) => format!("define `pipeline {name}` or name an existing one"),
                _ => format!(
                    "define it with `{namespace} {name} {{ ... }}` or import the file that does"
                ),
            },
            FindingData::Ambiguous { candidates, .. } => {
                let choices: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
                format!("say which: {}", choices.join(" or "))
            }
            FindingData::Duplicate {
                namespace,
                id,
                scope,
                ..
            } => match (*namespace, *scope) {
                ("sop", _) => "merge the two headers into one".to_string(),
                ("attribute", "kpi") => format!("a kpi has one `{id}`; keep one"),
                ("attribute", _) => format!("keep one `{id}`: a block has a single `{id}`"),
                _ => format!("rename one of them: {namespace} ids are unique within a {scope}"),
            },
            FindingData::ImportCycle { .. } => {
                "move what both files need into a library that neither imports".to_string()
            }
            FindingData::Import { problem, .. } => match problem {
                ImportProblem::Empty => "write the path of a `.sop` file relative to this file",
                ImportProblem::Absolute => {
                    "write the path relative to this file, inside the project"
                }
                ImportProblem::OutsideProject => {
                    "keep imported files inside the project (the folder with `sopc.yaml`, else the git repository)"
                }
                ImportProblem::Missing => "check the path: it is relative to the importing file",
                ImportProblem::Unreadable { .. } => "check the file's permissions",
                ImportProblem::SelfImport => "remove this import",
                ImportProblem::Directory => "import a `.sop` file",
                ImportProblem::NotRegular { .. } => {
                    "import a regular `.sop` file; sopc never reads pipes or devices"
                }
                ImportProblem::TooLarge { .. } => "split it into smaller files",
            }
            .to_string(),
            FindingData::InvalidValue { problem, .. } => match problem {
                ValueProblem::ZeroDuration => "give a time longer than zero, e.g. `24h`".to_string(),
                ValueProblem::DurationTooLong { largest } => {
                    format!("give a duration of at most `{largest}` (about 292 billion years)")
                }
                ValueProblem::PercentOver100 => "a percentage is between 0% and 100%".to_string(),
                ValueProblem::NumberTooLarge => {
                    "a number must be below 1.8 × 10^308; write it in a larger unit".to_string()
                }
                ValueProblem::NoSuchDate { day: None } => "months run from 01 to 12".to_string(),
                ValueProblem::NoSuchDate { day: Some(d) } => {
                    format!("that month has no day {d:02}")
                }
                ValueProblem::UnknownLanguage => {
                    "write `lang \"en\"` for English labels or `lang \"zh\"` for Chinese ones"
                        .to_string()
                }
            },
        })
    }
}

/// `` pipeline `a` `` or `` pipelines `a` and `b` ``.
fn pipelines(ids: &[String]) -> String {
    let names: Vec<String> = ids.iter().map(|p| format!("`{p}`")).collect();
    match names.as_slice() {
        [one] => format!("pipeline {one}"),
        [rest @ .., last] => format!("pipelines {} and {last}", rest.join(", ")),
        [] => "no pipeline".to_string(),
    }
}
