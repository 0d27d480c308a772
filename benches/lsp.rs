//! `cargo bench --bench lsp`: the language server as an editor drives it, over stdio.
//!
//! Measures, on the binary `cargo` built alongside: from `didChange` to `publishDiagnostics`
//! on `examples/sales` (a 350-line document with an import) and on a 1 MB document; completion
//! and hover on the sales document; the peak memory of the server after it has read every file
//! of a workspace of 1,000 SOP files (references and workspace symbols over all of them).
//! Prints p50 and p99 of each; see docs/performance.md. Each change is timed twice: on the
//! clock, as the editor waits, and as the CPU time the server spent on it (its threads' run time
//! from `/proc`), which a machine busy with other work does not inflate.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    id: i64,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sopc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sopc lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut s = Server {
            child,
            stdin,
            stdout,
            id: 0,
        };
        let root_uri = uri(root);
        s.request(
            "initialize",
            json!({"capabilities": {}, "rootUri": root_uri,
                   "workspaceFolders": [{"uri": root_uri, "name": "w"}]}),
        );
        s.notify("initialized", json!({}));
        s
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            self.stdout.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let id = self.id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let v = self.recv();
            if v["id"] == id {
                return v;
            }
        }
    }

    fn diagnostics(&mut self, u: &str) {
        loop {
            let v = self.recv();
            if v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == u {
                return;
            }
        }
    }

    fn open(&mut self, path: &Path) -> (String, String) {
        let text = std::fs::read_to_string(path).unwrap();
        let u = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "sop", "version": 1, "text": text}}),
        );
        self.diagnostics(&u);
        (u, text)
    }

    /// CPU time the server's threads have run so far (Linux: `/proc/PID/task/*/schedstat`).
    fn cpu(&self) -> Duration {
        let tasks = format!("/proc/{}/task", self.child.id());
        let ns: u64 = std::fs::read_dir(tasks)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
            .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .sum();
        Duration::from_nanos(ns)
    }

    /// Peak resident memory of the server, in MB.
    fn peak_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(path: &Path) -> String {
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

/// Position of the first `needle` in `text`, in UTF-16 units.
fn pos(text: &str, needle: &str) -> Value {
    let offset = text.find(needle).expect("needle");
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": text[..offset].matches('\n').count(),
           "character": text[start..offset].encode_utf16().count()})
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what:<48} n={:<5} p50 {:>8.2} ms   p99 {:>8.2} ms",
        times.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3
    );
}

/// Edits a document `n` times (one character of its last line, alternately) and times each
/// change until its diagnostics arrive: on the clock, and in CPU time of the server.
fn changes(s: &mut Server, u: &str, text: &str, n: usize) -> (Vec<Duration>, Vec<Duration>) {
    let last = text.trim_end().matches('\n').count();
    let mut times = Vec::with_capacity(n);
    let mut cpu = Vec::with_capacity(n);
    for i in 0..n {
        let insert = if i % 2 == 0 { "#" } else { "" };
        let start = json!({"line": last + 1, "character": 0});
        let end = if i % 2 == 0 {
            start.clone()
        } else {
            json!({"line": last + 1, "character": 1})
        };
        let t = Instant::now();
        let c = s.cpu();
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": i + 2},
                   "contentChanges": [{"range": {"start": start, "end": end}, "text": insert}]}),
        );
        s.diagnostics(u);
        times.push(t.elapsed());
        cpu.push(s.cpu().saturating_sub(c));
    }
    (times, cpu)
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn main() {
    // `cargo test` runs benches once with `--bench` absent: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n = if quick { 5 } else { 300 };
    let sales = repo().join("examples/sales");
    let mut s = Server::start(&sales);
    let (u, text) = s.open(&sales.join("sales.sop"));
    let (wall, cpu) = changes(&mut s, &u, &text, n);
    report("didChange -> publishDiagnostics, examples/sales", wall);
    report("  the same, CPU time of the server", cpu);
    let mut hover = Vec::new();
    let mut complete = Vec::new();
    let owner = pos(&text, "owner sales_rep");
    let mut after_owner = owner.clone();
    after_owner["character"] = json!(owner["character"].as_u64().unwrap() + 6);
    for _ in 0..n {
        let t = Instant::now();
        s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": after_owner}),
        );
        hover.push(t.elapsed());
        let t = Instant::now();
        s.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": u}, "position": after_owner}),
        );
        complete.push(t.elapsed());
    }
    report("hover, examples/sales", hover);
    report("completion after `owner `, examples/sales", complete);

    // One document of 1 MB.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().canonicalize().unwrap().join("big.sop");
    let mut doc = String::from("sop big \"大文档\" {\n  owner r0\n  review monthly\n}\n\n");
    let mut i = 0;
    while doc.len() < 1 << 20 {
        doc.push_str(&format!(
            "role r{i} \"角色 {i}\" {{\n  responsibilities \"跟进线索\", \"维护客户\"\n  reports_to r0\n}}\n\n"
        ));
        i += 1;
    }
    std::fs::write(&big, &doc).unwrap();
    let (bu, btext) = s.open(&big);
    let (wall, cpu) = changes(&mut s, &bu, &btext, n / 10 + 3);
    report("didChange -> publishDiagnostics, 1 MB document", wall);
    report("  the same, CPU time of the server", cpu);
    drop(s);

    // A workspace of 1,000 files.
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path().canonicalize().unwrap();
    std::fs::write(root.join("sopc.yaml"), "rules: {}\n").unwrap();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::copy(
        sales.join("shared/roles.sop"),
        root.join("shared/roles.sop"),
    )
    .unwrap();
    let body = text.replace(
        "import \"shared/roles.sop\"",
        "import \"../shared/roles.sop\"",
    );
    for k in 0..1000 {
        let d = root.join(format!("d{:02}", k / 100));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join(format!("sop{k}.sop")),
            body.replace("sop sales ", &format!("sop sales{k} ")),
        )
        .unwrap();
    }
    let mut s = Server::start(&root);
    let (u, t) = s.open(&root.join("d00/sop0.sop"));
    let at = pos(&t, "owner sales_rep");
    let mut at = at.clone();
    at["character"] = json!(at["character"].as_u64().unwrap() + 6);
    let started = Instant::now();
    let refs = s.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": at, "context": {"includeDeclaration": true}}),
    );
    let first = started.elapsed();
    let found = refs["result"].as_array().map_or(0, Vec::len);
    let started = Instant::now();
    s.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": at, "context": {"includeDeclaration": true}}),
    );
    let again = started.elapsed();
    s.request("workspace/symbol", json!({"query": "销售"}));
    println!(
        "references over 1,000 files: {found} places, first {:.2} s, again {:.2} s; peak memory {:.0} MB",
        first.as_secs_f64(),
        again.as_secs_f64(),
        s.peak_mb()
    );
}
