//! The link graph: documents by id and path, which documents address each clause and control,
//! backlinks, and every body link and attachment resolved once (to a page, a catalog entry, a
//! content file, or a reason it is broken). Validation reports the broken ones; rendering uses
//! the rest.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path};

use rayon::prelude::*;

use crate::catalog::{self, Kind};
use crate::config::Config;
use crate::content::links::LinkTarget;
use crate::content::{Document, Tree};

/// Where a body link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Another document's page (index into the document list), with an optional fragment.
    Page(usize, Option<String>),
    /// A clause page.
    Clause(String),
    /// An Annex A control page.
    Control(String),
    /// A file in the content tree, copied into the site (content-relative path).
    File(String),
    /// Left as written (external URL, in-page anchor).
    AsWritten,
    /// Broken, with the reason.
    Broken(String),
}

/// An attachment after resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attachment {
    /// Exists inside the evidence root (content-relative path).
    Found(String),
    /// Absolute or escaping the evidence root.
    Outside(String),
    /// Not there.
    Missing(String),
}

/// Size and hash of a content file copied into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// Bytes.
    pub size: u64,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

/// The resolved graph of a tree.
#[derive(Debug, Default)]
pub struct Graph {
    /// Document index by id (first document with that id).
    pub by_id: HashMap<String, usize>,
    /// Document index by content-relative path.
    pub by_path: HashMap<String, usize>,
    /// Documents addressing each clause (catalog ids only), in document order.
    pub clause_docs: BTreeMap<String, Vec<usize>>,
    /// Documents referring to each document (related, supersedes, superseded_by, links).
    pub referenced_by: Vec<BTreeSet<usize>>,
    /// Each document's body links, resolved, parallel to `Document::links`.
    pub links: Vec<Vec<Resolved>>,
    /// Each document's attachments, resolved, parallel to `Document::attachments`.
    pub attachments: Vec<Vec<Attachment>>,
    /// Every content file the site copies (attachments and linked files), with size and hash.
    pub files: BTreeMap<String, FileInfo>,
}

