//! `# sopc: allow(rule, ...) -- reason` comments directly above a block.

use std::collections::HashMap;

use crate::diag::{Diagnostic, FileId, Loc};
use crate::lint::RuleId;
use crate::lint::registry::RULES;
use crate::model::SourceDb;
use crate::syntax::{Block, Entry, Item, SourceFile, Span};

/// One suppression comment and the block it covers.
#[derive(Debug, Clone)]
pub struct Suppression {
    /// The file the comment is in.
    pub file: FileId,
    /// The comment.
    pub span: Span,
    /// The check names inside `allow(...)`, as written, each with its bytes.
    pub rules: Vec<(String, Span)>,
    /// The text after `--` following the `)`, trimmed; `None` when there is none.
    pub reason: Option<String>,
    /// The block directly below; `None` when there is none.
    pub block: Option<Span>,
}

/// The checks a suppression names, each with its span, and the reason after `--`.
type Parsed = (Vec<(String, Span)>, Option<String>);

/// What a comment's text is to suppressions.
#[derive(Debug, PartialEq)]
enum Directive {
    /// Not a `sopc:` comment, or one for another part of sopc (`sopc: fmt-ignore-file`).
    None,
    Allow(Parsed),
    /// `sopc:` followed by something that is not a well-formed `allow(...)`: what is wrong,
    /// and the verb that was written.
    Malformed {
        problem: &'static str,
        verb: String,
    },
}

/// Reads `sopc: allow(a, b) -- reason` from a comment's text (after the `#`).
fn parse(text: &str, span: Span) -> Directive {
    let body = text.trim_start();
    let lead = text.len() - body.len();
    let Some(rest) = body.strip_prefix("sopc:") else {
        return Directive::None;
    };
    let after_colon = lead + "sopc:".len();
    let trimmed = rest.trim_start();
    if trimmed
        .strip_prefix(
            crate::format::IGNORE_FILE
                .trim_start_matches("sopc:")
                .trim_start(),
        )
        .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']))
    {
        return Directive::None;
    }
    let verb: String = trimmed
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let malformed = |problem| Directive::Malformed {
        problem,
        verb: verb.clone(),
    };
    if verb != "allow" {
        return malformed(if verb.is_empty() {
            "no `allow(...)` follows `sopc:`"
        } else {
            "the word after `sopc:` is not `allow`"
        });
    }
    let Some(list) = trimmed["allow".len()..].trim_start().strip_prefix('(') else {
        return malformed("`allow` is not followed by `(`");
    };
    let Some(close) = list.find(')') else {
        return malformed("the `(` after `allow` is not closed");
    };
    let inner_start = after_colon + (rest.len() - list.len());
    // span.start is the `#`; the text starts one byte later.
    let mut offset = span.start + 1 + inner_start;
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
    if rules.is_empty() {
        return malformed("`allow()` names no check");
    }
    let after = list[close + 1..].trim();
    let reason = after
        .strip_prefix("--")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    Directive::Allow((rules, reason))
}

/// The `invalid-suppression` finding for a malformed `# sopc:` comment.
fn malformed(file: FileId, span: Span, problem: &str, verb: &str) -> Diagnostic {
    let help = if verb != "allow" && crate::diag::did_you_mean(verb, ["allow"]).is_some() {
        "did you mean `allow`? write `# sopc: allow(rule-name) -- reason`".to_string()
    } else {
        "write `# sopc: allow(rule-name, other-rule) -- reason`".to_string()
    };
    Diagnostic::new(
        RuleId::InvalidSuppression,
        Loc::new(file, span),
        format!("this `# sopc:` comment is not a well-formed suppression: {problem}"),
    )
    .with_label("silences nothing")
    .with_help(help)
    .with_names([verb.to_string()])
}

/// Every suppression in every parsed file.
pub fn collect(db: &SourceDb) -> Vec<Suppression> {
    collect_in(db, db.ids()).0
}

