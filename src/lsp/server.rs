//! The message loop: buffers follow the client's edits at once, the check runs once the edits
//! pause ([`DEBOUNCE`]) and then publishes what changed; requests are answered from the buffers
//! and the latest check (after running a pending one, except for completion, which must not wait).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionParams, CompletionParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, GotoDefinitionParams,
    HoverParams, MessageType, ReferenceParams, ShowMessageParams, TextDocumentPositionParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::publish::Published;
use super::workspace::Workspace;
use super::{actions, complete, hover, navigate, text, LspOptions};

/// How long edits must pause before the tree is checked again.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(20);

/// The server's state between messages.
pub(crate) struct Server {
    root: PathBuf,
    opts: LspOptions,
    /// `None` while the configuration cannot be read (the client was told why).
    ws: Option<Workspace>,
    published: Published,
    /// Files edited since the last check.
    pending: BTreeSet<String>,
    /// When to run the check for `pending`.
    due: Option<Instant>,
}

type Reply = anyhow::Result<Value>;

impl Server {
    /// A server for the content root `root`.
    pub(crate) fn new(root: PathBuf, opts: &LspOptions) -> Server {
        Server {
            root,
            opts: opts.clone(),
            ws: None,
            published: Published::default(),
            pending: BTreeSet::new(),
            due: None,
        }
    }

