//! `sopc check --fix`: apply the fixes that findings carry, the safe ones unless
//! `--unsafe-fixes`, in the layout `sopc fmt` writes; a fix that would bring a new finding is
//! left out. `--diff` prints the changes instead of writing them.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::cli::CheckArgs;
use super::fmt_cmd::unified_diff_as;
use super::terminal::say;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE};
use crate::diag::{Applicability, Fix};
use crate::driver::{CheckOptions, CheckOutcome, PathError, Workspace};
use crate::files::write::{Keep, describe, write_atomically};
use crate::rule_id::RuleId;

/// Rounds of fixing: a fixed syntax error can show the next one, which may have a fix too.
const ROUNDS: usize = 10;

/// What `--fix` did.
pub(super) struct Fixed {
    /// The findings after the fixes (as on disk once written).
    pub outcome: CheckOutcome,
    /// How many fixes were applied.
    pub count: usize,
    /// Every file changed, by name.
    pub files: Vec<FixedFile>,
}

/// A file `--fix` changed.
pub(super) struct FixedFile {
    pub path: PathBuf,
    /// The name as shown in findings.
    pub display: String,
    pub old: String,
    pub new: String,
}

/// Applies the fixes in memory, checking again after each file's fixes; writes nothing.
pub(super) fn fix(
    paths: &[PathBuf],
    options: &CheckOptions,
    unsafe_fixes: bool,
) -> Result<Fixed, PathError> {
    let mut ws = Workspace::with_options(options.clone());
    let mut outcome = ws.check_paths(paths, options)?;
    // Path to (name as shown, text before any fix, text now).
    let mut texts: HashMap<PathBuf, (String, String, String)> = HashMap::new();
    let mut rejected: HashSet<(PathBuf, Edits)> = HashSet::new();
    let mut count = 0;
    for _ in 0..ROUNDS {
        let chosen = choose(&outcome, unsafe_fixes, &rejected);
        if chosen.is_empty() {
            break;
        }
        let mut progress = false;
        for (path, fixes) in chosen {
            let Some(text) = text_of(&outcome, &path) else {
                continue;
            };
            let display = display_of(&outcome, &path);
            // All of the file's fixes at once; when that brings a new finding, one by one. Once
            // the text changed the other fixes' places are stale: the next round finds them
            // again in the new text.
            let mut tries = vec![fixes.clone()];
            if fixes.len() > 1 {
                tries.extend(fixes.iter().map(|f| vec![f.clone()]));
            }
            for attempt in tries {
                let Some(new) = apply(&text, &attempt) else {
                    continue;
                };
                ws.set_overlay(&path, new.clone());
                let after = ws.check_paths(paths, options)?;
                if improves(&outcome, &after, &display) {
                    outcome = after;
                    count += attempt.len();
                    progress = true;
                    texts
                        .entry(path.clone())
                        .or_insert_with(|| (display.clone(), text.clone(), String::new()))
                        .2 = new;
                    break;
                }
                ws.set_overlay(&path, text.clone());
                if let [one] = attempt.as_slice() {
                    rejected.insert((path.clone(), one.clone()));
                }
            }
        }
        if !progress {
            break;
        }
    }
    let mut files: Vec<FixedFile> = texts
        .into_iter()
        .filter(|(_, (_, old, new))| old != new)
        .map(|(path, (display, old, new))| FixedFile {
            path,
            display,
            old,
            new,
        })
        .collect();
    files.sort_by(|a, b| a.display.cmp(&b.display));
    Ok(Fixed {
        outcome,
        count,
        files,
    })
}

/// A fix as byte edits of one file: (start, end, new text), the last first.
type Edits = Vec<(usize, usize, String)>;

/// The fix chosen for each finding, by file, with no two overlapping: the first safe one, or
/// with `unsafe_fixes` the first one.
fn choose(
    outcome: &CheckOutcome,
    unsafe_fixes: bool,
    rejected: &HashSet<(PathBuf, Edits)>,
) -> Vec<(PathBuf, Vec<Edits>)> {
    let mut by_file: Vec<(PathBuf, Vec<Edits>)> = Vec::new();
    for f in &outcome.findings {
        let pick = f
            .diag
            .fixes
            .iter()
            .find(|fix| fix.applicability == Applicability::Safe || unsafe_fixes);
        let Some(fix) = pick else {
            continue;
        };
        let Some((path, edits)) = edits_of(outcome, fix) else {
            continue;
        };
        if rejected.contains(&(path.clone(), edits.clone())) {
            continue;
        }
        let slot = match by_file.iter().position(|(p, _)| *p == path) {
            Some(i) => i,
            None => {
                by_file.push((path, Vec::new()));
                by_file.len() - 1
            }
        };
        let taken = &mut by_file[slot].1;
        let overlaps = taken.iter().flatten().any(|(s, e, _)| {
            edits
                .iter()
                .any(|(s2, e2, _)| s2 < e && s < e2 || (s2 == s && e2 == e))
        });
        if !overlaps && !taken.contains(&edits) {
            taken.push(edits);
        }
    }
    by_file.retain(|(_, fixes)| !fixes.is_empty());
    by_file
}

