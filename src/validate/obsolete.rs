//! Obsolete documents are controlled (7.5.3, prevention of unintended use): an approved document
//! does not rely on a superseded or withdrawn one (VC008); nothing in force relies on a
//! withdrawn document (VC009); a successor fits the document it replaces (VC010); and every
//! superseded or withdrawn document records when, by whom and why (VC011).
//!
//! "Relies on" means `related`, a `doc:` link or a relative link to the document's page; the
//! supersession fields themselves (`supersedes`, `superseded_by`) are how an obsolete document
//! is meant to be named, so they never count.

use std::collections::BTreeSet;

use super::Ctx;
use crate::content::types::Status;
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};
use crate::graph::Resolved;
use crate::yaml::Pos;

/// Checks document `i`: its references (if approved), its successor and its obsolete record.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    if d.status() == Status::Approved {
        for (t, pos) in reliances(i, cx) {
            if let Some(diag) = relies_on_obsolete(d, t, pos, cx) {
                out.push(diag);
            }
        }
    }
    if matches!(d.status(), Status::Superseded | Status::Withdrawn) {
        record(d, out);
    }
    if d.status() == Status::Withdrawn {
        withdrawn(i, cx, out);
    }
    successor(i, cx, out);
}

/// The documents `i` relies on, each with the position of the reference (related entries,
/// then body links). Itself and the members of its own supersession chain are excluded: a
/// successor naming what it replaced is its history, not a reliance.
fn reliances(i: usize, cx: &Ctx) -> Vec<(usize, Pos)> {
    let d = &cx.docs[i];
    let chain = cx.assessment.lineage.chain(i);
    let related = d.related.iter().filter_map(|r| Some((*cx.graph.by_id.get(r.value.as_str())?, r.pos)));
    let linked = cx.graph.links[i].iter().zip(&d.links).filter_map(|(r, l)| match r {
        Resolved::Page(t, _) => Some((*t, l.pos)),
        _ => None,
    });
    related.chain(linked).filter(|&(t, _)| t != i && !chain.contains(&t)).collect()
}

/// VC008 for a reference from approved `d` to document `t` at `pos`, if `t` is obsolete.
fn relies_on_obsolete(d: &Document, t: usize, pos: Pos, cx: &Ctx) -> Option<Diagnostic> {
    let target = &cx.docs[t];
    if recorded_while_in_force(d, target) {
        return None;
    }
    let word = match target.status() {
        Status::Superseded => "superseded",
        Status::Withdrawn => "withdrawn",
        _ => return None,
    };
    let (message, hint) = match in_force_successor(t, cx) {
        Some(s) => {
            let s = &cx.docs[s].id.value;
            (
                format!("`{}` relies on `{}`, which is {word}; `{s}` is in force instead", d.id.value, target.id.value),
                format!("refer to `{s}` instead of `{}`", target.id.value),
            )
        }
        None => (
            format!("`{}` relies on `{}`, which is {word} and has no successor in force", d.id.value, target.id.value),
            format!(
                "remove the reference to `{}` or point it at the document that now covers its subject",
                target.id.value
            ),
        ),
    };
    Some(Diagnostic::new(rules::VC_RELIES_ON_OBSOLETE, &d.path, pos, message).hint(hint))
}

/// A record describes what happened on its `record_date`: citing a document that was still in
/// force that day is history, not reliance (minutes of April cite the policy of April).
fn recorded_while_in_force(d: &Document, target: &Document) -> bool {
    let recorded = d.record_date.as_ref().map(|r| r.value).filter(|_| d.is_record());
    let out_of_force = target.obsolete.as_ref().and_then(|o| o.date.as_ref()).map(|o| o.value);
    matches!((recorded, out_of_force), (Some(recorded), Some(gone)) if recorded <= gone)
}

/// The end of `t`'s supersession chain that is not itself superseded or withdrawn, if any
/// (the newest successor, following successors of successors; cycles end the search).
fn in_force_successor(t: usize, cx: &Ctx) -> Option<usize> {
    let mut seen = BTreeSet::from([t]);
    let mut at = t;
    loop {
        let next = *cx.assessment.lineage.successors[at].iter().find(|s| !seen.contains(*s))?;
        if !matches!(cx.docs[next].status(), Status::Superseded | Status::Withdrawn) {
            return Some(next);
        }
        seen.insert(next);
        at = next;
    }
}

/// VC011: the `obsolete` record of a superseded or withdrawn document, complete.
fn record(d: &Document, out: &mut Vec<Diagnostic>) {
    let word = d.status().as_str();
    let Some(o) = &d.obsolete else {
        out.push(
            Diagnostic::new(
                rules::VC_NO_OBSOLETE_RECORD,
                &d.path,
                d.status_key,
                format!("the document is {word} but does not record when, by whom and why"),
            )
            .hint("add `obsolete: { date: YYYY-MM-DD, by: \"Name, Role\", reason: \"...\" }`"),
        );
        return;
    };
    let missing: Vec<&str> = [("date", o.date.is_none()), ("by", o.by.is_none()), ("reason", o.reason.is_none())]
        .into_iter()
        .filter_map(|(k, m)| m.then_some(k))
        .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::new(
                rules::VC_NO_OBSOLETE_RECORD,
                &d.path,
                o.pos,
                format!("the `obsolete` record lacks {}", missing.join(", ")),
            )
            .hint("record the date it went out of force, who decided it and why: `{ date, by, reason }`"),
        );
    }
}

