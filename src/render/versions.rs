//! What git says about a document, as its page shows it: the "Versions" table (each version,
//! the commit where it first appeared, its author and date, whether it is in force, links to the
//! superseded version's page and to the redline into it), the list of superseded approved
//! versions that get pages of their own, and the redlines between consecutive approved versions
//! (and from the last approved version to the work tree's text). Read from `cx.provenance`,
//! computed once in `provenance`; a document whose text is withheld by classification gets no
//! old-version pages or redlines.

use serde::Serialize;
use tera::Context;

use super::pages::RenderCx;
use crate::assess::in_force_files::Source;
use crate::content::types::{Status, Version};
use crate::provenance::{CommitInfo, DocHistory, Provenance, VersionInfo};
use crate::urls::{encode_path, site_path};

/// Page path of superseded version `version` of document `id`.
pub(crate) fn old_path(id: &str, version: &str) -> String {
    format!("documents/{id}/v{version}.html")
}

/// Page path of the redline of document `id` from version `from` to `to`.
pub(crate) fn redline_path(id: &str, from: &str, to: &str) -> String {
    format!("documents/{id}/changes-v{from}-to-v{to}.html")
}

/// The earlier approved versions of document `i` that get a page, oldest first: committed as
/// approved (or superseded), not the work tree's version, with a well-formed version number.
/// Chosen once per build (every old-version page, redline and print mark asks, several times).
pub(crate) fn superseded<'a>(cx: &RenderCx<'a>, i: usize) -> Vec<&'a VersionInfo> {
    let chosen = cx.shared.superseded.get_or_init(|| (0..cx.tree.documents.len()).map(|i| chosen(cx, i)).collect());
    let Some(history) = cx.provenance.doc(cx.tree.documents[i].id.value.as_str()) else { return Vec::new() };
    chosen.get(i).map_or_else(Vec::new, |ks| ks.iter().map(|&k| &history.versions[k]).collect())
}

/// [`superseded`] as indices into the document's `versions`.
fn chosen(cx: &RenderCx, i: usize) -> Vec<usize> {
    let d = &cx.tree.documents[i];
    if !cx.rows[i].published || d.version.is_none() {
        return Vec::new();
    }
    let Some(history) = cx.provenance.doc(d.id.value.as_str()) else { return Vec::new() };
    let current = d.version_text();
    let mut out: Vec<(Version, usize)> = history
        .versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.version != current)
        .filter(|(_, v)| v.approved.as_ref().is_some_and(|s| published_then(cx, s)))
        .filter_map(|(k, v)| Version::parse(&v.version).map(|n| (n, k)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, k)| k).collect()
}

/// One row of the Versions table.
#[derive(Serialize)]
pub(crate) struct Row {
    /// The version number as committed.
    pub version: String,
    /// The commit where the version first appeared (absent: not committed yet).
    pub first: Option<CommitInfo>,
    /// Its status in its last commit (or in the work tree).
    pub status: String,
    /// It is the version in force.
    pub in_force: bool,
    /// It is the version of the page's text.
    pub current: bool,
    /// The superseded version's page, relative to the `documents/` folder.
    pub page: String,
    /// The redline into this version, relative to the `documents/` folder.
    pub changes: String,
}

/// The `versions` value of a document page.
#[derive(Serialize, Default)]
pub(crate) struct Versions {
    /// Git's history was read.
    pub available: bool,
    /// Why it was not, when it was not.
    pub notice: String,
    /// One row per version, the work tree's first when it is not committed yet.
    pub rows: Vec<Row>,
    /// The commits that changed the document, newest first.
    pub commits: Vec<CommitInfo>,
    /// The version in force when the page's text is a draft (from git), if any.
    pub in_force: Option<InForce>,
}

