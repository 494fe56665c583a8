//! The generated outputs of a build, as a list: every page and export is one [`Artifact`] with
//! a site path and a render function. The full build renders them all; `serve` re-renders only
//! the ones an edit affects. Add a page by adding a variant, its path and its render arm.

use super::exports;
use crate::assess::in_force_files::Source;
use crate::catalog::{self, Entry};
use crate::provenance::attached;
use crate::render::{
    brand, calendar, changes, checklist, crosswalk, evidence, evidence_page, feed, highlight, pages, print, register,
    soa, tables, version_page, versions, view, RenderCx,
};

/// One generated file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Artifact {
    /// `index.html`.
    Dashboard,
    /// `register.html`.
    Register,
    /// `register.csv`.
    RegisterCsv,
    /// `register.json`.
    RegisterJson,
    /// `clauses/index.html`.
    ClauseIndex,
    /// `annex-a/index.html`.
    AnnexIndex,
    /// One document page (index into the document list).
    Document(usize),
    /// One clause, objective or control page (index into the ISO/IEC 42001 catalog entries).
    CatalogEntry(usize),
    /// `assets/highlight.css`.
    HighlightCss,
    /// One print-marks stylesheet under `assets/marks/` (see `render::print`).
    PrintMarks(print::Marks),
    /// `assets/search-index.js` (client-side search index).
    SearchIndex,
    /// `search.html`.
    Search,
    /// `soa.html`: the Statement of Applicability.
    Soa,
    /// `soa.csv`.
    SoaCsv,
    /// `evidence.html`: the evidence index.
    Evidence,
    /// `evidence.csv`.
    EvidenceCsv,
    /// `evidence.json`.
    EvidenceJson,
    /// `checklist.html`: mandatory documented information (the Stage 1 documentation review).
    Checklist,
    /// `checklist.csv`.
    ChecklistCsv,
    /// `nist-ai-rmf.html`: the NIST AI RMF crosswalk.
    NistCrosswalk,
    /// `iso27001.html`: the ISO/IEC 27001 comparison.
    Iso27001,
    /// `assets/brand.css`: the `[site] accent` colour as CSS custom properties.
    BrandCss,
    /// `assets/brand-logo.<ext>`: the `[site] logo`, copied (only when one is configured).
    BrandLogo,
    /// `verify.html`: how to check the portal against its release digest.
    Verify,
    /// `reviews.ics`: the review calendar (RFC 5545).
    ReviewsIcs,
    /// `changes.xml`: the Atom feed of new versions, approvals and supersessions.
    ChangesFeed,
    /// `changes.html`: what changed since an earlier portal (only with `build --changes-since`).
    Changes,
    /// `assets/register/N.js`: part N of a register too long for one page.
    RegisterPart(usize),
    /// `assets/evidence/N.js`: part N of an evidence index too long for one page.
    EvidencePart(usize),
    /// `assets/search/tN.js`: part N of the search vocabulary.
    SearchTerms(usize),
    /// `assets/search/mN.js`: part N of the search results' metadata.
    SearchMeta(usize),
    /// `assets/search/xN.js`: part N of the search results' passages.
    SearchText(usize),
    /// `documents/ID/vX.html`: the `k`th superseded approved version (oldest first) of document
    /// `i`, from git.
    OldVersion(usize, usize),
    /// `documents/ID/changes-vA-to-vB.html`: the redline from the `k`th superseded version of
    /// document `i` to the next approved version (or to the work tree's text).
    Redline(usize, usize),
    /// `documents/ID/vX/evidence/...`: attachment `k` of document `i`'s version in force, copied
    /// from git because the work tree no longer holds the bytes it was approved with.
    KeptFile(usize, usize),
}

