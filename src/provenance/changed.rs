//! `aimsdoc check --changed-since REV`: the pull-request gate. Each document of the work tree is
//! compared, by id, with its file at REV:
//! - its content (the approval content hash's text: body and every field but the lifecycle ones)
//!   changed and its version did not: VC012;
//! - its version is lower than at REV: VC013;
//! - its approval block changed while its content and version did not, and no review entry was
//!   added: a re-approval without a change, VC014 (confirming a version is a review).
//!
//! A document new since REV, or one REV holds unreadably, is not compared.

use std::collections::HashMap;
use std::path::Path;

use anyhow::bail;
use serde_json::Value;

use super::repo::GitRepo;
use super::versions::{parse_head, MAX_BLOB_BYTES};
use super::walk;
use crate::config::Config;
use crate::content::frontmatter;
use crate::content::types::Version;
use crate::content::{Document, Tree};
use crate::diagnostics::{rules, Diagnostic};
use crate::integrity::content_hash;
use crate::yaml::{self, Limits};

/// The findings of comparing `tree` with revision `rev` of its repository.
pub(crate) fn changed_since(root: &Path, config: &Config, tree: &Tree, rev: &str) -> anyhow::Result<Vec<Diagnostic>> {
    let Some(repo) = GitRepo::open(root)? else {
        bail!("`--changed-since` needs the content root `{}` to be in a git repository", root.display());
    };
    let commit = repo.resolve(rev)?;
    let base = texts_at(&repo, commit, &config.paths.documents)?;
    let mut out = Vec::new();
    for doc in &tree.documents {
        let (Some(before), Some(after)) = (base.get(doc.id.value.as_str()), tree.sources.get(&doc.path)) else {
            continue;
        };
        out.extend(compare(doc, before, &after.text(), rev));
    }
    Ok(out)
}

/// The text of every readable document at `commit`, by id.
fn texts_at(repo: &GitRepo, commit: gix::ObjectId, docs_dir: &str) -> anyhow::Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for (_, blob) in walk::files_at(repo, commit, docs_dir.trim_end_matches('/'))? {
        let Ok(text) = String::from_utf8(repo.blob(blob, MAX_BLOB_BYTES)?) else { continue };
        if let Some((id, _, _)) = parse_head(&text) {
            out.insert(id, text);
        }
    }
    Ok(out)
}

/// The findings about one document whose file at REV was `before` and is now `after`.
fn compare(doc: &Document, before: &str, after: &str, rev: &str) -> Option<Diagnostic> {
    let (_, old_version, _) = parse_head(before)?;
    let new_version = doc.version.as_ref()?;
    let version_pos = new_version.pos;
    let old = Version::parse(&old_version)?;
    if new_version.value < old {
        let message = format!("version {} is lower than version {old_version} at `{rev}`", new_version.value);
        let hint = "a version number names one text: give this change a version above the one at the base revision";
        return Some(Diagnostic::new(rules::VC_VERSION_BACKWARDS, &doc.path, version_pos, message).hint(hint));
    }
    if new_version.value != old {
        return None;
    }
    let content_changed = content_hash::of_text(before).ok()? != content_hash::of_text(after).ok()?;
    if content_changed {
        let message = format!("the content changed since `{rev}` but the version is still {old_version}");
        let hint = "raise `version` and add a `history` entry saying what changed (approved text cannot change under its version)";
        return Some(Diagnostic::new(rules::VC_CHANGED_NO_VERSION, &doc.path, version_pos, message).hint(hint));
    }
    let (old_approval, old_reviews) = lifecycle(before)?;
    let (new_approval, new_reviews) = lifecycle(after)?;
    if old_approval != new_approval && new_reviews.len() <= old_reviews.len() {
        let pos = doc.approval.as_ref().map_or(doc.head, |a| a.pos);
        let message = format!("the approval changed since `{rev}` while the content and version {old_version} did not");
        let hint = "to confirm an unchanged version, restore the approval and add a `reviews` entry (outcome no-change); to approve a change, give it a new version";
        return Some(Diagnostic::new(rules::VC_REAPPROVED_UNCHANGED, &doc.path, pos, message).hint(hint));
    }
    None
}

/// The `approval` block and the `reviews` list of a document's front matter, as values.
fn lifecycle(text: &str) -> Option<(Value, Vec<Value>)> {
    let split = frontmatter::split(text).ok()?;
    let root = yaml::parse(split.yaml, split.yaml_line, Limits::default()).ok()??;
    let approval = root.get("approval").map_or(Value::Null, content_hash::to_value);
    let reviews = match root.get("reviews").map(content_hash::to_value) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    Some((approval, reviews))
}