/// The earlier version in force beside a draft.
#[derive(Serialize)]
pub(crate) struct InForce {
    /// Its version number.
    pub version: String,
    /// Its page, relative to the `documents/` folder (empty: it has none).
    pub page: String,
    /// The redline from it into the draft, relative to the `documents/` folder.
    pub changes: String,
    /// It matches its approval and counts as in force.
    pub stands: bool,
    /// Why not, when it does not.
    pub why_not: String,
    /// How many of its attachments the work tree no longer holds as approved.
    pub changed_files: usize,
}

/// The Versions table of document `i` (or why git's history is unavailable).
pub(crate) fn view(cx: &RenderCx, i: usize) -> Versions {
    match cx.provenance {
        Provenance::Unavailable(reason) => Versions { notice: reason.clone(), ..Versions::default() },
        Provenance::Available(h) => {
            let empty = DocHistory::default();
            table(cx, i, h.docs.get(cx.tree.documents[i].id.value.as_str()).unwrap_or(&empty))
        }
    }
}

/// Adds `versions` to the page of document `i`.
pub(crate) fn extend(cx: &RenderCx, i: usize, c: &mut Context) {
    c.insert("versions", &view(cx, i));
}

fn table(cx: &RenderCx, i: usize, history: &DocHistory) -> Versions {
    let d = &cx.tree.documents[i];
    let id = d.id.value.as_str();
    let current = d.version_text();
    let old = superseded(cx, i);
    let chain: Vec<&str> = old.iter().map(|v| v.version.as_str()).chain([current]).collect();
    let changes_into = |version: &str| -> String {
        let k = chain.iter().position(|v| *v == version).filter(|k| *k > 0);
        k.map(|k| rel(&redline_path(id, chain[k - 1], version))).unwrap_or_default()
    };
    // Which earlier version is in force was decided once, in assess (it is what the checklist
    // and the SoA count).
    let assessed = cx.assessment.in_force[i].as_deref();
    let force = assessed.filter(|f| f.stands()).map(|f| f.version.clone());
    let current_in_force = force.is_none() && d.status() == Status::Approved;
    let mut rows: Vec<Row> = Vec::new();
    if history.version(current).is_none() {
        rows.push(Row {
            version: current.to_string(),
            first: None,
            status: d.status().as_str().to_string(),
            in_force: current_in_force,
            current: true,
            page: String::new(),
            changes: changes_into(current),
        });
    }
    for v in &history.versions {
        let is_current = v.version == current;
        let has_page = old.iter().any(|o| o.version == v.version);
        rows.push(Row {
            version: v.version.clone(),
            first: Some(v.first.clone()),
            status: if is_current { d.status() } else { v.last.status.unwrap_or(Status::Draft) }.as_str().to_string(),
            in_force: if is_current { current_in_force } else { force.as_deref() == Some(v.version.as_str()) },
            current: is_current,
            page: if has_page { rel(&old_path(id, &v.version)) } else { String::new() },
            changes: changes_into(&v.version),
        });
    }
    let in_force = assessed.map(|f| InForce {
        page: if old.iter().any(|o| o.version == f.version) { rel(&old_path(id, &f.version)) } else { String::new() },
        changes: changes_into(current),
        version: f.version.clone(),
        stands: f.stands(),
        why_not: f.why_not(),
        changed_files: f.files.iter().filter(|a| a.changed_in_work_tree()).count(),
    });
    Versions { available: true, notice: String::new(), rows, commits: history.commits.clone(), in_force }
}

/// Site path of the copy of content file `rel` kept with version `version` of document `id`:
/// an attachment of the version in force whose approved bytes only git still holds.
pub(crate) fn kept_file_path(id: &str, version: &str, rel: &str) -> String {
    format!("documents/{id}/v{version}/{}", crate::urls::active::neutral_name(rel))
}