    /// Checks the tree, publishes its findings, then serves until the client says `exit`.
    pub(crate) fn run(mut self, conn: &Connection, watch: bool) -> anyhow::Result<()> {
        if watch {
            register_watcher(conn)?;
        }
        self.open_workspace(conn)?;
        loop {
            let message = match self.due {
                Some(due) => match conn.receiver.recv_deadline(due) {
                    Ok(m) => m,
                    Err(e) if e.is_timeout() => {
                        self.flush(conn)?;
                        continue;
                    }
                    Err(_) => return Ok(()),
                },
                None => match conn.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                },
            };
            match message {
                Message::Request(r) if conn.handle_shutdown(&r)? => return Ok(()),
                Message::Request(r) => self.request(conn, r)?,
                Message::Notification(n) => self.notification(conn, n)?,
                Message::Response(_) => {}
            }
        }
    }

    /// (Re)loads the workspace with its configuration and publishes everything.
    fn open_workspace(&mut self, conn: &Connection) -> anyhow::Result<()> {
        let start = Instant::now();
        let opened = match self.ws.as_mut() {
            Some(ws) => ws.reconfigure(),
            None => Workspace::open(self.root.clone(), self.opts.today, self.opts.strict).map(|ws| {
                self.ws = Some(ws);
            }),
        };
        if let Err(e) = opened {
            let message = format!("aimsdoc: cannot check `{}`: {e:#}", self.root.display());
            notify::<note::ShowMessage>(conn, ShowMessageParams { typ: MessageType::ERROR, message })?;
        }
        if let Some(ws) = &self.ws {
            let (documents, ms) = (ws.checked().tree.documents.len(), start.elapsed().as_secs_f64() * 1000.0);
            eprintln!("aimsdoc lsp: {}: {documents} documents checked in {ms:.0} ms", self.root.display());
        }
        self.publish(conn)
    }

    /// Runs the pending check and publishes what changed. The time it took goes to stderr, which
    /// clients keep as the server's log (and `bench/lsp_latency.py` reads).
    fn flush(&mut self, conn: &Connection) -> anyhow::Result<()> {
        let start = Instant::now();
        self.due = None;
        let changed = std::mem::take(&mut self.pending);
        let Some(ws) = self.ws.as_mut() else { return Ok(()) };
        if changed.is_empty() {
            return Ok(());
        }
        if let Err(e) = ws.reload(Some(&changed)) {
            let message = format!("aimsdoc: {e:#}");
            notify::<note::ShowMessage>(conn, ShowMessageParams { typ: MessageType::ERROR, message })?;
        }
        let documents = ws.checked().tree.documents.len();
        self.publish(conn)?;
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        eprintln!("aimsdoc lsp: checked {} changed file(s) in {ms:.1} ms ({documents} documents)", changed.len());
        Ok(())
    }

    fn publish(&mut self, conn: &Connection) -> anyhow::Result<()> {
        let Some(ws) = &self.ws else { return Ok(()) };
        for params in self.published.update(ws) {
            notify::<note::PublishDiagnostics>(conn, params)?;
        }
        Ok(())
    }

    /// Marks `rel` for the next check, `delay` from now (sooner if one is already due).
    fn schedule(&mut self, rel: String, delay: Duration) {
        self.pending.insert(rel);
        let at = Instant::now() + delay;
        self.due = Some(self.due.map_or(at, |d| d.min(at)));
    }

    fn notification(&mut self, conn: &Connection, n: Notification) -> anyhow::Result<()> {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let p: DidOpenTextDocumentParams = params(n.params)?;
                self.edited(&p.text_document.uri, Duration::ZERO, |_| Some(p.text_document.text));
            }
            note::DidChangeTextDocument::METHOD => {
                let p: DidChangeTextDocumentParams = params(n.params)?;
                self.edited(&p.text_document.uri, DEBOUNCE, |old| Some(apply_changes(old?, &p)));
            }
            note::DidCloseTextDocument::METHOD => {
                let p: DidCloseTextDocumentParams = params(n.params)?;
                if let Some((ws, rel)) = self.locate(&p.text_document.uri) {
                    if ws.drop_buffer(&rel) {
                        self.schedule(rel, Duration::ZERO);
                    }
                }
            }
            note::DidSaveTextDocument::METHOD => {
                let p: DidSaveTextDocumentParams = params(n.params)?;
                if text::uri_to_path(&p.text_document.uri).is_some_and(|f| f == self.root.join("aimsdoc.toml")) {
                    self.open_workspace(conn)?;
                }
            }
            note::DidChangeWatchedFiles::METHOD => {
                let p: DidChangeWatchedFilesParams = params(n.params)?;
                self.files_changed(conn, &p)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// The workspace and the content-relative path of `uri`, when it lies inside the root.
    fn locate(&mut self, uri: &Uri) -> Option<(&mut Workspace, String)> {
        let ws = self.ws.as_mut()?;
        let rel = ws.rel(&text::uri_to_path(uri)?)?;
        Some((ws, rel))
    }

    /// Sets the buffer of `uri` to what `edit` makes of its old text; schedules a check of it
    /// when it is a document file.
    fn edited(&mut self, uri: &Uri, delay: Duration, edit: impl FnOnce(Option<String>) -> Option<String>) {
        let Some((ws, rel)) = self.locate(uri) else { return };
        let Some(new) = edit(ws.text(&rel).map(|t| t.into_owned())) else { return };
        if ws.set_buffer(&rel, new) || ws.is_document_path(&rel) {
            self.schedule(rel, delay);
        }
    }

    /// Files changed on disk (a checkout, another program): the configuration reloads everything,
    /// anything else is re-read at the next check.
    fn files_changed(&mut self, conn: &Connection, p: &DidChangeWatchedFilesParams) -> anyhow::Result<()> {
        let config = self.root.join("aimsdoc.toml");
        if p.changes.iter().any(|c| text::uri_to_path(&c.uri).is_some_and(|f| f == config)) {
            return self.open_workspace(conn);
        }
        for change in &p.changes {
            if let Some((_, rel)) = self.locate(&change.uri) {
                self.schedule(rel, Duration::ZERO);
            }
        }
        Ok(())
    }

    fn request(&mut self, conn: &Connection, r: Request) -> anyhow::Result<()> {
        if r.method != req::Completion::METHOD && self.due.is_some() {
            self.flush(conn)?;
        }
        let id = r.id.clone();
        let reply = match r.method.as_str() {
            req::Completion::METHOD => self.at::<CompletionParams>(
                r,
                |p| &p.text_document_position,
                |ws, _, src, at, _| Ok(serde_json::to_value(complete::complete(src, at, ws))?),
            ),
            req::HoverRequest::METHOD => self.at::<HoverParams>(
                r,
                |p| &p.text_document_position_params,
                |ws, _, src, at, _| Ok(serde_json::to_value(hover::hover(src, at, ws))?),
            ),
            req::GotoDefinition::METHOD => self.at::<GotoDefinitionParams>(
                r,
                |p| &p.text_document_position_params,
                |ws, _, src, at, _| Ok(serde_json::to_value(navigate::definition(src, at, ws))?),
            ),
            req::References::METHOD => self.at::<ReferenceParams>(
                r,
                |p| &p.text_document_position,
                |ws, rel, src, at, p| {
                    Ok(serde_json::to_value(navigate::references(src, rel, at, p.context.include_declaration, ws))?)
                },
            ),
            req::CodeActionRequest::METHOD => match (params::<CodeActionParams>(r.params), &self.ws) {
                (Ok(p), Some(ws)) => Ok(serde_json::to_value(actions::code_actions(&p, ws))?),
                (Ok(_), None) => Ok(Value::Null),
                (Err(e), _) => Err(e),
            },
            _ => {
                return respond(
                    conn,
                    Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("unknown method {}", r.method)),
                )
            }
        };
        respond(conn, reply_to(id, reply))
    }

    /// Answers a request about a position in a document: `answer` gets the workspace, the file,
    /// its text as the editor has it, the byte offset and the parameters; `null` outside the root.
    fn at<P: DeserializeOwned>(
        &self,
        r: Request,
        position: impl Fn(&P) -> &TextDocumentPositionParams,
        answer: impl FnOnce(&Workspace, &str, &str, usize, &P) -> Reply,
    ) -> Reply {
        let p: P = params(r.params)?;
        let tdp = position(&p);
        let Some(ws) = &self.ws else { return Ok(Value::Null) };
        let Some(rel) = text::uri_to_path(&tdp.text_document.uri).and_then(|f| ws.rel(&f)) else {
            return Ok(Value::Null);
        };
        let Some(source) = ws.text(&rel) else { return Ok(Value::Null) };
        let offset = text::offset(&source, tdp.position);
        answer(ws, &rel, &source, offset, &p)
    }
}