impl Artifact {
    /// Path of the artifact relative to the site root.
    pub(crate) fn path(&self, cx: &RenderCx) -> String {
        match self {
            Artifact::Dashboard => "index.html".into(),
            Artifact::Register => "register.html".into(),
            Artifact::RegisterCsv => "register.csv".into(),
            Artifact::RegisterJson => "register.json".into(),
            Artifact::ClauseIndex => "clauses/index.html".into(),
            Artifact::AnnexIndex => "annex-a/index.html".into(),
            Artifact::Document(i) => view::doc_href(cx.tree.documents[*i].id.value.as_str()),
            Artifact::CatalogEntry(i) => view::catalog_href(&entry(*i).id),
            Artifact::HighlightCss => "assets/highlight.css".into(),
            Artifact::PrintMarks(m) => m.path(cx),
            Artifact::SearchIndex => "assets/search-index.js".into(),
            Artifact::Search => "search.html".into(),
            Artifact::Soa => "soa.html".into(),
            Artifact::SoaCsv => "soa.csv".into(),
            Artifact::Evidence => "evidence.html".into(),
            Artifact::EvidenceCsv => "evidence.csv".into(),
            Artifact::EvidenceJson => "evidence.json".into(),
            Artifact::Checklist => "checklist.html".into(),
            Artifact::ChecklistCsv => "checklist.csv".into(),
            Artifact::NistCrosswalk => crosswalk::NIST_PAGE.into(),
            Artifact::Iso27001 => crosswalk::ISO27001_PAGE.into(),
            Artifact::BrandCss => brand::CSS_PATH.into(),
            Artifact::BrandLogo => brand::logo_path(cx.config).unwrap_or_default(),
            Artifact::Verify => "verify.html".into(),
            Artifact::ReviewsIcs => calendar::PATH.into(),
            Artifact::ChangesFeed => feed::PATH.into(),
            Artifact::Changes => changes::PATH.into(),
            Artifact::RegisterPart(n) => format!("assets/register/{n}.js"),
            Artifact::EvidencePart(n) => format!("assets/evidence/{n}.js"),
            Artifact::SearchTerms(n) => format!("assets/search/t{n}.js"),
            Artifact::SearchMeta(n) => format!("assets/search/m{n}.js"),
            Artifact::SearchText(n) => format!("assets/search/x{n}.js"),
            Artifact::OldVersion(i, k) => versions::old_page_path(cx, *i, *k),
            Artifact::Redline(i, k) => versions::redline_page_path(cx, *i, *k),
            Artifact::KeptFile(i, k) => {
                let kept = versions::kept_files(cx, *i);
                kept.into_iter().find(|(at, _)| at == k).map(|(_, path)| path).unwrap_or_default()
            }
        }
    }

    /// Renders the artifact's bytes.
    pub(crate) fn render(&self, cx: &RenderCx) -> anyhow::Result<Vec<u8>> {
        let text = match self {
            Artifact::Dashboard => pages::dashboard(cx)?,
            Artifact::Register => register::page(cx)?,
            Artifact::RegisterCsv => exports::register_csv(&cx.rows)?,
            Artifact::RegisterJson => exports::register_json(&cx.rows)?,
            Artifact::ClauseIndex => pages::catalog_index(cx, false)?,
            Artifact::AnnexIndex => pages::catalog_index(cx, true)?,
            Artifact::Document(i) => pages::document(cx, *i)?,
            Artifact::CatalogEntry(i) => pages::catalog_entry(cx, entry(*i))?,
            Artifact::HighlightCss => highlight::stylesheet()?,
            Artifact::PrintMarks(m) => m.css(cx),
            Artifact::SearchIndex => cx.search_index().manifest_script()?,
            Artifact::Search => pages::search(cx)?,
            Artifact::Soa => soa::page(cx)?,
            Artifact::SoaCsv => soa::csv(cx)?,
            Artifact::Evidence => evidence_page::page(cx)?,
            Artifact::EvidenceCsv => evidence::csv(cx)?,
            Artifact::EvidenceJson => evidence::json(cx)?,
            Artifact::Checklist => checklist::page(cx)?,
            Artifact::ChecklistCsv => exports::checklist_csv(&checklist::all_items(cx))?,
            Artifact::NistCrosswalk => crosswalk::nist_page(cx)?,
            Artifact::Iso27001 => crosswalk::iso27001_page(cx)?,
            Artifact::BrandCss => brand::css(cx.config),
            Artifact::BrandLogo => return brand::logo_bytes(&cx.tree.root, cx.config),
            Artifact::Verify => pages::verify(cx)?,
            Artifact::ReviewsIcs => calendar::ics(cx),
            Artifact::ChangesFeed => feed::atom(cx),
            Artifact::Changes => changes::page(cx)?,
            Artifact::RegisterPart(n) => register::part(cx, *n)?,
            Artifact::EvidencePart(n) => evidence_page::part(cx, *n)?,
            Artifact::SearchTerms(n) => cx.search_index().term_script(*n)?,
            Artifact::SearchMeta(n) => cx.search_index().meta_script(*n)?,
            Artifact::SearchText(n) => cx.search_index().text_script(cx, *n)?,
            Artifact::OldVersion(i, k) => version_page::old_version(cx, *i, *k)?,
            Artifact::Redline(i, k) => version_page::redline_page(cx, *i, *k)?,
            Artifact::KeptFile(i, k) => return kept_file(cx, *i, *k),
        };
        Ok(text.into_bytes())
    }
}

