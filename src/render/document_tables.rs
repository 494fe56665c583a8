//! The lists and tables of the built-in document page ([`super::document_page`]), as
//! `document.html` and `versions.html` write them: the clauses, controls and frameworks it
//! addresses, its supersession chain, its applicability entries, evidence, change history,
//! versions from git, reviews and related documents.

use super::html::Html;
use super::pages::{self, RenderCx};
use super::view::DocRow;

/// The clause, control and other-framework references of document `i` (in the control fold).
pub(crate) fn catalog_refs(cx: &RenderCx, i: usize, root: &str, out: &mut Html) {
    let d = &cx.tree.documents[i];
    let lists = [
        ("Clauses", super::view::entry_links(d.clauses.iter().map(|s| s.value.as_str()))),
        ("Annex A controls", super::view::entry_links(d.controls.iter().map(|s| s.value.as_str()))),
    ];
    for (label, links) in lists {
        if !links.is_empty() {
            out.raw("<dt>").raw(label).raw("</dt><dd class=\"refs\">");
            for (k, c) in links.iter().enumerate() {
                out.raw(if k > 0 { ", " } else { "" });
                out.raw("<a href=\"").text(root).text(&c.href).raw("\" title=\"").text(&c.title).raw("\">");
                out.text(&c.id).raw("</a>");
            }
            out.raw("</dd>");
        }
        out.raw("\n    ");
    }
    for f in pages::frameworks(d) {
        out.raw("<dt>");
        match f.name.as_str() {
            crate::catalog::NIST_AI_RMF => out.raw("NIST AI RMF"),
            name => out.text(name),
        };
        out.raw("</dt><dd class=\"refs\">");
        for (k, (id, title, href)) in f.ids.iter().enumerate() {
            out.raw(if k > 0 { ", " } else { "" });
            if href.is_empty() {
                out.raw("<span title=\"").text(title).raw("\">").text(id).raw("</span>");
            } else {
                out.raw("<a href=\"").text(root).text(href).raw("\" title=\"").text(title).raw("\">");
                out.text(id).raw("</a>");
            }
        }
        out.raw("</dd>");
    }
    out.raw("\n    ");
}

/// The documents document `i` supersedes, those superseding it, and its whole chain.
pub(crate) fn lineage(cx: &RenderCx, i: usize, out: &mut Html) {
    let lineage = &cx.assessment.lineage;
    let lists = [
        ("Supersedes", "supersedes", &lineage.predecessors[i]),
        ("Superseded by", "superseded-by", &lineage.successors[i]),
    ];
    for (label, class, docs) in lists {
        if !docs.is_empty() {
            out.raw("<dt>").raw(label).raw("</dt><dd class=\"").raw(class).raw("\">");
            for (k, &j) in docs.iter().enumerate() {
                let d = &cx.rows[j];
                out.raw(if k > 0 { "<br>" } else { "" });
                out.raw("<a href=\"").text(&d.id).raw(".html\">").text(&d.id).raw("</a> ").text(&d.title);
                state_badge(d, out);
            }
            out.raw("</dd>");
        }
        out.raw("\n    ");
    }
    let chain = lineage.chain(i);
    if !chain.is_empty() {
        out.raw("<dt>Version chain</dt><dd><ol class=\"chain\">");
        for &j in chain {
            let d = &cx.rows[j];
            if d.id == cx.rows[i].id {
                out.raw("<li><strong aria-current=\"page\">").text(&d.id).raw("</strong>");
            } else {
                out.raw("<li><a href=\"").text(&d.id).raw(".html\">").text(&d.id).raw("</a>");
            }
            state_badge(d, out);
            out.raw("</li>");
        }
        out.raw("</ol></dd>");
    }
}

/// ` <span class="badge state-S">S</span>` for row `d`.
fn state_badge(d: &DocRow, out: &mut Html) {
    out.raw(" <span class=\"badge state-").text(d.state).raw("\">").text(d.state).raw("</span>");
}

/// Opens a table section with heading `heading` (id `key-heading`) and column heads `columns`,
/// up to the rows.
fn open_table(key: &str, heading: &str, columns: &[&str], out: &mut Html) {
    out.raw("\n<section aria-labelledby=\"").raw(key).raw("-heading\">\n  <h2 id=\"").raw(key).raw("-heading\">");
    out.raw(heading).raw("</h2>\n  <div class=\"table-wrap\">\n  <table>\n    <thead><tr>");
    for c in columns {
        out.raw("<th scope=\"col\">").raw(c).raw("</th>");
    }
    out.raw("</tr></thead>\n    <tbody>");
}

/// Closes what [`open_table`] opened.
fn close_table(out: &mut Html) {
    out.raw("</tbody>\n  </table>\n  </div>\n</section>\n");
}

