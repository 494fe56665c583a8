//! The built-in clause, objective and control page, written directly: byte for byte what
//! `catalog_entry.html` on `base.html` renders, from the same view models ([`super::pages`]'s
//! entry links, [`super::checklist::items_of`], [`super::evidence::for_documents`],
//! [`super::entry`]'s SoA line and NIST links), without building a template context. At 100,000
//! documents these pages list thousands of documents each, and rendering them through Tera was
//! most of what Tera still cost in a build (BENCHMARKS.md, tenth session).
//!
//! Used only while the theme overrides none of [`super::theme::ENTRY_PAGE_TEMPLATES`]; a theme
//! that does gets its own templates rendered. `html::tests` compares the two renderings of
//! every entry of every fixture tree.

use super::checklist::{items_of, ItemView};
use super::entry::{nist_links, soa_view, SoaView};
use super::evidence::{for_documents, EvidenceRow};
use super::html::{page, Frame, Html};
use super::pages::{ancestors, entry_children, entry_docs, entry_section, RenderCx};
use super::print::Marks;
use super::section::Section;
use crate::catalog::{DiItem, DocInfo, Entry, ItemKind, Kind};

/// The page of catalog entry `entry`.
pub(crate) fn render(cx: &RenderCx, entry: &Entry) -> anyhow::Result<String> {
    let root = "../";
    let section = entry_section(entry);
    let sidebar = cx.sidebar_html(root, &super::nav::entry_key(&entry.id))?;
    let title = format!("{} {}", entry.id, entry.title);
    let marks = Marks::of_section(section).map(|m| m.path(cx));
    let frame = Frame {
        root,
        title: &title,
        section: section.as_str(),
        print_marks: marks.as_deref(),
        sidebar: sidebar.as_str().unwrap_or_default(),
    };
    let docs = entry_docs(cx, entry);
    let mut out = Html::with_capacity(16 * 1024 + docs.len() * 320);
    page(cx, &frame, &mut out, |out| breadcrumbs(root, section, entry, out), |out| content(cx, entry, root, out));
    Ok(out.finish())
}

/// The `breadcrumbs` block: dashboard, the clause or Annex A index, the enclosing entries, the
/// entry.
fn breadcrumbs(root: &str, section: Section, entry: &Entry, out: &mut Html) {
    out.raw("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol><li><a href=\"").text(root);
    out.raw("index.html\">Dashboard</a></li><li>");
    out.raw(match section {
        Section::Clauses => "<a href=\"index.html\">Clauses</a>",
        _ => "<a href=\"index.html\">Annex A</a>",
    });
    out.raw("</li>");
    for a in ancestors(entry) {
        out.raw("<li><a href=\"").text(root).text(&a.href).raw("\" title=\"").text(&a.title).raw("\">");
        out.text(&a.id).raw("</a></li>");
    }
    out.raw("<li><span aria-current=\"page\">").text(&entry.id).raw("</span></li></ol></nav>");
}

/// The `content` block.
fn content(cx: &RenderCx, entry: &Entry, root: &str, out: &mut Html) {
    out.raw("\n<h1><span class=\"entry-id\">").text(&entry.id).raw("</span> ").text(&entry.title);
    out.raw("</h1>\n<p class=\"lead\">").text(&entry.summary).raw("</p>\n");
    if entry.kind == Kind::Clause {
        documented_information(cx, entry, root, out);
    }
    out.raw("\n");
    if let Some(soa) = soa_view(cx, entry) {
        soa_section(&soa, root, out);
    }
    out.raw("\n");
    let children = entry_children(entry);
    if !children.is_empty() {
        out.raw(
            "\n<section aria-labelledby=\"children-heading\">\n  <h2 id=\"children-heading\">Contains</h2>\n  <ul>",
        );
        for c in &children {
            out.raw("<li><a href=\"").text(root).text(&c.href).raw("\">").text(&c.id).raw(" ").text(&c.title);
            out.raw("</a></li>");
        }
        out.raw("</ul>\n</section>\n");
    }
    let docs = entry_docs(cx, entry);
    documents(cx, entry, docs, root, out);
    if entry.kind != Kind::AnnexObjective {
        evidence(entry, &for_documents(cx, docs), root, out);
    }
    out.raw("\n");
    let nist = nist_links(&entry.id);
    if !nist.is_empty() {
        out.raw("\n<section aria-labelledby=\"nist-heading\">\n  <h2 id=\"nist-heading\">NIST AI RMF subcategories related to ");
        out.text(&entry.id).raw("</h2>\n  <ul class=\"doc-list\">");
        for n in &nist {
            out.raw("<li><a href=\"").text(root).text(&n.href).raw("\" title=\"").text(&n.statement).raw("\">");
            out.text(&n.id).raw("</a> ").text(&n.short_title).raw("</li>");
        }
        out.raw("</ul>\n</section>\n");
    }
    out.raw("\n");
}