/// Every artifact of a full build, in a stable order: the heavy ones first.
pub(crate) fn all(cx: &RenderCx) -> Vec<Artifact> {
    let mut out = vec![
        Artifact::Dashboard,
        Artifact::Register,
        Artifact::RegisterCsv,
        Artifact::RegisterJson,
        Artifact::ClauseIndex,
        Artifact::AnnexIndex,
        Artifact::HighlightCss,
        Artifact::SearchIndex,
        Artifact::Search,
        Artifact::Soa,
        Artifact::SoaCsv,
        Artifact::Evidence,
        Artifact::EvidenceCsv,
        Artifact::EvidenceJson,
        Artifact::Checklist,
        Artifact::ChecklistCsv,
        Artifact::NistCrosswalk,
        Artifact::Iso27001,
        Artifact::BrandCss,
        Artifact::Verify,
        Artifact::ReviewsIcs,
        Artifact::ChangesFeed,
    ];
    if brand::logo_path(cx.config).is_some() {
        out.push(Artifact::BrandLogo);
    }
    if cx.changes.is_some() {
        out.push(Artifact::Changes);
    }
    // The clause and control pages are the heaviest pages after the lists above (at 100,000
    // documents each lists thousands): they go before the many small ones, since the build
    // works through this list from the front, and a heavy page left for last keeps one core
    // busy while the other waits.
    out.extend((0..catalog::iso42001().entries.len()).map(Artifact::CatalogEntry));
    out.extend(print::Marks::all(cx.tree.documents.len()).map(Artifact::PrintMarks));
    out.extend(parts(cx));
    out.extend((0..cx.tree.documents.len()).map(Artifact::Document));
    for i in 0..cx.tree.documents.len() {
        let n = versions::superseded(cx, i).len();
        out.extend((0..n).flat_map(|k| {
            [Artifact::OldVersion(i, k), Artifact::Redline(i, k), Artifact::PrintMarks(print::Marks::OldVersion(i, k))]
        }));
        out.extend(versions::kept_files(cx, i).into_iter().map(|(k, _)| Artifact::KeptFile(i, k)));
    }
    out
}

/// The approved bytes of attachment `k` of document `i`'s version in force, from its blob
/// (checked again against the hash the assessment recorded).
fn kept_file(cx: &RenderCx, i: usize, k: usize) -> anyhow::Result<Vec<u8>> {
    let id = cx.tree.documents[i].id.value.as_str();
    let missing = || anyhow::anyhow!("internal error: {id} has no kept attachment {k}");
    let f = cx.assessment.in_force[i].as_deref().ok_or_else(missing)?;
    let file = f.files.get(k).ok_or_else(missing)?;
    let (Source::Blob(blob), Some(sha256)) = (&file.source, file.committed.sha256()) else { return Err(missing()) };
    let repo = cx.provenance.history().and_then(|h| h.repo.as_ref()).ok_or_else(missing)?;
    let bytes = attached::blob_bytes(repo, *blob)?;
    if crate::util::sha256_hex(&bytes) != sha256 {
        anyhow::bail!("`{}` of {id} version {} changed in git while the site was built", file.listed, f.version);
    }
    Ok(bytes)
}

/// The parts of the split lists: the register, the evidence index and the search index.
fn parts(cx: &RenderCx) -> Vec<Artifact> {
    let (terms, meta, text) = cx.search_index().counts();
    let mut out: Vec<Artifact> = (0..tables::part_count(cx.rows.len())).map(Artifact::RegisterPart).collect();
    out.extend((0..tables::part_count(cx.evidence_rows().len())).map(Artifact::EvidencePart));
    out.extend((0..terms).map(Artifact::SearchTerms));
    out.extend((0..meta).map(Artifact::SearchMeta));
    out.extend((0..text).map(Artifact::SearchText));
    out
}

fn entry(i: usize) -> &'static Entry {
    &catalog::iso42001().entries[i]
}
