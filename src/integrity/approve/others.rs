//! The commands that record the other approved documents when an approval starts the ledger
//! (printed, not run: each ledger line is someone's statement that this exact content was
//! approved, made one document at a time).

use super::Request;
use crate::content::types::Status;
use crate::content::Tree;

/// The commands that record every other approved or superseded document in a new ledger, with
/// the approver and date its front matter states.
pub(super) fn commands(req: &Request, tree: &Tree) -> Vec<String> {
    let dir = req.root.display().to_string();
    let dir = if dir == "." { String::new() } else { format!(" {}", shell_word(&dir)) };
    tree.documents
        .iter()
        .filter(|d| d.id.value.as_str() != req.id && matches!(d.status(), Status::Approved | Status::Superseded))
        .filter_map(|d| {
            let a = d.approval.as_ref()?;
            let (by, date) = (a.by.as_ref()?, a.date.as_ref()?);
            Some(format!(
                "aimsdoc approve {} --by {} --date {}{dir}",
                d.id.value.as_str(),
                shell_word(&by.value),
                date.value
            ))
        })
        .collect()
}

/// `s` as one shell word: as is when it is plain, else in single quotes.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:@+,=".contains(c)) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}
