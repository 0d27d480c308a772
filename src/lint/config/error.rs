//! What can be wrong in `sopc.yaml`, kept as data until it becomes an `invalid-config` finding.

use crate::diag::{Applicability, Diagnostic, FileId, Fix, Loc, did_you_mean};
use crate::lint::RuleId;
use crate::lint::registry::{Level, RULES};
use crate::syntax::Span;

use super::preset::Preset;

/// The keys allowed at the top of `sopc.yaml`.
pub(super) const TOP_KEYS: [&str; 3] = ["extends", "rules", "overrides"];
/// The keys allowed in one entry of `overrides`.
pub(super) const OVERRIDE_KEYS: [&str; 2] = ["files", "rules"];

/// One problem in `sopc.yaml`, at the bytes it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// What is wrong.
    pub kind: ConfigErrorKind,
    /// The bytes of `sopc.yaml` it is about (byte offsets).
    pub span: Span,
}

/// What can be wrong in `sopc.yaml`, each with the names and places its message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigErrorKind {
    /// The file is not YAML; the parser's own message.
    Yaml {
        /// The YAML parser's message.
        message: String,
    },
    /// A key given twice in one mapping: reported at the second, `first` is the first.
    DuplicateKey {
        /// The key, as written.
        key: String,
        /// The first occurrence of the key.
        first: Span,
    },
    /// The file is not valid UTF-8.
    NotUtf8,
    /// A key that has no meaning where it is; `allowed` are the keys that do.
    UnknownKey {
        /// The key, as written.
        key: String,
        /// The keys allowed there (for the help).
        allowed: &'static [&'static str],
    },
    /// A key under `rules:` that names no check.
    UnknownRule {
        /// The check name, as written.
        name: String,
    },
    /// A value under `rules:` that is not `error`, `warning`, `info` or `off`.
    UnknownLevel {
        /// The check it is given for.
        rule: String,
        /// The value, as written.
        value: String,
    },
    /// A rule named without a level.
    MissingLevel {
        /// The check name, as written.
        rule: String,
    },
    /// An `extends` that is not `recommended`, `strict` or `minimal`.
    UnknownPreset {
        /// The value, as written.
        value: String,
    },
    /// A pattern in an override's `files` that is not a valid glob.
    BadGlob {
        /// The pattern, as written.
        glob: String,
        /// Why the glob parser rejected it.
        reason: String,
    },
    /// An override without `files`.
    MissingFiles,
    /// The wrong shape of value: `what` was expected (`a mapping of checks to levels`).
    Expected {
        /// The shape expected, in words (`a mapping of checks to levels`, `a level`).
        what: &'static str,
        /// The shape that was found: `nothing`, `a single value`, `a list` or `a mapping`.
        found: &'static str,
    },
}

impl ConfigError {
    /// The problem `kind` at the bytes `span`.
    pub fn new(kind: ConfigErrorKind, span: Span) -> Self {
        ConfigError { kind, span }
    }

    /// The message of the `invalid-config` finding, e.g. "no check is named `foo`".
    pub fn message(&self) -> String {
        match &self.kind {
            ConfigErrorKind::Yaml { message } => {
                format!("`sopc.yaml` is not valid YAML: {message}")
            }
            ConfigErrorKind::DuplicateKey { key, .. } => format!("`{key}` is given twice"),
            ConfigErrorKind::NotUtf8 => "`sopc.yaml` is not valid UTF-8".to_string(),
            ConfigErrorKind::UnknownKey { key, .. } => format!("unknown key `{key}`"),
            ConfigErrorKind::UnknownRule { name } => format!("no check is named `{name}`"),
            ConfigErrorKind::UnknownLevel { rule, value } => {
                format!("`{value}` is not a level (for `{rule}`)")
            }
            ConfigErrorKind::MissingLevel { rule } => format!("no level given for `{rule}`"),
            ConfigErrorKind::UnknownPreset { value } => format!("no preset is named `{value}`"),
            ConfigErrorKind::BadGlob { glob, reason } => {
                format!("`{glob}` is not a valid glob: {reason}")
            }
            ConfigErrorKind::MissingFiles => "this override has no `files`".to_string(),
            ConfigErrorKind::Expected { what, found } => format!("expected {what}, found {found}"),
        }
    }

