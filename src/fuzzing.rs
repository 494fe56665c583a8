//! The entry points of the fuzz targets under `fuzz/` and the property tests in `tests/it/`:
//! a small, unstable facade over internals that are otherwise `pub(crate)`. Not part of the
//! library's API (hidden from its documentation); nothing in aimsdoc calls it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::load::{self, Loaded};
use crate::content::Tree;
use crate::graph::{self, Attachment, Resolved};
use crate::integrity::{content_hash, ledger::Ledger, sums};
use crate::serve::route::{self, Route};
use crate::yaml::{self, Limits, Node, YamlError};

pub use crate::content::frontmatter::{split, Split, SplitError};

/// Parses `text` as front matter YAML starting on line 1, with the default limits.
pub fn yaml(text: &str) -> Result<Option<Node>, YamlError> {
    yaml::parse(text, 1, Limits::default())
}

/// The YAML fast path's tree of `text` (`None`: declined) and the general builder's.
pub fn yaml_fast_and_general(text: &str) -> (Option<Node>, Result<Option<Node>, YamlError>) {
    yaml::build::fast_and_general(text, Limits::default())
}

/// The body links the line scan finds in `body` (`None`: declined) and the full Markdown
/// parse's, each as its `Debug` text (`BodyLink` is crate-private).
pub fn links_fast_and_parsed(body: &str) -> (Option<String>, String) {
    let fast = crate::content::links_fast::extract(body, 1).map(|l| format!("{l:?}"));
    (fast, format!("{:?}", crate::content::links::extract_parsed(body, 1)))
}

/// What loading one document file produced.
#[derive(Debug)]
pub struct Parsed {
    /// Whether a typed document came out.
    pub document: bool,
    /// Every finding as (code, line, column).
    pub findings: Vec<(&'static str, usize, usize)>,
}

/// Loads `text` as the document file `documents/fuzz.md` with the default configuration.
pub fn document(text: &str) -> Parsed {
    let out = parse("documents/fuzz.md", text, &Config::default());
    let findings = out.diagnostics.iter().map(|d| (d.code, d.line, d.column)).collect();
    Parsed { document: out.document.is_some(), findings }
}

fn parse(rel: &str, text: &str, config: &Config) -> Loaded {
    let mut out = Loaded::default();
    load::parse_text(rel, text, crate::util::sha256_hex(text.as_bytes()), text.len() as u64, config, &mut out);
    out
}

/// The content hash of a document file (`Err` when it cannot be computed).
pub fn content_hash(text: &str) -> Result<String, String> {
    content_hash::of_text(text)
}

/// What link and attachment resolution made of one document.
#[derive(Debug, Default)]
pub struct Links {
    /// Content-relative paths of the files its links and attachments resolved to.
    pub files: Vec<String>,
    /// The path each of `files` would be copied from.
    pub sources: Vec<PathBuf>,
    /// How many links and attachments were resolved (broken ones included).
    pub resolved: usize,
}

/// Loads `text` as `documents/sub/fuzz.md` of the content tree at `root` (default
/// configuration, trusted) and resolves its body links and attachments against that tree.
pub fn resolve_links(root: &Path, text: &str) -> Links {
    let config = Config::default();
    let rel = "documents/sub/fuzz.md";
    let loaded = parse(rel, text, &config);
    let Some(doc) = loaded.document else { return Links::default() };
    let tree = Tree {
        root: root.to_path_buf(),
        documents: vec![doc],
        sources: BTreeMap::from([(rel.to_string(), crate::content::Source::whole(text.to_string()))]),
        ..Tree::default()
    };
    let g = graph::build(&tree, &config);
    let mut files: Vec<String> = g.links.iter().flatten().filter_map(linked_file).collect();
    files.extend(g.attachments.iter().flatten().filter_map(attached_file));
    let resolved = g.links.iter().map(Vec::len).sum::<usize>() + g.attachments.iter().map(Vec::len).sum::<usize>();
    Links { files, sources: g.sources.into_values().collect(), resolved }
}

fn linked_file(r: &Resolved) -> Option<String> {
    match r {
        Resolved::File(p) => Some(p.clone()),
        _ => None,
    }
}

fn attached_file(a: &Attachment) -> Option<String> {
    match a {
        Attachment::Found(p) => Some(p.clone()),
        _ => None,
    }
}

/// Joins `rel` onto folder `base` lexically; `None` if the result would leave the root.
pub fn join_within(base: &str, rel: &str) -> Option<String> {
    graph::join_within(base, rel)
}

/// Parses approvals ledger text: the lines of its good entries (as `to_line` writes them) and
/// the line numbers of its bad ones.
pub fn ledger(text: &str) -> (Vec<String>, Vec<usize>) {
    let (ledger, errors) = Ledger::parse(text);
    (ledger.entries().iter().map(|e| e.to_line()).collect(), errors.iter().map(|e| e.line).collect())
}

/// Parses a `SHA256SUMS` file: file name -> lowercase hex digest, or the bad line.
pub fn sums(text: &str) -> Result<BTreeMap<String, String>, usize> {
    sums::parse(text).map_err(|e| e.line)
}

/// Writes a `SHA256SUMS` file (the inverse of [`sums`]).
pub fn sums_format(entries: &BTreeMap<String, String>) -> String {
    sums::format(entries)
}

/// A request target as `serve` normalises it: the checked path segments of a site path, or
/// the HTTP status it is refused with. Internal endpoints are `Ok(None)`.
pub fn request_target(target: &str) -> Result<Option<Vec<String>>, u16> {
    match route::parse(target) {
        Ok(Route::Site { segments, .. }) => Ok(Some(segments)),
        Ok(Route::Internal(_)) => Ok(None),
        Err(route::Refused::BadRequest) => Err(400),
        Err(route::Refused::NotFound) => Err(404),
    }
}

/// The site path a URL path serves (`/` -> `index.html`), if any.
pub fn site_path(url_path: &str) -> Option<String> {
    route::site_path(url_path)
}