/// Everything after the body: applicability, evidence, history, versions, reviews, related.
pub(crate) fn all(cx: &RenderCx, i: usize, root: &str, out: &mut Html) {
    let d = &cx.tree.documents[i];
    let soa = pages::soa_rows(d);
    if !soa.is_empty() {
        open_table(
            "soa",
            "Applicability of Annex A controls",
            &["Control", "Applicable", "Status", "Justification"],
            out,
        );
        for s in &soa {
            out.raw("<tr><td><a href=\"").text(root).text(&s.href).raw("\">").text(&s.control).raw("</a> ");
            out.text(&s.title).raw("</td><td><span class=\"badge applicable-");
            out.raw(if s.applicable == Some(true) { "yes\">yes" } else { "no\">no" }).raw("</span></td><td>");
            if !s.status.is_empty() {
                out.raw("<span class=\"badge impl-").text(&s.status).raw("\">").text(&s.status).raw("</span>");
            }
            out.raw("</td><td>").text(&s.justification).raw("</td></tr>");
        }
        close_table(out);
    }
    out.raw("\n");
    let attachments = pages::attachments(cx, i);
    if !attachments.is_empty() {
        open_table("evidence", "Evidence", &["File", "Size (bytes)", "SHA-256"], out);
        for a in &attachments {
            out.raw("<tr><td>");
            if a.withheld {
                out.text(&a.path).raw(" <span class=\"badge withheld\">withheld (classification)</span>");
            } else {
                out.raw("<a href=\"").text(root).text(&a.href).raw("\"");
                if !a.download.is_empty() {
                    out.raw(" download=\"").text(&a.download).raw("\"");
                }
                out.raw(">").text(&a.path).raw("</a>");
            }
            out.raw("</td><td class=\"num\">").num(a.size).raw("</td><td><code class=\"hash\">").text(&a.sha256);
            out.raw("</code></td></tr>");
        }
        close_table(out);
    }
    out.raw("\n");
    let history = pages::history_rows(d, cx.rows[i].published);
    if !history.is_empty() {
        open_table("history", "Change history", &["Version", "Date", "By", "Summary"], out);
        let withheld = !cx.graph.published[i];
        for (version, date, by, summary) in &history {
            out.raw("<tr><td>").text(version).raw("</td><td>").text(date).raw("</td><td>").text(by).raw("</td><td>");
            if withheld {
                out.raw("<span class=\"muted withheld\">withheld (classification)</span>");
            } else {
                out.text(summary);
            }
            out.raw("</td></tr>");
        }
        close_table(out);
    }
    out.raw("\n");
    versions(cx, i, out);
    out.raw("\n");
    let reviews = pages::review_rows(d);
    if !reviews.is_empty() {
        open_table("reviews", "Reviews", &["Date", "By", "Outcome"], out);
        for (date, by, outcome) in &reviews {
            out.raw("<tr><td>").text(date).raw("</td><td>").text(by).raw("</td><td>");
            out.raw(outcome.map_or("", |o| o.as_str())).raw("</td></tr>");
        }
        close_table(out);
    }
    out.raw("\n");
    related(cx, i, out);
    out.raw("\n");
}

/// "Related documents": those it names as related, and those linking to it.
fn related(cx: &RenderCx, i: usize, out: &mut Html) {
    let d = &cx.tree.documents[i];
    let named: Vec<usize> = d.related.iter().filter_map(|s| cx.graph.by_id.get(s.value.as_str()).copied()).collect();
    let linking: Vec<usize> = cx.graph.referenced_by[i].iter().copied().collect();
    if named.is_empty() && linking.is_empty() {
        return;
    }
    out.raw("\n<section aria-labelledby=\"links-heading\">\n  <h2 id=\"links-heading\">Related documents</h2>\n  ");
    doc_list(cx, "Related", &named, out);
    out.raw("\n  ");
    doc_list(cx, "Referenced by", &linking, out);
    out.raw("\n</section>\n");
}

/// A headed list of documents `docs` with their states (nothing when there are none).
fn doc_list(cx: &RenderCx, heading: &str, docs: &[usize], out: &mut Html) {
    if docs.is_empty() {
        return;
    }
    out.raw("<h3>").raw(heading).raw("</h3><ul class=\"doc-list\">");
    for &j in docs {
        let r = &cx.rows[j];
        out.raw("<li><a href=\"").text(&r.id).raw(".html\">").text(&r.id).raw(" ").text(&r.title).raw("</a>");
        state_badge(r, out);
        out.raw("</li>");
    }
    out.raw("</ul>");
}

