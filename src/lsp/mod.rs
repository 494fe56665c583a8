//! `aimsdoc lsp`: a Language Server Protocol server over stdio (rust-analyzer's `lsp-server`
//! scaffold, `lsp-types`) for one content root. It runs the same stages as `check` over the tree
//! as the editor sees it (open buffers win over the disk, through the loader's overlay) and
//! publishes the findings of every file they change; it completes front matter keys and values
//! and link targets, explains ids on hover, goes to a document and finds who relies on it, and
//! offers the mechanical fixes that hints describe.
//!
//! The stages: [`workspace`] (load and check), [`publish`] (findings as diagnostics), [`context`]
//! and [`resolve`] (what the cursor is on), [`complete`], [`hover`], [`navigate`], [`actions`];
//! [`server`] is the message loop, [`text`] the position and URI arithmetic.

mod actions;
mod complete;
mod context;
mod hover;
mod navigate;
mod publish;
mod resolve;
mod server;
mod text;
mod workspace;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use lsp_server::Connection;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions, HoverProviderCapability,
    InitializeParams, OneOf, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

use crate::content::types::Date;

/// Options of `aimsdoc lsp`.
#[derive(Debug, Clone)]
pub(crate) struct LspOptions {
    /// The content root; `None`: from the client's workspace.
    pub root: Option<PathBuf>,
    /// Warnings become errors.
    pub strict: bool,
    /// The date reviews are judged against.
    pub today: Date,
}

/// Serves one client on stdin/stdout until it says `exit`.
pub(crate) fn run(opts: LspOptions) -> anyhow::Result<()> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start().context("the client did not start an LSP session")?;
    let init: InitializeParams = serde_json::from_value(params).context("unreadable `initialize` parameters")?;
    let root = content_root(opts.root.clone(), &init)?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "aimsdoc", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).context("the LSP session did not start")?;
    let watch = init
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    server::Server::new(root, &opts).run(&connection, watch)?;
    drop(connection);
    io_threads.join().context("the LSP connection failed")?;
    Ok(())
}

/// What the server offers.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([":", " ", "-", "[", ",", "."].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The content root: `--root`, else the client's first workspace folder (or root URI), else the
/// working directory; then the folder there (or above it, or right below it) that holds
/// `aimsdoc.toml`.
fn content_root(explicit: Option<PathBuf>, init: &InitializeParams) -> anyhow::Result<PathBuf> {
    #[allow(deprecated)] // `rootUri` is what older clients send
    let from_client = init
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| &f.uri)
        .or(init.root_uri.as_ref())
        .and_then(text::uri_to_path);
    let start = match explicit.or(from_client) {
        Some(dir) => dir,
        None => std::env::current_dir().context("cannot read the working directory")?,
    };
    let start = std::path::absolute(&start).with_context(|| format!("cannot resolve `{}`", start.display()))?;
    Ok(find_config(&start).unwrap_or(start))
}

/// `dir` or the nearest folder above it with an `aimsdoc.toml`, else the first folder right below
/// it (by name) that has one.
fn find_config(dir: &Path) -> Option<PathBuf> {
    let has = |d: &Path| d.join("aimsdoc.toml").is_file();
    if let Some(found) = dir.ancestors().find(|d| has(d)) {
        return Some(found.to_path_buf());
    }
    let mut children: Vec<PathBuf> =
        std::fs::read_dir(dir).ok()?.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    children.sort();
    children.into_iter().find(|d| has(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_root_is_where_aimsdoc_toml_is() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("content");
        std::fs::create_dir_all(root.join("documents/policies")).expect("mkdir");
        std::fs::write(root.join("aimsdoc.toml"), "").expect("write");
        assert_eq!(find_config(&root.join("documents/policies")), Some(root.clone()), "above");
        assert_eq!(find_config(dir.path()), Some(root.clone()), "right below");
        let init = InitializeParams::default();
        assert_eq!(content_root(Some(root.join("documents")), &init).expect("root"), root);
    }
}
