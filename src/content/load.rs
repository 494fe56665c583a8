//! Loading the content tree: a deterministic walk of the documents root, then reading,
//! splitting and parsing every file in parallel. Bad files become diagnostics, never panics.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::document::Document;
use super::frontmatter;
use super::parse::{to_document, SourceInfo};
use super::source::{Body, Source};
use crate::config::Config;
use crate::contain::{Refusal, Root};
use crate::diagnostics::{rules, Diagnostic};
use crate::util::sha256_hex;
use crate::yaml::{self, Limits, Pos};

/// Everything loaded from a content tree.
#[derive(Debug, Default)]
pub struct Tree {
    /// The content root as given.
    pub root: PathBuf,
    /// Parsed documents, sorted by path.
    pub documents: Vec<Document>,
    /// Ids of files that could not be parsed at all (so references to them are not reported
    /// as unknown on top of the real problem).
    pub unparsed_ids: BTreeSet<String>,
    /// Source text of every document file, by relative path (for snippets and re-rendering),
    /// sharing each body with its document.
    pub sources: BTreeMap<String, Source>,
    /// Findings made while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// The largest document file read; anything bigger is a finding, not a memory spike.
/// pulldown-cmark holds the tree of a whole body while it is parsed, up to about 150 bytes per
/// byte of Markdown for the densest bodies (a strike-through or code span every four bytes;
/// BENCHMARKS.md "Hostile inputs"), so 8 MiB keeps one document's build near 1.2 GB at worst,
/// and large bodies are parsed one at a time (`content::large`). 8 MiB of Markdown is about
/// 1.3 million words: large data belongs in evidence files, which have no cap.
pub(crate) const MAX_DOCUMENT_BYTES: u64 = 8 << 20;

/// One file found by the walk (`BadName`: a document whose path is not UTF-8, `rel` lossy).
pub(crate) enum Found {
    File { rel: String, abs: PathBuf },
    Escape { rel: String },
    Symlink { rel: String },
    Unreadable { rel: String, error: String },
    BadName { rel: String },
}

impl Found {
    /// The content-relative path of what was found.
    pub(crate) fn rel(&self) -> &str {
        match self {
            Found::File { rel, .. }
            | Found::Escape { rel }
            | Found::Symlink { rel }
            | Found::Unreadable { rel, .. }
            | Found::BadName { rel } => rel,
        }
    }
}

/// Loads every document under the configured documents root of `root`.
pub fn load(root: &Path, config: &Config) -> anyhow::Result<Tree> {
    load_with(root, config, false)
}

/// [`load`], computing each document's content hash while its front matter is parsed when
/// `content_hashes` (a build lists every document's in its manifest; otherwise the hash is
/// computed when first asked for, by parsing the front matter again).
pub(crate) fn load_with(root: &Path, config: &Config, content_hashes: bool) -> anyhow::Result<Tree> {
    let loaded = read_while_walking(root, config, content_hashes)?;
    let mut tree = Tree { root: root.to_path_buf(), ..Tree::default() };
    let unparsed = tree.absorb_batches(loaded);
    tree.unparsed_ids = unparsed.into_iter().map(|(_, id)| id).collect();
    Ok(tree)
}

impl Tree {
    /// Source line `n` (1-based) of document file `file` (content-relative), for snippets.
    pub fn line_of(&self, file: &str, n: usize) -> Option<String> {
        self.sources.get(file).and_then(|t| t.line(n.max(1))).map(str::to_string)
    }

    /// Drops everything the files `stale` contributed: documents, sources and findings.
    pub(crate) fn forget(&mut self, stale: &BTreeSet<String>) {
        self.documents.retain(|d| !stale.contains(&d.path));
        self.diagnostics.retain(|d| !stale.contains(&d.file));
        self.sources.retain(|path, _| !stale.contains(path));
    }

    /// Adds freshly `loaded` files, keeping documents sorted by path. Returns the file and the
    /// sniffed id of each one whose front matter failed to parse (the caller owns
    /// `unparsed_ids`: a reload must also drop the ids of files that are gone).
    pub(crate) fn absorb(&mut self, loaded: Vec<Loaded>) -> Vec<(String, String)> {
        self.absorb_batches(vec![loaded])
    }

