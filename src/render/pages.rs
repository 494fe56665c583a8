//! One function per page type: each builds its template context from the view models and
//! renders it. Paths in contexts are relative to the site root; `root` turns them into links
//! relative to the page, so the site works from any sub-path and from `file://`.

use serde::Serialize;
use tera::Context;

use super::markdown;
use super::section::Section;
use super::theme::Theme;
use super::view::{self, catalog_href, entry_links, DocRow, EntryLink};
use crate::assess::Assessment;
use crate::catalog::{self, DocInfo, Entry, Kind};
use crate::config::Config;
use crate::content::types::Date;
use crate::content::{Document, Tree};
use crate::graph::{Attachment, Graph, Resolved};

/// Everything the page renderers share.
pub(crate) struct RenderCx<'a> {
    /// The loaded tree.
    pub tree: &'a Tree,
    /// Its graph.
    pub graph: &'a Graph,
    /// Its assessment: currency, disposition, supersession, SoA and checklist.
    pub assessment: &'a Assessment,
    /// Configuration.
    pub config: &'a Config,
    /// The date currency is judged against.
    pub today: Date,
    /// Templates.
    pub theme: &'a Theme,
    /// One row per document, parallel to `tree.documents`.
    pub rows: Vec<DocRow>,
    /// SHA-256 of the site's `manifest.json`, shown in every page footer.
    pub site_digest: String,
    /// What git says about each document (history, versions), or why nothing.
    pub provenance: &'a crate::provenance::Provenance,
    /// What changed since an earlier portal (`build --changes-since`): the site then has
    /// `changes.html`, linked from the dashboard and the sidebar.
    pub changes: Option<&'a crate::integrity::diff::ChangeSet>,
    /// The sidebar (`nav` in templates), built on first use: once per build, shared by every
    /// page. Construct with `Default::default()`.
    pub nav: std::sync::OnceLock<tera::Value>,
    /// What several artifacts share (evidence rows, the search index), built on first use.
    /// Construct with `Default::default()`.
    pub shared: super::tables::Shared,
}

impl RenderCx<'_> {
    /// The context every page starts from (`root` climbs `depth` folders to the site root).
    pub(super) fn base(&self, depth: usize, title: &str, section: Section) -> Context {
        let mut c = self.chrome().clone();
        c.insert("root", &"../".repeat(depth));
        c.insert("page_title", title);
        c.insert("section", section.as_str());
        c.insert("site_digest", &self.site_digest);
        c.insert("print_marks", &super::print::Marks::of_section(section).map(|m| m.path(self)));
        c.insert("release_signer", &self.config.release.signer());
        c.insert("nav_current", section.nav_key());
        c
    }

    /// The sidebar model shared by every page (see [`super::nav`]), built on first use.
    pub(crate) fn nav(&self) -> &tera::Value {
        self.nav.get_or_init(|| {
            let mut nav = super::nav::build(self.config, &self.rows);
            if let Some(set) = self.changes {
                nav.add_changes(&set.old.label);
            }
            tera::Value::from_serializable(&nav)
        })
    }

    /// The register rows of documents `indices`, as one template value (see `row_values`).
    pub(super) fn doc_values(&self, indices: impl Iterator<Item = usize>) -> tera::Value {
        let all = self.row_values();
        tera::Value::from(indices.map(|i| all[i].clone()).collect::<Vec<_>>())
    }

    /// The register rows of documents `indices`.
    pub(super) fn doc_links(&self, indices: impl Iterator<Item = usize>) -> Vec<&DocRow> {
        indices.map(|i| &self.rows[i]).collect()
    }
}

/// One attachment in a document page's Evidence table.
#[derive(Serialize)]
pub(crate) struct AttachmentView {
    /// Content-relative path.
    pub path: String,
    /// File name.
    pub name: String,
    /// Site path of the copy (empty when withheld).
    pub href: String,
    /// The original file name of an active file (see `urls::active`), else empty.
    pub download: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256.
    pub sha256: String,
    /// Not in the site (see `Graph::withheld`): listed, never linked.
    pub withheld: bool,
}

/// The ids a document gives under one other framework.
#[derive(Serialize)]
pub(crate) struct FrameworkView {
    /// The framework's key (`nist-ai-rmf`, ...).
    pub name: String,
    /// (id, title, site path of its entry or empty) per id.
    pub ids: Vec<(String, String, String)>,
}

/// One entry of a document's own applicability table.
#[derive(Serialize)]
pub(crate) struct SoaRow {
    /// Control number.
    pub control: String,
    /// Its title.
    pub title: String,
    /// Its page, relative to the site root.
    pub href: String,
    /// Applicable (absent: not said).
    pub applicable: Option<bool>,
    /// Implementation status word, or empty.
    pub status: String,
    /// Why.
    pub justification: String,
}

