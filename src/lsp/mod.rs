//! `sopc lsp`: the language server, over stdio.
//!
//! One thread reads a message, handles it and writes the answers before reading the next, so
//! every request sees the text of every change before it. Documents are held as overlays in a
//! [`Workspace`]: an edited library changes the findings of the open documents that import it
//! before it is saved. Positions are byte offsets inside and LSP positions (UTF-16, or UTF-8
//! when the client offers it) only at the edge ([`text`]). A panic in a handler answers that
//! request with an error; the server keeps serving. Nothing but JSON-RPC is written to the
//! output; logs go to stderr.

mod actions;
mod complete;
mod diagnostics;
mod index;
mod keywords;
mod lex;
mod nav;
mod protocol;
pub mod text;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::Uri;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diag::FileId;
use crate::driver::{DocumentResult, Workspace};
use crate::lint::config::FILE_NAME;
use crate::model::{SourceDb, overlay_key};
use index::Occurrence;
use text::{Encoding, Lines, path_to_uri, uri_to_key, uri_to_path};

/// Serves one client on `input` and `output` until `exit` or the end of the input; the exit
/// code: 0 after `shutdown` then `exit`, 1 otherwise.
pub fn serve(input: impl BufRead, output: impl Write) -> u8 {
    serve_with(input, output, crate::driver::CheckOptions::default())
}

/// Like [`serve`], checking with `options` (`--today`, `--config`).
pub fn serve_with(
    input: impl BufRead,
    mut output: impl Write,
    options: crate::driver::CheckOptions,
) -> u8 {
    let mut server = Server::new(options);
    let mut input = input;
    loop {
        let msg = match protocol::read(&mut input) {
            Ok(Some(m)) => m,
            Ok(None) => return 1,
            Err(protocol::ReadError::Garbage(why)) => {
                eprintln!("sopc lsp: skipped a message that is not JSON-RPC: {why}");
                continue;
            }
            Err(protocol::ReadError::Io(e)) => {
                eprintln!("sopc lsp: cannot read the client's messages: {e}");
                return 1;
            }
        };
        match msg {
            Message::Request(req) => {
                let resp = server.request(req);
                server.send(Message::Response(resp));
            }
            Message::Notification(n) => {
                if n.method == "exit" {
                    return if server.shut_down { 0 } else { 1 };
                }
                server.notification(n);
            }
            Message::Response(_) => {}
        }
        server.flush(&mut output);
        if server.broken {
            return 1;
        }
    }
}

/// One open document.
pub(crate) struct Doc {
    pub uri: Uri,
    pub text: String,
    pub lines: Lines,
    pub version: i32,
}

pub(crate) struct Server {
    /// Messages to write, in order.
    outbox: Vec<Outgoing>,
    /// The output could not be written: the client is gone.
    broken: bool,
    initialized: bool,
    shut_down: bool,
    pub(crate) enc: Encoding,
    pub(crate) ws: Workspace,
    /// Open documents by their path (as [`overlay_key`] makes it).
    pub(crate) docs: HashMap<PathBuf, Doc>,
    /// The workspace folders the client named.
    pub(crate) roots: Vec<PathBuf>,
    /// The last result published for each open SOP document.
    results: HashMap<PathBuf, Arc<DocumentResult>>,
    /// The last result with a model of each open SOP document: names to complete while the
    /// text does not parse.
    pub(crate) good: HashMap<PathBuf, Arc<DocumentResult>>,
    /// Results of a project's first file, checked for its `sopc.yaml` alone (no document of
    /// that project is open), by the path of the `sopc.yaml`.
    aux: HashMap<PathBuf, Arc<DocumentResult>>,
    /// `sopc.yaml` files with diagnostics published.
    yaml_published: HashSet<PathBuf>,
    /// The occurrences of each result, by generation.
    occs: HashMap<PathBuf, (u64, Arc<Vec<Occurrence>>)>,
}

/// A message waiting to be written.
enum Outgoing {
    Message(Message),
    /// The JSON body of a notification, already serialised.
    Body(String),
}

/// An error answer: code and message.
pub(crate) type Failure = (i32, String);

pub(crate) fn failure(message: impl Into<String>) -> Failure {
    (ErrorCode::RequestFailed as i32, message.into())
}

