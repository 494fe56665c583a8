//! The link graph: documents by id and path, which documents address each clause and control,
//! backlinks, and every body link and attachment resolved once (to a page, a catalog entry, a
//! content file, or a reason it is broken). Validation reports the broken ones; rendering uses
//! the rest.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalog::{self, Kind};
use crate::config::Config;
use crate::contain::{Refusal, Root};
use crate::content::links::LinkTarget;
use crate::content::{Document, Tree};
use crate::integrity::hash::HashCache;

mod relink;
pub(crate) use relink::{indexed, relink, Indexed};

/// Where a body link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
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
pub(crate) enum Attachment {
    /// Exists inside the evidence root (content-relative path).
    Found(String),
    /// Absolute or escaping the evidence root.
    Outside(String),
    /// Not there.
    Missing(String),
    /// A file aimsdoc will not publish (hidden, ignored, a symlink in an untrusted tree, a
    /// special file, control characters in the name): content-relative path, the reason.
    Refused(String, String),
    /// There, but could not be read: content-relative path, the error.
    Unreadable(String, String),
}

/// Size and hash of a content file copied into the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileInfo {
    /// Bytes.
    pub size: u64,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

/// The resolved graph of a tree.
#[derive(Debug, Default)]
pub(crate) struct Graph {
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
    /// The canonical path each of `files` is read from (checked to lie inside the content root).
    pub sources: BTreeMap<String, PathBuf>,
    /// Per document, whether it is published in full: its classification is at or below
    /// `publish_up_to`. Otherwise the portal shows its metadata only.
    pub published: Vec<bool>,
    /// Files attached to or linked from a document that is not published: listed with size and
    /// hash, never copied, linked or packed. Decided here once; no consumer decides again.
    /// (A file is withheld as soon as one unpublished document uses it: its classification is
    /// the highest of the documents it belongs to.) Never also in `files`.
    pub withheld: BTreeMap<String, FileInfo>,
    /// Every regular file in the evidence folder that could be evidence, with the path it was
    /// found at (see `content::evidence`).
    pub evidence_files: BTreeMap<String, PathBuf>,
}

/// Builds the graph of `tree`.
pub(crate) fn build(tree: &Tree, config: &Config) -> Graph {
    build_with(tree, config, None)
}

/// [`build`], taking content file hashes from `cache` where the file is unchanged (`serve`).
pub(crate) fn build_with(tree: &Tree, config: &Config, cache: Option<&HashCache>) -> Graph {
    let docs = &tree.documents;
    let mut g = Graph::default();
    index_documents(&mut g, docs);
    let files = Files::new(&tree.root, config);
    let resolved = resolve_all(docs, &g, &files);
    record_references(&mut g, resolved);
    g.evidence_files = crate::content::evidence::files(&tree.root, config);
    copy_files(&mut g, tree, config, &files, &BTreeMap::new(), cache);
    g
}

/// Lists the files to copy and hashes them (taking the source and hash from `known` where
/// listed there), decides what is published and moves what is not to `withheld`. `g.files`,
/// `g.sources` and `g.withheld` start empty.
fn copy_files(
    g: &mut Graph,
    tree: &Tree,
    config: &Config,
    files: &Files,
    known: &BTreeMap<String, (PathBuf, FileInfo)>,
    cache: Option<&HashCache>,
) {
    let wanted = wanted_files(g);
    hash_files(g, files, wanted, known, cache);
    g.published = tree.documents.iter().map(|d| config.is_published(classification(d, config))).collect();
    withhold(g);
}

/// Indexes documents by id (the first one wins) and path, and lists who addresses each clause
/// and control of the catalog. The three are built at once, each sized once: 200,000 single
/// inserts into growing maps were a twentieth of `check`'s samples at 100,000 documents, all on
/// the main thread.
fn index_documents(g: &mut Graph, docs: &[Document]) {
    let ((by_id, by_path), clause_docs) =
        rayon::join(|| rayon::join(|| ids(docs), || paths(docs)), || addressed_clauses(docs));
    (g.by_id, g.by_path, g.clause_docs) = (by_id, by_path, clause_docs);
}

/// Each document id, to the first document with it.
fn ids(docs: &[Document]) -> HashMap<String, usize> {
    let mut by_id = HashMap::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        by_id.entry(d.id.value.as_str().to_string()).or_insert(i);
    }
    by_id
}