/// Builds the graph of `tree`.
pub fn build(tree: &Tree, config: &Config) -> Graph {
    let docs = &tree.documents;
    let mut g = Graph { referenced_by: vec![BTreeSet::new(); docs.len()], ..Graph::default() };
    for (i, d) in docs.iter().enumerate() {
        g.by_id.entry(d.id.value.as_str().to_string()).or_insert(i);
        g.by_path.insert(d.path.clone(), i);
        for c in d.clauses.iter().chain(&d.controls) {
            if catalog::iso42001().get(&c.value).is_some() {
                let list = g.clause_docs.entry(c.value.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    let root = tree.root.as_path();
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let evidence_root = root.join(&config.paths.evidence);
    let resolved: Vec<(Vec<Resolved>, Vec<Attachment>)> = docs
        .par_iter()
        .map(|d| {
            let links = d.links.iter().map(|l| resolve_link(&l.target, d, &g, root, &canonical_root)).collect();
            let atts = d
                .attachments
                .iter()
                .map(|a| resolve_attachment(&a.value, &config.paths.evidence, &evidence_root, root))
                .collect();
            (links, atts)
        })
        .collect();
    for (i, (links, atts)) in resolved.into_iter().enumerate() {
        g.links.push(links);
        g.attachments.push(atts);
        let d = &docs[i];
        let targets = d
            .related
            .iter()
            .chain(&d.supersedes)
            .chain(&d.superseded_by)
            .filter_map(|r| g.by_id.get(r.value.as_str()).copied());
        let linked = g.links[i].iter().filter_map(|r| match r {
            Resolved::Page(t, _) => Some(*t),
            _ => None,
        });
        for t in targets.chain(linked).filter(|&t| t != i).collect::<Vec<_>>() {
            g.referenced_by[t].insert(i);
        }
    }
    let wanted: BTreeSet<String> = g
        .links
        .iter()
        .flatten()
        .filter_map(|r| match r {
            Resolved::File(p) => Some(p.clone()),
            _ => None,
        })
        .chain(g.attachments.iter().flatten().filter_map(|a| match a {
            Attachment::Found(p) => Some(p.clone()),
            _ => None,
        }))
        .collect();
    g.files = wanted.into_par_iter().filter_map(|p| hash_file(&root.join(&p)).map(|info| (p, info))).collect();
    g
}

/// Where content file `rel` (content-relative) is published in the site: the one place that
/// decides the `files/` layout.
pub fn site_path(rel: &str) -> String {
    // Active types (HTML, SVG, XML, JavaScript) get a neutral name so they never run in the
    // portal's origin; see `render::active`.
    format!("files/{}", crate::render::active::neutral_name(rel))
}

/// Streams `path` through SHA-256 in fixed-size chunks (constant memory for any file size);
/// see [`crate::integrity::hash`].
pub fn hash_file(path: &Path) -> Option<FileInfo> {
    crate::integrity::hash::hash_file(path).ok()
}

fn resolve_link(target: &LinkTarget, doc: &Document, g: &Graph, root: &Path, canonical_root: &Path) -> Resolved {
    let iso = catalog::iso42001();
    match target {
        LinkTarget::Doc { id, fragment } => match g.by_id.get(id) {
            Some(&i) => Resolved::Page(i, fragment.clone()),
            None => Resolved::Broken(format!("no document has id `{id}`")),
        },
        LinkTarget::Clause(id) => match iso.get(id) {
            Some(e) if e.kind == Kind::Clause => Resolved::Clause(id.clone()),
            _ => Resolved::Broken(format!("`{id}` is not an ISO/IEC 42001 clause")),
        },
        LinkTarget::Control(id) => match iso.get(id) {
            Some(e) if e.kind != Kind::Clause => Resolved::Control(id.clone()),
            _ => Resolved::Broken(format!("`{id}` is not an ISO/IEC 42001 Annex A control")),
        },
        LinkTarget::Other => Resolved::AsWritten,
        LinkTarget::Unsafe(scheme) => {
            Resolved::Broken(format!("links with the `{scheme}:` scheme are not allowed in controlled documents"))
        }
        LinkTarget::Absolute(p) => Resolved::Broken(format!(
            "`{p}` is an absolute path, which breaks when the portal is served from a sub-path or opened from disk"
        )),
        LinkTarget::Relative { path, fragment } => {
            let decoded = percent_decode(path);
            let base = doc.path.rsplit_once('/').map_or("", |(dir, _)| dir);
            let Some(joined) = join_within(base, &decoded) else {
                return Resolved::Broken(format!("`{path}` leads outside the content root"));
            };
            if let Some(&i) = g.by_path.get(&joined) {
                return Resolved::Page(i, fragment.clone());
            }
            let abs = root.join(&joined);
            match abs.canonicalize() {
                Ok(c) if c.starts_with(canonical_root) && c.is_file() => Resolved::File(joined),
                Ok(c) if !c.starts_with(canonical_root) => {
                    Resolved::Broken(format!("`{path}` leads outside the content root"))
                }
                _ if joined.ends_with(".md") => Resolved::Broken(format!("no document at `{joined}`")),
                _ => Resolved::Broken(format!("no file at `{joined}`")),
            }
        }
    }
}

fn resolve_attachment(att: &str, evidence_dir: &str, evidence_root: &Path, root: &Path) -> Attachment {
    let bad = Path::new(att).is_absolute() || att.starts_with('/') || att.starts_with('\\') || att.contains(':');
    let Some(rel) = (!bad).then(|| join_within("", att)).flatten() else {
        return Attachment::Outside(att.to_string());
    };
    let content_rel = format!("{}/{}", evidence_dir.trim_end_matches('/'), rel);
    let canonical_evidence = evidence_root.canonicalize().ok();
    match (root.join(&content_rel).canonicalize(), canonical_evidence) {
        (Ok(c), Some(ev)) if c.starts_with(&ev) && c.is_file() => Attachment::Found(content_rel),
        (Ok(c), Some(ev)) if !c.starts_with(&ev) => Attachment::Outside(att.to_string()),
        _ => Attachment::Missing(content_rel),
    }
}

/// Joins `rel` onto directory `base` lexically; `None` if the result would leave the root.
pub fn join_within(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex_digit = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_stay_inside_the_root() {
        assert_eq!(join_within("documents/a", "../b/x.md").as_deref(), Some("documents/b/x.md"));
        assert_eq!(join_within("documents", "./x.md").as_deref(), Some("documents/x.md"));
        assert_eq!(join_within("documents", "../../x.md"), None);
        assert_eq!(join_within("", "/etc/passwd"), None);
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