/// The attachments of document `i`'s version in force that the site copies from git, as
/// (index in its `attachments`, site path): those whose approved bytes the work tree no longer
/// holds, when the version has a page (it is published).
pub(crate) fn kept_files(cx: &RenderCx, i: usize) -> Vec<(usize, String)> {
    let Some(f) = cx.assessment.in_force[i].as_deref() else { return Vec::new() };
    if !superseded(cx, i).iter().any(|v| v.version == f.version) {
        return Vec::new();
    }
    let id = cx.tree.documents[i].id.value.as_str();
    let kept = f.files.iter().enumerate().filter(|(_, a)| matches!(a.source, Source::Blob(_)));
    kept.filter_map(|(k, a)| Some((k, kept_file_path(id, &f.version, a.rel.as_deref()?)))).collect()
}

/// One attachment on the page of the version in force.
#[derive(Serialize)]
struct KeptFileView {
    listed: String,
    /// SHA-256 of the approved bytes the link leads to (empty: none can be shown).
    sha256: String,
    /// Relative to the version's page (`documents/ID/`); empty when no copy can be shown.
    href: String,
    /// The work tree's file at this path has other bytes (or is gone) since approval.
    changed: bool,
}

/// What the page of a version says about it being in force.
#[derive(Serialize)]
pub(crate) struct InForceView {
    /// It matches its approval and counts as in force.
    stands: bool,
    /// Why not, when it does not.
    why_not: String,
    /// The status of the draft it stays in force beside.
    successor_status: String,
    /// The commit its attachments come from (first 10 hex digits).
    files_commit: String,
    files: Vec<KeptFileView>,
}

/// The in-force part of the page of version `version` of document `i`, when that version is
/// the one in force while the work tree's text is a draft or in review.
pub(crate) fn in_force_view(cx: &RenderCx, i: usize, version: &str) -> Option<InForceView> {
    let f = cx.assessment.in_force[i].as_deref().filter(|f| f.version == version)?;
    let kept = kept_files(cx, i);
    let id = cx.tree.documents[i].id.value.as_str();
    let files = f
        .files
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let href = match (&a.source, &a.rel) {
                (Source::WorkTree, Some(rel)) => format!("../../{}", encode_path(&site_path(rel))),
                (Source::Blob(_), _) => kept
                    .iter()
                    .find(|(at, _)| *at == k)
                    .map(|(_, path)| encode_path(path.strip_prefix(&format!("documents/{id}/")).unwrap_or(path)))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let sha256 = if href.is_empty() { String::new() } else { a.sha256().unwrap_or_default().to_string() };
            KeptFileView { listed: a.listed.clone(), sha256, href, changed: a.changed_in_work_tree() }
        })
        .collect();
    Some(InForceView {
        stands: f.stands(),
        why_not: f.why_not(),
        successor_status: cx.tree.documents[i].status().as_str().to_string(),
        files_commit: f.files_commit[..f.files_commit.len().min(10)].to_string(),
        files,
    })
}

/// A site path made relative to the `documents/` folder a document page lives in.
pub(crate) fn rel(site_path: &str) -> String {
    site_path.strip_prefix("documents/").unwrap_or(site_path).to_string()
}

/// Site path of the `k`th superseded version of document `i`.
pub(crate) fn old_page_path(cx: &RenderCx, i: usize, k: usize) -> String {
    let id = cx.tree.documents[i].id.value.as_str();
    superseded(cx, i).get(k).map(|v| old_path(id, &v.version)).unwrap_or_default()
}

/// Site path of the redline from the `k`th superseded version of document `i` to the next.
pub(crate) fn redline_page_path(cx: &RenderCx, i: usize, k: usize) -> String {
    let d = &cx.tree.documents[i];
    let old = superseded(cx, i);
    let to = old.get(k + 1).map_or(d.version_text(), |v| v.version.as_str());
    old.get(k).map(|v| redline_path(d.id.value.as_str(), &v.version, to)).unwrap_or_default()
}

/// Whether a committed text's classification then allows publishing it (a version once more
/// restricted than today stays unpublished).
fn published_then(cx: &RenderCx, s: &crate::provenance::Snapshot) -> bool {
    cx.config.is_published(s.classification.as_deref().unwrap_or(&cx.config.classification.default))
}
