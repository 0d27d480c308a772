//! `sopc fmt`: rewrite files in the canonical layout, or (`--check`) say which would change.

use std::collections::HashSet;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::cli::FmtArgs;
use super::terminal::say;
use super::{EXIT_FAIL, EXIT_OK, EXIT_USAGE, human};
use crate::diag::Severity;
use crate::driver::{CheckOutcome, Finding, PathError, expand};
use crate::files::read::{self, SOP_LIMIT};
use crate::files::write::{Keep, describe, interrupted, write_atomically};
use crate::format::{self, FormatError};

/// How standard input is named in messages.
const STDIN: &str = "<stdin>";

pub(super) fn run(args: FmtArgs) -> u8 {
    let mut run = Fmt {
        check: args.check || args.diff,
        diff: args.diff,
        ..Fmt::default()
    };
    let stdin = args.paths.iter().any(|p| p == Path::new("-"));
    if stdin && args.paths.len() > 1 {
        say!("error: `-` (standard input) cannot be given with other paths");
        return EXIT_USAGE;
    }
    let done = if stdin {
        run.stdin()
    } else {
        run.paths(&args.paths)
    };
    if let Err(code) = done {
        return code;
    }
    if !run.syntax.findings.is_empty() {
        let color = super::use_color(io::stderr().is_terminal());
        let _ = human::write_reports(&mut io::stderr().lock(), &run.syntax, color, None);
    }
    if run.check && run.changed > 0 && !stdin {
        let files = if run.changed == 1 { "file" } else { "files" };
        say!(
            "{} {files} would be reformatted; run `sopc fmt` to format",
            run.changed
        );
    }
    if run.failed || (run.check && run.changed > 0) {
        EXIT_FAIL
    } else if run.unusable {
        EXIT_USAGE
    } else {
        EXIT_OK
    }
}

#[derive(Default)]
struct Fmt {
    check: bool,
    diff: bool,
    /// The syntax errors found, reported as `sopc check` reports them.
    syntax: CheckOutcome,
    /// How many files are (or would be) rewritten.
    changed: usize,
    /// A file could not be formatted: a syntax error, or the formatter's own safety check.
    failed: bool,
    /// A file could not be read or written.
    unusable: bool,
}

impl Fmt {
    fn paths(&mut self, paths: &[PathBuf]) -> Result<(), u8> {
        let inputs = expand(paths).map_err(|PathError(message)| {
            say!("error: {message}");
            EXIT_USAGE
        })?;
        for (path, why) in &inputs.skipped {
            say!("note: skipped `{}`: {why}", crate::text::visible(path));
        }
        for (path, why) in &inputs.unreadable {
            say!("error: cannot read `{}`: {why}", crate::text::visible(path));
            self.unusable = true;
        }
        let files = inputs.files;
        let mut stdout = io::stdout().lock();
        let mut seen = HashSet::new();
        // A file named twice (or through a link) is formatted once.
        let files: Vec<(PathBuf, String)> = files
            .into_iter()
            .filter(|(path, _)| {
                seen.insert(fs::canonicalize(path).unwrap_or_else(|_| path.clone()))
            })
            .collect();
        // Files are independent: read and format a batch on every core, then report and write
        // in order.
        for batch in files.chunks(64) {
            let done = crate::parallel::map(batch, |(path, _)| {
                read::read_regular(path, SOP_LIMIT).map(format_bytes)
            });
            for ((path, display), read) in batch.iter().zip(done) {
                let display = crate::text::visible(display);
                if let Some(e) = interrupted(path) {
                    say!("error: cannot format `{display}`: {}", describe(&e));
                    self.unusable = true;
                    continue;
                }
                let formatted = match read {
                    Ok(f) => f,
                    Err(e) => {
                        say!("error: cannot read `{display}`: {e}");
                        self.unusable = true;
                        continue;
                    }
                };
                let Some((old, new)) = self.settle(&display, path, formatted) else {
                    continue;
                };
                if old == new {
                    continue;
                }
                self.changed += 1;
                let written = if self.diff {
                    stdout.write_all(unified_diff(&display, &old, &new).as_bytes())
                } else if self.check {
                    writeln!(stdout, "{display}")
                } else {
                    // Written beside and renamed, keeping mode, owner and hard links.
                    if let Err(e) = write_atomically(path, new.as_bytes(), Keep::Everything) {
                        say!("error: cannot write `{display}`: {}", describe(&e));
                        self.unusable = true;
                    }
                    Ok(())
                };
                if written.is_err() {
                    return Err(EXIT_USAGE);
                }
            }
        }
        stdout.flush().map_err(|_| EXIT_USAGE)
    }