/// The text after the client's `changes` (whole-text or ranged, applied in order).
fn apply_changes(mut text: String, p: &DidChangeTextDocumentParams) -> String {
    for change in &p.content_changes {
        match change.range {
            Some(range) => {
                let start = text::offset(&text, range.start);
                let end = text::offset(&text, range.end).max(start);
                text.replace_range(start..end, &change.text);
            }
            None => text = change.text.clone(),
        }
    }
    text
}

fn params<P: DeserializeOwned>(value: Value) -> anyhow::Result<P> {
    Ok(serde_json::from_value(value)?)
}

fn reply_to(id: RequestId, reply: Reply) -> Response {
    match reply {
        Ok(value) => Response::new_ok(id, value),
        Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, format!("{e:#}")),
    }
}

fn respond(conn: &Connection, response: Response) -> anyhow::Result<()> {
    conn.sender.send(Message::Response(response)).map_err(|_| anyhow::anyhow!("the client went away"))
}

fn notify<N: note::Notification>(conn: &Connection, params: N::Params) -> anyhow::Result<()> {
    let n = Notification::new(N::METHOD.to_string(), params);
    conn.sender.send(Message::Notification(n)).map_err(|_| anyhow::anyhow!("the client went away"))
}

/// Asks the client to report changes to files on disk (checkouts, evidence added, the ledger).
fn register_watcher(conn: &Connection) -> anyhow::Result<()> {
    let registration = serde_json::json!({
        "registrations": [{
            "id": "aimsdoc-files",
            "method": note::DidChangeWatchedFiles::METHOD,
            "registerOptions": { "watchers": [{ "globPattern": "**/*" }] },
        }]
    });
    let r = Request::new(
        RequestId::from("aimsdoc-register-watcher".to_string()),
        req::RegisterCapability::METHOD.into(),
        registration,
    );
    conn.sender.send(Message::Request(r)).map_err(|_| anyhow::anyhow!("the client went away"))
}