/// The suppressions of some files (those whose AST is at hand), and an `invalid-suppression`
/// finding for each `# sopc:` comment that is not a well-formed one.
pub fn collect_in(
    db: &SourceDb,
    ids: impl IntoIterator<Item = FileId>,
) -> (Vec<Suppression>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut invalid = Vec::new();
    for id in ids {
        let src = db.get(id);
        let Some(ast) = src.ast() else { continue };
        // The first block starting on each line, so each comment finds its block at once.
        let mut first_on_line: HashMap<usize, Span> = HashMap::new();
        for (start, span) in block_starts(ast) {
            first_on_line
                .entry(src.lines.line_of(start))
                .or_insert(span);
        }
        for c in &ast.comments {
            let (rules, reason) = match parse(&c.text, c.span) {
                Directive::None => continue,
                Directive::Malformed { problem, verb } => {
                    invalid.push(malformed(id, c.span, problem, &verb));
                    continue;
                }
                // At the end of a line it is no suppression, as before.
                Directive::Allow(_) if !c.own_line => continue,
                Directive::Allow(parsed) => parsed,
            };
            let below = src.lines.line_of(c.span.start) + 1;
            let block = first_on_line.get(&below).copied();
            out.push(Suppression {
                file: id,
                span: c.span,
                rules,
                reason,
                block,
            });
        }
    }
    (out, invalid)
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

/// The blocks that suppressions cover, per file, sorted by start, each with its enclosing
/// covered block: the suppressions over a finding are found without trying each one.
struct Covers {
    by_file: HashMap<FileId, Vec<Cover>>,
}

struct Cover {
    span: Span,
    /// The suppressions on this block.
    sups: Vec<usize>,
    /// The nearest covered block that holds this one.
    parent: Option<usize>,
}

impl Covers {
    fn new(sups: &[Suppression]) -> Self {
        let mut spans: HashMap<FileId, Vec<(Span, usize)>> = HashMap::new();
        for (si, s) in sups.iter().enumerate() {
            if let Some(block) = s.block {
                spans.entry(s.file).or_default().push((block, si));
            }
        }
        let mut by_file = HashMap::new();
        for (file, mut list) in spans {
            // Blocks nest or are apart; sorting by start, longer first, puts a block after all
            // that hold it.
            list.sort_by_key(|(span, si)| (span.start, std::cmp::Reverse(span.end), *si));
            let mut covers: Vec<Cover> = Vec::new();
            let mut open: Vec<usize> = Vec::new();
            for (span, si) in list {
                if let Some(last) = covers.last_mut()
                    && last.span == span
                {
                    last.sups.push(si);
                    continue;
                }
                while let Some(&top) = open.last() {
                    if covers[top].span.contains(span) {
                        break;
                    }
                    open.pop();
                }
                covers.push(Cover {
                    span,
                    sups: vec![si],
                    parent: open.last().copied(),
                });
                open.push(covers.len() - 1);
            }
            by_file.insert(file, covers);
        }
        Covers { by_file }
    }

    /// Calls `f` with every suppression whose block holds `loc`.
    fn each_covering(&self, loc: Loc, mut f: impl FnMut(usize)) {
        let Some(covers) = self.by_file.get(&loc.file) else {
            return;
        };
        // The last block starting at or before the finding; any block holding the finding is
        // it or one of the blocks that hold it.
        let mut at = covers
            .partition_point(|c| c.span.start <= loc.span.start)
            .checked_sub(1);
        while let Some(i) = at {
            if covers[i].span.contains(loc.span) {
                covers[i].sups.iter().copied().for_each(&mut f);
            }
            at = covers[i].parent;
        }
    }
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
    let covers = Covers::new(sups);
    let mut kept: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| {
            if d.rule == RuleId::Syntax {
                return true;
            }
            let mut silenced = false;
            covers.each_covering(d.loc, |si| {
                for (ri, (name, _)) in sups[si].rules.iter().enumerate() {
                    if name == d.rule.name() {
                        used[si][ri] = true;
                        silenced = true;
                    }
                }
            });
            !silenced
        })
        .collect();
    let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    for (si, s) in sups.iter().enumerate() {
        if s.block.is_none() {
            kept.push(
                Diagnostic::new(
                    RuleId::UnusedSuppression,
                    Loc::new(s.file, s.span),
                    "this suppression is not directly above a block",
                )
                .with_label("nothing to apply to")
                .with_help("put `# sopc: allow(...)` on the line right above the block it is for"),
            );
            continue;
        }
        for (name, span) in &s.rules {
            if RuleId::from_name(name).is_some() {
                continue;
            }
            let close = crate::diag::did_you_mean(name, names.iter().copied());
            let help = close.as_ref().map_or_else(
                || "run `sopc rules` for the list of checks".to_string(),
                |n| format!("did you mean `{n}`?"),
            );
            let mut d = Diagnostic::new(
                RuleId::UnusedSuppression,
                Loc::new(s.file, *span),
                format!("no check is named `{name}`"),
            )
            .with_label("unknown check")
            .with_help(help)
            .with_names([name.clone()]);
            if let Some(n) = close
                && span.end - span.start == name.len()
            {
                d = d.with_fix(crate::diag::Fix::replace(
                    format!("change `{name}` to `{n}`"),
                    Loc::new(s.file, *span),
                    n,
                    crate::diag::Applicability::Safe,
                ));
            }
            kept.push(d);
        }
        let known: Vec<&str> = s
            .rules
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| RuleId::from_name(n).is_some())
            .collect();
        // A suppression that silences nothing is reported; one that silences something
        // with one of its names is in use.
        if !known.is_empty() && !used[si].iter().any(|u| *u) {
            let list = known.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
            kept.push(
                Diagnostic::new(
                    RuleId::UnusedSuppression,
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
                    RuleId::UnusedSuppression,
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
        let Directive::Allow((rules, reason)) = parse(text, Span::new(10, 10 + text.len() + 1))
        else {
            panic!("a suppression")
        };
        let names: Vec<_> = rules.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["task-without-due", "unowned-task"]);
        let full = format!("#{text}");
        assert_eq!(
            &full[rules[1].1.start - 10..rules[1].1.end - 10],
            "unowned-task"
        );
        assert_eq!(reason.as_deref(), Some("set by the customer"));
        assert_eq!(parse(" just a comment", Span::new(0, 16)), Directive::None);
        assert_eq!(
            parse(" sopc: fmt-ignore-file -- x", Span::new(0, 30)),
            Directive::None
        );
        for bad in [
            " sopc: allow task-without-due",
            " sopc: allow(task-without-due",
            " sopc: alow(task-without-due)",
            " sopc: allow()",
            " sopc:",
        ] {
            assert!(
                matches!(parse(bad, Span::new(0, 40)), Directive::Malformed { .. }),
                "{bad}"
            );
        }
        assert!(matches!(
            parse(" sopc: allow (x) because", Span::new(0, 40)),
            Directive::Allow(_)
        ));
    }
}