/// `versions.html`: the version in force beside a draft, and the Versions table from git.
fn versions(cx: &RenderCx, i: usize, out: &mut Html) {
    let row = &cx.rows[i];
    let v = super::versions::view(cx, i);
    out.raw("\n");
    if let Some(f) = &v.in_force {
        if f.stands {
            out.raw("<div class=\"banner banner-in-force\" role=\"note\">Version ").text(&f.version);
            out.raw(" stays in force while this version ")
                .text(&row.version)
                .raw(" is in ")
                .text(&row.status)
                .raw(": ");
            read_version(&f.page, &f.version, out, true);
            if !f.changes.is_empty() {
                out.raw(" · <a href=\"").text(&f.changes).raw("\">what this draft changes</a>");
            }
            out.raw(".");
            if f.changed_files > 0 {
                out.raw(" ").num(f.changed_files as u64).raw(" of its attachments ");
                out.raw(if f.changed_files == 1 { "has" } else { "have" }).raw(" changed for this draft; ");
                out.raw(if f.page.is_empty() {
                    "the files as approved are not published"
                } else {
                    "its page keeps the files as approved"
                });
                out.raw(".");
            }
            out.raw("</div>");
        } else {
            out.raw("<div class=\"banner banner-superseded\" role=\"note\">No version is in force: version ");
            out.text(&f.version).raw(" was the last committed as approved, but ").text(&f.why_not);
            if !f.page.is_empty() {
                out.raw(": ");
                read_version(&f.page, &f.version, out, false);
            }
            out.raw(".</div>");
        }
        out.raw("\n");
    }
    out.raw("\n<section class=\"versions\" aria-labelledby=\"versions-heading\">\n  <h2 id=\"versions-heading\">Versions</h2>\n  ");
    if v.available {
        out.raw("\n  <div class=\"table-wrap\">\n  <table>\n    <thead><tr><th scope=\"col\">Version</th><th scope=\"col\">Status</th><th scope=\"col\">First committed</th><th scope=\"col\">By</th><th scope=\"col\">Commit</th><th scope=\"col\">Text</th></tr></thead>\n    <tbody>");
        for r in &v.rows {
            version_row(r, out);
        }
        out.raw("</tbody>\n  </table>\n  </div>\n  <p class=\"muted\">").num(v.commits.len() as u64).raw(" commit");
        out.raw(if v.commits.len() == 1 { "" } else { "s" }).raw(" changed this document");
        if let Some(c) = v.commits.first() {
            out.raw("; the latest ").text(&c.short).raw(" on ").text(&c.date).raw(" by ").text(&c.author);
        }
        out.raw(".</p>\n  ");
    } else {
        out.raw("\n  <p class=\"muted\">Version history from git is unavailable: ").text(&v.notice).raw(".</p>\n  ");
    }
    out.raw("\n</section>\n");
}

/// A link to the page of an earlier version `version` at `page` ("read version V"), or, when
/// `plain_without` and it has no page, just "version V".
fn read_version(page: &str, version: &str, out: &mut Html, plain_without: bool) {
    if !page.is_empty() {
        out.raw("<a href=\"").text(page).raw("\">read version ").text(version).raw("</a>");
    } else if plain_without {
        out.raw("version ").text(version);
    }
}

/// One row of the Versions table.
fn version_row(r: &super::versions::Row, out: &mut Html) {
    out.raw("<tr").raw(if r.in_force { " class=\"in-force\"" } else { "" }).raw("><td>").text(&r.version);
    if r.current {
        out.raw(" <span class=\"muted\">(this page)</span>");
    }
    out.raw("</td><td><span class=\"badge state-").text(&r.status).raw("\">").text(&r.status).raw("</span>");
    if r.in_force {
        out.raw(" <strong class=\"in-force-mark\">in force</strong>");
    } else if !r.page.is_empty() {
        out.raw(" <span class=\"muted\">superseded version, not in force</span>");
    }
    out.raw("</td><td>");
    match &r.first {
        Some(c) => out.text(&c.date),
        None => out.raw("<span class=\"muted\">not committed</span>"),
    };
    out.raw("</td><td>");
    if let Some(c) = &r.first {
        out.text(&c.author);
    }
    out.raw("</td><td>");
    if let Some(c) = &r.first {
        out.raw("<code class=\"hash\" title=\"").text(&c.hash).raw("\">").text(&c.short).raw("</code>");
    }
    out.raw("</td><td>");
    if !r.page.is_empty() {
        out.raw("<a href=\"").text(&r.page).raw("\">version ").text(&r.version).raw("</a>");
    }
    if !r.page.is_empty() && !r.changes.is_empty() {
        out.raw(" · ");
    }
    if !r.changes.is_empty() {
        out.raw("<a href=\"").text(&r.changes).raw("\">changes</a>");
    }
    out.raw("</td></tr>");
}