impl Server {
    fn new(options: crate::driver::CheckOptions) -> Self {
        Server {
            outbox: Vec::new(),
            broken: false,
            initialized: false,
            shut_down: false,
            enc: Encoding::Utf16,
            ws: Workspace::with_options(options),
            docs: HashMap::new(),
            roots: Vec::new(),
            results: HashMap::new(),
            good: HashMap::new(),
            aux: HashMap::new(),
            yaml_published: HashSet::new(),
            occs: HashMap::new(),
        }
    }

    fn send(&mut self, msg: Message) {
        self.outbox.push(Outgoing::Message(msg));
    }

    /// Writes the messages waiting; notes a client gone when the output fails.
    fn flush(&mut self, out: &mut impl Write) {
        for msg in self.outbox.drain(..) {
            if self.broken {
                break;
            }
            let written = match msg {
                Outgoing::Message(msg) => msg.write(out),
                Outgoing::Body(body) => write!(out, "Content-Length: {}\r\n\r\n", body.len())
                    .and_then(|()| out.write_all(body.as_bytes())),
            };
            if written.is_err() {
                self.broken = true;
            }
        }
        if out.flush().is_err() {
            self.broken = true;
        }
    }

    pub(crate) fn notify<P: Serialize>(&mut self, method: &str, params: P) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    fn request(&mut self, req: Request) -> Response {
        let Request { id, method, params } = req;
        if !self.initialized && method != "initialize" {
            return Response::new_err(
                id,
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized: send `initialize` first".into(),
            );
        }
        if self.shut_down {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shut down: only `exit` is accepted".into(),
            );
        }
        let result = catch_unwind(AssertUnwindSafe(|| self.dispatch(&method, params)));
        match result {
            Ok(Ok(v)) => Response {
                id,
                response_result: Ok(v),
            },
            Ok(Err((code, message))) => Response::new_err(id, code, message),
            Err(panic) => {
                let why = panic_text(&panic);
                eprintln!("sopc lsp: the handler of `{method}` failed: {why}");
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("sopc failed on `{method}`: {why}; the server keeps running"),
                )
            }
        }
    }

    fn dispatch(&mut self, method: &str, params: Value) -> Result<Value, Failure> {
        // A `sopc.yaml` is open for its findings only: no SOP feature applies to it.
        let about = params
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)
            .and_then(|u| u.parse::<Uri>().ok())
            .map(|u| uri_to_key(&u));
        if about.is_some_and(|p| is_config(&p)) {
            return Ok(Value::Null);
        }
        match method {
            "initialize" => call(self, params, Server::initialize),
            "shutdown" => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            "textDocument/hover" => call(self, params, nav::hover),
            "textDocument/definition" => call(self, params, nav::definition),
            "textDocument/references" => call(self, params, nav::references),
            "textDocument/documentHighlight" => call(self, params, nav::highlight),
            "textDocument/documentSymbol" => call(self, params, nav::document_symbols),
            "workspace/symbol" => call(self, params, nav::workspace_symbols),
            "textDocument/foldingRange" => call(self, params, nav::folding),
            "textDocument/prepareRename" => call(self, params, nav::prepare_rename),
            "textDocument/rename" => call(self, params, nav::rename),
            "textDocument/completion" => call(self, params, complete::completion),
            "textDocument/codeAction" => call(self, params, actions::code_actions),
            "textDocument/formatting" => call(self, params, actions::formatting),
            "textDocument/semanticTokens/full" => call(self, params, lex::semantic_tokens),
            #[cfg(test)]
            "sopc/panic" => panic!("a handler that fails"),
            _ => Err((
                ErrorCode::MethodNotFound as i32,
                format!("`{method}` is not supported by sopc"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized && n.method != "initialized" {
            return;
        }
        let method = n.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.notified(n)));
        if let Err(panic) = result {
            let why = panic_text(&panic);
            eprintln!("sopc lsp: the handler of `{method}` failed: {why}");
            self.log(&format!("sopc failed on `{method}`: {why}"));
        }
    }

    fn notified(&mut self, n: Notification) {
        use lsp_types::*;
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    self.open(d.uri, d.text, d.version);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    self.change(p);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    self.close(&p.text_document.uri);
                }
            }
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => self.recheck_all(),
            _ => {}
        }
    }

    fn initialize(&mut self, p: lsp_types::InitializeParams) -> Result<Value, Failure> {
        use lsp_types::*;
        let offered = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
            self.enc = Encoding::Utf8;
        }
        #[allow(deprecated, reason = "older clients name only a root")]
        let mut roots: Vec<PathBuf> = p
            .workspace_folders
            .unwrap_or_default()
            .iter()
            .filter_map(|f| uri_to_path(&f.uri))
            .collect();
        #[allow(deprecated, reason = "older clients name only a root")]
        if roots.is_empty()
            && let Some(root) = p.root_uri.as_ref().and_then(uri_to_path)
        {
            roots.push(root);
        }
        self.roots = roots.iter().map(|r| overlay_key(r)).collect();
        self.initialized = true;
        let caps = ServerCapabilities {
            position_encoding: Some(match self.enc {
                Encoding::Utf8 => PositionEncodingKind::UTF8,
                Encoding::Utf16 => PositionEncodingKind::UTF16,
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_highlight_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec![" ".into(), ">".into(), ",".into(), ".".into()]),
                ..CompletionOptions::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            document_formatting_provider: Some(OneOf::Left(true)),
            semantic_tokens_provider: Some(
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: lex::legend(),
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    work_done_progress_options: WorkDoneProgressOptions::default(),
                }),
            ),
            ..ServerCapabilities::default()
        };
        let result = InitializeResult {
            capabilities: caps,
            server_info: Some(ServerInfo {
                name: "sopc".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        serde_json::to_value(result).map_err(|e| failure(e.to_string()))
    }

    pub(crate) fn log(&mut self, message: &str) {
        self.notify(
            "window/logMessage",
            lsp_types::LogMessageParams {
                typ: lsp_types::MessageType::LOG,
                message: message.to_string(),
            },
        );
    }

    fn open(&mut self, uri: Uri, text: String, version: i32) {
        let key = overlay_key(&uri_to_key(&uri));
        self.ws.set_overlay(&key, text.as_bytes());
        let lines = Lines::new(&text);
        self.docs.insert(
            key.clone(),
            Doc {
                uri,
                text,
                lines,
                version,
            },
        );
        self.refresh(&key);
    }

    fn change(&mut self, p: lsp_types::DidChangeTextDocumentParams) {
        let key = overlay_key(&uri_to_key(&p.text_document.uri));
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(&key) else {
            return;
        };
        for change in p.content_changes {
            match change.range {
                Some(range) => {
                    let start = doc.lines.offset(&doc.text, range.start, enc);
                    let end = doc.lines.offset(&doc.text, range.end, enc).max(start);
                    doc.text.replace_range(start..end, &change.text);
                }
                None => doc.text = change.text,
            }
            doc.lines = Lines::new(&doc.text);
        }
        doc.version = p.text_document.version;
        self.ws.set_overlay(&key, doc.text.as_bytes());
        self.refresh(&key);
    }

    fn close(&mut self, uri: &Uri) {
        let key = overlay_key(&uri_to_key(uri));
        if self.docs.remove(&key).is_none() {
            return;
        }
        self.ws.remove_overlay(&key);
        self.results.remove(&key);
        self.good.remove(&key);
        self.occs.remove(&key);
        self.aux.remove(&key);
        if !is_config(&key) {
            self.publish(uri.clone(), Vec::new(), None);
        }
        self.refresh(&key);
    }

    /// Checks again the open documents whose files may have changed on disk.
    fn recheck_all(&mut self) {
        let open: Vec<PathBuf> = self.results.keys().cloned().collect();
        for key in open {
            let before = self.results.get(&key).map(|r| r.generation);
            if let Ok(r) = self.ws.check_document(&key)
                && Some(r.generation) != before
            {
                self.check_and_publish(&key);
            }
        }
        self.publish_configs(None);
    }

    /// After `key` changed (opened, edited, closed): checks and publishes it and every open
    /// document that reads it, and the diagnostics of the `sopc.yaml` files they read.
    fn refresh(&mut self, key: &Path) {
        let mut todo = Vec::new();
        if self.docs.contains_key(key) && !is_config(key) {
            todo.push(key.to_path_buf());
        }
        todo.extend(
            self.ws
                .dependents(key)
                .into_iter()
                .filter(|d| self.docs.contains_key(d)),
        );
        if is_config(key) {
            let root = key.parent().unwrap_or(Path::new("/")).to_path_buf();
            let open_here = todo.iter().any(|d| d.starts_with(&root));
            if !open_here && self.docs.contains_key(key) {
                // No open document reads it: check the project's first file for its findings.
                if let Ok(inputs) = crate::driver::expand(std::slice::from_ref(&root))
                    && let Some((first, _)) = inputs.files.first()
                    && let Ok(r) = self.ws.check_document(first)
                {
                    self.aux.insert(key.to_path_buf(), r);
                }
            }
        }
        for d in todo {
            self.check_and_publish(&d);
        }
        // An open `sopc.yaml` hears about every change of its own, an empty list when clean.
        let own = (is_config(key) && self.docs.contains_key(key)).then_some(key);
        self.publish_configs(own);
    }

    fn check_and_publish(&mut self, key: &Path) {
        let result = match self.ws.check_document(key) {
            Ok(r) => r,
            Err(e) => {
                let msg = e.0;
                self.log(&msg);
                return;
            }
        };
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        let (uri, version) = (doc.uri.clone(), doc.version);
        let diags = diagnostics::for_file(self, &result, key);
        if result.model.is_some() {
            self.good.insert(key.to_path_buf(), result.clone());
        }
        self.results.insert(key.to_path_buf(), result);
        self.publish(uri, diags, Some(version));
    }

    /// Publishes the findings in every `sopc.yaml` the open documents read, and clears the
    /// ones that have none any more; `own`, a `sopc.yaml` just opened or edited, is published
    /// even when it has none and had none.
    fn publish_configs(&mut self, own: Option<&Path>) {
        let mut by_file: HashMap<PathBuf, Vec<lsp_types::Diagnostic>> = HashMap::new();
        let results: Vec<Arc<DocumentResult>> = self
            .results
            .values()
            .chain(self.aux.values())
            .cloned()
            .collect();
        let mut seen = HashSet::new();
        for r in &results {
            for path in diagnostics::config_files(r) {
                if seen.insert((path.clone(), Arc::as_ptr(r) as usize)) {
                    let found = diagnostics::for_file(self, r, &path);
                    let entry = by_file.entry(path).or_default();
                    for d in found {
                        if !entry.contains(&d) {
                            entry.push(d);
                        }
                    }
                }
            }
        }
        let stale: Vec<PathBuf> = self
            .yaml_published
            .iter()
            .filter(|p| !by_file.contains_key(*p))
            .cloned()
            .collect();
        for p in stale {
            by_file.insert(p, Vec::new());
        }
        if let Some(own) = own {
            by_file.entry(own.to_path_buf()).or_default();
        }
        let mut paths: Vec<PathBuf> = by_file.keys().cloned().collect();
        paths.sort();
        for p in paths {
            let diags = by_file.remove(&p).unwrap_or_default();
            if diags.is_empty() && !self.yaml_published.contains(&p) && Some(p.as_path()) != own {
                continue;
            }
            if diags.is_empty() {
                self.yaml_published.remove(&p);
            } else {
                self.yaml_published.insert(p.clone());
            }
            let uri = self.uri_of(&p);
            self.publish(uri, diags, None);
        }
    }

    /// Sends the diagnostics of a document, written straight to JSON: a large document has
    /// thousands, and going through a `serde_json::Value` first costs as much as the check.
    fn publish(&mut self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        #[derive(Serialize)]
        struct Publish<'a> {
            jsonrpc: &'static str,
            method: &'static str,
            params: &'a lsp_types::PublishDiagnosticsParams,
        }
        let params = lsp_types::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let body = serde_json::to_string(&Publish {
            jsonrpc: "2.0",
            method: "textDocument/publishDiagnostics",
            params: &params,
        });
        match body {
            Ok(body) => self.outbox.push(Outgoing::Body(body)),
            Err(e) => eprintln!("sopc lsp: cannot write the diagnostics as JSON: {e}"),
        }
    }

    /// The URI the client knows `path` by: an open document's own, else a `file:` URI.
    pub(crate) fn uri_of(&self, path: &Path) -> Uri {
        match self.docs.get(path) {
            Some(d) => d.uri.clone(),
            None => path_to_uri(path),
        }
    }

    /// The open document a request names, with its path.
    pub(crate) fn doc(&self, uri: &Uri) -> Result<(PathBuf, &Doc), Failure> {
        let key = overlay_key(&uri_to_key(uri));
        match self.docs.get(&key) {
            Some(d) => Ok((key, d)),
            None => Err(failure(format!(
                "`{}` is not open: open it before asking about it",
                uri_to_path(uri)
                    .map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string())
            ))),
        }
    }

    /// The current result of the document at `key`, with the occurrences of its names.
    pub(crate) fn analysis(
        &mut self,
        key: &Path,
    ) -> Result<(Arc<DocumentResult>, Arc<Vec<Occurrence>>), Failure> {
        let result = self.ws.check_document(key).map_err(|e| failure(e.0))?;
        if let Some((generation, occs)) = self.occs.get(key)
            && *generation == result.generation
        {
            return Ok((result, occs.clone()));
        }
        let occs = Arc::new(match &result.model {
            Some(m) => index::occurrences(&result.db, m),
            None => Vec::new(),
        });
        self.occs
            .insert(key.to_path_buf(), (result.generation, occs.clone()));
        Ok((result, occs))
    }

    /// Drops what is kept for a file no editor has open, after a look at it.
    pub(crate) fn forget(&mut self, key: &Path) {
        if !self.docs.contains_key(key) {
            self.ws.forget(key);
            self.occs.remove(key);
        }
    }

    /// The `.sop` files of the workspace folder holding `key` (its project root when it is in
    /// none), open documents held only in memory included.
    pub(crate) fn workspace_files(&self, key: &Path) -> Vec<PathBuf> {
        let root = self
            .roots
            .iter()
            .filter(|r| key.starts_with(r))
            .max_by_key(|r| r.components().count())
            .cloned()
            .unwrap_or_else(|| crate::model::project_root(key));
        let mut files: Vec<PathBuf> = match crate::driver::expand(std::slice::from_ref(&root)) {
            Ok(inputs) => inputs
                .files
                .into_iter()
                .map(|(p, _)| overlay_key(&p))
                .collect(),
            Err(_) => Vec::new(),
        };
        for k in self.docs.keys() {
            if k.starts_with(&root) && !is_config(k) && !files.contains(k) {
                files.push(k.clone());
            }
        }
        if !files.iter().any(|f| f == key) {
            files.push(key.to_path_buf());
        }
        files.sort();
        files
    }
}

