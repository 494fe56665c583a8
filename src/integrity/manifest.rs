//! `manifest.json`: what a built site was built from (tool, catalogs, configuration, ledger,
//! every document's source hash and every evidence file's hash), computed from the checked tree
//! before anything is rendered. Its SHA-256 is the *content digest* every page shows; so the
//! manifest never lists page hashes (that would be circular): `SHA256SUMS` covers the pages, and
//! its own SHA-256, the *release digest*, is what binds the whole site.

use std::path::Path;

use anyhow::Context as _;
use rayon::prelude::*;
use serde::Serialize;

use super::hash::hash_file;
use super::LEDGER;
use crate::catalog;
use crate::config::Config;
use crate::content::Tree;
use crate::graph::Graph;
use crate::urls::doc_href;
use crate::util::sha256_hex;

/// Identifies the manifest layout; bumped on incompatible changes.
/// Version 2 added each document's `approval` and `content_sha256`, and the site's `signer`.
pub(crate) const FORMAT: &str = "aimsdoc-manifest/2";

const ISO42001_YAML: &str = include_str!("../catalog/iso42001.yaml");
const NIST_YAML: &str = include_str!("../catalog/nist-ai-rmf.yaml");

/// The serialised manifest and its digest.
#[derive(Debug, Clone)]
pub(crate) struct Manifest {
    /// The bytes of `manifest.json`.
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of `bytes`: the content digest.
    pub digest: String,
}

#[derive(Serialize)]
struct Body<'a> {
    format: &'static str,
    tool: Tool,
    catalogs: Vec<CatalogRef>,
    config: Option<SourceRef>,
    approvals: Option<SourceRef>,
    /// `[release] signer`: whose signature releases of this portal carry (`null`: unsigned).
    signer: Option<&'a str>,
    documents: Vec<DocEntry<'a>>,
    attachments: Vec<FileEntry<'a>>,
    /// The documents' history from git (absent when the tree is not in a repository).
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<crate::provenance::manifest::HistoryEntry<'a>>,
    /// The versions in force while their successors are drafted, with the attachments they were
    /// approved with (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    in_force: Vec<InForceEntry<'a>>,
}

#[derive(Serialize)]
struct InForceEntry<'a> {
    id: &'a str,
    version: &'a str,
    /// Whether it counts as in force (it matches its ledger entry and is effective).
    stands: bool,
    /// The commit its text and attachments were read from.
    files_commit: &'a str,
    attachments: Vec<InForceFile<'a>>,
}

#[derive(Serialize)]
struct InForceFile<'a> {
    /// As the version lists it.
    path: &'a str,
    /// SHA-256 of the approved bytes the portal shows (`null`: none can be shown).
    sha256: Option<&'a str>,
    /// Where those bytes come from: `work-tree` (the site's copy of the evidence file), `git`
    /// (kept beside the version's page), or `none`.
    source: &'static str,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct CatalogRef {
    designation: String,
    sha256: String,
}

#[derive(Serialize)]
struct SourceRef {
    path: &'static str,
    sha256: String,
}

#[derive(Serialize)]
struct DocEntry<'a> {
    id: &'a str,
    version: &'a str,
    status: &'static str,
    title: &'a str,
    source: &'a str,
    sha256: &'a str,
    size: u64,
    page: String,
    /// The ledger's content hash of the text (`content_hash::of_text`: what an approval covers,
    /// without the approval, review and lifecycle fields), so a diff tells an edit of the
    /// approved content from a new approval or review.
    content_sha256: Option<String>,
    approval: Option<ApprovalEntry>,
}

/// The front matter's `approval` block (who, when); `null` when the document has none.
#[derive(Serialize)]
struct ApprovalEntry {
    by: Option<String>,
    date: Option<String>,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    site_path: String,
    sha256: &'a str,
    size: u64,
}

