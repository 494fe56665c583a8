//! What each page was rendered from, as one hash per artifact, so `serve` re-renders only the
//! pages whose inputs changed. Document and catalog pages get a fingerprint of everything they
//! show (conservatively: the rows of every document they could list); every other artifact
//! (register, dashboard, exports, and any page added later) has none and is always re-rendered.
//! Writing is separate: a re-rendered page is written only when its bytes differ.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use crate::assess::checklist::evidence_date;
use crate::graph::{Attachment, Resolved};
use crate::render::RenderCx;
use crate::site::artifacts::Artifact;

/// Per-rebuild inputs shared by all fingerprints.
pub(super) struct Inputs<'a> {
    /// Hash of each document's register row (everything lists show about it).
    rows: &'a [u64],
    /// Hash of the assessment's SoA row of each Annex A control (its control page shows it),
    /// by control id.
    soa: HashMap<&'static str, u64>,
    /// Hash of the assessment's checklist items of each clause (its clause page shows them),
    /// by clause id.
    checklist: HashMap<&'static str, u64>,
    /// Hash of the sidebar (documents by type with counts), shown on every page.
    nav: u64,
}

impl Inputs<'_> {
    /// Computes the shared inputs of `cx`, given the [`hash_json`] of each of its rows.
    pub(super) fn new<'a>(cx: &RenderCx, rows: &'a [u64]) -> Inputs<'a> {
        Inputs {
            soa: soa_rows(cx, rows),
            checklist: checklist_items(cx, rows),
            rows,
            nav: hash_json(&crate::render::nav::build(cx.config, &cx.rows)),
        }
    }
}

/// One hash per control of what its SoA entry shows: the SoA document's row, the entry, and
/// the flag (which follows its implementers' currency).
fn soa_rows(cx: &RenderCx, rows: &[u64]) -> HashMap<&'static str, u64> {
    let soa = &cx.assessment.soa;
    let document = soa.document.map(|i| rows[i]);
    soa.rows
        .iter()
        .map(|r| {
            let mut h = DefaultHasher::new();
            (document, r.applicable(), r.status().map(|s| s as u8), r.justification(), r.flagged).hash(&mut h);
            (r.control.id.as_str(), h.finish())
        })
        .collect()
}

/// One hash per clause of its checklist items: state, and the rows, evidence dates and
/// shortfalls of the documents listed.
fn checklist_items(cx: &RenderCx, rows: &[u64]) -> HashMap<&'static str, u64> {
    let mut out: HashMap<&'static str, DefaultHasher> = HashMap::new();
    for item in &cx.assessment.checklist {
        let h = out.entry(item.clause.id.as_str()).or_default();
        (item.key(), item.state, item.newest).hash(h);
        for &i in &item.meeting {
            (i, rows[i], evidence_date(&cx.tree.documents[i], item.kind())).hash(h);
        }
        for &(i, why) in &item.short {
            (i, rows[i], why).hash(h);
        }
    }
    out.into_iter().map(|(id, h)| (id, h.finish())).collect()
}

/// The fingerprint of `artifact`, or `None` when it must always be re-rendered.
pub(super) fn of(artifact: &Artifact, cx: &RenderCx, inputs: &Inputs<'_>) -> Option<u64> {
    match artifact {
        Artifact::Document(i) => Some(document(*i, cx, inputs)),
        Artifact::CatalogEntry(e) => Some(catalog_entry(*e, cx, inputs)),
        Artifact::HighlightCss => Some(0),
        // The search page's own content is fixed; its sidebar counts the documents.
        Artifact::Search => Some(inputs.nav),
        // A document's print marks: its row and source hash (the site digest is the build's).
        Artifact::PrintMarks(crate::render::print::Marks::Document(i)) => {
            let mut h = DefaultHasher::new();
            (&cx.tree.documents[*i].sha256, inputs.rows[*i]).hash(&mut h);
            Some(h.finish())
        }
        // Lists every document: it changes when any row or source changes, and only then.
        Artifact::SearchIndex => Some(all_documents(cx, inputs)),
        // A passage part changes only with the text of its own entries.
        Artifact::SearchText(n) => Some(cx.search_index().text_fingerprint(cx, *n)),
        _ => None,
    }
}

