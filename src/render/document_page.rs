//! The built-in document page, written directly: byte for byte what `document.html` (with
//! `versions.html`) on `base.html` renders, from the same view models ([`super::facts`],
//! [`super::pages`], [`super::versions`], the assessment's lineage), without building a template
//! context. Document pages are most of a site, and rendering them through Tera was the largest
//! share of a build's CPU after the Markdown itself (BENCHMARKS.md, ninth session).
//!
//! Used only while the theme overrides none of [`super::theme::DOCUMENT_PAGE_TEMPLATES`]; a theme
//! that does gets its own templates rendered. `html::tests` compares the two renderings of every
//! document of every fixture tree.

use super::html::{page, Frame, Html};
use super::pages::RenderCx;
use super::view::DocRow;
use super::{document_tables as tables, facts, markdown, section::Section};

/// The page of document `i`.
pub(crate) fn render(cx: &RenderCx, i: usize) -> anyhow::Result<String> {
    let row = &cx.rows[i];
    let root = "../";
    let sidebar = cx.sidebar_html(root, &format!("type:{}", row.doc_type))?;
    let body = super::pages::body(cx, i);
    let title = format!("{} {}", row.id, row.title);
    let marks = super::print::doc_path(&row.id);
    let frame = Frame {
        root,
        title: &title,
        section: Section::Documents.as_str(),
        print_marks: Some(&marks),
        sidebar: sidebar.as_str().unwrap_or_default(),
    };
    let mut out = Html::with_capacity(body.html.len() + 16 * 1024);
    page(cx, &frame, &mut out, |out| breadcrumbs(root, row, out), |out| content(cx, i, &body, root, out));
    Ok(out.finish())
}

/// The `breadcrumbs` block: dashboard, register, the document's type, the document.
fn breadcrumbs(root: &str, row: &DocRow, out: &mut Html) {
    out.raw("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol><li><a href=\"").text(root);
    out.raw("index.html\">Dashboard</a></li><li><a href=\"").text(root);
    out.raw("register.html\">Document register</a></li><li><a href=\"").text(root);
    out.raw("register.html#type=").text(&super::pages::encode_path(&row.doc_type)).raw("\">");
    out.text(&super::nav::type_label(&row.doc_type)).raw("</a></li><li><span aria-current=\"page\">").text(&row.id);
    out.raw("</span></li></ol></nav>");
}

/// The `content` block.
fn content(cx: &RenderCx, i: usize, body: &markdown::Rendered, root: &str, out: &mut Html) {
    let row = &cx.rows[i];
    let facts = facts::facts(row);
    out.raw("\n<article class=\"document\">\n<header class=\"doc-header\">\n  <p class=\"doc-id\">").text(&row.id);
    out.raw(" · ").text(&row.doc_type).raw("</p>\n  <h1>").text(&row.title).raw("</h1>\n");
    out.raw("  <ul class=\"doc-facts\" id=\"doc-facts\" aria-label=\"Document control\">\n");
    out.raw("    <li class=\"fact-state\"><span class=\"badge state-").text(row.state).raw("\">");
    out.text(&row.state_label).raw("</span></li>\n    <li class=\"fact-version\">Version <strong>").text(&row.version);
    out.raw("</strong></li>\n    <li class=\"fact-approval");
    if !facts.approved {
        out.raw(" fact-warn");
    }
    out.raw("\">").text(&facts.approval).raw("</li>\n    ");
    if !facts.next_review.is_empty() {
        out.raw("<li class=\"fact-review\">Next review <time datetime=\"").text(&facts.next_review).raw("\">");
        out.text(&facts.next_review).raw("</time>");
        if row.overdue {
            out.raw(" <span class=\"badge state-overdue\">overdue</span>");
        } else if row.due_soon {
            out.raw(" <span class=\"badge state-due\">due soon</span>");
        }
        out.raw("</li>");
    } else if row.state != "superseded" && row.state != "withdrawn" {
        out.raw("<li class=\"fact-review fact-warn\">No next review set</li>");
    }
    out.raw("\n    <li class=\"fact-owner\">Owner: ").text(&row.owner).raw("</li>\n  </ul>\n</header>\n");
    for b in facts::banners(cx, i) {
        out.raw("<div class=\"banner banner-").text(b.kind).raw("\" role=\"note\">").text(&b.text);
        if !b.href.is_empty() {
            out.raw(" <a href=\"").text(root).text(&b.href).raw("\">").text(&b.link);
            out.raw(" <span aria-hidden=\"true\">→</span></a>");
        }
        out.raw("</div>\n");
    }
    out.raw("\n");
    control_block(cx, i, &facts, root, out);
    contents_and_body(body, out);
    tables::all(cx, i, root, out);
    out.raw("</article>\n");
}

