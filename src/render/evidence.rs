//! The evidence index: every record document and every attachment, with size, media type,
//! SHA-256, record date, owner, retention and disposition date, and the clauses and controls it
//! evidences. One model feeds the page, `evidence.csv`, `evidence.json` and the evidence
//! sections of clause and control pages. A file the graph withheld (attached to or linked
//! from a document above `publish_up_to`) is listed with path, size and hash, marked
//! "withheld (classification)", and never linked: its bytes are not in the site. While a
//! successor is drafted, an attachment whose work-tree file changed since the version in force
//! was approved is listed twice: the work tree's file, and the approved bytes the site keeps
//! from git (`approved copy`, beside the version's page).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context as _;
use serde::Serialize;

use super::pages::{encode_path, RenderCx};
use crate::assess::Disposition;
use crate::catalog::{self, sort_key};
use crate::content::Document;
use crate::csv_export::Table;
use crate::graph::Attachment;

/// One evidence file.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EvidenceRow {
    /// `record` (a record document), `attachment` (a file attached to a document) or
    /// [`APPROVED_COPY`] (the bytes an attachment had when the version in force was approved).
    pub kind: &'static str,
    /// Path relative to the content root.
    pub path: String,
    /// File name.
    pub name: String,
    /// Link target relative to the site root: the document page or the copied file.
    pub href: String,
    /// For an active file (HTML, SVG, XML, JavaScript; see `urls::active`), the name to save it
    /// under: it is published as `<name>.download` and linked with a `download` attribute.
    /// Empty for every other file.
    pub download: String,
    /// Bytes.
    pub size: u64,
    /// Media type, from the file extension.
    pub media_type: &'static str,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Date of the record (effective date, else approval, else newest history entry).
    pub record_date: String,
    /// Owner of the record.
    pub owner: String,
    /// Retention as written.
    pub retention: String,
    /// Disposition date; `permanent` or `while current` when there is no date yet.
    pub disposition: String,
    /// The disposition date has passed.
    pub past_disposition: bool,
    /// Why the record (or the document attaching the file) is under legal hold; empty if not.
    pub legal_hold: String,
    /// Currency of the record (or of the document that attaches the file).
    pub state: &'static str,
    /// Ids of the record, or of the documents that attach the file.
    pub documents: Vec<String>,
    /// The version an approved copy belongs to (empty on other rows).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// Clauses it evidences.
    pub clauses: Vec<String>,
    /// Annex A controls it evidences.
    pub controls: Vec<String>,
    /// Anchor of the row on the evidence page (from the path, so stable across builds).
    pub anchor: String,
    /// The file is not in the site (see [`crate::graph::Graph::withheld`]); `href` is empty.
    pub withheld: bool,
    /// `published`, or `withheld (classification)`.
    pub availability: &'static str,
    #[serde(skip)]
    /// Indices of those documents.
    pub doc_indices: Vec<usize>,
}

/// Every evidence row, sorted by path.
pub(crate) fn rows(cx: &RenderCx) -> Vec<EvidenceRow> {
    build(cx, 0..cx.tree.documents.len())
}

/// The evidence of documents `docs` only (a clause or control page): their records and
/// attachments, each row naming just those of `docs` that attach it.
pub(crate) fn for_documents(cx: &RenderCx, docs: &[usize]) -> Vec<EvidenceRow> {
    build(cx, docs.iter().copied())
}

