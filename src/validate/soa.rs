//! The Statement of Applicability (6.1.3): the one document of the SoA type states, for every
//! Annex A control exactly once, whether it applies, why, and how far it is implemented. The
//! rows themselves come from the assessment ([`crate::assess::soa`]).

use std::collections::HashMap;

use super::Ctx;
use crate::assess::soa::{is_other_control, status_word};
use crate::catalog::{self, Kind};
use crate::content::document::{Implementation, SoaEntry};
use crate::content::types::Spanned;
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};

/// Reports structural problems of every SoA in force, several SoAs, and claims of
/// implementation that no approved document backs.
pub(super) fn check_tree(cx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let soas = &cx.assessment.soa.in_force;
    if let Some((&first, rest)) = soas.split_first() {
        for &i in rest {
            let d = &cx.docs[i];
            out.push(
                Diagnostic::new(
                    rules::SA_SEVERAL,
                    &d.path,
                    d.doc_type.pos,
                    format!("`{}` is a second Statement of Applicability; `{}` is already in force", d.id.value, cx.docs[first].id.value),
                )
                .hint("keep one SoA: mark the old one `status: superseded` with `superseded_by`, or change this document's type"),
            );
        }
    }
    for &i in soas {
        entries(&cx.docs[i], &mut out);
    }
    if let Some(&i) = soas.first() {
        unimplemented(cx, i, &mut out);
        super::soa_consistency::contradicted(cx, i, &mut out);
    }
    out
}

/// The entries of one SoA: present, each naming a known control once, complete, and together
/// covering every Annex A control.
fn entries(d: &Document, out: &mut Vec<Diagnostic>) {
    if d.applicability.is_empty() {
        out.push(
            Diagnostic::new(rules::SA_MISSING, &d.path, d.applicability_key, "the Statement of Applicability lists no Annex A controls")
                .hint("add `applicability:` with one `- { control: \"A.2.2\", applicable: true, status: implemented, justification: \"...\" }` per Annex A control (38)"),
        );
        return;
    }
    let seen = listed_controls(d, out);
    missing_controls(d, &seen, out);
}

/// SA002, SA003: each entry names a known control, once; the fields of each accepted entry are
/// checked. Returns the controls listed, with the line of each.
fn listed_controls<'a>(d: &'a Document, out: &mut Vec<Diagnostic>) -> HashMap<&'a str, usize> {
    let iso = catalog::iso42001();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for e in &d.applicability {
        let Some(control) = &e.control else {
            out.push(
                Diagnostic::new(rules::SA_UNKNOWN, &d.path, e.pos, "the entry does not name a control")
                    .hint("add `control: \"A.x.y\"` to the entry"),
            );
            continue;
        };
        let id = control.value.as_str();
        if !is_other_control(e, iso) && !iso.get(id).is_some_and(|c| c.kind == Kind::AnnexControl) {
            out.push(unknown(d, control));
            continue;
        }
        if let Some(&first) = seen.get(id) {
            out.push(
                Diagnostic::new(
                    rules::SA_DUPLICATE,
                    &d.path,
                    control.pos,
                    format!("`{id}` is already listed on line {first}"),
                )
                .hint("state each control once; merge the two entries"),
            );
            continue;
        }
        seen.insert(id, control.pos.line);
        entry_fields(d, e, id, out);
    }
    seen
}

/// SA001: every Annex A control of the catalog is listed.
fn missing_controls(d: &Document, seen: &HashMap<&str, usize>, out: &mut Vec<Diagnostic>) {
    let iso = catalog::iso42001();
    for c in iso.of_kind(Kind::AnnexControl).filter(|c| !seen.contains_key(c.id.as_str())) {
        out.push(
            Diagnostic::new(
                rules::SA_MISSING,
                &d.path,
                d.applicability_key,
                format!("Annex A control {} ({}) is missing from the Statement of Applicability", c.id, c.title),
            )
            .hint(format!(
                "add `- {{ control: \"{}\", applicable: true|false, status: ..., justification: \"...\" }}`",
                c.id
            )),
        );
    }
}

