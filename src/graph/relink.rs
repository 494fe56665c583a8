//! The graph after an edit of document files (`serve`, `lsp`): the previous graph is patched
//! rather than rebuilt when the edit kept every document's file, id and addressed clauses. Only
//! the edited documents' links and attachments are resolved again and only their backlinks are
//! moved; the id, path and clause indexes and every other document's links are kept. The result
//! is the graph [`super::build`] makes of the same tree (the tests below and
//! `serve/incremental_tests.rs` compare).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::{build_with, catalog, copy_files, references, resolve_document, FileInfo, Files, Graph};
use crate::config::Config;
use crate::content::{Document, Tree};
use crate::integrity::hash::HashCache;

/// What linking reads from one document besides its body links: its id, the catalog clauses
/// and controls it addresses, and the documents it refers to. Taken before an edit, it tells
/// [`relink`] whether the indexes still hold and which backlinks to move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Indexed {
    /// The document's id.
    id: String,
    /// The catalog clauses and controls it addresses.
    clauses: BTreeSet<String>,
    /// The other documents it names or links to (its entries in `referenced_by`).
    refers_to: BTreeSet<usize>,
}

/// What document `i` of `docs` contributes to the indexes of `g` (its graph).
pub(crate) fn indexed(g: &Graph, docs: &[Document], i: usize) -> Indexed {
    let d = &docs[i];
    Indexed {
        id: d.id.value.as_str().to_string(),
        clauses: clauses(d),
        refers_to: references(i, d, &g.links[i], &g.by_id),
    }
}

/// The catalog clauses and controls `d` addresses.
fn clauses(d: &Document) -> BTreeSet<String> {
    let iso = catalog::iso42001();
    d.clauses.iter().chain(&d.controls).filter(|c| iso.get(&c.value).is_some()).map(|c| c.value.clone()).collect()
}

/// The graph of `tree` after an edit that changed only the contents of the document files
/// `changed` (content-relative paths), given the graph `previous` of the tree before it and
/// `before`, what each changed document contributed to it ([`indexed`], by path). When every
/// changed file is still the document at the same place with the same id and clauses, only the
/// changed documents' links and attachments are resolved again and their backlinks moved, only
/// files no document used before are hashed, and the evidence folder is not walked again (the
/// caller knows nothing else in the content tree changed); otherwise this is
/// [`build_with`]. Either way the result is the graph [`super::build`] makes of `tree`. Also says
/// whether the documents were the same (the incremental case).
pub(crate) fn relink(
    previous: Graph,
    before: &BTreeMap<String, Indexed>,
    tree: &Tree,
    config: &Config,
    changed: &BTreeSet<String>,
    cache: Option<&HashCache>,
) -> (Graph, bool) {
    let Some(edited) = same_documents(&previous, before, tree, changed) else {
        return (build_with(tree, config, cache), false);
    };
    let mut g = previous;
    let files = Files::new(&tree.root, config);
    for (i, old) in edited {
        for &t in &old.refers_to {
            g.referenced_by[t].remove(&i);
        }
        let (links, attachments) = resolve_document(&tree.documents[i], &g, &files);
        g.links[i] = links;
        g.attachments[i] = attachments;
        for t in references(i, &tree.documents[i], &g.links[i], &g.by_id) {
            g.referenced_by[t].insert(i);
        }
    }
    let known = take_hashed(&mut g);
    copy_files(&mut g, tree, config, &files, &known, cache);
    (g, true)
}

/// The index and previous contribution of each changed document, when every one of `changed`
/// is still the document at the same index of `tree` with the same id and clauses (and the
/// number of documents is the same); `None` when the indexes must be rebuilt.
fn same_documents<'a>(
    previous: &Graph,
    before: &'a BTreeMap<String, Indexed>,
    tree: &Tree,
    changed: &BTreeSet<String>,
) -> Option<Vec<(usize, &'a Indexed)>> {
    let docs = &tree.documents;
    if docs.len() != previous.links.len() {
        return None;
    }
    changed
        .iter()
        .map(|path| {
            let (&i, old) = (previous.by_path.get(path)?, before.get(path)?);
            let d = docs.get(i).filter(|d| &d.path == path)?;
            (d.id.value.as_str() == old.id && clauses(d) == old.clauses).then_some((i, old))
        })
        .collect()
}