/// A clause's "Documented information" section: what the standard requires there, and the
/// checklist items with the documents meeting them.
fn documented_information(cx: &RenderCx, entry: &Entry, root: &str, out: &mut Html) {
    out.raw("\n<section class=\"di\" aria-labelledby=\"di-heading\">\n  <h2 id=\"di-heading\">Documented information</h2>\n  ");
    match entry.documented_information {
        DocInfo::Required => {
            out.raw("\n  <p><span class=\"badge di-required\">required</span> The standard requires documented information here:</p>\n  <ul>");
            for item in &entry.di_items {
                di_item(item, out);
            }
            out.raw("</ul>\n  ");
        }
        DocInfo::Meta => {
            out.raw("\n  <p><span class=\"badge di-meta\">governs</span> This clause governs documented information in general.</p>\n  ");
        }
        DocInfo::None => {
            out.raw("\n  <p>The standard does not explicitly require documented information at this clause.</p>\n  ");
        }
    }
    out.raw("\n  ");
    if let Some(note) = non_empty(entry.di_note.as_deref()) {
        out.raw("<p class=\"muted\">Note: ").text(note).raw("</p>");
    }
    out.raw("\n  ");
    let items = items_of(cx, &entry.id);
    if !items.is_empty() {
        checklist(&items, root, out);
    }
    out.raw("\n</section>\n");
}

/// One required item of the catalog, with the kind of evidence it needs.
fn di_item(item: &DiItem, out: &mut Html) {
    out.raw("<li>").text(&item.text).raw(" <span class=\"muted\">(");
    match item.kind {
        ItemKind::Record => {
            out.raw("a dated record");
            if let Some(every) = item.expected_every.map(|p| p.to_string()).filter(|p| !p.is_empty()) {
                out.raw(", expected every ").text(&every);
            }
        }
        ItemKind::Soa => {
            out.raw("the Statement of Applicability");
        }
        ItemKind::Document => {
            out.raw("a controlled document");
        }
    }
    out.raw(")</span>");
    if let Some(note) = non_empty(item.note.as_deref()) {
        out.raw("<br><span class=\"muted\">Note: ").text(note).raw("</span>");
    }
    out.raw("</li>");
}

/// The clause's checklist table.
fn checklist(items: &[ItemView], root: &str, out: &mut Html) {
    out.raw("\n  <div class=\"table-wrap\">\n  <table class=\"checklist\">\n    <thead><tr><th scope=\"col\">Required item</th><th scope=\"col\">State</th><th scope=\"col\">Evidence</th></tr></thead>\n    <tbody>");
    for i in items {
        let state = i.state.as_str();
        out.raw("<tr data-item=\"").text(i.key).raw("\" data-state=\"").text(state).raw("\"><td>").text(i.item);
        out.raw("</td><td><span class=\"badge item-").text(state).raw(" state-cell\">").text(i.label);
        out.raw("</span></td><td>");
        for (k, e) in i.evidence.iter().enumerate() {
            out.raw("<a href=\"").text(root).text(&e.doc.href).raw("\">").text(&e.doc.id);
            out.raw("</a> <time datetime=\"").text(&e.date).raw("\">").text(&e.date).raw("</time>");
            if k + 1 < i.evidence.len() {
                out.raw(", ");
            }
        }
        if i.evidence.is_empty() {
            out.raw("Not evidenced");
        }
        for (k, s) in i.short.iter().enumerate() {
            if k == 0 {
                out.raw("; not counted:");
            }
            out.raw(" <a href=\"").text(root).text(&s.doc.href).raw("\">").text(&s.doc.id).raw("</a> (");
            out.text(s.why).raw(")");
        }
        out.raw("</td></tr>");
    }
    out.raw("</tbody>\n  </table>\n  </div>\n  <p><a href=\"").text(root);
    out.raw("checklist.html\">Mandatory documented information</a></p>\n  ");
}

/// A control's "Statement of Applicability" section.
fn soa_section(soa: &SoaView, root: &str, out: &mut Html) {
    out.raw("\n<section class=\"soa-entry\" aria-labelledby=\"soa-heading\">\n  <h2 id=\"soa-heading\">Statement of Applicability</h2>\n  <dl class=\"summary\">\n    <div><dt>Applicable</dt><dd><span class=\"badge applicable-");
    out.text(&soa.applicable.replace(' ', "-")).raw("\">").text(soa.applicable).raw("</span></dd></div>\n    ");
    if !soa.status.is_empty() {
        out.raw("<div><dt>Implementation</dt><dd><span class=\"badge impl-").text(soa.status).raw("\">");
        out.text(soa.status).raw("</span></dd></div>");
    }
    out.raw("\n  </dl>\n  ");
    if !soa.justification.is_empty() {
        out.raw("<p>").text(&soa.justification).raw("</p>");
    }
    out.raw("\n  ");
    if soa.flagged {
        out.raw("<div class=\"banner banner-overdue\" role=\"note\">Applicable, but no approved, current document lists this control in its <code>controls</code>.</div>");
    }
    out.raw("\n  <p>");
    if let Some(href) = non_empty(soa.soa.as_deref()) {
        out.raw("<a href=\"").text(root).text(href).raw("\">The SoA document</a> · ");
    }
    out.raw("<a href=\"").text(root).raw("soa.html\">All controls</a></p>\n</section>\n");
}