/// VC009: a withdrawn document that approved documents, or the SoA in force, still rely on.
fn withdrawn(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let mut by: BTreeSet<&str> = cx.graph.referenced_by[i]
        .iter()
        .filter(|&&r| cx.docs[r].status() == Status::Approved)
        .filter(|&&r| reliances(r, cx).iter().any(|&(t, _)| t == i))
        .map(|&r| cx.docs[r].id.value.as_str())
        .collect();
    let controls = soa_controls(i, cx);
    if let (Some(soa), false) = (cx.assessment.soa.document, controls.is_empty()) {
        by.insert(cx.docs[soa].id.value.as_str());
    }
    if by.is_empty() {
        return;
    }
    let mut message = format!(
        "`{}` is withdrawn but still relied on by {}",
        d.id.value,
        by.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
    );
    if !controls.is_empty() {
        message.push_str(&format!(" (the SoA counts it as implementing {})", controls.join(", ")));
    }
    out.push(Diagnostic::new(rules::VC_WITHDRAWN_RELIED_ON, &d.path, d.status_key, message).hint(
        "remove or replace those references (and give the controls another implementing document) first, or supersede this document instead of withdrawing it",
    ));
}

/// Controls the SoA in force states implemented or partly implemented whose only
/// implementing document in `controls` is the withdrawn document `i`.
fn soa_controls(i: usize, cx: &Ctx) -> Vec<String> {
    use crate::content::document::Implementation;
    cx.assessment
        .soa
        .rows
        .iter()
        .filter(|r| r.applicable() == Some(true))
        .filter(|r| matches!(r.status(), Some(Implementation::Implemented | Implementation::Partial)))
        .filter(|r| r.implementers.contains(&i))
        .filter(|r| !r.implementers.iter().any(|&o| o != i && cx.assessment.currency[o].is_current()))
        .map(|r| r.control.id.clone())
        .collect()
}

/// VC010: `superseded_by` names an approved (or, in a chain, superseded) document whose
/// `supersedes` names this one or is absent, and no other document claims to supersede it.
fn successor(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let named = d.superseded_by.as_ref().and_then(|s| Some((*cx.graph.by_id.get(s.value.as_str())?, s.pos)));
    if let Some((t, pos)) = named.filter(|&(t, _)| t != i) {
        if let Some(diag) = unfit_successor(d, &cx.docs[t], pos) {
            out.push(diag);
        }
    }
    // Every document that names `d` in `supersedes`, in path order.
    let claimants: Vec<(usize, Pos)> = cx.graph.referenced_by[i]
        .iter()
        .filter_map(|&c| Some((c, cx.docs[c].supersedes.iter().find(|s| s.value == d.id.value)?.pos)))
        .collect();
    let first =
        named.map(|(t, pos)| (t, &d.path, pos)).or_else(|| claimants.first().map(|&(c, p)| (c, &cx.docs[c].path, p)));
    let Some((owner, file, at)) = first else { return };
    for &(c, pos) in claimants.iter().filter(|&&(c, _)| c != owner) {
        let other = &cx.docs[c];
        out.push(
            Diagnostic::new(
                rules::VC_BAD_SUCCESSOR,
                &other.path,
                pos,
                format!(
                    "`{}` is already superseded by `{}`; two documents cannot replace it",
                    d.id.value, cx.docs[owner].id.value
                ),
            )
            .hint(format!(
                "supersede `{}` (the document in force) instead, or remove `{}` from `supersedes`",
                cx.docs[owner].id.value, d.id.value
            ))
            .note(
                file,
                at,
                format!("first claimed here: `{}` replaces `{}`", cx.docs[owner].id.value, d.id.value),
            ),
        );
    }
}

/// Why `target`, named in `d`'s `superseded_by` at `pos`, cannot be its successor, if it cannot.
fn unfit_successor(d: &Document, target: &Document, pos: Pos) -> Option<Diagnostic> {
    let why = match target.status() {
        Status::Approved | Status::Superseded => {
            if target.supersedes.is_empty() || target.supersedes.iter().any(|s| s.value == d.id.value) {
                return None;
            }
            let names: Vec<String> = target.supersedes.iter().map(|s| format!("`{}`", s.value)).collect();
            format!("`{}` supersedes {}, not `{}`", target.id.value, names.join(", "), d.id.value)
        }
        other => format!("`{}` has status {}, so it replaces nothing", target.id.value, other.as_str()),
    };
    Some(Diagnostic::new(rules::VC_BAD_SUCCESSOR, &d.path, pos, format!("successor does not fit: {why}")).hint(
        format!("name the approved document that replaces this one, and list `{}` in its `supersedes`", d.id.value),
    ))
}