    /// Standard input to standard output; with `--check`, only whether it would change.
    fn stdin(&mut self) -> Result<(), u8> {
        let bytes = read::read_stdin(SOP_LIMIT).map_err(|e| {
            say!("error: cannot read standard input: {e}");
            EXIT_USAGE
        })?;
        let Some((old, new)) = self.format(STDIN, Path::new(STDIN), bytes) else {
            return Ok(());
        };
        let mut stdout = io::stdout().lock();
        let text = if !self.check {
            new
        } else if old == new {
            return Ok(());
        } else {
            self.changed += 1;
            if self.diff {
                unified_diff(STDIN, &old, &new)
            } else {
                format!("{STDIN}\n")
            }
        };
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|_| EXIT_USAGE)
    }

    /// The text before and after formatting; `None` when it cannot be formatted (the reason is
    /// recorded) or asks not to be. A file that asks not to be formatted comes back unchanged
    /// from standard input.
    fn format(&mut self, display: &str, path: &Path, bytes: Vec<u8>) -> Option<(String, String)> {
        self.settle(display, path, format_bytes(bytes))
    }

    /// Records why a file could not be formatted, or gives its text before and after.
    fn settle(
        &mut self,
        display: &str,
        path: &Path,
        formatted: Formatted,
    ) -> Option<(String, String)> {
        match formatted {
            Formatted::Done(old, new) => Some((old, new)),
            Formatted::Syntax(bytes) => {
                self.syntax_error(display, path, bytes);
                None
            }
            Formatted::WouldChangeMeaning(why) => {
                say!(
                    "internal error: formatting `{display}` would change its meaning; please report this"
                );
                if std::env::var_os("SOPC_DEBUG").is_some() {
                    say!("{why}");
                }
                self.failed = true;
                None
            }
        }
    }

    /// Records the syntax error of a file as `sopc check` reports it.
    fn syntax_error(&mut self, display: &str, path: &Path, bytes: Vec<u8>) {
        self.failed = true;
        let db = &mut self.syntax.db;
        let id = db.add(display.to_string(), path.to_path_buf(), bytes);
        if let Err(e) = &db.get(id).parsed {
            self.syntax.findings.push(Finding {
                diag: crate::driver::syntax_diagnostic(id, e, &db.get(id).text),
                severity: Severity::Error,
            });
        }
    }
}

/// What formatting one file's bytes gave; computed on any thread.
enum Formatted {
    /// The text before and after (the same when the file asks not to be formatted).
    Done(String, String),
    /// Not UTF-8, or a syntax error: the bytes, to report as `sopc check` does.
    Syntax(Vec<u8>),
    /// The formatter's own safety check failed: what differed.
    WouldChangeMeaning(String),
}

fn format_bytes(bytes: Vec<u8>) -> Formatted {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Formatted::Syntax(e.into_bytes()),
    };
    if format::is_ignored(&text) {
        return Formatted::Done(text.clone(), text);
    }
    match format::format(&text) {
        Ok(new) => Formatted::Done(text, new),
        Err(FormatError::Syntax(_)) => Formatted::Syntax(text.into_bytes()),
        Err(FormatError::WouldChangeMeaning(why)) => Formatted::WouldChangeMeaning(why),
    }
}

/// A unified diff (three lines of context) from `old` to `new`, both named `display`.
///
/// Written here over `similar`'s diff ops rather than with its `text` feature's unified diff:
/// that one writes a one-line range as `N` (`@@ -1 +1,3 @@`) where sopc writes `N,1`
/// (`@@ -1,1 +1,3 @@`), which the fmt tests pin.
fn unified_diff(display: &str, old: &str, new: &str) -> String {
    unified_diff_as(display, old, new, "formatted")
}

/// [`unified_diff`], the new text called `what` (`formatted`, `fixed`).
pub(super) fn unified_diff_as(display: &str, old: &str, new: &str, what: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    let mut out = format!("--- {display}\t(original)\n+++ {display}\t({what})\n");
    for hunk in similar::group_diff_ops(ops, 3) {
        let (Some(first), Some(last)) = (hunk.first(), hunk.last()) else {
            continue;
        };
        let old_lines = first.old_range().start..last.old_range().end;
        let new_lines = first.new_range().start..last.new_range().end;
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            hunk_range(old_lines),
            hunk_range(new_lines)
        ));
        for op in &hunk {
            let (tag, o, n) = op.as_tag_tuple();
            if tag == similar::DiffTag::Equal {
                a[o].iter().for_each(|l| diff_line(&mut out, ' ', l));
                continue;
            }
            a[o].iter().for_each(|l| diff_line(&mut out, '-', l));
            b[n].iter().for_each(|l| diff_line(&mut out, '+', l));
        }
    }
    out
}

/// `start,count` of a hunk header, 1-based; an empty range names the line before it.
fn hunk_range(lines: std::ops::Range<usize>) -> String {
    let start = if lines.is_empty() {
        lines.start
    } else {
        lines.start + 1
    };
    format!("{start},{}", lines.len())
}

fn diff_line(out: &mut String, sign: char, line: &str) {
    out.push(sign);
    out.push_str(line);
    if !line.ends_with('\n') {
        out.push_str("\n\\ No newline at end of file\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_has_hunks_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\ni";
        assert_eq!(
            unified_diff("x.sop", old, new),
            "--- x.sop\t(original)\n+++ x.sop\t(formatted)\n@@ -2,8 +2,8 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n-i\n+i\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn hunk_ranges() {
        assert_eq!(hunk_range(0..0), "0,0");
        assert_eq!(hunk_range(3..5), "4,2");
    }
}
