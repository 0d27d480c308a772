//! A JSON-RPC client that runs `sopc lsp` over stdio, for the language server's tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long a test waits for one message (a 2 MB document in a debug build on a busy machine
/// takes seconds).
const WAIT: Duration = Duration::from_secs(120);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else.
    pub notes: Vec<Value>,
}

/// A `file:` URI for a path, percent-encoding what is not plain ASCII.
pub fn uri(path: &Path) -> String {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

impl Client {
    /// Starts `sopc lsp` in `cwd` without initializing it.
    pub fn spawn(cwd: &Path) -> Client {
        Client::spawn_with(cwd, &[])
    }

    /// Starts `sopc lsp ARGS...` in `cwd` without initializing it.
    pub fn spawn_with(cwd: &Path, args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sopc"))
            .arg("lsp")
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sopc lsp");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    let (name, value) = line.split_once(": ").expect("a header line on stdout");
                    assert_eq!(name, "Content-Length", "only JSON-RPC on stdout: {line}");
                    len = Some(value.parse::<usize>().expect("a length"));
                }
                let mut body = vec![0; len.expect("Content-Length")];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("a JSON body");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            notes: Vec::new(),
        }
    }

    /// Starts and initializes a server with `root` as its workspace folder and `caps` as the
    /// client's capabilities; the `initialize` result.
    pub fn start(root: &Path, caps: Value) -> (Client, Value) {
        Client::start_with(root, caps, &[])
    }

    /// Like [`Client::start`], with `args` after `sopc lsp`.
    pub fn start_with(root: &Path, caps: Value, args: &[&str]) -> (Client, Value) {
        let mut c = Client::spawn_with(root, args);
        let root = root.canonicalize().expect("root");
        let result = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(&root),
                "capabilities": caps,
                "workspaceFolders": [{"uri": uri(&root), "name": "w"}],
            }),
        );
        c.notify("initialized", json!({}));
        (c, result["result"].clone())
    }

    pub fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, v: &Value) {
        let body = serde_json::to_string(v).expect("JSON");
        let msg = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.raw(msg.as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv(&mut self) -> Value {
        match self.rx.recv_timeout(WAIT) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in {WAIT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and waits for its response (the whole message, `result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let v = self.recv();
            if v.get("id") == Some(&json!(id)) && v.get("method").is_none() {
                return v;
            }
            self.notes.push(v);
        }
    }

    /// The result of a request that must succeed.
    #[track_caller]
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let v = self.request(method, params);
        assert!(v.get("error").is_none(), "{method} failed: {v}");
        v["result"].clone()
    }

    /// The next diagnostics published for `uri` (received earlier or waited for).
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(i) = self.notes.iter().position(|n| {
                n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
            }) {
                let n = self.notes.remove(i);
                return n["params"]["diagnostics"]
                    .as_array()
                    .expect("a list")
                    .clone();
            }
            assert!(Instant::now() < deadline, "no diagnostics for {uri}");
            let v = self.recv();
            self.notes.push(v);
        }
    }

    pub fn open(&mut self, path: &Path, text: &str) -> String {
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "sop", "version": 1, "text": text}}),
        );
        u
    }

    /// Replaces the whole text of an open document.
    pub fn replace(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown` then `exit`; the exit code of the server.
    pub fn shutdown(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        self.wait()
    }

    /// Waits for the server to end; its exit code.
    pub fn wait(&mut self) -> i32 {
        self.stdin.take();
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where `needle` (the `nth` one, from 0) starts in `text`, as an LSP position counted in
/// UTF-16 units or in bytes.
pub fn pos(text: &str, needle: &str, nth: usize, utf8: bool) -> Value {
    let offset = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("`{needle}` #{nth} not in the text"))
        .0;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count();
    let col = if utf8 {
        offset - line_start
    } else {
        text[line_start..offset].encode_utf16().count()
    };
    json!({"line": line, "character": col})
}
