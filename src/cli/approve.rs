//! `aimsdoc approve`: record an approval in approvals.lock and in the document's front matter.

use std::path::PathBuf;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::content::types::Date;
use crate::integrity::approve::{approve, Request};
use crate::integrity::LEDGER;

/// Runs the approval and returns the exit code.
pub fn run(root: PathBuf, id: String, by: String, date: Date, today: Date) -> anyhow::Result<i32> {
    let req = Request { root, id, by, date, today };
    match approve(&req)? {
        Ok(done) => {
            let what = match (done.document_changed, done.ledger_changed) {
                (false, false) => "already recorded; nothing changed".to_string(),
                (true, true) => format!("recorded in {LEDGER} and in {}", done.path),
                (false, true) => format!("recorded in {LEDGER} ({} already says so)", done.path),
                (true, false) => format!("written into {} ({LEDGER} already records it)", done.path),
            };
            eprintln!(
                "approved {} version {} by {} on {}: {what}\ncontent SHA-256 {}",
                req.id, done.version, req.by, req.date, done.sha256
            );
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
