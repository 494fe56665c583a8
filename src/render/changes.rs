//! `changes.html`, "Changes since REV": a change set of `integrity::diff` (this portal against
//! an earlier revision, e.g. the one released for the last audit) as a page, and the dashboard's
//! summary of it. The change set is computed once by `site::write_site` (`build --changes-since`
//! compares the two manifests); this only shows it, linking each document and file still in
//! the portal to its page.

use serde::Serialize;

use super::section::Section;
use super::RenderCx;
use crate::integrity::diff::{ChangeSet, DocChange, FileChange};
use crate::integrity::diff_text::{describe_entry, short};
use crate::urls::{doc_href, encode_path, site_path};

/// Site path of the page.
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

/// What the dashboard says of the change set.
#[derive(Serialize)]
pub(crate) struct Summary {
    /// The revision compared with.
    since: String,
    /// Number of document changes.
    documents: usize,
    /// Number of evidence changes.
    evidence: usize,
    /// Site path of the page.
    href: &'static str,
}

/// The dashboard's summary of `set`.
pub(crate) fn summary(set: &ChangeSet) -> Summary {
    Summary { since: set.old.label.clone(), documents: set.documents.len(), evidence: set.evidence.len(), href: PATH }
}

/// The page, when the build compares itself with an earlier portal.
pub(crate) fn page(cx: &RenderCx) -> anyhow::Result<String> {
    let set = cx.changes.ok_or_else(|| anyhow::anyhow!("internal error: changes.html without a change set"))?;
    render(cx, set)
}

/// Renders the change set `set` (OLD = the earlier portal, NEW = this portal) as the page.
fn render(cx: &RenderCx, set: &ChangeSet) -> anyhow::Result<String> {
    let mut c = cx.base(0, &format!("Changes since {}", set.old.label), Section::Changes);
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
            href: (e.change != FileChange::Removed && cx.graph.files.contains_key(&e.path))
                .then(|| encode_path(&site_path(&e.path))),
        })
        .collect();
    c.insert("since", &set.old.label);
    c.insert("since_commit", &set.old.commit.as_deref().map(short));
    c.insert("doc_changes", &docs);
    c.insert("file_changes", &files);
    c.insert("notes", &set.notes);
    cx.render("changes.html", c)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::Trust;
    use crate::content::types::parse_date;
    use crate::integrity::diff::{DocEntry, FileEntry, Side};
    use crate::render::Theme;
    use crate::site::{check, Options};

    #[test]
    fn the_page_links_what_is_still_in_the_portal_and_escapes_titles() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/integrity_basic");
        let today = parse_date("2026-06-01").expect("date");
        let checked =
            check(&Options { root: root.clone(), strict: false, today, trust: Trust::Trusted }).expect("checked");
        let theme = Theme::load(&root, &checked.config).expect("theme");
        let cx = checked.render_cx(&theme, "0".repeat(64));
        let side = |l: &str| Side { label: l.into(), kind: "site", commit: None, format: String::new(), documents: 3 };
        let doc = |id: &str, title: &str, change| DocEntry { id: id.into(), title: title.into(), change };
        let file = |path: &str, change| FileEntry { path: path.into(), change, old_sha256: None, new_sha256: None };
        let set = ChangeSet {
            old: side("release 2025-11"),
            new: side("."),
            documents: vec![
                doc("POL-001", "AI <b>Policy</b>", DocChange::NewVersion { from: "1.0".into(), to: "2.0".into() }),
                doc("OLD-001", "Gone", DocChange::Removed { version: "1.0".into(), status: "approved".into() }),
            ],
            evidence: vec![
                file("evidence/records/board-minutes.csv", FileChange::Changed),
                file("evidence/gone.csv", FileChange::Removed),
            ],
            notes: vec!["a note".into()],
        };
        let html = scraper::Html::parse_document(&render(&cx, &set).expect("page"));
        let sel = |s: &str| scraper::Selector::parse(s).expect("selector");
        let links: Vec<&str> = html.select(&sel("main table a")).filter_map(|a| a.value().attr("href")).collect();
        assert_eq!(links, ["documents/POL-001.html", "files/evidence/records/board-minutes.csv"]);
        let row: String = html.select(&sel("tr.change-new-version")).flat_map(|e| e.text()).collect();
        assert_eq!(row, "POL-001AI <b>Policy</b>new version 1.0 -> 2.0");
        assert_eq!(html.select(&sel("tr.change-removed")).count(), 2);
        assert_eq!(html.select(&sel(".changes-note")).count(), 1);
        assert_eq!(html.select(&sel(".changes-since")).flat_map(|e| e.text()).collect::<String>(), "release 2025-11");
    }
}