/// Empties the graph's lists of copied and withheld files, returning each file's canonical
/// source and hash (the rebuilt lists take them from there instead of hashing again).
fn take_hashed(g: &mut Graph) -> BTreeMap<String, (PathBuf, FileInfo)> {
    let mut sources = std::mem::take(&mut g.sources);
    let hashed = std::mem::take(&mut g.files).into_iter().chain(std::mem::take(&mut g.withheld));
    hashed.filter_map(|(rel, info)| Some((rel.clone(), (sources.remove(&rel)?, info)))).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::graph::build;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    fn doc(id: &str, extra: &str, body: &str) -> String {
        format!("---\nid: {id}\ntitle: T {id}\ntype: policy\nowner: O\nversion: \"1.0\"\nstatus: draft\n{extra}---\n{body}\n")
    }

    /// What each of `paths` contributes to `g`, as the caller records it before an edit.
    fn before(g: &Graph, tree: &Tree, paths: &[&str]) -> BTreeMap<String, Indexed> {
        paths.iter().filter_map(|p| Some((p.to_string(), indexed(g, &tree.documents, *g.by_path.get(*p)?)))).collect()
    }

    #[track_caller]
    fn assert_same(g: &Graph, full: &Graph) {
        assert_eq!(g.links, full.links);
        assert_eq!(g.attachments, full.attachments);
        assert_eq!(g.referenced_by, full.referenced_by);
        assert_eq!(g.by_id, full.by_id);
        assert_eq!(g.by_path, full.by_path);
        assert_eq!(g.clause_docs, full.clause_docs);
        assert_eq!(g.published, full.published);
        assert_eq!(g.files, full.files);
        assert_eq!(g.withheld, full.withheld);
        assert_eq!(g.sources, full.sources);
        assert_eq!(g.evidence_files, full.evidence_files);
    }

    /// Edits `rel` to `text`, relinks, and checks the result against a full build.
    fn edit(root: &Path, g: Graph, rel: &str, text: &str) -> (Graph, bool) {
        let config = Config::default();
        let tree = crate::content::load(root, &config).expect("load");
        let before = before(&g, &tree, &[rel]);
        write(root, rel, text);
        let tree = crate::content::load(root, &config).expect("load");
        let (g, same) = relink(g, &before, &tree, &config, &BTreeSet::from([rel.to_string()]), None);
        assert_same(&g, &build(&tree, &config));
        (g, same)
    }

    #[test]
    fn relink_resolves_only_the_edited_documents_and_hashes_no_known_file_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let config = Config::default();
        write(root, "evidence/e.csv", "a,b\n");
        write(root, "documents/a.md", &doc("POL-001", "attachments: [e.csv]\n", "Text."));
        write(root, "documents/b.md", &doc("POL-002", "", "Text."));
        let tree = crate::content::load(root, &config).expect("load");
        let g = build(&tree, &config);
        let hashed = g.files.get("evidence/e.csv").cloned().expect("hashed");
        // The evidence changes on disk without the caller saying so: relink must not read it.
        write(root, "evidence/e.csv", "changed\n");
        let tree = crate::content::load(root, &config).expect("load");
        let b = before(&g, &tree, &["documents/b.md"]);
        write(root, "documents/b.md", &doc("POL-002", "", "See [a](doc:POL-001) and [x](doc:POL-404)."));
        let tree = crate::content::load(root, &config).expect("load");
        let changed = BTreeSet::from(["documents/b.md".to_string()]);
        let (g, same) = relink(g, &b, &tree, &config, &changed, None);
        assert!(same, "same files, same ids: the incremental case");
        assert_eq!(g.files.get("evidence/e.csv"), Some(&hashed), "a known file is not hashed again");
        assert_eq!(g.referenced_by[0], BTreeSet::from([1]), "the new link is a backlink");
        // A new document is not the incremental case: everything is linked (and hashed) again.
        write(root, "documents/c.md", &doc("POL-003", "", "New."));
        let tree = crate::content::load(root, &config).expect("load");
        let changed = BTreeSet::from(["documents/c.md".to_string()]);
        let (g, same) = relink(g, &BTreeMap::new(), &tree, &config, &changed, None);
        assert!(!same);
        assert_ne!(g.files.get("evidence/e.csv"), Some(&hashed), "linked from scratch, so hashed again");
    }

    #[test]
    fn backlinks_move_with_the_edit_and_index_changes_relink_everything() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "evidence/e.csv", "a,b\n");
        write(root, "documents/a.md", &doc("POL-001", "clauses: [\"6.1\"]\n", "Text."));
        write(root, "documents/b.md", &doc("POL-002", "related: [POL-001]\n", "[a](doc:POL-001)"));
        write(root, "documents/c.md", &doc("POL-003", "", "Text."));
        let g = build(&crate::content::load(root, &Config::default()).expect("load"), &Config::default());
        let b = "documents/b.md";
        let (g, same) = edit(root, g, b, &doc("POL-002", "", "[c](doc:POL-003) [e](../evidence/e.csv)"));
        assert!(same, "a body and front matter edit that keeps the id and clauses");
        assert_eq!((g.referenced_by[0].len(), g.referenced_by[2].len()), (0, 1), "backlinks moved");
        let (g, same) = edit(root, g, b, &doc("POL-002", "supersedes: [POL-001]\n", "[c](doc:POL-003)"));
        assert!(same, "a new supersedes entry is a backlink, not an index change");
        let (g, same) = edit(root, g, b, &doc("POL-002", "clauses: [\"6.1\"]\n", "Text."));
        assert!(!same, "a changed clause list rebuilds the clause index");
        let (g, same) = edit(root, g, b, &doc("POL-009", "", "[a](doc:POL-001)"));
        assert!(!same, "a changed id rebuilds the id index");
        let (_, same) = edit(root, g, "documents/a.md", &doc("POL-009", "", "A duplicate id."));
        assert!(!same, "an id taken by another document");
    }
}