/// The "Document control details" fold: every identifying field, where it comes from, what it
/// addresses and its place in a supersession chain.
fn control_block(cx: &RenderCx, i: usize, facts: &facts::Facts, root: &str, out: &mut Html) {
    let row = &cx.rows[i];
    let d = &cx.tree.documents[i];
    out.raw("<details class=\"control-block\" id=\"document-control\">\n  <summary><span class=\"control-title\">Document control details</span> <span class=\"muted control-hint\">id, type, source file, SHA-256, clauses, controls</span></summary>\n  <dl class=\"details\">\n");
    out.raw("    <dt>Id</dt><dd>").text(&row.id).raw("</dd>\n    <dt>Type</dt><dd>").text(&row.doc_type);
    out.raw("</dd>\n    <dt>Status</dt><dd><span class=\"badge state-")
        .text(row.state)
        .raw("\">")
        .text(&row.state_label);
    out.raw("</span>");
    if row.state != row.status {
        out.raw(" <span class=\"muted\">(status field: ").text(&row.status).raw(")</span>");
    }
    out.raw("</dd>\n    <dt>Version</dt><dd>").text(&row.version).raw("</dd>\n    <dt>Owner</dt><dd>").text(&row.owner);
    out.raw("</dd>\n    <dt>Approval</dt><dd>").text(&facts.approval).raw("</dd>\n    <dt>Effective</dt><dd>");
    if facts.approved && !row.effective.is_empty() {
        out.text(&row.effective);
    } else {
        out.raw("-");
    }
    out.raw("</dd>\n    <dt>Next review</dt><dd>").text(&facts.next_review).raw("</dd>\n");
    out.raw("    <dt>Classification</dt><dd><span class=\"badge class-").text(&row.classification).raw("\">");
    out.text(&row.classification).raw("</span></dd>\n    ");
    if let Some(o) = super::obsolete::view(cx, i) {
        out.raw("<dt>Out of force</dt><dd class=\"obsolete\">").text(&o.date).raw(" · ").text(&o.by);
        out.raw("<br><span class=\"obsolete-reason\">").text(&o.reason).raw("</span></dd>");
    }
    out.raw("\n    ");
    if let Some(retention) = d.retention.as_ref().map(|r| r.value.to_string()).filter(|r| !r.is_empty()) {
        out.raw("<dt>Retention</dt><dd>").text(&retention).raw("</dd>");
    }
    out.raw("\n    <dt>Origin</dt><dd>").text(d.origin.value.as_str());
    for extra in [&d.source, &d.reference].into_iter().flatten().filter(|s| !s.value.is_empty()) {
        out.raw(" · ").text(&extra.value);
    }
    out.raw("</dd>\n    <dt>Source file</dt><dd><code>").text(&row.source).raw("</code> <span class=\"muted\">(");
    out.num(d.size).raw(" bytes)</span></dd>\n    <dt>SHA-256</dt><dd><code class=\"hash\">").text(&row.sha256);
    out.raw("</code></dd>\n    ");
    tables::catalog_refs(cx, i, root, out);
    tables::lineage(cx, i, out);
    out.raw("\n  </dl>\n</details>\n");
}

/// The contents list (when there are two headings or more) and the body.
fn contents_and_body(body: &markdown::Rendered, out: &mut Html) {
    let toc = &body.toc;
    out.raw("<div class=\"doc-main");
    if toc.len() > 1 {
        out.raw(" has-toc");
    }
    out.raw("\">\n");
    if toc.len() > 1 {
        let numbered = facts::toc_numbered(toc);
        out.raw("\n<nav class=\"toc\" aria-labelledby=\"toc-heading\">\n  <details class=\"toc-fold\" id=\"toc-fold\">\n  <summary><h2 id=\"toc-heading\">On this page</h2> <span class=\"muted toc-count\">");
        out.num(toc.len() as u64).raw(" sections</span></summary>\n  ");
        out.raw(if numbered { "<ul class=\"toc-numbered\">" } else { "<ol>" });
        for t in toc {
            out.raw("<li class=\"toc-").num(u64::from(t.level)).raw("\"><a href=\"#").text(&t.anchor).raw("\">");
            out.text(&t.text).raw("</a></li>");
        }
        out.raw(if numbered { "</ul>" } else { "</ol>" });
        out.raw("\n  </details>\n</nav>\n");
    }
    out.raw("\n<div class=\"body\">\n").raw(&body.html).raw("\n</div>\n</div>\n");
}
