//! `approve`: records an approval in `approvals.lock` (id, version, content hash of the text
//! and every attachment, date, approver) and writes the same approver and date into the
//! document's front matter, moving `effective` and `next_review` where the approval would leave
//! them wrong. A draft or a document in review goes the whole way to approved (status, version,
//! history; [`transition`]) or not at all, and nothing is written that `check` would then fail
//! on ([`simulate`]). A version approved once stays bound to its content: approving changed text needs
//! a new version; a second approver of the same content adds a line (dual approval). No ledger
//! line is ever rewritten or removed. The whole read-modify-write runs under an exclusive lock,
//! and both files are replaced atomically through randomly named temporary files (see
//! [`crate::fsutil`]).

use std::path::PathBuf;

use anyhow::Context as _;

mod checks;
mod others;
mod simulate;
mod transition;

use checks::{effective_date, next_review_date, policy};

use super::content_hash::{self, Recorded};
use super::edit::{set_approval, set_date};
use super::ledger::{with_line, Entry, Ledger};
use super::LEDGER;
use crate::config::Config;
use crate::content::types::Date;
use crate::content::{self, Document, Tree};
use crate::diagnostics::Severity;
use crate::fsutil;
use crate::util::closest;

/// What to approve.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// Content root.
    pub root: PathBuf,
    /// Document id.
    pub id: String,
    /// Approver.
    pub by: String,
    /// Approval date.
    pub date: Date,
    /// The `effective` date to set (`None`: moved to the approval date only when earlier).
    pub effective: Option<Date>,
    /// The `next_review` date to set (`None`: moved only when outside the allowed interval).
    pub next_review: Option<Date>,
    /// Today, which the approval date must not be after.
    pub today: Date,
    /// `--version`: the version a draft is issued as (default `1.0` for a `0.x` draft).
    pub version: Option<String>,
    /// `--dry-run`: work out and report every change, write nothing.
    pub dry_run: bool,
}

/// How the approval was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The first approval of this version: a new ledger line and the front matter.
    First,
    /// A further approval of a version already approved with the same content: a new ledger
    /// line; the front matter keeps the first approval.
    Further,
    /// The same approver's approval, recorded before under an older hash recipe, recorded
    /// again under the current one (the old line stays).
    Rerecorded,
    /// The same approver and date are already recorded: nothing written.
    AlreadyRecorded,
}

/// What `approve` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Approved {
    /// The document's path relative to the content root.
    pub path: String,
    /// The version approved.
    pub version: String,
    /// The content hash recorded.
    pub hash: Recorded,
    /// How it was recorded.
    pub outcome: Outcome,
    /// Whether the document file was rewritten.
    pub document_changed: bool,
    /// Each change made to the document, in words ("effective 2026-01-01 -> 2026-03-01").
    pub changes: Vec<String>,
    /// Findings the approval leaves (segregation of duties at warning level, and the warnings
    /// `check` would report in the document afterwards).
    pub warnings: Vec<String>,
    /// The summary line `check` would print afterwards.
    pub summary: String,
    /// This approval starts the ledger: the commands that record the other approved documents,
    /// which `check` requires from now on (`Some(vec![])` when there are none).
    pub ledger_started: Option<Vec<String>>,
}

/// Why `approve` refused; `usage` refusals are mistakes on the command line (exit 2), the
/// others problems with the documents or the ledger (exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
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
pub(crate) const LOCK: &str = ".approvals.lock.lock";

/// What `approve` works on, read under the lock.
struct Loaded {
    config: Config,
    tree: Tree,
    ledger: Ledger,
    ledger_text: Option<String>,
}

