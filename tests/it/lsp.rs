//! `aimsdoc lsp` through a real client: the test spawns the binary, speaks JSON-RPC over its
//! stdin/stdout with Content-Length framing, and asserts what an editor would show: diagnostics
//! (of unsaved buffers, published for other files an edit breaks, cleared when fixed),
//! completions, hovers, definition, references and quick-fix edits.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{aimsdoc_process, TODAY};

/// How long any one answer may take before the test fails (a debug build on a shared machine).
const PATIENCE: Duration = Duration::from_secs(30);

/// A language client driving one `aimsdoc lsp` process.
struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Messages read while waiting for something else.
    backlog: Vec<Value>,
    next_id: i64,
    root: PathBuf,
}

impl Client {
    /// Starts `aimsdoc lsp --root ROOT` and completes the initialize handshake.
    fn start(root: &Path) -> Client {
        let mut child = aimsdoc_process(TODAY)
            .args(["lsp", "--root"])
            .arg(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn aimsdoc lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client { child, stdin, incoming, backlog: Vec::new(), next_id: 1, root: root.to_path_buf() };
        let init = client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
        assert_eq!(init["serverInfo"]["name"], "aimsdoc");
        assert_eq!(init["capabilities"]["hoverProvider"], true);
        client.notify("initialized", json!({}));
        client
    }

    fn uri(&self, rel: &str) -> String {
        url::Url::from_file_path(self.root.join(rel)).expect("file url").to_string()
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write to server");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its result (failing the test on an error response).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let response = self.wait(|m| m["id"] == id && m.get("method").is_none(), &format!("a response to {method}"));
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// The first message (from the backlog, else from the server) that `wanted` accepts.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool, what: &str) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = self.incoming.recv_timeout(left).unwrap_or_else(|_| panic!("no {what} within {PATIENCE:?}"));
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The first diagnostics published for `rel`.
    fn diagnostics(&mut self, rel: &str) -> Vec<Value> {
        self.diagnostics_where(rel, |_| true)
    }

    /// The first diagnostics published for `rel` that `wanted` accepts (earlier ones are skipped:
    /// a check may publish a file more than once while edits arrive).
    fn diagnostics_where(&mut self, rel: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let uri = self.uri(rel);
        let list = |m: &Value| m["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
        let m = self.wait(
            |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri.as_str()
                    && wanted(&list(m))
            },
            &format!("the expected diagnostics for {rel}"),
        );
        list(&m)
    }

    fn open(&mut self, rel: &str) -> String {
        let text = std::fs::read_to_string(self.root.join(rel)).expect("read document");
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
        text
    }

    /// Replaces the whole text of the open buffer `rel` (unsaved).
    fn change(&mut self, rel: &str, version: i64, text: &str) {
        let uri = self.uri(rel);
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// A request at `needle`'s position in `rel` (plus `shift` characters).
    fn at(&mut self, method: &str, rel: &str, needle: &str, shift: u32, extra: Value) -> Value {
        let text = std::fs::read_to_string(self.root.join(rel)).expect("read document");
        let (line, character) = position_of(&text, needle);
        let mut params = json!({
            "textDocument": { "uri": self.uri(rel) },
            "position": { "line": line, "character": character + shift },
        });
        if let (Some(p), Some(e)) = (params.as_object_mut(), extra.as_object()) {
            p.extend(e.clone());
        }
        self.request(method, params)
    }

    /// `shutdown`, `exit`, and the process ends with status 0.
    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                assert!(status.success(), "aimsdoc lsp exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "aimsdoc lsp did not exit");
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

/// One Content-Length framed message, or `None` at the end of the stream.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some(n) = header.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The 0-based line and UTF-16 column of the first `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the document"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..].encode_utf16().count() as u32;
    (line, column)
}

const POLICY: &str = "---\nid: POL-001\ntitle: AI Policy\ntype: policy\nowner: Chief AI Officer\nversion: \"0.1\"\nstatus: draft\nclauses: [\"5.2\"]\nrelated:\n  - PRO-001\n---\n# AI Policy\n\nIncidents follow [the procedure](doc:PRO-001).\n";

const PROCEDURE: &str = "---\nid: PRO-001\ntitle: Incident Procedure\ntype: procedure\nowner: Head of Risk\nversion: \"0.1\"\nstatus: draft\n---\n# Incident procedure\n\nWhat to do when an AI system misbehaves.\n";

const APPROVED: &str = "---\nid: POL-002\ntitle: Data Policy\ntype: policy\nowner: Head of Data\nversion: \"2.0\"\nstatus: approved\napproval:\n  by: Jane Smith, CEO\n  date: 2026-01-10\nhistory:\n  - version: \"1.0\"\n    date: 2026-01-05\n    by: Head of Data\n    summary: First issue.\n---\nBody.\n";

const TYPO: &str = "---\nid: POL-003\ntitle: Typo Policy\ntype: policy\nowner: Head of Data\nversion: \"0.1\"\nstatus: drafft\n---\nBody.\n";

/// A small tree: a policy linking to a procedure, an approved policy with two mechanical
/// findings (no `next_review`, a version without history) and one with a misspelt status.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("aimsdoc.toml"), "").expect("config");
    std::fs::create_dir_all(root.join("documents")).expect("mkdir");
    std::fs::create_dir_all(root.join("evidence")).expect("mkdir");
    std::fs::write(root.join("evidence/minutes.pdf"), "%PDF").expect("evidence");
    for (name, text) in [("a.md", POLICY), ("b.md", PROCEDURE), ("c.md", APPROVED), ("d.md", TYPO)] {
        std::fs::write(root.join("documents").join(name), text).expect("document");
    }
    dir
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().filter_map(|d| d["code"].as_str()).collect()
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"))
}

fn range(d: &Value) -> (u64, u64, u64, u64) {
    let r = &d["range"];
    let n = |v: &Value| v.as_u64().expect("number");
    (n(&r["start"]["line"]), n(&r["start"]["character"]), n(&r["end"]["line"]), n(&r["end"]["character"]))
}

#[test]
fn diagnostics_follow_unsaved_edits_across_files_and_clear() {
    let dir = tree();
    let mut client = Client::start(dir.path());

    let c = client.diagnostics("documents/c.md");
    let missing = find(&c, "RV001");
    assert_eq!(missing["severity"], 1, "error");
    assert_eq!(missing["source"], "aimsdoc");
    let message = missing["message"].as_str().expect("message");
    assert!(message.contains("ISO/IEC 42001 7.5.2") && message.contains("\nhint: add `next_review"), "{message}");
    assert_eq!(range(find(&c, "VC001")), (5, 9, 5, 14), "the version value, `\"2.0\"`");
    let d = client.diagnostics("documents/d.md");
    assert_eq!(range(find(&d, "ID006")), (6, 8, 6, 14), "`drafft`");

    // Renaming PRO-001 in an unsaved buffer breaks both references in a.md, which is not open.
    client.open("documents/b.md");
    client.change("documents/b.md", 2, &PROCEDURE.replace("PRO-001", "PRO-009"));
    let a = client.diagnostics_where("documents/a.md", |d| codes(d).contains(&"LK004"));
    assert_eq!(codes(&a), ["LK003", "LK004"], "{a:?}");
    assert_eq!(range(&a[0]), (9, 4, 9, 11), "the `PRO-001` under related");
    assert_eq!(range(&a[1]), (13, 33, 13, 44), "`doc:PRO-001` in the body");
    assert_eq!(std::fs::read_to_string(dir.path().join("documents/b.md")).expect("read"), PROCEDURE, "disk untouched");

    // Undoing the rename clears them.
    client.change("documents/b.md", 3, PROCEDURE);
    assert_eq!(client.diagnostics_where("documents/a.md", <[Value]>::is_empty), Vec::<Value>::new());

    // A finding in the edited buffer itself, then closing it: the disk (clean) counts again.
    client.change("documents/b.md", 4, &PROCEDURE.replace("status: draft", "status: drafty"));
    assert_eq!(codes(&client.diagnostics("documents/b.md")), ["ID006"]);
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": client.uri("documents/b.md") } }));
    assert_eq!(client.diagnostics_where("documents/b.md", <[Value]>::is_empty), Vec::<Value>::new());
    client.stop();
}

fn labels(items: &Value) -> Vec<String> {
    items.as_array().expect("list").iter().map(|i| i["label"].as_str().expect("label").to_string()).collect()
}

fn item<'a>(items: &'a Value, label: &str) -> &'a Value {
    let list = items.as_array().expect("list");
    list.iter().find(|i| i["label"] == label).unwrap_or_else(|| panic!("no {label} in {:?}", labels(items)))
}

#[test]
fn completion_covers_keys_values_ids_and_link_targets() {
    let dir = tree();
    let mut client = Client::start(dir.path());
    client.open("documents/a.md");

    let statuses = client.at("textDocument/completion", "documents/a.md", "status: ", 8, json!({}));
    assert_eq!(labels(&statuses), ["draft", "review", "approved", "superseded", "withdrawn"]);
    let edit = &item(&statuses, "approved")["textEdit"];
    assert_eq!(
        (edit["range"]["start"]["character"].as_u64(), edit["range"]["end"]["character"].as_u64()),
        (Some(8), Some(13)),
        "replaces `draft`"
    );

    let related = client.at("textDocument/completion", "documents/a.md", "  - PRO-001", 7, json!({}));
    assert_eq!(item(&related, "PRO-001")["detail"], "Incident Procedure");
    assert!(labels(&related).contains(&"POL-002".to_string()));

    let clauses = client.at("textDocument/completion", "documents/a.md", "\"5.2\"", 2, json!({}));
    assert!(item(&clauses, "7.5.2")["detail"].as_str().expect("detail").contains("(clause)"));
    assert!(!labels(&clauses).iter().any(|l| l.starts_with("A.")), "controls are not clauses");

    let links = client.at("textDocument/completion", "documents/a.md", "doc:PRO", 4, json!({}));
    assert_eq!(item(&links, "PRO-001")["textEdit"]["newText"], "PRO-001");

    // A key being typed on a new top-level line: the keys not written yet, with their meaning.
    let text = POLICY.replace("related:\n", "next_\nrelated:\n");
    client.change("documents/a.md", 2, &text);
    std::fs::write(dir.path().join("documents/a.md"), &text).expect("save");
    let keys = client.at("textDocument/completion", "documents/a.md", "next_\n", 5, json!({}));
    let next_review = item(&keys, "next_review");
    assert_eq!(next_review["textEdit"]["newText"], "next_review: ");
    assert!(next_review["documentation"]["value"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(!labels(&keys).contains(&"title".to_string()), "title is written already");

    let attachments = POLICY.replace("related:\n", "attachments: [mi\nrelated:\n");
    client.change("documents/a.md", 3, &attachments);
    std::fs::write(dir.path().join("documents/a.md"), &attachments).expect("save");
    let files = client.at("textDocument/completion", "documents/a.md", "[mi", 3, json!({}));
    assert_eq!(labels(&files), ["minutes.pdf"], "paths under evidence/, relative to it");
    client.stop();
}

#[test]
fn hover_definition_and_references() {
    let dir = tree();
    let mut client = Client::start(dir.path());
    client.open("documents/a.md");

    let hover = client.at("textDocument/hover", "documents/a.md", "  - PRO-001", 6, json!({}));
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("**PRO-001 Incident Procedure**") && text.contains("owner Head of Risk"), "{text}");
    assert!(text.contains("What to do when an AI system misbehaves."), "the summary: {text}");
    let clause = client.at("textDocument/hover", "documents/a.md", "\"5.2\"", 2, json!({}));
    assert!(clause["contents"]["value"].as_str().expect("markdown").starts_with("**5.2 "), "{clause}");

    let definition = client.at("textDocument/definition", "documents/a.md", "doc:PRO-001", 6, json!({}));
    assert_eq!(definition["uri"], client.uri("documents/b.md"));
    assert_eq!(definition["range"]["start"], json!({ "line": 1, "character": 4 }));

    let refs = client.at(
        "textDocument/references",
        "documents/b.md",
        "PRO-001",
        1,
        json!({ "context": { "includeDeclaration": false } }),
    );
    let places: Vec<(String, u64)> = refs
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| (l["uri"].as_str().expect("uri").to_string(), l["range"]["start"]["line"].as_u64().expect("line")))
        .collect();
    let a = client.uri("documents/a.md");
    assert_eq!(places, [(a.clone(), 9), (a, 13)], "the related entry and the body link");
    client.stop();
}

/// The quick fix offered for finding `code` of `rel` (as last published), applied to `text`.
fn fixed(client: &mut Client, rel: &str, diagnostics: &[Value], code: &str, text: &str) -> String {
    let d = find(diagnostics, code).clone();
    let params = json!({
        "textDocument": { "uri": client.uri(rel) },
        "range": d["range"],
        "context": { "diagnostics": [d] },
    });
    let actions = client.request("textDocument/codeAction", params);
    let action = &actions.as_array().expect("actions")[0];
    assert_eq!(action["kind"], "quickfix");
    let edits = &action["edit"]["documentChanges"][0]["edits"];
    let edit = &edits.as_array().expect("edits")[0];
    let (l0, c0) =
        (edit["range"]["start"]["line"].as_u64().expect("n"), edit["range"]["start"]["character"].as_u64().expect("n"));
    let (l1, c1) =
        (edit["range"]["end"]["line"].as_u64().expect("n"), edit["range"]["end"]["character"].as_u64().expect("n"));
    let offset = |line: u64, col: u64| {
        text.split_inclusive('\n').take(line as usize).map(str::len).sum::<usize>() + col as usize
    };
    let (start, end) = (offset(l0, c0), offset(l1, c1));
    format!("{}{}{}", &text[..start], edit["newText"].as_str().expect("text"), &text[end..])
}

#[test]
fn quick_fixes_edit_what_the_hint_says() {
    let dir = tree();
    let mut client = Client::start(dir.path());
    let c = client.diagnostics("documents/c.md");
    let d = client.diagnostics("documents/d.md");

    let typo = fixed(&mut client, "documents/d.md", &d, "ID006", TYPO);
    assert_eq!(typo, TYPO.replace("drafft", "draft"));

    let reviewed = fixed(&mut client, "documents/c.md", &c, "RV001", APPROVED);
    assert_eq!(
        reviewed,
        APPROVED.replace("  date: 2026-01-10\n", "  date: 2026-01-10\nnext_review: 2027-01-10\n"),
        "a year (the default interval) after the approval"
    );

    let history = fixed(&mut client, "documents/c.md", &c, "VC001", APPROVED);
    let entry = format!("history:\n  - version: \"2.0\"\n    date: {TODAY}\n    by: TODO (author)\n    summary: TODO (what changed)\n  - version: \"1.0\"");
    assert!(history.contains(&entry), "{history}");

    // Fixed in the editor, the findings go.
    client.open("documents/c.md");
    client.change("documents/c.md", 2, &reviewed);
    let after = client.diagnostics_where("documents/c.md", |d| !codes(d).contains(&"RV001"));
    assert!(codes(&after).contains(&"VC001"), "the other finding stays: {after:?}");
    client.stop();
}
