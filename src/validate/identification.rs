//! Identification (7.5.2): ids are unique across the tree, no two documents in force share a
//! title, and every file in the evidence folder is attached by some document. Field presence
//! and shape are checked while parsing (`content::parse`).

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use super::Ctx;
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};
use crate::graph::{Attachment, Resolved};

/// Reports every document whose id is already used by an earlier one (in path order), with a
/// note at the first use.
pub(super) fn check_tree(cx: &Ctx) -> Vec<Diagnostic> {
    // Sized once: growing through 100,000 ids rehashed them all several times.
    let mut first: HashMap<&str, &Document> = HashMap::with_capacity(cx.docs.len());
    let mut out = Vec::new();
    for d in cx.docs {
        let id = d.id.value.as_str();
        match first.get(id) {
            None => {
                first.insert(id, d);
            }
            Some(other) => out.push(
                Diagnostic::new(
                    rules::ID_DUPLICATE,
                    &d.path,
                    d.id.pos,
                    format!("id `{id}` is already used by `{}`", other.path),
                )
                .hint("give this document its own id; ids are unique and never reused")
                .note(&other.path, other.id.pos, "first used here"),
            ),
        }
    }
    out.extend(same_titles(cx));
    out.extend(orphan_evidence(cx));
    out
}

/// A title compared the way a reader would: case and runs of whitespace ignored.
fn title_key(title: &str) -> String {
    // One allocation per title (this runs over every document on each `serve` edit); each word
    // lowercased exactly as `str::to_lowercase` does.
    let mut key = String::with_capacity(title.len());
    for word in title.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        match word.is_ascii() {
            true => key.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase()))),
            false => key.push_str(&word.to_lowercase()),
        }
    }
    key
}

/// Two documents in force (approved, neither superseded nor withdrawn) with one title: a copy
/// under a new id, so two versions of the same rule are both in force. Reported at the second.
fn same_titles(cx: &Ctx) -> Vec<Diagnostic> {
    // The keys are made in parallel and the map sized once: this runs beside the per-document
    // rules, and was the longest of the whole-tree rules at 100,000 documents.
    let keyed: Vec<(String, &Document)> =
        cx.docs.par_iter().filter(|d| in_force(d)).map(|d| (title_key(&d.title.value), d)).collect();
    let mut first: HashMap<String, &Document> = HashMap::with_capacity(keyed.len());
    let mut out = Vec::new();
    for (key, d) in keyed {
        if key.is_empty() {
            continue;
        }
        match first.get(&key) {
            None => {
                first.insert(key, d);
            }
            Some(other) => out.push(
                Diagnostic::new(
                    rules::ID_SAME_TITLE,
                    &d.path,
                    d.title.pos,
                    format!(
                        "`{}` has the same title as `{}`, and both are in force: \"{}\"",
                        d.id.value, other.id.value, d.title.value
                    ),
                )
                .hint(format!(
                    "if `{}` replaces `{}`, add `supersedes: [{}]` and mark the old one superseded; otherwise give it a title that says how it differs",
                    d.id.value, other.id.value, other.id.value
                ))
                .note(&other.path, other.title.pos, format!("`{}` has this title", other.id.value)),
            ),
        }
    }
    out
}

/// Approved: not draft or in review, and not superseded or withdrawn.
fn in_force(d: &Document) -> bool {
    d.status() == crate::content::types::Status::Approved
}

/// Files in the evidence folder that no document attaches or links, by name or through a link
/// that leads to it: uncontrolled evidence.
fn orphan_evidence(cx: &Ctx) -> Vec<Diagnostic> {
    let reached: BTreeSet<&std::path::Path> = cx.graph.sources.values().map(std::path::PathBuf::as_path).collect();
    let used: BTreeSet<&str> = cx
        .graph
        .attachments
        .iter()
        .flatten()
        .filter_map(|a| match a {
            Attachment::Found(p) | Attachment::Unreadable(p, _) | Attachment::Refused(p, _) => Some(p.as_str()),
            _ => None,
        })
        .chain(cx.graph.links.iter().flatten().filter_map(|r| match r {
            Resolved::File(p) => Some(p.as_str()),
            _ => None,
        }))
        .collect();
    cx.graph
        .evidence_files
        .iter()
        .filter(|(p, found)| !used.contains(p.as_str()) && !reached.contains(found.as_path()))
        .map(|(p, found)| {
            if crate::content::evidence::name_not_utf8(p, found) {
                return evidence_name_not_utf8(p);
            }
            Diagnostic::new(
                rules::LK_ORPHAN_EVIDENCE,
                p,
                crate::yaml::Pos { line: 1, column: 1 },
                format!("evidence file `{p}` is not attached to any document"),
            )
            .hint("list it under `attachments` of the document it evidences, or remove it (or move it to a `_`-prefixed folder) if it is not evidence")
        })
        .collect()
}

/// An evidence file whose name is not UTF-8: nothing can attach, link or list it, so it is
/// reported as that (FS007) rather than as an orphan that attaching would fix.
fn evidence_name_not_utf8(p: &str) -> Diagnostic {
    Diagnostic::new(
        rules::FS_EVIDENCE_NAME_NOT_UTF8,
        p,
        crate::yaml::Pos { line: 1, column: 1 },
        "this evidence file's name is not valid UTF-8 (shown with \u{fffd}): no attachment, link or SHA256SUMS line can name it",
    )
    .hint("rename the file (or its folder) to a UTF-8 name, then attach it to the document it evidences")
}

#[cfg(test)]
mod tests {
    use super::title_key;

    #[test]
    fn titles_compare_without_case_or_spacing() {
        assert_eq!(title_key("  Acceptable  Use\tPolicy "), title_key("acceptable use policy"));
        assert_ne!(title_key("Acceptable use policy"), title_key("Acceptable use policy 2"));
        assert_eq!(title_key("   "), "");
        // The same key as lowercasing each word with `str::to_lowercase` (final sigma included).
        for title in ["ΟΔΥΣΣΕΥΣ Policy", "Straße  ÉTÉ", "İstanbul x"] {
            let words: Vec<String> = title.split_whitespace().map(str::to_lowercase).collect();
            assert_eq!(title_key(title), words.join(" "), "{title}");
        }
    }
}