    /// [`Tree::absorb`] of the files loaded in `batches`, in order.
    fn absorb_batches(&mut self, batches: Vec<Vec<Loaded>>) -> Vec<(String, String)> {
        let mut unparsed = Vec::new();
        let mut fresh = Vec::with_capacity(batches.iter().flatten().filter(|r| r.document.is_some()).count());
        let mut sources = Vec::with_capacity(batches.iter().map(Vec::len).sum());
        for r in batches.into_iter().flatten() {
            if let (Some(id), Some((rel, _))) = (r.unparsed_id, &r.source) {
                unparsed.push((rel.clone(), id));
            }
            self.diagnostics.extend(r.diagnostics);
            fresh.extend(r.document);
            sources.extend(r.source);
        }
        if self.sources.is_empty() {
            // Built at once from the (nearly sorted) list: inserting 100,000 paths one by one was
            // a tenth of a second on the main thread. The last text of a path wins, as inserting.
            self.sources = sources.into_iter().collect();
        } else {
            self.sources.extend(sources);
        }
        self.insert_sorted(fresh);
        unparsed
    }

    /// Adds `fresh` documents, keeping the list sorted by path. A few (an edit in `serve`) go
    /// in at their places (after any of the same path, as the stable sort puts them): a document
    /// is more than a kilobyte, and reallocating and re-sorting the whole list of 10,000 on every
    /// keystroke cost more than the edit itself.
    fn insert_sorted(&mut self, mut fresh: Vec<Document>) {
        if self.documents.is_empty() {
            // Taken as it is (reserved exactly by the caller): appending copied every document
            // into a second list, and the copy was most of loading's serial time at 100,000.
            fresh.sort_by(|a, b| a.path.cmp(&b.path));
            self.documents = fresh;
            return;
        }
        if fresh.len() > 64 {
            // Reserved exactly: doubling would leave up to half of a large list unused.
            self.documents.reserve_exact(fresh.len());
            self.documents.append(&mut fresh);
            self.documents.sort_by(|a, b| a.path.cmp(&b.path));
            return;
        }
        for doc in fresh {
            let at = self.documents.partition_point(|d| d.path <= doc.path);
            self.documents.insert(at, doc);
        }
    }
}

/// Replaces document `rel` of the tree by `text`, parsed as if read from disk (`approve` checks
/// what the tree would be with its edits before writing them).
pub(crate) fn substitute(tree: &mut Tree, rel: &str, text: String, config: &Config) {
    tree.forget(&BTreeSet::from([rel.to_string()]));
    let mut loaded = Loaded::default();
    let body = parse_text(rel, &text, sha256_hex(text.as_bytes()), text.len() as u64, config, &mut loaded);
    loaded.source = Some((rel.to_string(), Source::of(text, body)));
    let unparsed = tree.absorb(vec![loaded]);
    tree.unparsed_ids.extend(unparsed.into_iter().map(|(_, id)| id));
}

/// Files the walk hands to the readers at a time.
const BATCH: usize = 1024;

/// [`discover`] and [`read_all`] at once: the walk runs on its own thread and hands the files
/// to the readers in batches as it finds them, instead of being a serial stretch before the
/// first read (a fiftieth of `check`'s CPU at 100,000 documents, all of it on the main thread).
/// Each batch is read in parallel, in order: flattened, the batches are [`read_all`]'s result.
fn read_while_walking(root: &Path, config: &Config, content_hashes: bool) -> anyhow::Result<Vec<Vec<Loaded>>> {
    let (batches, received) = std::sync::mpsc::sync_channel::<Vec<Found>>(4);
    std::thread::scope(|scope| {
        let walk = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let walked = discover_each(root, config, &mut |found| {
                batch.push(found);
                if batch.len() == BATCH {
                    // A closed channel means the readers stopped: the walk's result says why.
                    let _ = batches.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                }
            });
            let _ = batches.send(batch);
            walked
        });
        // Collected batch by batch, each exactly sized: one growing list of 100,000 would be
        // copied on every doubling.
        let loaded = received.into_iter().map(|batch| read_all_hashed(batch, config, content_hashes)).collect();
        walk.join().map_err(|_| anyhow::anyhow!("the walk of the content tree `{}` failed", root.display()))??;
        Ok(loaded)
    })
}

/// Reads and parses every file `found`, in parallel.
pub(crate) fn read_all(found: Vec<Found>, config: &Config) -> Vec<Loaded> {
    read_all_hashed(found, config, false)
}

/// [`read_all`], with the documents' content hashes when `content_hashes` (see [`load_with`]).
fn read_all_hashed(found: Vec<Found>, config: &Config, content_hashes: bool) -> Vec<Loaded> {
    found.into_par_iter().map(|f| load_one(f, config, content_hashes)).collect()
}

/// Open editor buffers (`aimsdoc lsp`): the unsaved text of document files, by content-relative
/// path. The loader parses a buffer in place of the file on disk, so what is checked is what the
/// author sees; only files the walk found (and judged safe) are ever replaced.
pub(crate) type Overlay = BTreeMap<String, String>;