/// The evidence rows of `docs_in`: each record, and each attachment found once with every
/// document attaching it, sorted by path.
fn build(cx: &RenderCx, docs_in: impl Iterator<Item = usize>) -> Vec<EvidenceRow> {
    let mut out = Vec::new();
    let mut attached: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in docs_in {
        out.extend(approved_copies(cx, i));
        if cx.tree.documents[i].is_record() {
            out.push(record_row(cx, i));
        }
        for a in &cx.graph.attachments[i] {
            if let Attachment::Found(p) = a {
                let list = attached.entry(p.as_str()).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
    }
    for (path, mut indices) in attached {
        indices.sort_unstable();
        out.extend(attachment_row(cx, path, &indices));
    }
    // By path; a path's approved copy after its work-tree file (stable: one copy per document).
    out.sort_by(|a, b| a.path.cmp(&b.path).then((a.kind == APPROVED_COPY).cmp(&(b.kind == APPROVED_COPY))));
    out
}

/// What the evidence index calls the approved bytes of an attachment of the version in force
/// that the site keeps from git (see `versions::kept_files`).
pub(crate) const APPROVED_COPY: &str = "approved copy";

/// The rows of document `i`'s kept approved copies: the bytes its version in force was approved
/// with, where the work tree's file has changed since, with the version's own state.
fn approved_copies(cx: &RenderCx, i: usize) -> Vec<EvidenceRow> {
    let Some(f) = cx.assessment.in_force[i].as_deref() else { return Vec::new() };
    let kept = super::versions::kept_files(cx, i);
    let rows = kept.into_iter().filter_map(|(k, site_path)| {
        let file = f.files.get(k)?;
        let (rel, crate::provenance::attached::Committed::File { size, sha256, .. }) =
            (file.rel.as_deref()?, &file.committed)
        else {
            return None;
        };
        let mut row = base_row(cx, APPROVED_COPY, rel, &[i]);
        row.href = encode_path(&site_path);
        row.download = crate::urls::active::download_name(rel).unwrap_or_default();
        row.size = *size;
        row.sha256 = sha256.clone();
        row.state = f.currency.state_word();
        row.anchor = format!("{}-v{}", anchor(rel), slug(&f.version));
        row.version = f.version.clone();
        Some(row)
    });
    rows.collect()
}

/// The row of record `i`: its page, size and hash.
fn record_row(cx: &RenderCx, i: usize) -> EvidenceRow {
    let d = &cx.tree.documents[i];
    let mut row = base_row(cx, "record", &d.path, &[i]);
    row.href = cx.rows[i].href.clone();
    row.size = d.size;
    row.sha256 = d.sha256.clone();
    row
}

/// The row of attachment `path` (attached by `indices`, sorted): its download link, or withheld
/// when an unpublished document uses it; `None` when the graph has no such file.
fn attachment_row(cx: &RenderCx, path: &str, indices: &[usize]) -> Option<EvidenceRow> {
    let (info, withheld) = match (cx.graph.files.get(path), cx.graph.withheld.get(path)) {
        (Some(info), _) => (info, false),
        (None, Some(info)) => (info, true),
        (None, None) => return None,
    };
    let mut row = base_row(cx, "attachment", path, indices);
    if withheld {
        row.withheld = true;
        row.availability = WITHHELD;
    } else {
        row.href = encode_path(&crate::urls::site_path(path));
        row.download = crate::urls::active::download_name(path).unwrap_or_default();
    }
    row.size = info.size;
    row.sha256 = info.sha256.clone();
    Some(row)
}

/// A row for `path`, with date, owner and retention from the first of `indices` and the
/// clauses and controls of all of them.
fn base_row(cx: &RenderCx, kind: &'static str, path: &str, indices: &[usize]) -> EvidenceRow {
    let docs = &cx.tree.documents;
    let first = &docs[indices[0]];
    let iso = catalog::iso42001();
    let ids = |pick: fn(&Document) -> Vec<&str>| -> Vec<String> {
        let set: BTreeSet<&str> =
            indices.iter().flat_map(|&i| pick(&docs[i])).filter(|id| iso.get(id).is_some()).collect();
        let mut v: Vec<String> = set.into_iter().map(str::to_string).collect();
        v.sort_by_key(|id| sort_key(id));
        v
    };
    let (disposition, past) = disposition(cx, indices[0]);
    EvidenceRow {
        kind,
        path: path.to_string(),
        name: path.rsplit('/').next().unwrap_or(path).to_string(),
        href: String::new(),
        download: String::new(),
        size: 0,
        media_type: media_type(path),
        sha256: String::new(),
        record_date: first.record_date().map(|d| d.to_string()).unwrap_or_default(),
        owner: first.owner.value.clone(),
        retention: first.retention.as_ref().map(|r| r.value.to_string()).unwrap_or_default(),
        disposition,
        past_disposition: past,
        version: String::new(),
        legal_hold: indices
            .iter()
            .find_map(|&i| docs[i].legal_hold.as_ref())
            .map(|h| h.value.clone())
            .unwrap_or_default(),
        state: cx.rows[indices[0]].state,
        documents: indices.iter().map(|&i| docs[i].id.value.to_string()).collect(),
        clauses: ids(|d| d.clauses.iter().map(|s| s.value.as_str()).collect()),
        controls: ids(|d| d.controls.iter().map(|s| s.value.as_str()).collect()),
        anchor: anchor(path),
        withheld: false,
        availability: "published",
        doc_indices: indices.to_vec(),
    }
}

/// What the evidence index says of a file whose bytes are not published.
pub(crate) const WITHHELD: &str = "withheld (classification)";

/// The disposition column (the assessment's date, or why there is none yet) and whether it
/// has passed.
fn disposition(cx: &RenderCx, i: usize) -> (String, bool) {
    let shown = match cx.assessment.disposition[i] {
        Disposition::On(date) => date.to_string(),
        Disposition::Permanent => "permanent".into(),
        Disposition::WhileCurrent => "while current".into(),
        Disposition::Unknown => String::new(),
    };
    (shown, cx.assessment.past_disposition(i))
}

/// Extensions whose type `mime_guess` gives in an older form than the one we show (and showed
/// before it was used): YAML is `application/yaml` since RFC 9512 (mime_guess: `text/x-yaml`),
/// and RFC 7303 prefers `application/xml` to `text/xml` (mime_guess) for XML files.
const MEDIA_TYPE_OVERRIDES: [(&str, &str); 3] =
    [("yaml", "application/yaml"), ("yml", "application/yaml"), ("xml", "application/xml")];

/// The media type of a file, by its extension (`mime_guess`'s table, with
/// [`MEDIA_TYPE_OVERRIDES`]); unknown types are octet streams.
pub(crate) fn media_type(path: &str) -> &'static str {
    let ext =
        std::path::Path::new(path).extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    MEDIA_TYPE_OVERRIDES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, media_type)| *media_type)
        .or_else(|| mime_guess::from_ext(&ext).first_raw())
        .unwrap_or("application/octet-stream")
}

