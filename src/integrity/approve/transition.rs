//! The whole transition of a draft or a document in review to approved, as `approve` performs
//! it before recording the approval: `status: approved`, a `0.x` draft issued as `1.0` (or the
//! version `--version` names) with its `history` entry, each edit byte-preserving (see
//! [`super::super::edit`]) and described in words for the terminal.

use super::{refuse, refuse_with_help, Refused, Request};
use crate::assess::currency::current_history;
use crate::content::types::{Status, Version};
use crate::content::Document;
use crate::integrity::edit::{add_history, set_scalar};

/// The document text after the transition, the version it now has and each change in words.
pub(super) struct Transition {
    /// The edited text.
    pub text: String,
    /// The version to approve.
    pub version: String,
    /// Each change ("status draft -> approved").
    pub changes: Vec<String>,
}

/// Whether `doc` is one `approve` moves to approved (rather than recording an approval it
/// already states).
pub(super) fn applies(doc: &Document) -> bool {
    matches!(doc.status(), Status::Draft | Status::Review)
}

/// The edits that make draft `doc` (source `text`) approved; `None` when it is not a draft or
/// in review.
pub(super) fn apply(req: &Request, doc: &Document, text: &str) -> Result<Option<Transition>, Refused> {
    if !applies(doc) {
        if req.version.is_some() {
            return refuse(
                true,
                format!(
                    "{} is {}: --version applies to a draft or a document in review",
                    req.id,
                    doc.status().as_str()
                ),
            );
        }
        return Ok(None);
    }
    let current = doc.version.as_ref().map(|v| v.value.clone()).ok_or_else(|| Refused {
        message: format!("`{}` has no valid `version`", doc.path),
        help: Some("run `aimsdoc check` and fix it first".into()),
        usage: false,
    })?;
    let target = target_version(req, &current)?;
    let mut changes = Vec::new();
    let mut edited = text.to_string();
    if target != current {
        edited = issue_version(req, doc, &edited, &current, &target)?;
        changes.push(format!("version {current} -> {target}"));
        changes.push(format!("history: added version {target} of {} (\"{}\")", req.date, summary(&current)));
    }
    edited = edit(set_scalar(&edited, "status", "approved"), doc)?;
    changes.push(format!("status {} -> approved", doc.status().as_str()));
    Ok(Some(Transition { text: edited, version: target.as_str().to_string(), changes }))
}

/// `--version` (above the current one), else `1.0` for a `0.x` draft, else the current version
/// (a revision drafted as `2.0` is approved as `2.0`).
fn target_version(req: &Request, current: &Version) -> Result<Version, Refused> {
    if let Some(v) = &req.version {
        let Some(target) = Version::parse(v) else {
            return refuse(true, format!("--version `{v}` is not a version (dotted numbers such as 1.0)"));
        };
        if target < *current {
            return refuse(true, format!("--version {target} is below the draft's version {current}"));
        }
        return Ok(target);
    }
    match current.as_str().split('.').next() {
        Some("0") => Ok(Version::parse("1.0").unwrap_or_else(|| current.clone())),
        _ => Ok(current.clone()),
    }
}

fn summary(from: &Version) -> String {
    format!("Approved for issue (was draft {from})")
}

/// Sets `version` to `target` and adds its history entry, by the author of the draft's version
/// (the text approved is theirs). A placeholder author is copied as it is: the check of the
/// result then reports it with every other placeholder, in one refusal.
fn issue_version(
    req: &Request,
    doc: &Document,
    text: &str,
    current: &Version,
    target: &Version,
) -> Result<String, Refused> {
    let author = current_history(doc).map(|h| h.by.trim()).filter(|by| !by.is_empty());
    let Some(author) = author else {
        return refuse_with_help(
            false,
            format!(
                "{} {current} has no `history` entry naming who wrote it, so version {target} cannot be recorded",
                req.id
            ),
            &format!("add `- {{ version: \"{current}\", date: YYYY-MM-DD, by: AUTHOR, summary: \"...\" }}` under `history`, then approve again"),
        );
    };
    let entry = format!(
        "{{ version: \"{target}\", date: {}, by: {}, summary: \"{}\" }}",
        req.date,
        crate::integrity::edit::quote(author),
        summary(current)
    );
    let text = edit(set_scalar(text, "version", &format!("\"{target}\"")), doc)?;
    edit(add_history(&text, &entry), doc)
}

fn edit(result: Result<String, String>, doc: &Document) -> Result<String, Refused> {
    result.map_err(|e| Refused {
        message: format!("cannot edit the front matter of `{}`: {e}", doc.path),
        help: Some("make the change by hand, or write the front matter as `aimsdoc new` does".into()),
        usage: false,
    })
}