/// Runs the approval. Environment failures (unreadable files) are `Err`; refusals `Ok(Err)`.
pub(crate) fn approve(req: &Request) -> anyhow::Result<Result<Approved, Refused>> {
    let config = Config::load(&req.root, crate::config::Trust::Trusted)?;
    // Held from the first read to the last write: two concurrent runs never lose an entry, and
    // never edit one document from the same stale text.
    let _lock = fsutil::lock_exclusive(&req.root.join(LOCK))?;
    let tree = content::load(&req.root, &config)?;
    let ledger_path = req.root.join(LEDGER);
    let ledger_text = fsutil::read_regular(&ledger_path, super::ledger::MAX_BYTES)?;
    let ledger = match ledger_text.as_deref().map(Ledger::parse) {
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
    let loaded = Loaded { config, tree, ledger, ledger_text };
    let mut plan = match plan(req, &loaded) {
        Ok(plan) => plan,
        Err(refused) => return Ok(Err(refused)),
    };
    let outlook = match simulate::foresee(req, &loaded, &mut plan)? {
        Ok(outlook) => outlook,
        Err(refused) => return Ok(Err(refused)),
    };
    if loaded.ledger_text.is_none() && plan.entry.is_some() {
        plan.approved.ledger_started = Some(others::commands(req, &loaded.tree));
    }
    plan.approved.summary = simulate::summary(req, &loaded, &outlook);
    if req.dry_run {
        return Ok(Ok(plan.approved));
    }
    write(req, &loaded, plan).map(Ok)
}

/// What to write: the new document text (when it changes) and the ledger line (when new).
pub(super) struct Plan {
    approved: Approved,
    document: Option<String>,
    entry: Option<Entry>,
}

fn plan(req: &Request, l: &Loaded) -> Result<Plan, Refused> {
    let doc = find(&l.tree, req)?;
    let source = l.tree.sources.get(&doc.path).ok_or_else(|| Refused {
        message: format!("`{}` could not be read", doc.path),
        help: None,
        usage: false,
    })?;
    let text = source.text();
    let text = text.as_ref();
    let transition = transition::apply(req, doc, text)?;
    let warnings = policy(req, doc, &l.config)?;
    let files = attachment_files(req, doc, l)?;
    let (version, start) = match &transition {
        Some(t) => (t.version.clone(), t.text.as_str()),
        None => (doc.version_text().to_string(), text),
    };
    let recorded: Vec<&Entry> = l.ledger.get(&req.id, &version).collect();
    let mut plan = match (recorded.first(), &transition) {
        (None, _) => first_approval(req, doc, (text, start), &version, &files, &l.config)?,
        (Some(e), Some(_)) => {
            return refuse_with_help(
                true,
                format!(
                    "{} version {version} is already recorded in {LEDGER} (line {}), with other content",
                    req.id, e.line
                ),
                "issue the draft under a version of its own: --version X.Y",
            )
        }
        (Some(_), None) => further_approval(req, doc, text, &files, &recorded)?,
    };
    if let Some(t) = transition {
        plan.approved.changes.splice(0..0, t.changes);
    }
    plan.approved.warnings = warnings;
    Ok(plan)
}

/// The SHA-256 of each attachment of `doc`, every one of which must be readable.
fn attachment_files(req: &Request, doc: &Document, l: &Loaded) -> Result<Vec<String>, Refused> {
    let graph = crate::graph::build(&l.tree, &l.config);
    let Some(&i) = graph.by_path.get(&doc.path) else {
        return refuse(false, format!("internal error: `{}` is not in the graph", doc.path));
    };
    let hashes = content_hash::attachment_hashes(i, &graph);
    hashes
        .into_iter()
        .zip(&doc.attachments)
        .map(|(h, att)| {
            h.ok_or_else(|| Refused {
                message: format!("{}'s attachment `{}` cannot be read, so it cannot be approved", req.id, att.value),
                help: Some("run `aimsdoc check` and fix it first".into()),
                usage: false,
            })
        })
        .collect()
}

fn entry(req: &Request, version: &str, hash: Recorded) -> Entry {
    Entry { id: req.id.clone(), version: version.to_string(), hash, date: req.date, by: req.by.clone(), line: 0 }
}

fn v2(text: &str, files: &[String]) -> Result<Recorded, Refused> {
    let text = content_hash::of_text(text).map_err(|e| Refused { message: e, help: None, usage: false })?;
    Ok(Recorded::V2 { text, attachments: files.to_vec() })
}

/// The first approval of a version: `effective` and `next_review` set where the approval would
/// leave them wrong, the content hash taken after that (`effective` is content), then the
/// approval written.
fn first_approval(
    req: &Request,
    doc: &Document,
    (original, start): (&str, &str),
    version: &str,
    files: &[String],
    config: &Config,
) -> Result<Plan, Refused> {
    let mut changes = Vec::new();
    let text = match effective_date(req, doc, transition::applies(doc))? {
        Some(eff) => {
            changes.push(format!(
                "effective {} -> {eff}",
                doc.effective.as_ref().map_or("(none)".into(), |e| e.value.to_string())
            ));
            edit(set_date(start, "effective", eff, "approval"), doc)?
        }
        None => start.to_string(),
    };
    let hash = v2(&text, files)?;
    let mut new = edit(set_approval(&text, &req.by, req.date), doc)?;
    if new != text {
        changes.push(format!("approval: by {} on {}", req.by, req.date));
    }
    if let Some(next) = next_review_date(req, doc, config)? {
        changes.push(format!(
            "next_review {} -> {next}",
            doc.next_review.as_ref().map_or("(none)".into(), |n| n.value.to_string())
        ));
        new = edit(set_date(&new, "next_review", next, "approval"), doc)?;
    }
    // The approval and next_review are outside the hash; if an edit touched it, that is a bug.
    if v2(&new, files)? != hash {
        return refuse(
            false,
            format!("internal error: editing `{}` changed its content hash; nothing written", doc.path),
        );
    }
    let approved = Approved {
        path: doc.path.clone(),
        version: version.to_string(),
        hash: hash.clone(),
        outcome: Outcome::First,
        document_changed: new != original,
        changes,
        warnings: Vec::new(),
        summary: String::new(),
        ledger_started: None,
    };
    let document = (new != original).then_some(new);
    Ok(Plan { entry: Some(entry(req, version, hash)), approved, document })
}

fn edit(result: Result<String, String>, doc: &Document) -> Result<String, Refused> {
    result.map_err(|e| Refused {
        message: format!("cannot edit the front matter of `{}`: {e}", doc.path),
        help: None,
        usage: false,
    })
}

/// A further approval of a recorded version: the content must be the recorded one; a new
/// approver (or the same one under a newer hash recipe) adds a line, the same approval again
/// adds nothing.
fn further_approval(
    req: &Request,
    doc: &Document,
    text: &str,
    files: &[String],
    recorded: &[&Entry],
) -> Result<Plan, Refused> {
    let hash = v2(text, files)?;
    let version = doc.version_text();
    let files: Vec<Option<String>> = files.iter().cloned().map(Some).collect();
    if let Some(old) = recorded.iter().find(|e| !e.hash.changes(hash.text(), &files).is_empty()) {
        return refuse_with_help(
            false,
            format!(
                "{} version {version} was approved on {} by {} with different content ({LEDGER} line {})",
                req.id, old.date, old.by, old.line
            ),
            "a changed document needs a new version: raise `version`, add a `history` entry, then approve again",
        );
    }
    if req.effective.is_some() || req.next_review.is_some() {
        return refuse(
            true,
            format!(
                "{} version {version} is already approved: --effective and --next-review apply to a first approval",
                req.id
            ),
        );
    }
    let outcome = further_outcome(req, version, &hash, recorded)?;
    let entry = (outcome != Outcome::AlreadyRecorded).then(|| entry(req, version, hash.clone()));
    let approved = Approved {
        path: doc.path.clone(),
        version: version.to_string(),
        hash,
        outcome,
        document_changed: false,
        changes: Vec::new(),
        warnings: Vec::new(),
        summary: String::new(),
        ledger_started: None,
    };
    Ok(Plan { approved, document: None, entry })
}

/// What a further approval of `version` by `req.by` adds: nothing (already recorded that day),
/// a line under the newer recipe, or another approver's line; refused when the same approver
/// approved it on another day.
fn further_outcome(req: &Request, version: &str, hash: &Recorded, recorded: &[&Entry]) -> Result<Outcome, Refused> {
    let same = |e: &&&Entry| e.by == req.by && e.hash.recipe() == hash.recipe();
    Ok(match recorded.iter().find(same) {
        Some(e) if e.date == req.date => Outcome::AlreadyRecorded,
        Some(e) => {
            return refuse(false, format!("{} already approved {} version {version} on {} ({LEDGER} line {}): a further approval comes from someone else", req.by, req.id, e.date, e.line));
        }
        None if recorded.iter().any(|e| e.by == req.by) => Outcome::Rerecorded,
        None => Outcome::Further,
    })
}

/// Writes the document, then the ledger with the new line inserted.
fn write(req: &Request, l: &Loaded, plan: Plan) -> anyhow::Result<Approved> {
    if let Some(text) = &plan.document {
        let path = req.root.join(&plan.approved.path);
        let real = path.canonicalize().with_context(|| format!("cannot open `{}`", path.display()))?;
        fsutil::write_atomic(&real, text.as_bytes())?;
    }
    if let Some(entry) = &plan.entry {
        fsutil::write_atomic(&req.root.join(LEDGER), with_line(l.ledger_text.as_deref(), entry).as_bytes())?;
    }
    Ok(plan.approved)
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