/// Each document path, to its document.
fn paths(docs: &[Document]) -> HashMap<String, usize> {
    let mut by_path = HashMap::with_capacity(docs.len());
    by_path.extend(docs.iter().enumerate().map(|(i, d)| (d.path.clone(), i)));
    by_path
}

/// The documents addressing each clause and control of the catalog, in document order.
fn addressed_clauses(docs: &[Document]) -> BTreeMap<String, Vec<usize>> {
    let iso = catalog::iso42001();
    let mut clause_docs: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        for c in d.clauses.iter().chain(&d.controls) {
            if iso.get(&c.value).is_some() {
                let list = clause_docs.entry(c.value.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    clause_docs
}

/// Resolves every body link and attachment of every document, in parallel, in document order,
/// with the other documents each one names or links to.
fn resolve_all(docs: &[Document], g: &Graph, files: &Files) -> Vec<Resolution> {
    docs.par_iter()
        .enumerate()
        .map(|(i, d)| {
            let (links, atts) = resolve_document(d, g, files);
            let named = references(i, d, &links, &g.by_id);
            (links, atts, named)
        })
        .collect()
}

/// One document's body links and attachments, resolved, and the documents it refers to.
type Resolution = (Vec<Resolved>, Vec<Attachment>, BTreeSet<usize>);

/// Resolves the body links and attachments of `d`.
fn resolve_document(d: &Document, g: &Graph, files: &Files) -> (Vec<Resolved>, Vec<Attachment>) {
    let links = d.links.iter().map(|l| resolve_link(&l.target, d, g, files)).collect();
    let atts = d.attachments.iter().map(|a| files.attachment(&a.value)).collect();
    (links, atts)
}

/// Stores the resolved links and attachments, and records the backlinks: who names each
/// document as related, superseding or superseded, or links to its page. Each document's
/// referrers arrive in document order, so every set is built at once from a sorted list.
fn record_references(g: &mut Graph, resolved: Vec<Resolution>) {
    let mut referrers: Vec<Vec<usize>> = vec![Vec::new(); resolved.len()];
    g.links.reserve_exact(resolved.len());
    g.attachments.reserve_exact(resolved.len());
    for (i, (links, atts, named)) in resolved.into_iter().enumerate() {
        g.links.push(links);
        g.attachments.push(atts);
        for t in named {
            referrers[t].push(i);
        }
    }
    g.referenced_by = referrers.into_par_iter().map(BTreeSet::from_iter).collect();
}

/// The other documents document `i` (`d`, with resolved body links `links`) names as related,
/// superseding or superseded, or links to.
fn references(i: usize, d: &Document, links: &[Resolved], by_id: &HashMap<String, usize>) -> BTreeSet<usize> {
    let named = d
        .related
        .iter()
        .chain(&d.supersedes)
        .chain(&d.superseded_by)
        .filter_map(|r| by_id.get(r.value.as_str()).copied());
    let linked = links.iter().filter_map(|r| match r {
        Resolved::Page(t, _) => Some(*t),
        _ => None,
    });
    named.chain(linked).filter(|&t| t != i).collect()
}

/// The content files the site copies: every file a body link or an attachment resolved to.
fn wanted_files(g: &Graph) -> BTreeSet<String> {
    g.links
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
        .collect()
}

/// The classification level of `d`: as written, else the configured default.
fn classification<'a>(d: &'a Document, config: &'a Config) -> &'a str {
    d.classification.as_ref().map_or(config.classification.default.as_str(), |c| c.value.as_str())
}

/// Moves every file an unpublished document attaches or links from `files` to `withheld`
/// (its canonical path stays in `sources`, which nothing copies from by itself).
fn withhold(g: &mut Graph) {
    let unpublished = (0..g.published.len()).filter(|&i| !g.published[i]);
    let paths: BTreeSet<String> = unpublished
        .flat_map(|i| {
            let atts = g.attachments[i].iter().filter_map(|a| match a {
                Attachment::Found(p) => Some(p.clone()),
                _ => None,
            });
            let links = g.links[i].iter().filter_map(|r| match r {
                Resolved::File(p) => Some(p.clone()),
                _ => None,
            });
            atts.chain(links).collect::<Vec<_>>()
        })
        .collect();
    for p in paths {
        if let Some(info) = g.files.remove(&p) {
            g.withheld.insert(p, info);
        }
    }
}

/// A content file's canonical source and hash, or why it could not be hashed.
type Hashed = Result<(PathBuf, FileInfo), String>;

/// Hashes every file the site will copy, from its checked canonical path (or takes the source
/// and hash from `known`). A file that vanished or became unreadable after resolving is a
/// finding at every attachment or link naming it, never silently dropped.
fn hash_files(
    g: &mut Graph,
    files: &Files,
    wanted: BTreeSet<String>,
    known: &BTreeMap<String, (PathBuf, FileInfo)>,
    cache: Option<&HashCache>,
) {
    let hash = |source: &Path| cache.map_or_else(|| hash_file(source), |c| c.hash_file(source));
    let hashed: Vec<(String, Hashed)> = wanted
        .into_par_iter()
        .map(|rel| {
            if let Some(info) = known.get(&rel) {
                return (rel, Ok(info.clone()));
            }
            let result = match files.resolve(&rel) {
                Ok(source) => hash(&source).map(|info| (source, info)).map_err(|e| e.to_string()),
                Err(refusal) => Err(refusal.describe()),
            };
            (rel, result)
        })
        .collect();
    if let Some(cache) = cache {
        let sources: std::collections::HashSet<&Path> =
            hashed.iter().filter_map(|(_, r)| r.as_ref().ok()).map(|(s, _)| s.as_path()).collect();
        cache.retain(&|p| sources.contains(p));
    }
    let mut unreadable = BTreeMap::new();
    for (rel, result) in hashed {
        match result {
            Ok((source, info)) => {
                g.files.insert(rel.clone(), info);
                g.sources.insert(rel, source);
            }
            Err(e) => {
                unreadable.insert(rel, e);
            }
        }
    }
    for att in g.attachments.iter_mut().flatten() {
        if let Attachment::Found(p) = att {
            if let Some(e) = unreadable.get(p) {
                *att = Attachment::Unreadable(p.clone(), e.clone());
            }
        }
    }
    for link in g.links.iter_mut().flatten() {
        if let Resolved::File(p) = link {
            if let Some(e) = unreadable.get(p) {
                *link = Resolved::Broken(format!("`{p}` cannot be read: {e}"));
            }
        }
    }
}

/// Streams the regular file at `path` through SHA-256 in fixed-size chunks (constant memory
/// for any file size), refusing anything but a regular file; see [`crate::integrity::hash`].
pub(crate) fn hash_file(path: &Path) -> std::io::Result<FileInfo> {
    crate::integrity::hash::hash_file(path)
}

/// Which content files a document may publish: documents are linked as pages; any other file
/// only from the evidence folder, never hidden, `_`-prefixed or git-ignored, always inside the
/// content root.
struct Files {
    root: Option<Root>,
    evidence: String,
    ignore: crate::content::ignored::Ignored,
}

impl Files {
    fn new(root: &Path, config: &Config) -> Files {
        let root = Root::new(root, config.trust).ok();
        let ignore = crate::content::ignored::Ignored::new(root.as_ref().map(Root::canonical));
        Files { root, evidence: config.paths.evidence.trim_end_matches('/').to_string(), ignore }
    }

    /// Resolves content-relative `rel` to the regular file it names inside the content root.
    fn resolve(&self, rel: &str) -> Result<PathBuf, Refusal> {
        let root = self.root.as_ref().ok_or(Refusal::Missing)?;
        root.resolve(rel)
    }

    /// Why `rel` (content-relative) may not be published, if it may not.
    fn unpublishable(&self, rel: &str) -> Option<String> {
        if let Some(reason) = unpublishable_name(&self.evidence, rel) {
            return Some(reason);
        }
        match self.ignore.is_ignored(rel) {
            Ok(true) => Some("a `.gitignore` excludes it, so it is not part of the controlled tree".into()),
            Ok(false) => None,
            Err(why) => Some(why),
        }
    }

    fn attachment(&self, att: &str) -> Attachment {
        let Some(content_rel) = attachment_rel(&self.evidence, att) else {
            return Attachment::Outside(att.to_string());
        };
        if let Some(reason) = self.unpublishable(&content_rel) {
            return Attachment::Refused(content_rel, reason);
        }
        match self.resolve(&content_rel) {
            Ok(_) => Attachment::Found(content_rel),
            Err(Refusal::Missing) => Attachment::Missing(content_rel),
            Err(Refusal::Outside) => Attachment::Outside(att.to_string()),
            Err(Refusal::Unreadable(e)) => Attachment::Unreadable(content_rel, e),
            Err(other) => Attachment::Refused(content_rel, format!("it {}", other.describe())),
        }
    }
}

/// The content-relative path (`EVIDENCE/...`) an `attachments` entry names, when it names a
/// path inside the evidence folder `evidence` (no trailing `/`): not absolute, no drive or
/// scheme, not climbing out.
pub(crate) fn attachment_rel(evidence: &str, att: &str) -> Option<String> {
    let bad = Path::new(att).is_absolute() || att.starts_with('/') || att.starts_with('\\') || att.contains(':');
    let rel = (!bad).then(|| join_within("", att)).flatten()?;
    Some(format!("{evidence}/{rel}"))
}

/// Why content file `rel` may not be published, judged by its name alone: an unsafe name, a
/// place outside the evidence folder `evidence`, or a hidden or `_` component (the
/// `.gitignore` is the resolver's to judge).
pub(crate) fn unpublishable_name(evidence: &str, rel: &str) -> Option<String> {
    if let Some(reason) = unsafe_name(rel) {
        return Some(reason);
    }
    let Some(rest) = rel.strip_prefix(evidence).and_then(|r| r.strip_prefix('/')) else {
        return Some(format!("only documents and files in the evidence folder `{evidence}/` can be linked"));
    };
    if rest.split('/').any(|p| p.starts_with('.') || p.starts_with('_')) {
        return Some("files and folders whose names start with `.` or `_` are never published".into());
    }
    None
}

/// Why a published file name would be unsafe (in a zip, on Windows, in a terminal), if it is.
pub(crate) fn unsafe_name(rel: &str) -> Option<String> {
    if rel.contains('\\') {
        return Some("the path contains a backslash, which Windows and zip tools read as a folder separator".into());
    }
    if rel.chars().any(char::is_control) {
        return Some("the path contains a control character (such as a newline or tab)".into());
    }
    None
}

/// Resolves one body link: a document, clause or control page, a content file, as written, or
/// broken with the reason.
fn resolve_link(target: &LinkTarget, doc: &Document, g: &Graph, files: &Files) -> Resolved {
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
        LinkTarget::Relative { path, fragment } => resolve_relative(path, fragment, doc, g, files),
    }
}

/// Resolves a relative body link against the linking document's folder: another document's
/// page, a content file the site copies, or broken with the reason.
fn resolve_relative(path: &str, fragment: &Option<String>, doc: &Document, g: &Graph, files: &Files) -> Resolved {
    let decoded = crate::urls::decode(path);
    let base = doc.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let Some(joined) = join_within(base, &decoded) else {
        return Resolved::Broken(format!("`{path}` leads outside the content root"));
    };
    if let Some(&i) = g.by_path.get(&joined) {
        return Resolved::Page(i, fragment.clone());
    }
    let missing = || match joined.ends_with(".md") {
        true => Resolved::Broken(format!("no document at `{joined}`")),
        false => Resolved::Broken(format!("no file at `{joined}`")),
    };
    if let Some(reason) = files.unpublishable(&joined) {
        // Say why only about what exists, so a link cannot probe the tree's layout.
        let exists = files.root.as_ref().is_some_and(|r| r.canonical().join(&joined).exists());
        return if exists { Resolved::Broken(format!("`{joined}` cannot be linked: {reason}")) } else { missing() };
    }
    match files.resolve(&joined) {
        Ok(_) => Resolved::File(joined),
        Err(Refusal::Missing) => missing(),
        Err(Refusal::Outside) => Resolved::Broken(format!("`{path}` leads outside the content root")),
        Err(other) => Resolved::Broken(format!("`{joined}` {}", other.describe())),
    }
}

/// Joins `rel` onto directory `base` lexically; `None` if the result would leave the root.
pub(crate) fn join_within(base: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for c in Path::new(rel).components() {
        match c {
            std::path::Component::Normal(p) => parts.push(p.to_str()?),
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            std::path::Component::RootDir | std::path::Component::Prefix(_) => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
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
}