/// The page of document `i`: written directly when the theme keeps the built-in document
/// page (see [`super::document_page`]), else rendered from the theme's templates.
pub(crate) fn document(cx: &RenderCx, i: usize) -> anyhow::Result<String> {
    if cx.theme.builtin_document_page {
        return super::document_page::render(cx, i);
    }
    document_from_templates(cx, i)
}

/// The page of document `i`, rendered from `document.html`.
pub(crate) fn document_from_templates(cx: &RenderCx, i: usize) -> anyhow::Result<String> {
    let row = &cx.rows[i];
    let mut c = cx.base(1, &format!("{} {}", row.id, row.title), Section::Documents);
    document_head(cx, i, &mut c);
    document_links(cx, i, &mut c);
    document_records(&cx.tree.documents[i], row.published, &mut c);
    super::obsolete::extend(cx, i, &mut c);
    super::lineage::extend(cx, i, &mut c);
    super::versions::extend(cx, i, &mut c);
    cx.render("document.html", c)
}

/// The document's row, controlled-copy marks, body and banners.
fn document_head(cx: &RenderCx, i: usize, c: &mut Context) {
    let row = &cx.rows[i];
    let rendered = body(cx, i);
    c.insert_value("doc", cx.row_values()[i].clone());
    c.insert("nav_current", &format!("type:{}", row.doc_type));
    c.insert("type_label", &super::nav::type_label(&row.doc_type));
    c.insert("type_href", &format!("register.html#type={}", encode_path(&row.doc_type)));
    c.insert("print_marks", &super::print::doc_path(&row.id));
    c.insert("facts", &super::facts::facts(row));
    c.insert("body_html", &rendered.html);
    c.insert("toc_numbered", &super::facts::toc_numbered(&rendered.toc));
    c.insert("toc", &rendered.toc);
    c.insert("banners", &super::facts::banners(cx, i));
}

/// The rendered body of document `i` (nothing when its text is not published).
pub(crate) fn body(cx: &RenderCx, i: usize) -> markdown::Rendered {
    let d = &cx.tree.documents[i];
    if !cx.rows[i].published {
        return markdown::Rendered::default();
    }
    let hrefs: Vec<String> = cx.graph.links[i].iter().zip(&d.links).map(|(r, l)| link_href(cx, r, &l.raw)).collect();
    markdown::render(&d.body, &hrefs, cx.config.documents.allow_raw_html)
}

/// What the document addresses and which documents and files it is linked with.
fn document_links(cx: &RenderCx, i: usize, c: &mut Context) {
    let d = &cx.tree.documents[i];
    c.insert_value("clauses", view::entry_values(d.clauses.iter().map(|s| s.value.as_str())));
    c.insert_value("controls", view::entry_values(d.controls.iter().map(|s| s.value.as_str())));
    c.insert("frameworks", &frameworks(d));
    let ids = |list: &[crate::content::types::Spanned<crate::content::types::DocId>]| {
        cx.doc_values(list.iter().filter_map(|s| cx.graph.by_id.get(s.value.as_str()).copied()))
    };
    c.insert_value("related", ids(&d.related));
    c.insert_value("supersedes", ids(&d.supersedes));
    c.insert_value("superseded_by", ids(d.superseded_by.as_slice()));
    c.insert_value("referenced_by", cx.doc_values(cx.graph.referenced_by[i].iter().copied()));
    c.insert("attachments", &attachments(cx, i));
}

/// The document's own records: history, reviews, retention, origin, size, SoA entries.
/// A document above `publish_up_to` (`published` false) has its change summaries withheld too.
fn document_records(d: &Document, published: bool, c: &mut Context) {
    c.insert("history", &history_rows(d, published));
    c.insert("reviews", &review_rows(d));
    c.insert("retention", &d.retention.as_ref().map(|r| r.value.to_string()).unwrap_or_default());
    c.insert("origin", &d.origin.value);
    c.insert("source_publisher", &d.source.as_ref().map(|s| s.value.clone()).unwrap_or_default());
    c.insert("reference", &d.reference.as_ref().map(|s| s.value.clone()).unwrap_or_default());
    c.insert("size", &d.size);
    c.insert("soa", &soa_rows(d));
}

fn date_text(x: &Option<crate::content::types::Spanned<Date>>) -> String {
    x.as_ref().map(|x| x.value.to_string()).unwrap_or_default()
}

