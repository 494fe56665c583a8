//! `aimsdoc new TYPE "Title"`: a new draft with the next free id for the type's prefix, every
//! required field present, today's date in its history, and `TODO` placeholders for the owner,
//! the planned approver and the author that `aimsdoc check` reports (ID012) until they are
//! filled in. A draft carries no approval date, effective date or next review: `aimsdoc approve`
//! writes them when it approves the document.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;

use super::EXIT_OK;
use crate::config::Config;
use crate::content::types::{Date, DocId};
use crate::content::{self, guidance, Tree};
use crate::failure::fail;

/// What to create.
pub(super) struct NewDoc<'a> {
    /// Content root.
    pub root: &'a Path,
    /// Document type.
    pub doc_type: &'a str,
    /// Title.
    pub title: &'a str,
    /// Folder to write into (default: the type's folder under the documents root).
    pub dir: Option<PathBuf>,
    /// Today's date.
    pub today: Date,
}

/// Creates the document, prints its path and returns the exit code.
pub(super) fn run(new: NewDoc) -> anyhow::Result<i32> {
    let config = Config::load(new.root, crate::config::Trust::Trusted)?;
    if !config.document_types().any(|t| t == new.doc_type) {
        let types: Vec<&str> = config.document_types().collect();
        fail!(help = ("use one of: {}", types.join(", ")), "`{}` is not a document type", new.doc_type);
    }
    let title = new.title.trim();
    if title.is_empty() {
        fail!(help = "aimsdoc new policy \"Acceptable Use of AI\"", "the title is empty");
    }
    let (prefix, folder) = prefix_and_folder(new.doc_type);
    let docs_root = new.root.join(&config.paths.documents);
    let dir = new.dir.clone().unwrap_or_else(|| docs_root.join(&folder));
    check_inside(&dir, &docs_root)?;
    let tree = content::load(new.root, &config)?;
    let id = next_id(&tree, &prefix);
    let name = match slug(title) {
        s if s.is_empty() => format!("{}.md", id.to_ascii_lowercase()),
        s => format!("{}-{s}.md", id.to_ascii_lowercase()),
    };
    let path = dir.join(name);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    file.write_all(template(&id, title, new.doc_type, &config, new.today).as_bytes())?;
    println!("{}", path.display());
    eprintln!("created {id}: fill in the owner and approver (marked TODO); `aimsdoc check` reports them until then");
    Ok(EXIT_OK)
}

/// The id prefix and default folder of a type (custom types: first three letters, own folder).
fn prefix_and_folder(doc_type: &str) -> (String, String) {
    if let Some(t) = content::doc_types::builtin(doc_type) {
        return (t.prefix.to_string(), t.folder.to_string());
    }
    let letters: String = doc_type.chars().filter(char::is_ascii_alphabetic).take(3).collect();
    let prefix = if letters.is_empty() { "DOC".to_string() } else { letters.to_ascii_uppercase() };
    (prefix, slug(doc_type))
}

/// `PREFIX-NNN` with NNN one more than the highest number in use (at least three digits, or
/// as wide as the widest id in use).
fn next_id(tree: &Tree, prefix: &str) -> String {
    let ids = tree.documents.iter().map(|d| d.id.value.as_str()).chain(tree.unparsed_ids.iter().map(String::as_str));
    let numbers: Vec<&str> = ids
        .filter_map(|id| id.strip_prefix(prefix)?.strip_prefix('-'))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let max = numbers.iter().filter_map(|n| n.parse::<u64>().ok()).max().unwrap_or(0);
    let width = numbers.iter().map(|n| n.len()).max().unwrap_or(3).max(3);
    format!("{prefix}-{:0width$}", max + 1)
}

/// A file-name slug: lowercase ASCII letters and digits joined by single dashes, at most 60.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut s: String = out.chars().take(60).collect();
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// Refuses a target folder outside the documents root (its files would never be loaded).
fn check_inside(dir: &Path, docs_root: &Path) -> anyhow::Result<()> {
    let mut existing = dir.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let base = existing.canonicalize().unwrap_or(existing);
    let docs = docs_root.canonicalize().unwrap_or_else(|_| docs_root.to_path_buf());
    let escapes = rest.iter().any(|n| Path::new(n).components().any(|c| matches!(c, Component::ParentDir)));
    if escapes || !base.starts_with(&docs) {
        fail!(
            help = "documents outside it are not part of the tree; leave out --dir or pick a folder inside it",
            "`{}` is not inside the documents folder `{}`",
            dir.display(),
            docs_root.display()
        );
    }
    Ok(())
}

