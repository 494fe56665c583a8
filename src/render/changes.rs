//! `changes.html`, "Changes since the last audit": a change set of `integrity::diff` (this
//! portal against an earlier release) as a page. The change set is computed once by the
//! caller (`build --changes-since` compares the two manifests); this only shows it, linking
//! each document still in the portal to its page.

use serde::Serialize;

use super::section::Section;
use super::RenderCx;
use crate::integrity::diff::{ChangeSet, DocChange, FileChange};
use crate::integrity::diff_text::describe_entry;
use crate::urls::{doc_href, site_path};

/// Site path of the page.
#[allow(dead_code, reason = "the lead wires `build --changes-since` to this page")]
pub(crate) const PATH: &str = "changes.html";

#[derive(Serialize)]
struct DocRow<'a> {
    id: &'a str,
    title: &'a str,
    /// `added`, `new-version`, ... (a CSS class and a word).
    change: &'static str,
    text: String,
    /// The document's page, when it is still in this portal.
    href: Option<String>,
}

#[derive(Serialize)]
struct FileRow<'a> {
    path: &'a str,
    change: &'static str,
    /// The file in this portal, when it is still in it.
    href: Option<String>,
}

/// Renders the change set `set` (OLD = the earlier release, NEW = this portal) as the page.
#[allow(dead_code, reason = "the lead wires `build --changes-since` to this page")]
pub(crate) fn render(cx: &RenderCx, set: &ChangeSet) -> anyhow::Result<String> {
    let mut c = cx.base(0, "Changes since the last audit", Section::Changes);
    let docs: Vec<DocRow> = set
        .documents
        .iter()
        .map(|d| DocRow {
            id: &d.id,
            title: &d.title,
            change: d.change.name(),
            text: describe_entry(d),
            href: (!matches!(d.change, DocChange::Removed { .. })).then(|| doc_href(&d.id)),
        })
        .collect();
    let files: Vec<FileRow> = set
        .evidence
        .iter()
        .map(|e| FileRow {
            path: &e.path,
            change: match e.change {
                FileChange::Added => "added",
                FileChange::Changed => "changed",
                FileChange::Removed => "removed",
            },
            href: (e.change != FileChange::Removed && cx.graph.files.contains_key(&e.path)).then(|| site_path(&e.path)),
        })
        .collect();
    c.insert("since", &set.old.label);
    c.insert("doc_changes", &docs);
    c.insert("file_changes", &files);
    c.insert("notes", &set.notes);
    cx.theme.render("changes.html", &c)
}