/// Builds the manifest of `tree` and `graph` (a tree without errors) under `config`, with the
/// documents' history from git when it was read.
pub(crate) fn build(
    tree: &Tree,
    graph: &Graph,
    config: &Config,
    provenance: &crate::provenance::Provenance,
    assessment: &crate::assess::Assessment,
) -> anyhow::Result<Manifest> {
    let body = Body {
        format: FORMAT,
        tool: Tool { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") },
        catalogs: catalog_refs(),
        config: source_ref(&tree.root, crate::config::FILE_NAME)?,
        approvals: source_ref(&tree.root, LEDGER)?,
        signer: config.release.signer(),
        documents: document_entries(tree),
        attachments: attachment_entries(graph),
        history: crate::provenance::manifest::entry(tree, provenance),
        in_force: in_force_entries(tree, assessment),
    };
    let bytes = serialise(body).context("cannot serialise the manifest")?;
    let digest = sha256_hex(&bytes);
    Ok(Manifest { bytes, digest })
}

/// `body` as pretty JSON and a final newline: the bytes `serde_json::to_vec_pretty` writes, with
/// the document entries (most of the manifest: 80 MB at 100,000 documents, which every page
/// waits for, since its footer shows the digest) written in parallel and spliced in.
fn serialise(mut body: Body) -> serde_json::Result<Vec<u8>> {
    let documents = std::mem::take(&mut body.documents);
    let mut bytes = serde_json::to_vec_pretty(&body)?;
    if !documents.is_empty() {
        // A list one level down (a value of the top object), a chunk per core.
        let pieces: Vec<Vec<u8>> = documents
            .par_chunks(1024)
            .map(|chunk| crate::util::pretty_json_elements(chunk, 1))
            .collect::<serde_json::Result<_>>()?;
        const EMPTY: &[u8] = b"\n  \"documents\": []";
        let Some(at) = memchr::memmem::find(&bytes, EMPTY).map(|at| at + EMPTY.len() - 1) else {
            return Err(serde::ser::Error::custom("the manifest has no document list to fill"));
        };
        let (head, tail) = bytes.split_at(at);
        let mut whole = Vec::with_capacity(bytes.len() + pieces.iter().map(|p| p.len() + 1).sum::<usize>() + 4);
        whole.extend_from_slice(head);
        for (k, piece) in pieces.iter().enumerate() {
            if k > 0 {
                whole.push(b',');
            }
            whole.extend_from_slice(piece);
        }
        whole.extend_from_slice(b"\n  ");
        whole.extend_from_slice(tail);
        bytes = whole;
    }
    bytes.push(b'\n');
    Ok(bytes)
}

/// Each document's version in force, in document order.
fn in_force_entries<'a>(tree: &'a Tree, assessment: &'a crate::assess::Assessment) -> Vec<InForceEntry<'a>> {
    use crate::assess::in_force_files::Source;
    let pairs = tree.documents.iter().zip(&assessment.in_force);
    pairs
        .filter_map(|(d, f)| Some((d, f.as_deref()?)))
        .map(|(d, f)| InForceEntry {
            id: d.id.value.as_str(),
            version: &f.version,
            stands: f.stands(),
            files_commit: &f.files_commit,
            attachments: f
                .files
                .iter()
                .map(|a| InForceFile {
                    path: &a.listed,
                    sha256: a.sha256(),
                    source: match a.source {
                        Source::WorkTree => "work-tree",
                        Source::Blob(_) => "git",
                        Source::None => "none",
                    },
                })
                .collect(),
        })
        .collect()
}

/// The embedded catalogs the build judged against, each with the hash of its data.
fn catalog_refs() -> Vec<CatalogRef> {
    vec![
        CatalogRef {
            designation: catalog::iso42001().designation.clone(),
            sha256: sha256_hex(ISO42001_YAML.as_bytes()),
        },
        CatalogRef { designation: "NIST AI RMF 1.0".into(), sha256: sha256_hex(NIST_YAML.as_bytes()) },
    ]
}

/// One entry per document, sorted by id and then source path. In parallel: the content hash
/// re-reads each document's front matter (once per source: the ledger check may have asked for
/// it already, and `serve` keeps unchanged sources), and this runs before any page is rendered.
fn document_entries(tree: &Tree) -> Vec<DocEntry<'_>> {
    let mut documents: Vec<DocEntry> = tree
        .documents
        .par_iter()
        .map(|d| DocEntry {
            id: d.id.value.as_str(),
            version: d.version_text(),
            status: d.status().as_str(),
            title: &d.title.value,
            source: &d.path,
            sha256: &d.sha256,
            size: d.size,
            page: doc_href(d.id.value.as_str()),
            content_sha256: tree.sources.get(&d.path).and_then(|t| t.content_hash().ok()).map(str::to_string),
            approval: d.approval.as_ref().map(|a| ApprovalEntry {
                by: a.by.as_ref().map(|b| b.value.clone()),
                date: a.date.as_ref().map(|d| d.value.to_string()),
            }),
        })
        .collect();
    documents.sort_by(|a, b| a.id.cmp(b.id).then(a.source.cmp(b.source)));
    documents
}

