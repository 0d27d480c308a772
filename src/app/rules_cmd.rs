//! `sopc rules` and `sopc explain`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::cli::{ExplainArgs, ListFormat, RulesArgs};
use super::terminal::say;
use super::{EXIT_OK, EXIT_USAGE};
use crate::diag::did_you_mean;
use crate::lint::config::{Config, FILE_NAME};
use crate::lint::{RULES, RuleId, find_rule};

#[derive(Serialize)]
struct RuleRow {
    name: &'static str,
    /// The level in effect for the current project (its `sopc.yaml`, or `--config`).
    level: &'static str,
    default: &'static str,
    summary: &'static str,
}

/// The configuration in effect for the current folder: `--config FILE`, else the `sopc.yaml`
/// of its project root, else the defaults. `Err` when a named file cannot be read.
fn current_config() -> Result<(Config, Option<PathBuf>), String> {
    let path = match super::global().config {
        Some(path) => path,
        None => {
            let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let found = crate::model::project_root_of_dir(&here).join(FILE_NAME);
            if !found.is_file() {
                return Ok((Config::default(), None));
            }
            found
        }
    };
    let bytes = crate::files::read::read_regular(&path, crate::files::read::SMALL_LIMIT)
        .map_err(|e| format!("cannot read `{}`: {e}", shown(&path)))?;
    let text = String::from_utf8_lossy(&bytes);
    let (config, errors) = Config::from_yaml(&text);
    if !errors.is_empty() {
        say!(
            "warning: `{}` has errors; the levels below leave them out (run `sopc check` to see them)",
            shown(&path)
        );
    }
    Ok((config, Some(path)))
}

fn shown(path: &Path) -> String {
    crate::text::visible(&path.display().to_string()).into_owned()
}

pub(super) fn list(args: RulesArgs) -> u8 {
    let (config, _) = match current_config() {
        Ok(found) => found,
        Err(message) => {
            say!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let rows: Vec<RuleRow> = RuleId::ALL
        .iter()
        .map(|&id| {
            let r = id.info();
            RuleRow {
                name: r.name,
                level: config.level(id).as_str(),
                default: r.default.as_str(),
                summary: r.summary,
            }
        })
        .collect();
    let text = match args.format {
        ListFormat::Json => {
            serde_json::to_string_pretty(&rows).expect("plain data serializes") + "\n"
        }
        ListFormat::Human => {
            let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut out = String::new();
            for r in &rows {
                let changed = if r.level == r.default {
                    String::new()
                } else {
                    format!(" (default: {})", r.default)
                };
                out.push_str(&format!(
                    "{:width$}  {:7}  {}{changed}\n",
                    r.name,
                    r.level,
                    r.summary.replace('`', "")
                ));
            }
            out
        }
    };
    print_quietly(&text)
}

/// Writes `text` to standard output; a closed output (`sopc rules | head`) ends the command
/// quietly.
pub(super) fn print_quietly(text: &str) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(_) => EXIT_USAGE,
    }
}

/// The checks whose name holds `word` as whole words (`unreachable` in `unreachable-stage`,
/// `terminal stage` in `missing-terminal`...): a part of a name is no typo for did-you-mean.
fn partial_matches(word: &str) -> Vec<&'static str> {
    let wanted: Vec<String> = word
        .split(|c: char| c == '-' || c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    RULES
        .iter()
        .map(|r| r.name)
        .filter(|name| {
            let words: Vec<&str> = name.split('-').collect();
            wanted.iter().all(|w| words.contains(&w.as_str()))
        })
        .collect()
}

pub(super) fn explain(args: ExplainArgs) -> u8 {
    match find_rule(&args.rule) {
        Some(rule) => print_quietly(&format!(
            "# {}\n\nDefault level: {}\n\n{}\n",
            rule.name,
            rule.default.as_str(),
            rule.documentation()
        )),
        None => {
            say!("error: no check is named `{}`", args.rule);
            let typo = did_you_mean(&args.rule, RULES.iter().map(|r| r.name));
            match (typo, partial_matches(&args.rule).as_slice()) {
                (Some(s), _) => say!("help: did you mean `{s}`?"),
                (None, [one]) => say!("help: did you mean `{one}`?"),
                (None, []) => say!("help: `sopc rules` lists every check"),
                (None, many) => {
                    let list: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
                    say!(
                        "help: did you mean {}?",
                        crate::syntax::errors::or_list(&list)
                    )
                }
            }
            EXIT_USAGE
        }
    }
}