/// The change history as (version, date, by, summary) rows; the summaries are left empty when
/// the text is not `published`.
pub(crate) fn history_rows(d: &Document, published: bool) -> Vec<(String, String, &str, &str)> {
    d.history
        .iter()
        .map(|h| {
            let version = h.version.as_ref().map(|v| v.value.to_string()).unwrap_or_default();
            (version, date_text(&h.date), h.by.as_str(), if published { h.summary.as_str() } else { "" })
        })
        .collect()
}

/// The reviews as (date, by, outcome) rows.
pub(crate) fn review_rows(d: &Document) -> Vec<(String, &str, Option<crate::content::types::Outcome>)> {
    d.reviews.iter().map(|r| (date_text(&r.date), r.by.as_str(), r.outcome)).collect()
}

fn link_href(cx: &RenderCx, resolved: &Resolved, raw: &str) -> String {
    match resolved {
        Resolved::Page(t, fragment) => {
            let id = cx.tree.documents[*t].id.value.as_str();
            match fragment {
                Some(f) => format!("{id}.html#{f}"),
                None => format!("{id}.html"),
            }
        }
        Resolved::Clause(id) | Resolved::Control(id) => format!("../{}", catalog_href(id)),
        Resolved::File(p) if cx.graph.withheld.contains_key(p) => "#withheld".to_string(),
        Resolved::File(p) => format!("../{}", encode_path(&crate::urls::site_path(p))),
        Resolved::AsWritten => raw.to_string(),
        Resolved::Broken(_) => "#broken-link".to_string(),
    }
}

pub(crate) use crate::urls::encode_path;

/// The evidence rows of document `i`'s page.
pub(crate) fn attachments(cx: &RenderCx, i: usize) -> Vec<AttachmentView> {
    cx.graph.attachments[i]
        .iter()
        .filter_map(|a| match a {
            Attachment::Found(p) => Some(p),
            _ => None,
        })
        .filter_map(|p| {
            let (info, withheld) = match cx.graph.files.get(p) {
                Some(info) => (info, false),
                None => (cx.graph.withheld.get(p)?, true),
            };
            let published = |s: String| if withheld { String::new() } else { s };
            Some(AttachmentView {
                name: p.rsplit('/').next().unwrap_or(p).to_string(),
                href: published(encode_path(&crate::urls::site_path(p))),
                download: published(crate::render::active::download_name(p).unwrap_or_default()),
                path: p.clone(),
                size: info.size,
                sha256: info.sha256.clone(),
                withheld,
            })
        })
        .collect()
}

/// The other frameworks' ids document `d` names.
pub(crate) fn frameworks(d: &Document) -> Vec<FrameworkView> {
    let nist = catalog::nist_ai_rmf();
    d.frameworks
        .iter()
        .map(|(name, ids)| FrameworkView {
            name: name.clone(),
            ids: ids
                .value
                .iter()
                .map(|id| {
                    let title = nist.get(&id.value).map(|n| n.short_title.clone()).unwrap_or_default();
                    let href = if name == catalog::NIST_AI_RMF {
                        format!("{}#{}", super::crosswalk::NIST_PAGE, super::crosswalk::nist_anchor(&id.value))
                    } else {
                        String::new()
                    };
                    (id.value.clone(), title, href)
                })
                .collect(),
        })
        .collect()
}

/// Document `d`'s own applicability entries.
pub(crate) fn soa_rows(d: &Document) -> Vec<SoaRow> {
    let iso = catalog::iso42001();
    d.applicability
        .iter()
        .filter_map(|e| {
            let id = e.control.as_ref()?.value.clone();
            Some(SoaRow {
                title: iso.get(&id).map(|x| x.title.clone()).unwrap_or_default(),
                href: catalog_href(&id),
                control: id,
                applicable: e.applicable,
                status: e.status.map(|s| format!("{s:?}").to_lowercase()).unwrap_or_default(),
                justification: e.justification.clone(),
            })
        })
        .collect()
}

/// The dashboard (site root `index.html`).
pub(crate) fn dashboard(cx: &RenderCx) -> anyhow::Result<String> {
    let mut c = cx.base(0, "Dashboard", Section::Dashboard);
    c.insert("total", &cx.rows.len());
    c.insert("by_status", &view::state_counts(&cx.rows));
    let mut overdue: Vec<&DocRow> = cx.rows.iter().filter(|r| r.overdue).collect();
    overdue.sort_by(|a, b| a.next_review.cmp(&b.next_review).then(a.id.cmp(&b.id)));
    let mut due: Vec<&DocRow> = cx.rows.iter().filter(|r| r.due_soon).collect();
    due.sort_by(|a, b| a.next_review.cmp(&b.next_review).then(a.id.cmp(&b.id)));
    c.insert("overdue", &overdue);
    c.insert("due_soon", &due);
    let not_approved: Vec<&DocRow> = cx.rows.iter().filter(|r| r.currency.is_version_not_approved()).collect();
    c.insert("not_approved", &not_approved);
    let required =
        view::index_entries(cx.graph, &cx.rows, &[Kind::Clause]).into_iter().filter(|e| e.required).collect::<Vec<_>>();
    c.insert("required", &required);
    let controls = view::index_entries(cx.graph, &cx.rows, &[Kind::AnnexControl]);
    c.insert("controls_covered", &controls.iter().filter(|e| e.current > 0).count());
    c.insert("controls_total", &controls.len());
    super::dashboard::extend(cx, &mut c);
    c.insert("changes", &cx.changes.map(super::changes::summary));
    cx.render("dashboard.html", c)
}