fn all_documents(cx: &RenderCx, inputs: &Inputs) -> u64 {
    let mut h = DefaultHasher::new();
    for (d, row) in cx.tree.documents.iter().zip(inputs.rows) {
        (&d.sha256, row).hash(&mut h);
    }
    h.finish()
}

fn document(i: usize, cx: &RenderCx, inputs: &Inputs) -> u64 {
    let d = &cx.tree.documents[i];
    let g = cx.graph;
    let mut h = DefaultHasher::new();
    (&d.path, &d.sha256, inputs.rows[i], inputs.nav).hash(&mut h);
    for r in &g.links[i] {
        match r {
            Resolved::Page(t, fragment) => {
                (0u8, cx.tree.documents[*t].id.value.as_str(), fragment, inputs.rows[*t]).hash(&mut h)
            }
            Resolved::Clause(id) | Resolved::Control(id) => (1u8, id).hash(&mut h),
            Resolved::File(p) => (2u8, p, g.files.get(p).map(|f| (&f.sha256, f.size))).hash(&mut h),
            Resolved::AsWritten => 3u8.hash(&mut h),
            Resolved::Broken(why) => (4u8, why).hash(&mut h),
        }
    }
    attachments(i, cx, &mut h);
    let named = d.related.iter().chain(&d.supersedes).chain(&d.superseded_by).map(|s| s.value.as_str());
    for id in named {
        (id, g.by_id.get(id).map(|&t| inputs.rows[t])).hash(&mut h);
    }
    for &t in g.referenced_by[i].iter().chain(cx.assessment.lineage.chain(i)) {
        (t, inputs.rows[t]).hash(&mut h);
    }
    h.finish()
}

fn catalog_entry(e: usize, cx: &RenderCx, inputs: &Inputs) -> u64 {
    let id = crate::catalog::iso42001().entries[e].id.as_str();
    let mut h = DefaultHasher::new();
    (id, inputs.soa.get(id), inputs.checklist.get(id), inputs.nav).hash(&mut h);
    // The entry's own documents, and those of its parents and children (checklists and
    // evidence lists may roll them up).
    let related = |k: &str| k == id || k.starts_with(&format!("{id}.")) || id.starts_with(&format!("{k}."));
    for (key, docs) in cx.graph.clause_docs.iter().filter(|(k, _)| related(k)) {
        key.hash(&mut h);
        for &i in docs {
            (i, inputs.rows[i]).hash(&mut h);
            attachments(i, cx, &mut h);
        }
    }
    h.finish()
}

fn attachments(i: usize, cx: &RenderCx, h: &mut DefaultHasher) {
    for a in &cx.graph.attachments[i] {
        match a {
            Attachment::Found(p) => {
                // A file a document above `publish_up_to` uses is withheld: listed, not copied.
                let info = cx.graph.files.get(p).or_else(|| cx.graph.withheld.get(p));
                (0u8, p, info.map(|f| (&f.sha256, f.size))).hash(h)
            }
            Attachment::Outside(p) => (1u8, p).hash(h),
            Attachment::Missing(p) => (2u8, p).hash(h),
            Attachment::Refused(p, why) => (3u8, p, why).hash(h),
            Attachment::Unreadable(p, why) => (4u8, p, why).hash(h),
        }
    }
}

/// A hash of `value`'s JSON serialisation (so fields added to it later are covered).
pub(super) fn hash_json<T: serde::Serialize>(value: &T) -> u64 {
    let mut w = HashWriter(DefaultHasher::new());
    let _ = serde_json::to_writer(&mut w, value);
    w.0.finish()
}

/// A hash of some bytes.
pub(super) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

struct HashWriter(DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