/// [`read_all`], with the files that have a buffer in `overlay` parsed from that buffer.
pub(crate) fn read_all_overlaid(found: Vec<Found>, config: &Config, overlay: &Overlay) -> Vec<Loaded> {
    found
        .into_par_iter()
        .map(|f| match (&f, overlay.get(f.rel())) {
            (Found::File { rel, .. }, Some(text)) => load_buffer(rel, text, config),
            _ => load_one(f, config, false),
        })
        .collect()
}

/// Parses `text` as the content of document file `rel` (an editor's unsaved buffer), exactly as
/// [`load_one`] parses what it reads from disk.
pub(crate) fn load_buffer(rel: &str, text: &str, config: &Config) -> Loaded {
    let mut out = Loaded::default();
    if text.len() as u64 > MAX_DOCUMENT_BYTES {
        out.diagnostics.push(too_large(rel, MAX_DOCUMENT_BYTES));
        return out;
    }
    let body = parse_text(rel, text, sha256_hex(text.as_bytes()), text.len() as u64, config, &mut out);
    out.source = Some((rel.to_string(), Source::of(text.to_string(), body)));
    out
}

/// Finds every document file of the tree, after checking that the documents folder itself lies
/// inside the content root (a `documents -> /usr/share` link must not publish that folder).
pub(crate) fn discover(root: &Path, config: &Config) -> anyhow::Result<Vec<Found>> {
    let mut out = Vec::new();
    discover_each(root, config, &mut |found| out.push(found))?;
    Ok(out)
}

/// [`discover`], handing each file to `emit` in walk order as it is found.
fn discover_each(root: &Path, config: &Config, emit: &mut dyn FnMut(Found)) -> anyhow::Result<()> {
    let contained = Root::new(root, config.trust)
        .map_err(|e| anyhow::anyhow!("cannot open content root `{}`: {e}", root.display()))?;
    let docs = config.paths.documents.trim_end_matches('/');
    match contained.resolve_dir(docs) {
        Ok(_) => walk(root, &root.join(docs), &contained, config, emit),
        Err(Refusal::Missing) => {}
        Err(Refusal::Symlink) => emit(Found::Symlink { rel: docs.to_string() }),
        Err(Refusal::Unreadable(error)) => emit(Found::Unreadable { rel: docs.to_string(), error }),
        Err(_) => emit(Found::Escape { rel: docs.to_string() }),
    }
    Ok(())
}

/// Walks `docs_root` in sorted order, honouring `.gitignore` and skipping `.`/`_` names. A
/// symlink is followed only in a trusted tree and only to a file inside the content root.
fn walk(root: &Path, docs_root: &Path, contained: &Root, config: &Config, emit: &mut dyn FnMut(Found)) {
    let output = config.output_dir(root);
    for result in walker(docs_root) {
        let entry = match result {
            Ok(entry) => entry,
            Err(err) => {
                let rel = walk_error_path(&err).map_or_else(|| relative(root, docs_root), |p| relative(root, p));
                emit(Found::Unreadable { rel, error: err.to_string() });
                continue;
            }
        };
        if !entry.path().starts_with(&output) {
            if let Some(found) = classify(root, &entry, contained) {
                emit(found);
            }
        }
    }
}

/// The sorted walk of a content folder (documents or evidence): `.gitignore` honoured, hidden
/// and `_` names skipped, links not followed.
pub(crate) fn walker(dir: &Path) -> ignore::Walk {
    ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(false)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('_'))
        .build()
}

/// What one entry of the walk is: a Markdown file (a link to one inside the root, in a trusted
/// tree), a refused link, or nothing of interest.
fn classify(root: &Path, entry: &ignore::DirEntry, contained: &Root) -> Option<Found> {
    let path = entry.path();
    let rel = relative(root, path);
    let ft = entry.file_type()?;
    // A lossy name could collide with another file's and could not be found again by it.
    if is_markdown(path) && path.strip_prefix(root).unwrap_or(path).to_str().is_none() {
        return Some(Found::BadName { rel });
    }
    if ft.is_symlink() && contained.untrusted() {
        return Some(Found::Symlink { rel });
    }
    if ft.is_symlink() {
        return match path.canonicalize() {
            Ok(target) if target.starts_with(contained.canonical()) => {
                (target.is_file() && is_markdown(path)).then_some(Found::File { rel, abs: target })
            }
            _ => Some(Found::Escape { rel }),
        };
    }
    (ft.is_file() && is_markdown(path)).then(|| Found::File { rel, abs: path.to_path_buf() })
}

