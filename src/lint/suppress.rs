//! `# sopc: allow(rule, ...) -- reason` comments directly above a block.

use crate::diag::{Diagnostic, FileId, Loc};
use crate::lint::registry::{RULES, find_rule};
use crate::model::SourceDb;
use crate::syntax::{Block, Entry, Item, SourceFile, Span};

/// One suppression comment and the block it covers.
#[derive(Debug, Clone)]
pub struct Suppression {
    pub file: FileId,
    /// The comment.
    pub span: Span,
    pub rules: Vec<(String, Span)>,
    pub reason: Option<String>,
    /// The block directly below; `None` when there is none.
    pub block: Option<Span>,
}

/// Reads `sopc: allow(a, b) -- reason` from a comment's text; `None` if it is no suppression.
/// The checks a suppression names, each with its span, and the reason after `--`.
type Parsed = (Vec<(String, Span)>, Option<String>);

fn parse(text: &str, span: Span) -> Option<Parsed> {
    let body = text.trim_start();
    let lead = text.len() - body.len();
    let rest = body.strip_prefix("sopc:")?;
    let after_colon = lead + "sopc:".len();
    let trimmed = rest.trim_start();
    let inner_start = after_colon + (rest.len() - trimmed.len());
    let list = trimmed.strip_prefix("allow(")?;
    let close = list.find(')')?;
    // span.start is the `#`; the text starts one byte later.
    let mut offset = span.start + 1 + inner_start + "allow(".len();
    let mut rules = Vec::new();
    for part in list[..close].split(',') {
        let name = part.trim();
        let lead = part.len() - part.trim_start().len();
        if !name.is_empty() {
            rules.push((
                name.to_string(),
                Span::new(offset + lead, offset + lead + name.len()),
            ));
        }
        offset += part.len() + 1;
    }
    let after = list[close + 1..].trim();
    let reason = after
        .strip_prefix("--")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    Some((rules, reason))
}

/// Every suppression in every parsed file.
pub fn collect(db: &SourceDb) -> Vec<Suppression> {
    collect_in(db, db.ids())
}

/// The suppressions of some files (those whose AST is at hand).
pub fn collect_in(db: &SourceDb, ids: impl IntoIterator<Item = FileId>) -> Vec<Suppression> {
    let mut out = Vec::new();
    for id in ids {
        let src = db.get(id);
        let Some(ast) = src.ast() else { continue };
        let blocks = block_starts(ast);
        for c in ast.comments.iter().filter(|c| c.own_line) {
            let Some((rules, reason)) = parse(&c.text, c.span) else {
                continue;
            };
            let below = src.lines.line_of(c.span.start) + 1;
            let block = blocks
                .iter()
                .find(|(start, _)| src.lines.line_of(*start) == below)
                .map(|(_, span)| *span);
            out.push(Suppression {
                file: id,
                span: c.span,
                rules,
                reason,
                block,
            });
        }
    }
    out
}

fn block_starts(ast: &SourceFile) -> Vec<(usize, Span)> {
    fn walk(b: &Block, out: &mut Vec<(usize, Span)>) {
        out.push((b.span.start, b.span));
        for e in &b.entries {
            if let Entry::Block(inner) = e {
                walk(inner, out);
            }
        }
    }
    let mut out = Vec::new();
    for item in &ast.items {
        if let Item::Block(b) = item {
            walk(b, &mut out);
        }
    }
    out
}

/// Drops the findings a suppression covers; adds `unused-suppression` for those that covered
/// nothing, and (with `require_reason`) for those without a reason.
pub fn apply(
    diags: Vec<Diagnostic>,
    sups: &[Suppression],
    require_reason: bool,
) -> Vec<Diagnostic> {
    let mut used = vec![vec![false; 0]; sups.len()];
    for (u, s) in used.iter_mut().zip(sups) {
        *u = vec![false; s.rules.len()];
    }
    let mut kept: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| {
            if d.rule == "syntax" {
                return true;
            }
            let mut silenced = false;
            for (si, s) in sups.iter().enumerate() {
                let Some(block) = s.block else { continue };
                if s.file != d.loc.file || !block.contains(d.loc.span) {
                    continue;
                }
                for (ri, (name, _)) in s.rules.iter().enumerate() {
                    if name == d.rule {
                        used[si][ri] = true;
                        silenced = true;
                    }
                }
            }
            !silenced
        })
        .collect();
    let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    for (si, s) in sups.iter().enumerate() {
        if s.block.is_none() {
            kept.push(
                Diagnostic::new(
                    "unused-suppression",
                    Loc::new(s.file, s.span),
                    "this suppression is not directly above a block",
                )
                .with_label("nothing to apply to")
                .with_help("put `# sopc: allow(...)` on the line right above the block it is for"),
            );
            continue;
        }
        for (name, span) in &s.rules {
            if find_rule(name).is_some() {
                continue;
            }
            let help = crate::diag::did_you_mean(name, names.iter().copied()).map_or_else(
                || "run `sopc rules` for the list of checks".to_string(),
                |n| format!("did you mean `{n}`?"),
            );
            kept.push(
                Diagnostic::new(
                    "unused-suppression",
                    Loc::new(s.file, *span),
                    format!("no check is named `{name}`"),
                )
                .with_label("unknown check")
                .with_help(help)
                .with_names([name.clone()]),
            );
        }
        let known: Vec<&str> = s
            .rules
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| find_rule(n).is_some())
            .collect();
        // The contract reports a suppression that silences nothing; one that silences something
        // with one of its names is in use.
        if !known.is_empty() && !used[si].iter().any(|u| *u) {
            let list = known.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
            kept.push(
                Diagnostic::new(
                    "unused-suppression",
                    Loc::new(s.file, s.span),
                    format!(
                        "this suppression silences nothing: {} does not fire in the block below",
                        crate::syntax::errors::or_list(&list)
                    ),
                )
                .with_label("silences nothing")
                .with_help("remove the comment; the problem it allowed is gone")
                .with_names(known.iter().map(|n| n.to_string())),
            );
        }
        if require_reason && s.reason.is_none() {
            kept.push(
                Diagnostic::new(
                    "unused-suppression",
                    Loc::new(s.file, s.span),
                    "this suppression gives no reason",
                )
                .with_label("why is this allowed?")
                .with_help("add the reason after `--`: `# sopc: allow(rule) -- why`")
                .with_names(["missing-reason"])
                .with_severity(crate::diag::Severity::Warning),
            );
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rules_and_reason() {
        let text = " sopc: allow(task-without-due, unowned-task) -- set by the customer";
        let (rules, reason) = parse(text, Span::new(10, 10 + text.len() + 1)).unwrap();
        let names: Vec<_> = rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["task-without-due", "unowned-task"]);
        let full = format!("#{text}");
        assert_eq!(
            &full[rules[1].1.start - 10..rules[1].1.end - 10],
            "unowned-task"
        );
        assert_eq!(reason.as_deref(), Some("set by the customer"));
        assert!(parse(" just a comment", Span::new(0, 16)).is_none());
    }
}
