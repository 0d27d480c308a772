//! Code actions and formatting. Every quick fix is made by [`quick_fix`] from a title and text
//! edits, so a fix a finding carries as data becomes a quick fix the same way.

use std::collections::HashMap;

use lsp_types::*;

use super::diagnostics::{self, LineCache};
use super::{Failure, Server, failure, file_id};
use crate::diag::{Applicability, FileId, Loc};
use crate::driver::Finding;
use crate::lint::RuleId;
use crate::syntax::{self, Block, BlockKind, Item, Span};

/// A quick fix titled `title` making `edits` (places in the files of the finding's result,
/// with their new text), attached to the diagnostic `diag`. Edits in several files go into
/// one workspace edit.
pub(crate) fn quick_fix(
    server: &Server,
    cache: &mut LineCache,
    title: String,
    edits: &[(Loc, String)],
    diag: Diagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    #[allow(
        clippy::mutable_key_type,
        reason = "the type of `WorkspaceEdit::changes`"
    )]
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (loc, new_text) in edits {
        let uri = server.uri_of(&cache.path(loc.file));
        changes.entry(uri).or_default().push(TextEdit::new(
            cache.range(loc.file, loc.span, server.enc),
            new_text.clone(),
        ));
    }
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diag]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}

pub(crate) fn code_actions(
    server: &mut Server,
    p: CodeActionParams,
) -> Result<Option<CodeActionResponse>, Failure> {
    let (key, doc) = server.doc(&p.text_document.uri)?;
    let text = doc.text.clone();
    let start = doc.lines.offset(&text, p.range.start, server.enc);
    let end = doc.lines.offset(&text, p.range.end, server.enc);
    let result = server.ws.check_document(&key).map_err(|e| failure(e.0))?;
    let Some(fid) = file_id(&result.db, &key) else {
        return Ok(None);
    };
    let ast = syntax::parse(&text).ok();
    let mut cache = LineCache::new(&result.db);
    let mut out = Vec::new();
    let findings: Vec<&Finding> = result
        .findings_in(&key)
        .filter(|f| f.diag.loc.span.start <= end && start <= f.diag.loc.span.end)
        .collect();
    for f in findings {
        let diag = diagnostics::convert(server, &mut cache, f);
        let span = f.diag.loc.span;
        // Every fix the finding carries (did-you-mean, full-width punctuation, a misspelt
        // keyword); a safe fix is the preferred action, applied by "fix all" in editors.
        for fix in &f.diag.fixes {
            let edits: Vec<(Loc, String)> = (fix.edits.iter())
                .map(|e| (e.loc, e.new_text.clone()))
                .collect();
            out.push(quick_fix(
                server,
                &mut cache,
                fix.title.clone(),
                &edits,
                diag.clone(),
                fix.applicability == Applicability::Safe,
            ));
        }
        // "create stage `X`" for a transition to a stage that does not exist.
        if f.diag.rule == RuleId::UndefinedReference
            && text[..span.start].trim_end().ends_with("->")
            && let Some(ast) = &ast
            && let Some(stage) = innermost(ast, span, |b| b.kind == BlockKind::Stage)
        {
            let name = &text[span.start..span.end];
            let indent = indentation(&text, stage.span.start);
            let insert = format!("\n\n{indent}stage {name} {{\n{indent}}}");
            let at = Loc::new(fid, Span::new(stage.span.end, stage.span.end));
            out.push(quick_fix(
                server,
                &mut cache,
                format!("create stage `{name}`"),
                &[(at, insert)],
                diag.clone(),
                false,
            ));
        }
        // "allow `RULE` for this block": a suppression comment above the innermost block, or
        // the rule added to the one already there (only the line directly above counts).
        if !matches!(f.diag.rule, RuleId::Syntax | RuleId::UnusedSuppression)
            && let Some(ast) = &ast
            && let Some(block) = innermost(ast, span, |_| true)
        {
            let rule = f.diag.rule.name();
            let edit = match allow_above(&result.db, fid, block.span) {
                Some(last) => (
                    Loc::new(fid, Span::new(last.end, last.end)),
                    format!(", {rule}"),
                ),
                None => {
                    let indent = indentation(&text, block.span.start);
                    let line_start = block.span.start - indent.len();
                    (
                        Loc::new(fid, Span::new(line_start, line_start)),
                        format!("{indent}# sopc: allow({rule})\n"),
                    )
                }
            };
            out.push(quick_fix(
                server,
                &mut cache,
                format!("allow `{rule}` for this block"),
                &[edit],
                diag,
                false,
            ));
        }
    }
    Ok(Some(out))
}

/// The span of the last check named by the `# sopc: allow(...)` comment on the line directly
/// above the block at `block`, when there is one.
fn allow_above(db: &crate::model::SourceDb, file: FileId, block: Span) -> Option<Span> {
    let lines = &db.get(file).lines;
    let (sups, _) = crate::lint::suppress::collect_in(db, [file]);
    sups.iter()
        .filter(|s| s.block.is_some())
        .find(|s| lines.line_of(s.span.start) + 1 == lines.line_of(block.start))
        .and_then(|s| s.rules.last())
        .map(|(_, span)| *span)
}

/// The innermost block holding `span` that `want` accepts.
fn innermost(
    ast: &syntax::SourceFile,
    span: Span,
    want: impl Fn(&Block) -> bool,
) -> Option<&Block> {
    let mut found = None;
    let mut level: Vec<&Block> = ast
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Block(b) => Some(b),
            Item::Import(_) => None,
        })
        .collect();
    while let Some(b) = level.iter().find(|b| b.span.contains(span)).copied() {
        if want(b) {
            found = Some(b);
        }
        level = b.blocks().collect();
    }
    found
}

/// The whitespace before `offset` on its line (empty when something else precedes it).
fn indentation(text: &str, offset: usize) -> String {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    if before.chars().all(|c| c == ' ' || c == '\t') {
        before.to_string()
    } else {
        String::new()
    }
}

pub(crate) fn formatting(
    server: &mut Server,
    p: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, Failure> {
    let (key, doc) = server.doc(&p.text_document.uri)?;
    if crate::format::is_ignored(&doc.text) {
        return Ok(Some(Vec::new()));
    }
    match crate::format::format(&doc.text) {
        Ok(out) if out == doc.text => Ok(Some(Vec::new())),
        Ok(out) => {
            let end = doc.lines.position(&doc.text, doc.text.len(), server.enc);
            Ok(Some(vec![TextEdit::new(
                Range::new(Position::new(0, 0), end),
                out,
            )]))
        }
        Err(crate::format::FormatError::Syntax(e)) => {
            let line = doc.lines.line_of(e.span.start) + 1;
            Err(failure(format!(
                "`{}` was not formatted: line {line}: {}; fix the syntax error first",
                key.display(),
                e.message()
            )))
        }
        Err(crate::format::FormatError::WouldChangeMeaning(_)) => Err(failure(format!(
            "`{}` was not formatted: the new layout would change its meaning; please report this",
            key.display()
        ))),
    }
}