    fn label(&self) -> &'static str {
        match &self.kind {
            ConfigErrorKind::Yaml { .. } => "the YAML cannot be read from here",
            ConfigErrorKind::DuplicateKey { .. } => "given again here",
            ConfigErrorKind::NotUtf8 => "not UTF-8",
            ConfigErrorKind::UnknownKey { .. } => "unknown key",
            ConfigErrorKind::UnknownRule { .. } => "unknown check",
            ConfigErrorKind::UnknownLevel { .. } | ConfigErrorKind::MissingLevel { .. } => {
                "expected `error`, `warning`, `info` or `off`"
            }
            ConfigErrorKind::UnknownPreset { .. } => "unknown preset",
            ConfigErrorKind::BadGlob { .. } => "invalid glob",
            ConfigErrorKind::MissingFiles => "which files is it for?",
            ConfigErrorKind::Expected { .. } => "wrong kind of value",
        }
    }

    fn help(&self) -> Option<String> {
        let suggest = |word: &str, candidates: &[&str], otherwise: String| {
            did_you_mean(word, candidates.iter().copied())
                .map_or(otherwise, |n| format!("did you mean `{n}`?"))
        };
        Some(match &self.kind {
            ConfigErrorKind::Yaml { .. } => {
                "check the indentation and quoting here and on the line above".to_string()
            }
            ConfigErrorKind::DuplicateKey { .. } => {
                "keep one of the two entries (the first one applies)".to_string()
            }
            ConfigErrorKind::NotUtf8 => "save the file as UTF-8".to_string(),
            ConfigErrorKind::UnknownKey { key, allowed } => {
                suggest(key, allowed, format!("the keys here are {}", backticked(allowed)))
            }
            ConfigErrorKind::UnknownRule { name } => {
                let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
                suggest(
                    name,
                    &names,
                    "run `sopc rules` for the list of checks".to_string(),
                )
            }
            ConfigErrorKind::UnknownLevel { value, .. } => suggest(
                value,
                &Level::NAMES,
                format!("the levels are {}", backticked(&Level::NAMES)),
            ),
            ConfigErrorKind::MissingLevel { rule } => format!("write `{rule}: error` (or another level)"),
            ConfigErrorKind::UnknownPreset { value } => suggest(
                value,
                &Preset::NAMES,
                format!("the presets are {}", backticked(&Preset::NAMES)),
            ),
            ConfigErrorKind::BadGlob { .. } => {
                "`*` matches within one folder, `**` across folders, e.g. `legacy/**`".to_string()
            }
            ConfigErrorKind::MissingFiles => {
                "add `files: \"legacy/**\"` (a glob, or a list of globs, relative to this file's folder)"
                    .to_string()
            }
            ConfigErrorKind::Expected { .. } => return None,
        })
    }

    /// The bad name or value, for tools.
    fn names(&self) -> Vec<String> {
        match &self.kind {
            ConfigErrorKind::UnknownKey { key: n, .. }
            | ConfigErrorKind::UnknownRule { name: n }
            | ConfigErrorKind::MissingLevel { rule: n }
            | ConfigErrorKind::UnknownPreset { value: n }
            | ConfigErrorKind::BadGlob { glob: n, .. }
            | ConfigErrorKind::DuplicateKey { key: n, .. } => vec![n.clone()],
            ConfigErrorKind::UnknownLevel { rule, value } => vec![rule.clone(), value.clone()],
            _ => Vec::new(),
        }
    }

    /// The name written and the known one close to it, for a name that is unknown.
    fn close_name(&self) -> Option<(&str, String)> {
        let rules: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        let (written, candidates): (&str, &[&str]) = match &self.kind {
            ConfigErrorKind::UnknownKey { key, allowed } => (key, allowed),
            ConfigErrorKind::UnknownRule { name } => (name, &rules),
            ConfigErrorKind::UnknownLevel { value, .. } => (value, &Level::NAMES),
            ConfigErrorKind::UnknownPreset { value } => (value, &Preset::NAMES),
            _ => return None,
        };
        did_you_mean(written, candidates.iter().copied()).map(|close| (written, close))
    }

    /// The `invalid-config` finding in `file` (the `sopc.yaml` it was found in).
    pub fn into_diagnostic(self, file: FileId) -> Diagnostic {
        let mut d = Diagnostic::new(
            RuleId::InvalidConfig,
            Loc::new(file, self.span),
            self.message(),
        )
        .with_label(self.label())
        .with_names(self.names());
        if let Some(help) = self.help() {
            d = d.with_help(help);
        }
        // The did-you-mean of the help as a fix, when the span is the bare word (not quoted).
        if let Some((written, close)) = self.close_name()
            && self.span.end - self.span.start == written.len()
        {
            d = d.with_fix(Fix::replace(
                format!("change `{written}` to `{close}`"),
                Loc::new(file, self.span),
                close,
                Applicability::Safe,
            ));
        }
        if let ConfigErrorKind::DuplicateKey { first, .. } = self.kind {
            d = d.with_secondary(Loc::new(file, first), "first given here");
        }
        d
    }
}

fn backticked(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}