/// The path an error of the walk is about, if it names one.
fn walk_error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => walk_error_path(err),
        _ => None,
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// `path` relative to `root`, with `/` separators.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[derive(Default)]
pub(crate) struct Loaded {
    pub(crate) document: Option<Document>,
    pub(crate) unparsed_id: Option<String>,
    pub(crate) source: Option<(String, Source)>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Compute the document's content hash while its front matter is parsed (see [`load_with`]).
    wants_content_hash: bool,
    /// That hash, when wanted and the text parsed into a document.
    content_hash: Option<Result<String, String>>,
}

/// Reads and parses one file found by the walk; every problem becomes a finding. With
/// `content_hashes`, a document's source comes with its content hash.
pub(crate) fn load_one(found: Found, config: &Config, content_hashes: bool) -> Loaded {
    let mut out = Loaded { wants_content_hash: content_hashes, ..Loaded::default() };
    let read = match found {
        Found::File { rel, abs } => read_file(&rel, &abs).map(|file| (rel, file)),
        Found::Escape { rel } => Err(Box::new(escape(&rel))),
        Found::Symlink { rel } => Err(Box::new(symlink_refused(&rel))),
        Found::Unreadable { rel, error } => Err(Box::new(unreadable(&rel, &error))),
        Found::BadName { rel } => Err(Box::new(bad_name(&rel))),
    };
    let (rel, (text, sha256, size)) = match read {
        Ok(read) => read,
        Err(diagnostic) => {
            out.diagnostics.push(*diagnostic);
            return out;
        }
    };
    let body = parse_text(&rel, &text, sha256, size, config, &mut out);
    let source = Source::of(text, body);
    let source = match out.content_hash.take() {
        Some(Ok(hash)) => source.with_content_hash(hash),
        _ => source,
    };
    out.source = Some((rel, source));
    out
}

fn escape(rel: &str) -> Diagnostic {
    Diagnostic::new(
        rules::FS_SYMLINK_ESCAPE,
        rel,
        Pos::default(),
        "this symlink points outside the content root (or nowhere)",
    )
    .hint("copy the file into the content tree, or remove the link; only files inside the content root are published")
}

fn symlink_refused(rel: &str) -> Diagnostic {
    Diagnostic::new(
        rules::FS_SYMLINK_REFUSED,
        rel,
        Pos::default(),
        "this is a symlink, which an untrusted tree may not contain",
    )
    .hint("replace the link with the file itself; `--untrusted` builds refuse every symlink")
}

fn bad_name(rel: &str) -> Diagnostic {
    Diagnostic::new(
        rules::FS_NAME_NOT_UTF8,
        rel,
        Pos::default(),
        "the file name is not valid UTF-8 (shown with \u{fffd})",
    )
    .hint("rename the file (or its folder) to a UTF-8 name; the file is not read until then")
}

fn unreadable(rel: &str, error: &str) -> Diagnostic {
    Diagnostic::new(rules::FS_UNREADABLE, rel, Pos::default(), format!("cannot read this part of the tree: {error}"))
        .hint("check the permissions of the file or folder")
}

/// The finding for a document file that could not be read: too large, or an I/O error.
fn not_read(rel: &str, e: &std::io::Error) -> Diagnostic {
    if let Some(crate::contain::NotRead::TooLarge(limit)) = crate::contain::NotRead::of(e) {
        return too_large(rel, limit);
    }
    Diagnostic::new(rules::FS_UNREADABLE, rel, Pos::default(), format!("cannot read the file: {e}"))
        .hint("check the file's permissions")
}

/// The finding for a document over `limit` bytes (the file on disk or an editor's buffer).
fn too_large(rel: &str, limit: u64) -> Diagnostic {
    Diagnostic::new(
        rules::FS_UNREADABLE,
        rel,
        Pos::default(),
        format!("the file is larger than {} MiB, the most a document may hold; not read", limit >> 20),
    )
    .hint("split it into several documents, or keep large data in an evidence file (they have no size limit) and link to it")
}