/// The id of the file at `key` in `db`.
pub(crate) fn file_id(db: &SourceDb, key: &Path) -> Option<FileId> {
    db.ids().find(|&id| db.get(id).canonical == key)
}

fn is_config(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == FILE_NAME)
}

fn call<P: DeserializeOwned, R: Serialize>(
    server: &mut Server,
    params: Value,
    f: fn(&mut Server, P) -> Result<R, Failure>,
) -> Result<Value, Failure> {
    let params: P = serde_json::from_value(params).map_err(|e| {
        (
            ErrorCode::InvalidParams as i32,
            format!("the parameters do not fit the request: {e}"),
        )
    })?;
    let r = f(server, params)?;
    serde_json::to_value(r).map_err(|e| failure(e.to_string()))
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(v: serde_json::Value) -> Vec<u8> {
        let body = v.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn a_panic_answers_its_request_and_the_server_keeps_serving() {
        let mut input = Vec::new();
        let init = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}}});
        input.extend(frame(init));
        input.extend(frame(
            serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "sopc/panic"}),
        ));
        input.extend(b"Content-Length: 3\r\n\r\n{x}");
        input.extend(frame(
            serde_json::json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
        ));
        input.extend(frame(
            serde_json::json!({"jsonrpc": "2.0", "method": "exit"}),
        ));
        let mut out = Vec::new();
        let code = serve(&input[..], &mut out);
        assert_eq!(code, 0);
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.contains(r#""id":2"#) && out.contains("a handler that fails"),
            "{out}"
        );
        assert!(
            out.contains(r#"{"jsonrpc":"2.0","id":3,"result":null}"#),
            "{out}"
        );
    }
}