/// SA003: an id that is no Annex A control, and no control from another source (no `source:`).
fn unknown(d: &Document, control: &Spanned<String>) -> Diagnostic {
    let iso = catalog::iso42001();
    let id = control.value.as_str();
    let hint = match iso.get(id).map(|c| c.kind) {
        Some(Kind::AnnexObjective) => format!("`{id}` is a control objective; list its controls instead"),
        Some(Kind::Clause) => format!("`{id}` is a clause; the SoA lists Annex A controls"),
        _ => match iso.suggest(id, Kind::AnnexControl) {
            Some(s) => format!(
                "did you mean `{s}`? (a control from another source needs `source:` saying where it comes from)"
            ),
            None => "Annex A controls look like `A.6.2.4`; a control from another source needs `source:` saying where it comes from".into(),
        },
    };
    Diagnostic::new(rules::SA_UNKNOWN, &d.path, control.pos, format!("`{id}` is not an ISO/IEC 42001 Annex A control"))
        .hint(hint)
}

/// The fields of one entry: applicability, justification, and the implementation status of an
/// applicable control.
fn entry_fields(d: &Document, e: &SoaEntry, id: &str, out: &mut Vec<Diagnostic>) {
    let (applicable_written, status_written) = e.written;
    if e.applicable.is_none() && !applicable_written {
        out.push(
            Diagnostic::new(
                rules::SA_NO_APPLICABILITY,
                &d.path,
                e.pos,
                format!("the entry for {id} does not say whether it applies"),
            )
            .hint("add `applicable: true` or `applicable: false`"),
        );
    }
    justification(d, e, id, out);
    if e.applicable == Some(true) && e.status.is_none() && !status_written {
        out.push(
            Diagnostic::new(
                rules::SA_NO_STATUS,
                &d.path,
                e.pos,
                format!("{id} is applicable but has no implementation status"),
            )
            .hint("add `status: implemented`, `status: partial` or `status: planned`"),
        );
    }
}

/// SA004, SA011: the entry says why the control is included or excluded, in words that mean
/// something.
fn justification(d: &Document, e: &SoaEntry, id: &str, out: &mut Vec<Diagnostic>) {
    if e.justification.trim().is_empty() {
        let why = match e.applicable {
            Some(false) => "why it is excluded",
            _ => "why it is included",
        };
        out.push(
            Diagnostic::new(
                rules::SA_NO_JUSTIFICATION,
                &d.path,
                e.pos,
                format!("the entry for {id} has no justification"),
            )
            .hint(format!("add `justification: \"...\"` saying {why} (6.1.3 requires a justification either way)")),
        );
    }
    // A `TODO` placeholder (as `aimsdoc new soa` writes them) in a draft is reported once, as
    // ID012; once the SoA claims approval it is no justification (SA011).
    let placeholder = super::placeholders::is_placeholder(&e.justification) && !d.status().needs_approval();
    if !e.justification.trim().is_empty() && !placeholder && !super::soa_consistency::meaningful(&e.justification) {
        out.push(
            Diagnostic::new(
                rules::SA_EMPTY_JUSTIFICATION,
                &d.path,
                e.justification_at,
                format!("the justification of {id} is `{}`, which says nothing", e.justification.trim()),
            )
            .hint("say in a sentence why the control is included or excluded (the risk it treats, or why no AI system needs it)"),
        );
    }
}

fn unimplemented(cx: &Ctx, soa: usize, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[soa];
    for row in &cx.assessment.soa.rows {
        let Some(e) = &row.entry else { continue };
        let claimed = matches!(e.status, Some(Implementation::Implemented | Implementation::Partial));
        if e.applicable != Some(true) || !claimed {
            continue;
        }
        if row.implementers.iter().any(|&i| cx.assessment.currency[i].is_in_force()) {
            continue;
        }
        let pos = e.control.as_ref().map_or(e.pos, |c| c.pos);
        out.push(
            Diagnostic::new(
                rules::SA_UNIMPLEMENTED,
                &d.path,
                pos,
                format!(
                    "{} is marked {} but no approved document lists it in `controls`",
                    row.control.id,
                    status_word(e.status)
                ),
            )
            .hint(format!(
                "add \"{}\" to the `controls` of the approved document that implements it, or set `status: planned`",
                row.control.id
            )),
        );
    }
}

/// Reports a tree with no Statement of Applicability in force (with the checklist findings).
pub(super) fn check_present(cx: &Ctx) -> Option<Diagnostic> {
    if !cx.assessment.checklist_active || !cx.assessment.soa.in_force.is_empty() {
        return None;
    }
    let ty = &cx.config.soa.document_type;
    Some(
        Diagnostic::new(
            rules::SA_NONE,
            crate::config::FILE_NAME,
            crate::yaml::Pos { line: 1, column: 1 },
            format!("the AIMS has no Statement of Applicability in force (no document of type `{ty}`)"),
        )
        .hint(format!(
            "add a document with `type: {ty}` and an `applicability` entry for each of the 38 Annex A controls"
        )),
    )
}