/// The "Documents addressing" section.
fn documents(cx: &RenderCx, entry: &Entry, docs: &[usize], root: &str, out: &mut Html) {
    out.raw("\n<section aria-labelledby=\"docs-heading\">\n  <h2 id=\"docs-heading\">Documents addressing ");
    out.text(&entry.id).raw("</h2>\n  ");
    if docs.is_empty() {
        out.raw("<p>No document addresses ").text(&entry.id).raw(" yet.</p>");
    } else {
        out.raw("\n  <div class=\"table-wrap\">\n  <table>\n    <thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Title</th><th scope=\"col\">Type</th><th scope=\"col\">Version</th><th scope=\"col\">State</th><th scope=\"col\">Next review</th></tr></thead>\n    <tbody>");
        for d in docs.iter().map(|&i| &cx.rows[i]) {
            out.raw("<tr><td><a href=\"").text(root).text(&d.href).raw("\">").text(&d.id).raw("</a></td><td>");
            out.text(&d.title).raw("</td><td>").text(&d.doc_type).raw("</td><td>").text(&d.version);
            out.raw("</td><td><span class=\"badge state-").text(d.state).raw("\">").text(d.state);
            out.raw("</span></td><td>").text(&d.next_review).raw("</td></tr>");
        }
        out.raw("</tbody>\n  </table>\n  </div>\n  ");
    }
    out.raw("\n</section>\n");
}

/// The "Evidence for" section.
fn evidence(entry: &Entry, rows: &[EvidenceRow], root: &str, out: &mut Html) {
    out.raw("\n<section aria-labelledby=\"evidence-heading\">\n  <h2 id=\"evidence-heading\">Evidence for ");
    out.text(&entry.id).raw("</h2>\n  ");
    if rows.is_empty() {
        out.raw("<p>No record or evidence file backs ").text(&entry.id).raw(" yet.</p>");
    } else {
        out.raw("\n  <div class=\"table-wrap\">\n  <table class=\"evidence\">\n    <thead><tr><th scope=\"col\">File</th><th scope=\"col\">Kind</th><th scope=\"col\">Record date</th><th scope=\"col\">From</th><th scope=\"col\">State</th><th scope=\"col\">Size (bytes)</th><th scope=\"col\">SHA-256</th></tr></thead>\n    <tbody>");
        for r in rows {
            evidence_row(r, root, out);
        }
        out.raw("</tbody>\n  </table>\n  </div>\n  ");
    }
    out.raw("\n  <p><a href=\"").text(root).raw("evidence.html\">Evidence index</a></p>\n</section>\n");
}

/// One row of the evidence table: a withheld file is named, never linked.
fn evidence_row(r: &EvidenceRow, root: &str, out: &mut Html) {
    out.raw("<tr data-path=\"").text(&r.path).raw("\"><td>");
    if r.withheld {
        out.raw("<span title=\"").text(&r.path).raw("\">").text(&r.name).raw("</span> <span class=\"badge withheld\">");
        out.text(r.availability).raw("</span>");
    } else {
        out.raw("<a href=\"").text(root).text(&r.href).raw("\"");
        if !r.download.is_empty() {
            out.raw(" download=\"").text(&r.download).raw("\"");
        }
        out.raw(">").text(&r.name).raw("</a>");
    }
    out.raw("</td><td>").text(r.kind).raw("</td><td>").text(&r.record_date).raw("</td><td>");
    for (k, id) in r.documents.iter().enumerate() {
        out.raw("<a class=\"doc-ref\" href=\"").text(root).raw("documents/").text(id).raw(".html\">").text(id);
        out.raw("</a>");
        if k + 1 < r.documents.len() {
            out.raw(", ");
        }
    }
    out.raw("</td><td><span class=\"badge state-").text(r.state).raw("\">").text(r.state);
    out.raw("</span></td><td class=\"num\">").num(r.size).raw("</td><td><code class=\"hash\">").text(&r.sha256);
    out.raw("</code></td></tr>");
}

/// `value` unless it is absent or empty (a template's `{% if value %}`).
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}
