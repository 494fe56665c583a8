//! What each page was rendered from, as one hash per artifact, so `serve` re-renders only the
//! pages whose inputs changed. Document and catalog pages get a fingerprint of everything they
//! show (conservatively: the rows of every document they could list); every other artifact
//! (register, dashboard, exports, and any page added later) has none and is always re-rendered.
//! Writing is separate: a re-rendered page is written only when its bytes differ.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::graph::{Attachment, Resolved};
use crate::render::RenderCx;
use crate::site::artifacts::Artifact;

/// Per-rebuild inputs shared by all fingerprints.
pub struct Inputs {
    /// Hash of each document's register row (everything lists show about it).
    rows: Vec<u64>,
    /// For each document, the documents connected to it by supersession (its chain).
    chain: Vec<Vec<usize>>,
    /// Hash of the Statement(s) of Applicability (rows and source), shown on control pages.
    soa: u64,
    /// Hash of the sidebar (documents by type with counts), shown on every page.
    nav: u64,
}

impl Inputs {
    /// Computes the shared inputs of `cx`.
    pub fn new(cx: &RenderCx) -> Inputs {
        let rows: Vec<u64> = cx.rows.par_iter().map(hash_json).collect();
        let mut soa = DefaultHasher::new();
        for (i, d) in cx.tree.documents.iter().enumerate() {
            if d.doc_type.value == cx.config.soa.document_type || !d.applicability.is_empty() {
                (rows[i], &d.sha256).hash(&mut soa);
            }
        }
        Inputs {
            chain: chains(cx),
            rows,
            soa: soa.finish(),
            nav: hash_json(&crate::render::nav::build(cx.config, &cx.rows)),
        }
    }
}

/// The fingerprint of `artifact`, or `None` when it must always be re-rendered.
pub fn of(artifact: &Artifact, cx: &RenderCx, inputs: &Inputs) -> Option<u64> {
    match artifact {
        Artifact::Document(i) => Some(document(*i, cx, inputs)),
        Artifact::CatalogEntry(e) => Some(catalog_entry(*e, cx, inputs)),
        Artifact::HighlightCss | Artifact::Search => Some(0),
        // Both list every document: they change when any row or source changes, and only then.
        Artifact::PrintMarks | Artifact::SearchIndex => Some(all_documents(cx, inputs)),
        _ => None,
    }
}

fn all_documents(cx: &RenderCx, inputs: &Inputs) -> u64 {
    let mut h = DefaultHasher::new();
    for (d, row) in cx.tree.documents.iter().zip(&inputs.rows) {
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
    for &t in g.referenced_by[i].iter().chain(&inputs.chain[i]) {
        (t, inputs.rows[t]).hash(&mut h);
    }
    h.finish()
}

fn catalog_entry(e: usize, cx: &RenderCx, inputs: &Inputs) -> u64 {
    let id = &crate::catalog::iso42001().entries[e].id;
    let mut h = DefaultHasher::new();
    (id, inputs.soa, inputs.nav).hash(&mut h);
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
            Attachment::Found(p) => (0u8, p, cx.graph.files.get(p).map(|f| (&f.sha256, f.size))).hash(h),
            Attachment::Outside(p) => (1u8, p).hash(h),
            Attachment::Missing(p) => (2u8, p).hash(h),
            Attachment::Refused(p, why) => (3u8, p, why).hash(h),
            Attachment::Unreadable(p, why) => (4u8, p, why).hash(h),
        }
    }
}

/// Supersession components: documents linked through `supersedes` / `superseded_by`.
fn chains(cx: &RenderCx) -> Vec<Vec<usize>> {
    let docs = &cx.tree.documents;
    let mut parent: Vec<usize> = (0..docs.len()).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (i, d) in docs.iter().enumerate() {
        for other in d.supersedes.iter().chain(&d.superseded_by) {
            if let Some(&j) = cx.graph.by_id.get(other.value.as_str()) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let roots: Vec<usize> = (0..docs.len()).map(|i| find(&mut parent, i)).collect();
    let mut members: std::collections::HashMap<usize, Vec<usize>> = std::collections::HashMap::new();
    for (i, &r) in roots.iter().enumerate() {
        members.entry(r).or_default().push(i);
    }
    roots
        .iter()
        .enumerate()
        .map(|(i, r)| {
            members
                .get(r)
                .filter(|m| m.len() > 1)
                .map_or_else(Vec::new, |m| m.iter().copied().filter(|&j| j != i).collect())
        })
        .collect()
}

/// A hash of `value`'s JSON serialisation (so fields added to it later are covered).
pub fn hash_json<T: serde::Serialize>(value: &T) -> u64 {
    let mut w = HashWriter(DefaultHasher::new());
    let _ = serde_json::to_writer(&mut w, value);
    w.0.finish()
}

/// A hash of some bytes.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
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
