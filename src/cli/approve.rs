//! `aimsdoc approve`: approve a document (the whole transition of a draft to approved) and
//! record the approval in approvals.lock, printing every change it makes (or, with `--dry-run`,
//! would make) and the summary line `check` would print afterwards.

use std::path::PathBuf;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::content::types::Date;
use crate::integrity::approve::{approve, Approved, Outcome, Request};
use crate::integrity::LEDGER;

/// The dates of an approval as given on the command line.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dates {
    /// The approval date.
    pub date: Date,
    /// `--effective`.
    pub effective: Option<Date>,
    /// `--next-review`.
    pub next_review: Option<Date>,
    /// Today.
    pub today: Date,
}

/// `--version` and `--dry-run`.
#[derive(Debug, Clone)]
pub(super) struct Mode {
    /// The version a draft is issued as.
    pub version: Option<String>,
    /// Report, write nothing.
    pub dry_run: bool,
}

/// Runs the approval and returns the exit code.
pub(super) fn run(root: PathBuf, id: String, by: String, dates: Dates, mode: Mode) -> anyhow::Result<i32> {
    let Dates { date, effective, next_review, today } = dates;
    let Mode { version, dry_run } = mode;
    let req = Request { root, id, by, date, effective, next_review, today, version, dry_run };
    match approve(&req)? {
        Ok(done) => {
            report(&req, &done);
            Ok(EXIT_OK)
        }
        Err(refused) => {
            eprintln!("error: cannot approve {}: {}", req.id, refused.message);
            if let Some(help) = &refused.help {
                eprintln!("help: {help}");
            }
            Ok(if refused.usage { EXIT_USAGE } else { EXIT_ERRORS })
        }
    }
}

fn report(req: &Request, done: &Approved) {
    let (would, changed) = if req.dry_run { ("would be ", "would change") } else { ("", "changed") };
    let what = match done.outcome {
        Outcome::First if done.document_changed => format!("{would}recorded in {LEDGER} and in {}", done.path),
        Outcome::First => format!("{would}recorded in {LEDGER} ({} already says so)", done.path),
        Outcome::Further => {
            format!(
                "{would}recorded in {LEDGER} as a further approval of the same content; {} keeps its first approval",
                done.path
            )
        }
        Outcome::Rerecorded => {
            format!("{would}recorded again in {LEDGER} under content hash recipe v2 (the earlier line stays)")
        }
        Outcome::AlreadyRecorded => format!("already recorded in {LEDGER}; nothing changed"),
    };
    eprintln!("approved {} version {} by {} on {}: {what}", req.id, done.version, req.by, req.date);
    for change in &done.changes {
        eprintln!("{changed} {}: {change}", done.path);
    }
    for warning in &done.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!("content hash {}", done.hash);
    if let Some(others) = &done.ledger_started {
        ledger_started(req, others);
    }
    if !done.summary.is_empty() {
        eprintln!("{}", done.summary);
    }
    if req.dry_run {
        eprintln!("dry run: nothing written");
    }
}

/// The first approval starts the ledger, after which `check` requires every approved document
/// to be in it: say so, with the commands that record the others.
fn ledger_started(req: &Request, others: &[String]) {
    let starts = if req.dry_run { "would start" } else { "started" };
    if others.is_empty() {
        eprintln!("note: this {starts} {LEDGER}: from now on `aimsdoc check` requires every approved version to be recorded in it");
        return;
    }
    eprintln!(
        "note: this {starts} {LEDGER}: from now on `aimsdoc check` requires every approved version to be recorded in it (IN002); record the {} other approved document(s) with the approver and date each states, once you have confirmed them:",
        others.len()
    );
    for command in others {
        eprintln!("  {command}");
    }
}