/// One entry per content file the site copies, in path order.
fn attachment_entries(graph: &Graph) -> Vec<FileEntry<'_>> {
    graph
        .files
        .iter()
        .map(|(p, info)| FileEntry {
            path: p,
            site_path: crate::urls::site_path(p),
            sha256: &info.sha256,
            size: info.size,
        })
        .collect()
}

/// The hash of `name` at the content root (the configuration, the approvals ledger); `None`
/// when there is none.
fn source_ref(root: &Path, name: &'static str) -> anyhow::Result<Option<SourceRef>> {
    let path = root.join(name);
    if !path.is_file() {
        return Ok(None);
    }
    let info = hash_file(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok(Some(SourceRef { path: name, sha256: info.sha256 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The manifest's bytes must be serde_json's pretty JSON of the whole body, the digest of
    /// every page footer and of every approval ledger comparison depends on them.
    #[test]
    fn the_spliced_manifest_is_the_pretty_json_of_the_whole_body() {
        for (root, today) in [("content-example", "2026-06-01"), ("tests/fixtures/valid_minimal", "2026-01-15")] {
            let (checked, _) = crate::site::checked_for_tests(root, today);
            let c = &checked;
            let body = || Body {
                format: FORMAT,
                tool: Tool { name: "aimsdoc", version: "0" },
                catalogs: catalog_refs(),
                config: None,
                approvals: None,
                signer: Some("x \"documents\": [] y"),
                documents: document_entries(&c.tree),
                attachments: attachment_entries(&c.graph),
                history: None,
                in_force: in_force_entries(&c.tree, &c.assessment),
            };
            let mut expected = serde_json::to_vec_pretty(&body()).expect("json");
            expected.push(b'\n');
            assert!(!body().documents.is_empty(), "{root} has documents");
            assert_eq!(String::from_utf8(serialise(body()).expect("json")), String::from_utf8(expected), "{root}");
            let mut empty = body();
            empty.documents.clear();
            let mut expected = serde_json::to_vec_pretty(&empty).expect("json");
            expected.push(b'\n');
            assert_eq!(serialise(empty).expect("json"), expected, "{root} without documents");
        }
    }

    #[test]
    fn more_documents_than_one_chunk_are_spliced_in_order() {
        let (checked, _) = crate::site::checked_for_tests("content-example", "2026-06-01");
        let one = document_entries(&checked.tree);
        let many = || (0..2100).map(|k| DocEntry { size: k, ..clone_entry(&one[k as usize % one.len()]) }).collect();
        let body = |documents| Body {
            format: FORMAT,
            tool: Tool { name: "aimsdoc", version: "0" },
            catalogs: Vec::new(),
            config: None,
            approvals: None,
            signer: None,
            documents,
            attachments: Vec::new(),
            history: None,
            in_force: Vec::new(),
        };
        let mut expected = serde_json::to_vec_pretty(&body(many())).expect("json");
        expected.push(b'\n');
        assert!(serialise(body(many())).expect("json") == expected);
    }

    fn clone_entry<'a>(e: &DocEntry<'a>) -> DocEntry<'a> {
        DocEntry {
            page: e.page.clone(),
            content_sha256: e.content_sha256.clone(),
            approval: e.approval.as_ref().map(|a| ApprovalEntry { by: a.by.clone(), date: a.date.clone() }),
            ..*e
        }
    }
}