/// The search page (`search.html?q=term` runs the query).
pub(crate) fn search(cx: &RenderCx) -> anyhow::Result<String> {
    let c = cx.base(0, "Search", Section::Search);
    cx.render("search.html", c)
}

/// `verify.html`: the two digests in plain words and the commands that check them.
pub(crate) fn verify(cx: &RenderCx) -> anyhow::Result<String> {
    cx.render("verify.html", cx.base(0, "Verify this portal", Section::Verify))
}

#[derive(Serialize)]
struct EntryView<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    required: bool,
    meta: bool,
    parent: Option<EntryLink>,
    children: Vec<EntryLink>,
}

/// The page of one clause, objective or control: written directly when the theme keeps the
/// built-in entry page (see [`super::entry_page`]), else rendered from the theme's templates.
pub(crate) fn catalog_entry(cx: &RenderCx, entry: &Entry) -> anyhow::Result<String> {
    if cx.theme.builtin_entry_page {
        return super::entry_page::render(cx, entry);
    }
    catalog_entry_from_templates(cx, entry)
}

/// The page of one clause, objective or control, rendered from `catalog_entry.html`.
pub(crate) fn catalog_entry_from_templates(cx: &RenderCx, entry: &Entry) -> anyhow::Result<String> {
    let section = entry_section(entry);
    let mut c = cx.base(1, &format!("{} {}", entry.id, entry.title), section);
    c.insert(
        "entry",
        &EntryView {
            entry,
            required: entry.documented_information == DocInfo::Required,
            meta: entry.documented_information == DocInfo::Meta,
            parent: entry.parent.as_deref().and_then(|p| entry_links(std::iter::once(p)).pop()),
            children: entry_children(entry),
        },
    );
    c.insert("nav_current", &super::nav::entry_key(&entry.id));
    c.insert("ancestors", &ancestors(entry));
    c.insert_value("documents", cx.doc_values(entry_docs(cx, entry).iter().copied()));
    super::entry::extend(cx, entry, &mut c);
    cx.render("catalog_entry.html", c)
}

/// The section of an entry's page: clauses, or Annex A.
pub(crate) fn entry_section(entry: &Entry) -> Section {
    if entry.kind == Kind::Clause {
        Section::Clauses
    } else {
        Section::AnnexA
    }
}

/// The documents addressing `entry` (indices into the tree), in the graph's order.
pub(crate) fn entry_docs<'a>(cx: &'a RenderCx, entry: &Entry) -> &'a [usize] {
    cx.graph.clause_docs.get(&entry.id).map_or(&[][..], Vec::as_slice)
}

/// The entries `entry` contains, in catalog order.
pub(crate) fn entry_children(entry: &Entry) -> Vec<EntryLink> {
    let iso = catalog::iso42001();
    entry_links(iso.entries.iter().filter(|e| e.parent.as_deref() == Some(entry.id.as_str())).map(|e| e.id.as_str()))
}

/// The enclosing clauses or objectives of `entry`, outermost first (for the breadcrumbs).
pub(crate) fn ancestors(entry: &Entry) -> Vec<EntryLink> {
    let iso = catalog::iso42001();
    let mut ids = Vec::new();
    let mut at = entry.parent.as_deref();
    while let Some(id) = at {
        ids.push(id);
        at = iso.get(id).and_then(|e| e.parent.as_deref());
    }
    ids.reverse();
    entry_links(ids.into_iter())
}

/// The clause index or the Annex A index.
pub(crate) fn catalog_index(cx: &RenderCx, annex: bool) -> anyhow::Result<String> {
    let (title, section, kinds): (&str, Section, &[Kind]) = if annex {
        ("Annex A controls", Section::AnnexA, &[Kind::AnnexObjective, Kind::AnnexControl])
    } else {
        ("Clauses 4-10", Section::Clauses, &[Kind::Clause])
    };
    let mut c = cx.base(1, title, section);
    c.insert("entries", &view::index_entries(cx.graph, &cx.rows, kinds));
    c.insert("annex", &annex);
    cx.render("catalog_index.html", c)
}
