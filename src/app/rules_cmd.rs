//! `sopc rules` and `sopc explain`.

use serde::Serialize;

use super::cli::{ExplainArgs, ListFormat, RulesArgs};
use super::terminal::say;
use super::{EXIT_OK, EXIT_USAGE};
use crate::diag::did_you_mean;
use crate::lint::{RULES, find_rule};

#[derive(Serialize)]
struct RuleRow {
    name: &'static str,
    default: &'static str,
    summary: &'static str,
}

pub(super) fn list(args: RulesArgs) -> u8 {
    match args.format {
        ListFormat::Json => {
            let rows: Vec<RuleRow> = RULES
                .iter()
                .map(|r| RuleRow {
                    name: r.name,
                    default: r.default.as_str(),
                    summary: r.summary,
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&rows).expect("plain data serializes")
            );
        }
        ListFormat::Human => {
            let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for r in RULES {
                println!(
                    "{:width$}  {:7}  {}",
                    r.name,
                    r.default.as_str(),
                    r.summary.replace('`', "")
                );
            }
        }
    }
    EXIT_OK
}

pub(super) fn explain(args: ExplainArgs) -> u8 {
    match find_rule(&args.rule) {
        Some(rule) => {
            println!(
                "# {}\n\nDefault level: {}\n\n{}",
                rule.name,
                rule.default.as_str(),
                rule.documentation()
            );
            EXIT_OK
        }
        None => {
            say!("error: no check is named `{}`", args.rule);
            if let Some(s) = did_you_mean(&args.rule, RULES.iter().map(|r| r.name)) {
                say!("help: did you mean `{s}`?");
            } else {
                say!("help: `sopc rules` lists every check");
            }
            EXIT_USAGE
        }
    }
}