/// The file a fix changes and its edits, the last first; `None` for a fix over several files
/// or in a file that is not a `.sop` file.
fn edits_of(outcome: &CheckOutcome, fix: &Fix) -> Option<(PathBuf, Edits)> {
    let file = fix.edits.first()?.loc.file;
    if fix.edits.iter().any(|e| e.loc.file != file) || !outcome.db.get(file).is_sop() {
        return None;
    }
    let mut edits: Edits = fix
        .edits
        .iter()
        .map(|e| (e.loc.span.start, e.loc.span.end, e.new_text.clone()))
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    Some((outcome.db.get(file).canonical.clone(), edits))
}

fn text_of(outcome: &CheckOutcome, path: &Path) -> Option<String> {
    outcome
        .db
        .ids()
        .map(|id| outcome.db.get(id))
        .find(|s| s.canonical == path)
        .map(|s| s.text.clone())
}

fn display_of(outcome: &CheckOutcome, path: &Path) -> String {
    outcome
        .db
        .ids()
        .map(|id| outcome.db.get(id))
        .find(|s| s.canonical == path)
        .map_or_else(|| path.display().to_string(), |s| s.display.clone())
}

/// `text` with the fixes made, in the layout `sopc fmt` writes when it parses (and is not
/// marked to be left alone); `None` when an edit does not fall on characters of the text.
fn apply(text: &str, fixes: &[Edits]) -> Option<String> {
    let mut edits: Edits = fixes.iter().flatten().cloned().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.get(start..end)?;
        out.replace_range(start..end, &new);
    }
    if crate::format::is_ignored(&out) {
        return Some(out);
    }
    Some(crate::format::format(&out).unwrap_or(out))
}

/// Whether the fixed `file` made things better without a new finding: a file that did not
/// parse parses now, or fails later in the file (what it holds beyond was hidden, not new); in
/// a file that parsed, the findings of reading (syntax, names, duplicates, imports, values)
/// are fewer and none is new. The checks of the content may find more once a name resolves:
/// what they find was hidden by the unknown name, and is reported.
fn improves(before: &CheckOutcome, after: &CheckOutcome, file: &str) -> bool {
    let syntax_at = |o: &CheckOutcome| {
        o.findings
            .iter()
            .filter(|f| f.diag.rule == RuleId::Syntax)
            .find(|f| o.db.get(f.diag.loc.file).display == file)
            .map(|f| {
                let lc = o.db.get(f.diag.loc.file).line_col(f.diag.loc.span.start);
                (lc.line, lc.column)
            })
    };
    if let Some(was) = syntax_at(before) {
        return syntax_at(after).is_none_or(|now| now > was);
    }
    let reading = |o: &'_ CheckOutcome| {
        let mut keys: HashMap<(RuleId, String, String), usize> = HashMap::new();
        for f in &o.findings {
            if READING.contains(&f.diag.rule) {
                let display = o.db.get(f.diag.loc.file).display.clone();
                *keys
                    .entry((f.diag.rule, display, f.diag.message.clone()))
                    .or_default() += 1;
            }
        }
        keys
    };
    let (was, now) = (reading(before), reading(after));
    let fewer = now.values().sum::<usize>() < was.values().sum::<usize>();
    fewer
        && now
            .iter()
            .all(|(key, n)| was.get(key).is_some_and(|w| w >= n))
}

/// The checks made while reading and resolving, which a fix must never add to.
const READING: [RuleId; 5] = [
    RuleId::Syntax,
    RuleId::UndefinedReference,
    RuleId::DuplicateDefinition,
    RuleId::ImportError,
    RuleId::InvalidValue,
];

/// What is left to do after `--fix`.
pub(super) enum FixRun {
    /// The fixes are written: report the findings left as `sopc check` does.
    Report(CheckOutcome),
    /// Done (`--diff`, or an error said), with this exit code.
    Exit(u8),
}

/// `sopc check --fix`: the fixes written, or shown with `--diff` (exit 1 when there are any).
pub(super) fn run(args: &CheckArgs, options: &CheckOptions) -> FixRun {
    let fixed = match fix(&args.paths, options, args.unsafe_fixes) {
        Ok(f) => f,
        Err(PathError(message)) => {
            say!("error: {message}");
            return FixRun::Exit(EXIT_USAGE);
        }
    };
    if args.diff {
        let mut stdout = std::io::stdout().lock();
        for f in &fixed.files {
            if stdout
                .write_all(unified_diff_as(&f.display, &f.old, &f.new, "fixed").as_bytes())
                .is_err()
            {
                return FixRun::Exit(EXIT_USAGE);
            }
        }
        if stdout.flush().is_err() {
            return FixRun::Exit(EXIT_USAGE);
        }
        if fixed.files.is_empty() {
            say!("nothing to fix");
        } else {
            say!(
                "{} in {} would be applied",
                plural(fixed.count, "fix", "fixes"),
                plural(fixed.files.len(), "file", "files")
            );
        }
        return FixRun::Exit(if fixed.files.is_empty() {
            EXIT_OK
        } else {
            EXIT_FAIL
        });
    }
    let mut failed = false;
    for f in &fixed.files {
        if let Err(e) = write_atomically(&f.path, f.new.as_bytes(), Keep::Everything) {
            say!(
                "error: cannot write the fixes to `{}`: {}",
                crate::text::visible(&f.display),
                describe(&e)
            );
            failed = true;
        }
    }
    if failed {
        return FixRun::Exit(EXIT_USAGE);
    }
    if fixed.count > 0 {
        say!(
            "fixed: {} in {}",
            plural(fixed.count, "fix", "fixes"),
            plural(fixed.files.len(), "file", "files")
        );
    }
    FixRun::Report(fixed.outcome)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
