//! `approve`: records an approval in `approvals.lock` (id, version, content hash, date,
//! approver) and writes the same approver and date into the document's front matter. A version
//! approved once stays bound to its content: approving changed text needs a new version.
//! The whole read-modify-write runs under an exclusive lock, and both files are replaced
//! atomically through randomly named temporary files (see [`crate::fsutil`]).

use std::path::PathBuf;

use anyhow::Context as _;

use super::content_hash;
use super::edit::set_approval;
use super::ledger::{Entry, Ledger};
use super::LEDGER;
use crate::config::Config;
use crate::content::types::Date;
use crate::content::{self, Document, Tree};
use crate::diagnostics::Severity;
use crate::fsutil;
use crate::util::closest;

/// What to approve.
#[derive(Debug, Clone)]
pub struct Request {
    /// Content root.
    pub root: PathBuf,
    /// Document id.
    pub id: String,
    /// Approver.
    pub by: String,
    /// Approval date.
    pub date: Date,
    /// Today, which the approval date must not be after.
    pub today: Date,
}

/// What `approve` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    /// The document's path relative to the content root.
    pub path: String,
    /// The version approved.
    pub version: String,
    /// The content hash recorded.
    pub sha256: String,
    /// Whether the document file was rewritten (false when its approval already matched).
    pub document_changed: bool,
    /// Whether the ledger changed (false when the same approval was already recorded).
    pub ledger_changed: bool,
}

/// Why `approve` refused; `usage` refusals are mistakes on the command line (exit 2), the
/// others problems with the documents or the ledger (exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// What is wrong.
    pub message: String,
    /// What to do about it, when we know (shown as `help: ...`).
    pub help: Option<String>,
    /// Whether the command line is at fault.
    pub usage: bool,
}

fn refuse<T>(usage: bool, message: String) -> Result<T, Refused> {
    Err(Refused { message, help: None, usage })
}

fn refuse_with_help<T>(usage: bool, message: String, help: &str) -> Result<T, Refused> {
    Err(Refused { message, help: Some(help.to_string()), usage })
}

/// The lock file `approve` holds (beside the ledger, removed afterwards) for its whole
/// read-modify-write of the ledger and the document.
pub const LOCK: &str = ".approvals.lock.lock";

/// Runs the approval. Environment failures (unreadable files) are `Err`; refusals `Ok(Err)`.
pub fn approve(req: &Request) -> anyhow::Result<Result<Approved, Refused>> {
    let config = Config::load(&req.root, crate::config::Trust::Trusted)?;
    // Held from the first read to the last write: two concurrent runs never lose an entry, and
    // never edit one document from the same stale text.
    let _lock = fsutil::lock_exclusive(&req.root.join(LOCK))?;
    let tree = content::load(&req.root, &config)?;
    let ledger_path = req.root.join(LEDGER);
    let loaded = Ledger::load(&ledger_path)?;
    let ledger_existed = loaded.is_some();
    let ledger = match loaded {
        Some((_, errors)) if !errors.is_empty() => {
            let e = &errors[0];
            return Ok(refuse_with_help(
                false,
                format!("{LEDGER}:{}:{}: {}", e.line, e.column, e.message),
                "fix the ledger first",
            ));
        }
        Some((ledger, _)) => ledger,
        None => Ledger::default(),
    };
    let doc = match find(&tree, req) {
        Ok(d) => d,
        Err(r) => return Ok(Err(r)),
    };
    let Some(text) = tree.sources.get(&doc.path) else {
        return Ok(refuse(false, format!("`{}` could not be read", doc.path)));
    };
    let hash = match content_hash::of_text(text) {
        Ok(h) => h,
        Err(e) => return Ok(refuse(false, format!("`{}`: {e}", doc.path))),
    };
    let version = doc.version_text().to_string();
    if let Some(old) = ledger.get(&req.id, &version).filter(|e| e.sha256 != hash) {
        return Ok(refuse_with_help(
            false,
            format!(
                "{} version {version} was approved on {} by {} with different content ({LEDGER} line {})",
                req.id, old.date, old.by, old.line
            ),
            "a changed document needs a new version: raise `version`, add a `history` entry, then approve again",
        ));
    }
    let new_text = match set_approval(text, &req.by, req.date) {
        Ok(t) => t,
        Err(e) => return Ok(refuse(false, format!("cannot edit the front matter of `{}`: {e}", doc.path))),
    };
    // The edit must not touch what the hash covers; if it did, writing it would be a bug.
    if content_hash::of_text(&new_text).ok().as_deref() != Some(hash.as_str()) {
        anyhow::bail!(
            "internal error: editing the approval of `{}` changed its content hash; nothing written",
            doc.path
        );
    }
    let entry = Entry {
        id: req.id.clone(),
        version: version.clone(),
        sha256: hash.clone(),
        date: req.date,
        by: req.by.clone(),
        line: 0,
    };
    let ledger_changed =
        ledger.get(&req.id, &version).is_none_or(|e| e.date != entry.date || e.by != entry.by) || !ledger_existed;
    let mut ledger = ledger;
    ledger.insert(entry);
    let document_changed = new_text != *text;
    if document_changed {
        let path = req.root.join(&doc.path);
        let real = path.canonicalize().with_context(|| format!("cannot open `{}`", path.display()))?;
        fsutil::write_atomic(&real, new_text.as_bytes())?;
    }
    if ledger_changed {
        fsutil::write_atomic(&ledger_path, ledger.render().as_bytes())?;
    }
    Ok(Ok(Approved { path: doc.path.clone(), version, sha256: hash, document_changed, ledger_changed }))
}

fn find<'t>(tree: &'t Tree, req: &Request) -> Result<&'t Document, Refused> {
    if req.by.trim().is_empty() || req.by.trim() != req.by || req.by.chars().any(char::is_control) {
        return refuse(true, "--by must name the approver on one line, without leading or trailing spaces".into());
    }
    if req.date > req.today {
        return refuse(true, format!("the approval date {} is in the future (today is {})", req.date, req.today));
    }
    let matches: Vec<&Document> = tree.documents.iter().filter(|d| d.id.value.as_str() == req.id).collect();
    let doc = match matches.as_slice() {
        [one] => *one,
        [] if tree.unparsed_ids.contains(&req.id) => {
            return refuse_with_help(
                false,
                format!("{}'s front matter cannot be read", req.id),
                "run `aimsdoc check` and fix it first",
            )
        }
        [] => {
            let help = closest(&req.id, tree.documents.iter().map(|d| d.id.value.as_str()))
                .map(|c| format!("did you mean `{c}`?"));
            return Err(Refused { message: format!("no document has id `{}`", req.id), help, usage: true });
        }
        many => {
            let paths: Vec<&str> = many.iter().map(|d| d.path.as_str()).collect();
            return refuse(false, format!("{} is the id of several documents: {}", req.id, paths.join(", ")));
        }
    };
    if doc.version.is_none() {
        return refuse_with_help(
            false,
            format!("`{}` has no valid `version`", doc.path),
            "run `aimsdoc check` and fix it first",
        );
    }
    let broken = tree.diagnostics.iter().any(|d| d.file == doc.path && d.severity == Severity::Error);
    if broken {
        return refuse_with_help(false, format!("`{}` has errors", doc.path), "run `aimsdoc check` and fix them first");
    }
    Ok(doc)
}