/// The rows of `all` backing any of the documents `docs`, in the order of `all`. One pass over
/// the rows with the documents marked in a table: the SoA asks this for every control, and at
/// 100,000 documents a search of `docs` per row was quadratic.
pub(crate) fn of_documents<'a>(all: &'a [EvidenceRow], docs: &[usize]) -> Vec<&'a EvidenceRow> {
    let Some(&last) = docs.iter().max() else { return Vec::new() };
    let mut listed = vec![false; last + 1];
    for &i in docs {
        listed[i] = true;
    }
    all.iter().filter(|r| r.doc_indices.iter().any(|&i| listed.get(i).copied().unwrap_or(false))).collect()
}

/// A stable HTML id for the row of `path`.
pub(crate) fn anchor(path: &str) -> String {
    format!("ev-{}", slug(path))
}

fn slug(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

const CSV_COLUMNS: &[&str] = &[
    "kind",
    "path",
    "size",
    "media_type",
    "sha256",
    "record_date",
    "owner",
    "retention",
    "disposition",
    "legal_hold",
    "documents",
    "clauses",
    "controls",
    "href",
    "availability",
];

/// `evidence.csv`.
pub(crate) fn csv(cx: &RenderCx) -> anyhow::Result<String> {
    let mut table = Table::new(CSV_COLUMNS)?;
    for r in cx.evidence_rows() {
        let fields = [
            r.kind.to_string(),
            r.path.clone(),
            r.size.to_string(),
            r.media_type.to_string(),
            r.sha256.clone(),
            r.record_date.clone(),
            r.owner.clone(),
            r.retention.clone(),
            r.disposition.clone(),
            r.legal_hold.clone(),
            r.documents.join(" "),
            r.clauses.join(" "),
            r.controls.join(" "),
            r.href.clone(),
            r.availability.to_string(),
        ];
        table.row(fields)?;
    }
    table.finish()
}

/// `evidence.json`.
pub(crate) fn json(cx: &RenderCx) -> anyhow::Result<String> {
    let mut s =
        serde_json::to_string_pretty(cx.evidence_rows()).context("cannot serialise the evidence index as JSON")?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::{media_type, of_documents, EvidenceRow};

    fn row(path: &str, doc_indices: Vec<usize>) -> EvidenceRow {
        EvidenceRow {
            kind: "attachment",
            path: path.to_string(),
            name: String::new(),
            href: String::new(),
            download: String::new(),
            size: 0,
            media_type: "text/plain",
            sha256: String::new(),
            record_date: String::new(),
            owner: String::new(),
            retention: String::new(),
            disposition: String::new(),
            past_disposition: false,
            legal_hold: String::new(),
            state: "current",
            documents: Vec::new(),
            version: String::new(),
            clauses: Vec::new(),
            controls: Vec::new(),
            anchor: String::new(),
            withheld: false,
            availability: "published",
            doc_indices,
        }
    }

    #[test]
    fn the_rows_of_documents_keep_their_order_and_only_theirs() {
        let all = [row("a", vec![0, 7]), row("b", vec![3]), row("c", vec![9, 2]), row("d", vec![]), row("e", vec![5])];
        let paths = |docs: &[usize]| of_documents(&all, docs).iter().map(|r| r.path.as_str()).collect::<Vec<_>>();
        assert_eq!(paths(&[2, 7]), ["a", "c"]);
        assert_eq!(paths(&[9]), ["c"], "a document past every listed index of another row");
        assert_eq!(paths(&[3, 3, 5]), ["b", "e"]);
        assert_eq!(paths(&[1, 4]), Vec::<&str>::new());
        assert_eq!(paths(&[]), Vec::<&str>::new());
    }

    #[test]
    fn media_types_by_extension() {
        // Every type the hand-written table gave before mime_guess, and the example's evidence
        // (`.csv`, `.json`, `.txt`, record documents in `.md`).
        for (path, expected) in [
            ("evidence/a/b.CSV", "text/csv"),
            ("x.json", "application/json"),
            ("notes.txt", "text/plain"),
            ("records/rec-001.md", "text/markdown"),
            ("a.markdown", "text/markdown"),
            ("run.log", "text/plain"),
            ("t.tsv", "text/tab-separated-values"),
            ("c.yaml", "application/yaml"),
            ("c.yml", "application/yaml"),
            ("d.xml", "application/xml"),
            ("p.html", "text/html"),
            ("p.htm", "text/html"),
            ("r.pdf", "application/pdf"),
            ("i.png", "image/png"),
            ("i.jpg", "image/jpeg"),
            ("i.jpeg", "image/jpeg"),
            ("i.gif", "image/gif"),
            ("i.svg", "image/svg+xml"),
            ("i.webp", "image/webp"),
            ("z.zip", "application/zip"),
            ("w.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("x.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("p.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            ("m.eml", "message/rfc822"),
            ("noext", "application/octet-stream"),
            ("dir.v2/noext", "application/octet-stream"),
            ("x.unknown-extension", "application/octet-stream"),
        ] {
            assert_eq!(media_type(path), expected, "{path}");
        }
        // Beyond the old table: mime_guess knows gzip (the old table said octet stream).
        assert_eq!(media_type("archive.tar.gz"), "application/gzip");
    }
}
