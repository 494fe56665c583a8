//! Version control (7.5.3): an approved document has a history, every entry records version,
//! date, author and summary, the version matches the newest history entry, history runs newest
//! first with strictly decreasing versions and non-increasing past dates, and supersession is
//! consistent both ways.

use super::Ctx;
use crate::content::document::HistoryEntry;
use crate::content::types::Status;
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};

/// Checks document `i`.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    history(i, cx, out);
    incomplete_entries(d, out);
    if d.status() == Status::Superseded {
        successor(i, cx, out);
    }
    for s in &d.supersedes {
        let Some(&t) = cx.graph.by_id.get(s.value.as_str()) else {
            continue;
        };
        let target = &cx.docs[t];
        if target.status() != Status::Superseded && t != i {
            out.push(
                Diagnostic::new(
                    rules::VC_SUPERSEDES_STATUS,
                    &d.path,
                    s.pos,
                    format!(
                        "`{}` is replaced by this document but its status is {}",
                        s.value,
                        target.status().as_str()
                    ),
                )
                .hint(format!("set `status: superseded` and `superseded_by: {}` in `{}`", d.id.value, target.path)),
            );
        }
    }
}

/// The change history: present when approval is needed, headed by the current version, in
/// order, and dated no later than today.
fn history(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let Some(newest) = d.history.first() else {
        if d.status().needs_approval() {
            out.push(
                Diagnostic::new(rules::VC_NO_HISTORY, &d.path, d.status_key, "the document has no change history")
                    .hint("add `history:` with at least `- { version, date, by, summary }` for the current version"),
            );
        }
        return;
    };
    version_matches_newest(d, newest, out);
    history_order(d, out);
    future_history_dates(d, cx, out);
}

/// VC001: `version` is the version of the newest history entry.
fn version_matches_newest(d: &Document, newest: &HistoryEntry, out: &mut Vec<Diagnostic>) {
    if let (Some(v), Some(h)) = (&d.version, &newest.version) {
        if v.value.as_str() != h.value.as_str() {
            out.push(
                Diagnostic::new(
                    rules::VC_VERSION_MISMATCH,
                    &d.path,
                    v.pos,
                    format!("version is {} but the newest history entry is {}", v.value, h.value),
                )
                .hint("add a history entry for this version at the top of `history`, or correct `version`"),
            );
        }
    }
}

/// VC002, VC005: history runs newest first; each entry's version is lower than, and its date no later than,
/// the entry above it.
fn history_order(d: &Document, out: &mut Vec<Diagnostic>) {
    for pair in d.history.windows(2) {
        let (newer, older) = (&pair[0], &pair[1]);
        if let (Some(a), Some(b)) = (&newer.version, &older.version) {
            if b.value >= a.value {
                out.push(
                    Diagnostic::new(
                        rules::VC_HISTORY_ORDER,
                        &d.path,
                        b.pos,
                        format!("history entry {} comes after {} but is not older", b.value, a.value),
                    )
                    .hint("list history newest first, each version lower than the one above"),
                );
            }
        }
        if let (Some(a), Some(b)) = (&newer.date, &older.date) {
            if b.value > a.value {
                out.push(
                    Diagnostic::new(
                        rules::VC_HISTORY_DATE,
                        &d.path,
                        b.pos,
                        format!("history date {} is later than the entry above it ({})", b.value, a.value),
                    )
                    .hint("list history newest first"),
                );
            }
        }
    }
}

/// VC005: no history entry is dated after today.
fn future_history_dates(d: &Document, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    for h in &d.history {
        if let Some(date) = h.date.as_ref().filter(|date| date.value > cx.today) {
            out.push(
                Diagnostic::new(
                    rules::VC_HISTORY_DATE,
                    &d.path,
                    date.pos,
                    format!("history date {} is in the future", date.value),
                )
                .hint("record changes with the date they were made"),
            );
        }
    }
}

/// VC007: every history entry records `version`, `date`, `by` and `summary`.
fn incomplete_entries(d: &Document, out: &mut Vec<Diagnostic>) {
    for h in d.history.iter().filter(|h| !h.missing.is_empty()) {
        let which: Vec<String> = h.missing.iter().map(|k| format!("`{k}`")).collect();
        let entry =
            h.version.as_ref().map_or_else(|| "a history entry".to_string(), |v| format!("history entry {}", v.value));
        out.push(
            Diagnostic::new(
                rules::VC_HISTORY_INCOMPLETE,
                &d.path,
                h.pos,
                format!("{entry} has no {}", which.join(", ")),
            )
            .hint(
                "write each entry as `- { version: \"1.1\", date: YYYY-MM-DD, by: <author>, summary: <what changed> }`",
            ),
        );
    }
}

fn successor(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let named_by_other = cx.docs.iter().any(|o| o.supersedes.iter().any(|s| s.value == d.id.value));
    // A named successor that does not exist is reported once, by the references rules (LK003).
    if d.superseded_by.is_none() && !named_by_other {
        out.push(
            Diagnostic::new(rules::VC_NO_SUCCESSOR, &d.path, d.status_key, "the document is superseded but no successor is named")
                .hint("add `superseded_by: <id>` here and `supersedes: <this id>` in the successor, or use `status: withdrawn`"),
        );
    }
}