fn template(id: &str, title: &str, doc_type: &str, config: &Config, today: Date) -> String {
    if content::doc_types::RECORD_TYPES.contains(&doc_type) {
        return record_template(id, title, doc_type, config, today);
    }
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| format!("{title:?}"));
    let classification = &config.classification.default;
    debug_assert!(DocId::parse(id).is_some());
    let mut t = format!(
        "---\n\
id: {id}\n\
title: {quoted}\n\
type: {doc_type}\n\
owner: TODO (owner)              # the role or person accountable for this document\n\
version: \"0.1\"\n\
status: draft                    # draft -> review; `aimsdoc approve` makes it approved\n\
approval:\n  \
  by: TODO (approver)            # who will approve it: name, role (not the owner); no date until approved\n\
classification: {classification}\n\
clauses: []                      # ISO/IEC 42001 clauses addressed, e.g. [\"7.5.1\"]\n\
controls: []                     # Annex A controls implemented, e.g. [\"A.2.2\"]\n\
related: []                      # ids of related documents\n"
    );
    if doc_type == config.soa.document_type {
        t.push_str(&applicability());
    }
    if doc_type == content::doc_types::EXTERNAL {
        t.push_str(
            "origin: external\nsource: TODO (publisher)\nreference: TODO (reference, e.g. \"ISO/IEC 42001:2023\")\n",
        );
    }
    t.push_str(&format!(
        "history:\n  - {{ version: \"0.1\", date: {today}, by: TODO (author), summary: \"First draft\" }}\n---\n\n"
    ));
    t.push_str(&guidance::body(&guidance::DOCUMENT));
    t
}

/// The Statement of Applicability's list: every Annex A control of the embedded catalog once,
/// `planned` until decided, each justification a `TODO` placeholder (ID012 until written). The
/// short title is a comment, so the list reads without the standard at hand.
fn applicability() -> String {
    let mut out = String::from(
        "applicability:                   # every Annex A control once: applicable true/false, status implemented|partial|planned (none when excluded), why\n",
    );
    for control in crate::catalog::iso42001().of_kind(crate::catalog::Kind::AnnexControl) {
        out.push_str(&format!(
            "  - {{ control: \"{id}\", applicable: true, status: planned, justification: \"TODO (why {id} is included or excluded)\" }}  # {title}\n",
            id = control.id,
            title = control.title.replace(['\n', '\r'], " "),
        ));
    }
    out
}

/// A record or report: what happened and when (`record_date`), how long it is kept
/// (`retention`: the configured minimum for the type, else 7 years), its evidence files; no
/// `next_review` (records are retained, not reviewed) and no approval block until it is approved
/// (`aimsdoc approve` writes it with the real date).
fn record_template(id: &str, title: &str, doc_type: &str, config: &Config, today: Date) -> String {
    let quoted = serde_json::to_string(title).unwrap_or_else(|_| format!("{title:?}"));
    let retention = config.retention.minimum.get(doc_type).map_or_else(|| "7y".to_string(), ToString::to_string);
    let classification = &config.classification.default;
    debug_assert!(DocId::parse(id).is_some());
    format!(
        "---\n\
id: {id}\n\
title: {quoted}\n\
type: {doc_type}\n\
owner: TODO (owner)              # the role or person accountable for this record\n\
version: \"0.1\"\n\
status: draft                    # draft -> review -> approved; `aimsdoc approve` adds the approval\n\
record_date: {today}          # the date of the meeting, audit, assessment or event recorded\n\
retention: {retention}                    # how long it is kept from record_date (your records schedule)\n\
classification: {classification}\n\
clauses: []                      # ISO/IEC 42001 clauses it evidences, e.g. [\"9.3.3\"]\n\
controls: []                     # Annex A controls it evidences\n\
related: []                      # ids of related documents\n\
attachments: []                  # evidence files under the evidence folder, e.g. [audit/attendance.csv]\n\
history:\n  - {{ version: \"0.1\", date: {today}, by: TODO (author), summary: \"First draft\" }}\n---\n\n{}{}\n",
        guidance::body(&guidance::RECORD),
        guidance::RECORD_REMINDER,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Acceptable Use of AI (GenAI)!"), "acceptable-use-of-ai-genai");
        assert_eq!(slug("  Über -- Policy "), "ber-policy");
        assert_eq!(slug("***"), "");
    }

    #[test]
    fn custom_types_get_a_prefix_from_their_name() {
        assert_eq!(prefix_and_folder("policy"), ("POL".into(), "policies".into()));
        assert_eq!(prefix_and_folder("charter"), ("CHA".into(), "charter".into()));
    }
}
