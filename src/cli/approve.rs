//! `aimsdoc approve`: record an approval in approvals.lock and in the document's front matter,
//! printing what it recorded and every change it made to the document.

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

/// Runs the approval and returns the exit code.
pub(super) fn run(root: PathBuf, id: String, by: String, dates: Dates) -> anyhow::Result<i32> {
    let Dates { date, effective, next_review, today } = dates;
    let req = Request { root, id, by, date, effective, next_review, today };
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
    let what = match done.outcome {
        Outcome::First if done.document_changed => format!("recorded in {LEDGER} and in {}", done.path),
        Outcome::First => format!("recorded in {LEDGER} ({} already says so)", done.path),
        Outcome::Further => {
            format!(
                "recorded in {LEDGER} as a further approval of the same content; {} keeps its first approval",
                done.path
            )
        }
        Outcome::Rerecorded => {
            format!("recorded again in {LEDGER} under content hash recipe v2 (the earlier line stays)")
        }
        Outcome::AlreadyRecorded => format!("already recorded in {LEDGER}; nothing changed"),
    };
    eprintln!("approved {} version {} by {} on {}: {what}", req.id, done.version, req.by, req.date);
    for change in &done.changes {
        eprintln!("changed {}: {change}", done.path);
    }
    for warning in &done.warnings {
        eprintln!("warning: {warning}");
    }
    eprintln!("content hash {}", done.hash);
}