/// The text of document file `abs` with its SHA-256 and size, or the finding why not.
fn read_file(rel: &str, abs: &Path) -> Result<(String, String, u64), Box<Diagnostic>> {
    let bytes = crate::contain::read_regular(abs, MAX_DOCUMENT_BYTES).map_err(|e| Box::new(not_read(rel, &e)))?;
    let sha256 = sha256_hex(&bytes);
    let size = bytes.len() as u64;
    let text = String::from_utf8(bytes).map_err(|e| {
        // Columns count characters, so count them in the valid prefix, not bytes.
        let valid = std::str::from_utf8(&e.as_bytes()[..e.utf8_error().valid_up_to()]).unwrap_or_default();
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Box::new(
            Diagnostic::new(rules::FS_NOT_UTF8, rel, Pos { line, column }, "the file is not valid UTF-8")
                .hint("re-save the file as UTF-8 (most editors: \"Save with encoding\" > UTF-8)"),
        )
    })?;
    Ok((text, sha256, size))
}

/// Splits and parses the front matter of `text` into a document, or records why not. Returns
/// the body when the front matter could be split off (the document, if any, shares it).
pub(crate) fn parse_text(
    rel: &str,
    text: &str,
    sha256: String,
    size: u64,
    config: &Config,
    out: &mut Loaded,
) -> Option<Body> {
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            out.diagnostics.push(Diagnostic::new(e.rule, rel, e.pos, e.message).hint(e.hint));
            return None;
        }
    };
    let body = Body::from(split.body);
    let root = match parse_yaml(rel, split.yaml, split.yaml_line) {
        Ok(root) => root,
        Err(refused) => {
            let (diagnostic, unparsed_id) = *refused;
            out.diagnostics.push(diagnostic);
            out.unparsed_id = unparsed_id;
            return Some(body);
        }
    };
    let src = SourceInfo { path: rel, sha256, size, body: body.clone(), body_line: split.body_line };
    out.document = to_document(&root, src, config, &mut out.diagnostics);
    if out.wants_content_hash && out.document.is_some() {
        out.content_hash = Some(crate::integrity::content_hash::of_tree(&root, split.body));
    }
    Some(body)
}

/// The front matter `yaml` (starting on line `line`) as a mapping, or the finding why not and,
/// when it failed to parse, the id sniffed from its lines.
fn parse_yaml(rel: &str, yaml: &str, line: usize) -> Result<yaml::Node, Box<(Diagnostic, Option<String>)>> {
    let root = match yaml::parse(yaml, line, Limits::default()) {
        Ok(Some(root)) => root,
        Ok(None) => {
            let d = Diagnostic::new(rules::FM_EMPTY, rel, Pos { line: 1, column: 1 }, "the front matter is empty")
                .hint("add at least id, title, type, owner, version and status");
            return Err(Box::new((d, None)));
        }
        Err(e) => {
            let rule = match e.kind {
                yaml::ErrorKind::DuplicateKey => rules::FM_DUPLICATE_KEY,
                yaml::ErrorKind::Syntax => rules::FM_SYNTAX,
                yaml::ErrorKind::Limit => rules::FM_LIMIT,
            };
            return Err(Box::new((Diagnostic::new(rule, rel, e.pos, e.message).hint(e.hint), sniff_id(yaml))));
        }
    };
    if root.as_map().is_none() {
        let message = format!("the front matter is {}, not `key: value` fields", root.kind_name());
        let d = Diagnostic::new(rules::FM_NOT_MAPPING, rel, root.pos, message)
            .hint("write one `key: value` per line, starting with `id:`");
        return Err(Box::new((d, None)));
    }
    Ok(root)
}

/// The `id:` of a front matter that failed to parse, read line by line.
fn sniff_id(yaml: &str) -> Option<String> {
    yaml.lines()
        .find_map(|l| l.strip_prefix("id:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .filter(|v| !v.is_empty())
}

/// Parses document text that is not a file of the work tree (a committed version, read from
/// git by `provenance`): the same parser, findings dropped. `None` when it is not a document.
pub(crate) fn parse_document(rel: &str, text: &str, config: &Config) -> Option<Document> {
    let mut out = Loaded::default();
    parse_text(rel, text, sha256_hex(text.as_bytes()), text.len() as u64, config, &mut out);
    out.document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashes_taken_while_loading_are_the_hashes_of_the_texts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example");
        let config = Config::load(&root, crate::config::Trust::Trusted).expect("config");
        let lazy = load(&root, &config).expect("load");
        assert!(lazy.sources.values().all(|s| !s.content_hash_known()), "a check hashes on demand only");
        let tree = load_with(&root, &config, true).expect("load");
        assert!(tree.documents.len() > 20);
        for d in &tree.documents {
            let source = tree.sources.get(&d.path).expect("source");
            assert!(source.content_hash_known(), "{} was hashed while loading", d.path);
            let fresh = crate::integrity::content_hash::of_text(&source.text()).expect("hash");
            assert_eq!(source.content_hash(), Ok(fresh.as_str()), "{}", d.path);
        }
    }
}
