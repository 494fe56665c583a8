//! The page of a superseded approved version (`documents/ID/vX.html`), rendered from its git
//! blob and marked "superseded version, not in force" on screen and on every printed page, and
//! the redline page between two versions (`documents/ID/changes-vA-to-vB.html`). Both sit one
//! folder below the document pages, so their links climb one more level.

use serde::Serialize;

use super::old_body;
use super::pages::RenderCx;
use super::redline;
use super::section::Section;
use super::versions::{self, rel};
use crate::content::links::{BodyLink, LinkTarget};
use crate::content::Document;
use crate::graph::join_within;
use crate::provenance::{Snapshot, VersionInfo};
use crate::urls::{catalog_href, decode, encode_path, site_path};

#[derive(Serialize)]
struct OldDoc {
    id: String,
    title: String,
    version: String,
    status: String,
    owner: String,
    approved_by: String,
    approval_date: String,
    effective: String,
    source: String,
}

/// The page of the `k`th superseded version (oldest first) of document `i`.
pub(crate) fn old_version(cx: &RenderCx, i: usize, k: usize) -> anyhow::Result<String> {
    let d = &cx.tree.documents[i];
    let id = d.id.value.as_str();
    let old = versions::superseded(cx, i);
    let v = old.get(k).ok_or_else(|| anyhow::anyhow!("no superseded version {k} of {id}"))?;
    let snap = approved(v)?;
    let prepared = old_body::get(cx, i, k)?;
    let (then, rendered) = (prepared.then.as_ref(), &prepared.rendered);
    let mut c = cx.base(2, &format!("{id} {} (superseded version {})", d.title.value, v.version), Section::Documents);
    c.insert("doc", &old_doc(then, d, v, snap));
    c.insert("commit", &snap.commit);
    c.insert("first", &v.first);
    c.insert("current_href", &format!("../{id}.html"));
    c.insert("current_version", d.version_text());
    let next = old.get(k + 1).map_or(d.version_text(), |n| n.version.as_str());
    c.insert("changes_href", &format!("../{}", rel(&versions::redline_path(id, &v.version, next))));
    c.insert("changes_to", next);
    c.insert("body_html", &rendered.html);
    c.insert("toc", &rendered.toc);
    c.insert("print_marks", &super::print::Marks::OldVersion(i, k).path(cx));
    c.insert("in_force", &versions::in_force_view(cx, i, &v.version));
    c.insert("current_status", d.status().as_str());
    cx.render("version.html", c)
}

/// The redline of document `i` from its `k`th superseded version to the next (or to the work tree).
pub(crate) fn redline_page(cx: &RenderCx, i: usize, k: usize) -> anyhow::Result<String> {
    let d = &cx.tree.documents[i];
    let id = d.id.value.as_str();
    let old = versions::superseded(cx, i);
    let from = old.get(k).ok_or_else(|| anyhow::anyhow!("no superseded version {k} of {id}"))?;
    let (to_version, to_status, next) = match old.get(k + 1) {
        Some(next) => (next.version.as_str(), "approved".to_string(), Some(old_body::get(cx, i, k + 1)?)),
        None => (d.version_text(), d.status().as_str().to_string(), None),
    };
    let current = if next.is_none() { redline::blocks(&d.body) } else { Vec::new() };
    let to_blocks = next.as_ref().map_or(&current[..], |n| &n.blocks[..]);
    let (html, counts) = redline::diff(&old_body::get(cx, i, k)?.blocks, to_blocks);
    let title = format!("{id} {}: changes from version {} to {to_version}", d.title.value, from.version);
    let mut c = cx.base(2, &title, Section::Documents);
    c.insert("doc_id", id);
    c.insert("doc_title", &d.title.value);
    c.insert("from_version", &from.version);
    c.insert("from_href", &format!("../{}", rel(&versions::old_path(id, &from.version))));
    c.insert("to_version", to_version);
    c.insert("to_status", &to_status);
    let to_href = match old.get(k + 1) {
        Some(next) => format!("../{}", rel(&versions::old_path(id, &next.version))),
        None => format!("../{id}.html"),
    };
    c.insert("to_href", &to_href);
    c.insert("inserted", &counts.inserted);
    c.insert("deleted", &counts.deleted);
    c.insert("redline_html", &html);
    cx.render("redline.html", c)
}

fn approved(v: &VersionInfo) -> anyhow::Result<&Snapshot> {
    v.approved.as_ref().ok_or_else(|| anyhow::anyhow!("version {} was never approved", v.version))
}

fn old_doc(then: Option<&Document>, now: &Document, v: &VersionInfo, snap: &Snapshot) -> OldDoc {
    let text = |f: fn(&Document) -> Option<String>| then.and_then(f).unwrap_or_default();
    OldDoc {
        id: now.id.value.to_string(),
        title: then.map_or_else(|| now.title.value.clone(), |t| t.title.value.clone()),
        version: v.version.clone(),
        status: snap.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        owner: text(|t| Some(t.owner.value.clone())),
        approved_by: text(|t| t.approval.as_ref()?.by.as_ref().map(|b| b.value.clone())),
        approval_date: text(|t| t.approval_date().map(|d| d.to_string())),
        effective: text(|t| t.effective_date().map(|d| d.to_string())),
        source: snap.path.clone(),
    }
}

/// The href of a link in a superseded version's body, from `documents/ID/`: to what the site
/// publishes now (a document, a clause or control, a copied file), else a dead `#` link.
pub(super) fn old_href(cx: &RenderCx, path_then: &str, link: &BodyLink) -> String {
    let iso = crate::catalog::iso42001();
    let page = |i: usize, f: &Option<String>| {
        let id = cx.tree.documents[i].id.value.as_str();
        f.as_ref().map_or_else(|| format!("../{id}.html"), |f| format!("../{id}.html#{f}"))
    };
    match &link.target {
        LinkTarget::Doc { id, fragment } => cx.graph.by_id.get(id).map(|&i| page(i, fragment)),
        LinkTarget::Clause(id) | LinkTarget::Control(id) => iso.get(id).map(|_| format!("../../{}", catalog_href(id))),
        LinkTarget::Relative { path, fragment } => {
            let base = path_then.rsplit_once('/').map_or("", |(dir, _)| dir);
            join_within(base, &decode(path)).and_then(|joined| match cx.graph.by_path.get(&joined) {
                Some(&i) => Some(page(i, fragment)),
                None => {
                    cx.graph.files.contains_key(&joined).then(|| format!("../../{}", encode_path(&site_path(&joined))))
                }
            })
        }
        LinkTarget::Other => Some(link.raw.clone()),
        LinkTarget::Absolute(_) | LinkTarget::Unsafe(_) => None,
    }
    .unwrap_or_else(|| "#superseded-link".to_string())
}
