//! References (7.5.3, availability): clauses and controls exist in the catalog, related and
//! superseded documents exist, framework ids exist, body links resolve, and attachments are
//! files inside the evidence root.

use super::Ctx;
use crate::catalog::{self, Kind};
use crate::content::links::LinkTarget;
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};
use crate::graph::{Attachment, Resolved};

/// Checks document `i`.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    catalog_refs(i, cx, out);
    document_refs(i, cx, out);
    framework_refs(i, cx, out);
    body_links(i, cx, out);
    attachments(i, cx, out);
}

/// The clauses and controls a document addresses exist in the catalog.
fn catalog_refs(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    clause_refs(d, out);
    control_refs(d, out);
}

/// LK001: every entry of `clauses` is an ISO/IEC 42001 clause (an Annex A id is pointed to
/// `controls`).
fn clause_refs(d: &Document, out: &mut Vec<Diagnostic>) {
    let iso = catalog::iso42001();
    for c in &d.clauses {
        if !iso.get(&c.value).is_some_and(|e| e.kind == Kind::Clause) {
            let hint = if iso.get(&c.value).is_some() {
                format!("`{}` is an Annex A id: move it to `controls`", c.value)
            } else {
                suggestion(
                    iso.suggest(&c.value, Kind::Clause),
                    "ISO/IEC 42001 clauses run from 4 to 10.2; quote numbers, e.g. \"6.1.2\"",
                )
            };
            out.push(
                Diagnostic::new(
                    rules::LK_CLAUSE,
                    &d.path,
                    c.pos,
                    format!("`{}` is not an ISO/IEC 42001 clause", c.value),
                )
                .hint(hint),
            );
        }
    }
}

/// LK002: every entry of `controls` is an Annex A control (a clause is pointed to `clauses`, an
/// objective to its controls).
fn control_refs(d: &Document, out: &mut Vec<Diagnostic>) {
    let iso = catalog::iso42001();
    for c in &d.controls {
        if !iso.get(&c.value).is_some_and(|e| e.kind == Kind::AnnexControl) {
            let hint = match iso.get(&c.value).map(|e| e.kind) {
                Some(Kind::Clause) => format!("`{}` is a clause: move it to `clauses`", c.value),
                Some(_) => {
                    format!("`{}` is a control objective; name one of its controls (e.g. `{}.2`)", c.value, c.value)
                }
                None => suggestion(
                    iso.suggest(&c.value, Kind::AnnexControl),
                    "Annex A controls look like `A.6.2.4`; there is no `.1` control in any group",
                ),
            };
            out.push(
                Diagnostic::new(
                    rules::LK_CONTROL,
                    &d.path,
                    c.pos,
                    format!("`{}` is not an ISO/IEC 42001 Annex A control", c.value),
                )
                .hint(hint),
            );
        }
    }
}

/// LK003: `related`, `supersedes` and `superseded_by` name other documents of the tree.
fn document_refs(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let fields = [("related", &d.related), ("supersedes", &d.supersedes)];
    let single = d.superseded_by.iter().map(|s| ("superseded_by", s));
    let all = fields.iter().flat_map(|(name, list)| list.iter().map(move |s| (*name, s))).chain(single);
    for (field, r) in all {
        if !cx.id_exists(r.value.as_str()) {
            let hint = suggestion(cx.id_index.closest(r.value.as_str()), "use the id of an existing document");
            out.push(
                Diagnostic::new(
                    rules::LK_DOCUMENT,
                    &d.path,
                    r.pos,
                    format!("`{field}` names `{}`, which is not a document in this tree", r.value),
                )
                .hint(hint),
            );
        } else if r.value == d.id.value {
            out.push(
                Diagnostic::new(rules::LK_DOCUMENT, &d.path, r.pos, format!("`{field}` names the document itself"))
                    .hint("remove the self-reference"),
            );
        }
    }
}

/// LK009: framework mappings name a known framework and ids in its catalog.
fn framework_refs(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    for (name, ids) in &d.frameworks {
        if name != catalog::NIST_AI_RMF {
            out.push(
                Diagnostic::new(
                    rules::LK_FRAMEWORK,
                    &d.path,
                    ids.pos,
                    format!("`{name}` is not a known framework catalog"),
                )
                .hint("known frameworks: nist-ai-rmf"),
            );
            continue;
        }
        let nist = catalog::nist_ai_rmf();
        for id in ids.value.iter().filter(|id| nist.get(&id.value).is_none()) {
            let hint = suggestion(nist.suggest(&id.value), "NIST AI RMF ids look like `GOVERN 1.1` or `MEASURE 2.7`");
            out.push(
                Diagnostic::new(
                    rules::LK_FRAMEWORK,
                    &d.path,
                    id.pos,
                    format!("`{}` is not a NIST AI RMF function, category or subcategory", id.value),
                )
                .hint(hint),
            );
        }
    }
}

/// LK004-LK006: every body link the graph could not resolve, with the rule and hint for its kind of target.
fn body_links(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    for (link, resolved) in d.links.iter().zip(&cx.graph.links[i]) {
        let Resolved::Broken(reason) = resolved else {
            continue;
        };
        let (rule, hint) = match &link.target {
            LinkTarget::Doc { id, .. } if cx.unparsed_ids.contains(id) => continue,
            LinkTarget::Doc { id, .. } => (
                rules::LK_BODY_DOC,
                suggestion(cx.id_index.closest(id), "link to an existing id: `[title](doc:POL-001)`"),
            ),
            LinkTarget::Clause(id) => (
                rules::LK_BODY_CATALOG,
                suggestion(catalog::iso42001().suggest(id, Kind::Clause), "link to a clause such as `clause:7.5.3`"),
            ),
            LinkTarget::Control(id) => (
                rules::LK_BODY_CATALOG,
                suggestion(
                    catalog::iso42001().suggest(id, Kind::AnnexControl),
                    "link to a control such as `control:A.6.2.4`",
                ),
            ),
            LinkTarget::Unsafe(_) => (
                rules::LK_BODY_RELATIVE,
                "only http, https, mailto, tel and ftp links are allowed; remove or replace the link".to_string(),
            ),
            _ => (
                rules::LK_BODY_RELATIVE,
                "link to a document (a path relative to this file, or `doc:ID`) or to a file in the evidence folder"
                    .to_string(),
            ),
        };
        out.push(Diagnostic::new(rule, &d.path, link.pos, format!("broken link `{}`: {reason}", link.raw)).hint(hint));
    }
}

/// LK007, LK008, LK010 and an unreadable file: every attachment the graph could not resolve,
/// one finding per state.
fn attachments(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let evidence = &cx.config.paths.evidence;
    for (att, state) in d.attachments.iter().zip(&cx.graph.attachments[i]) {
        match state {
            Attachment::Found(_) => {}
            Attachment::Outside(p) => out.push(
                Diagnostic::new(
                    rules::LK_ATTACHMENT_OUTSIDE,
                    &d.path,
                    att.pos,
                    format!("attachment `{p}` is not inside the evidence root `{evidence}/`"),
                )
                .hint(format!(
                    "move the file under `{evidence}/` and give its path relative to it, without `..` or a leading `/`"
                )),
            ),
            Attachment::Missing(p) => out.push(
                Diagnostic::new(
                    rules::LK_ATTACHMENT_MISSING,
                    &d.path,
                    att.pos,
                    format!("attachment `{}` does not exist (looked for `{p}`)", att.value),
                )
                .hint(format!("add the file under `{evidence}/` or correct the path (relative to `{evidence}/`)")),
            ),
            Attachment::Refused(p, why) => out.push(
                Diagnostic::new(
                    rules::LK_ATTACHMENT_REFUSED,
                    &d.path,
                    att.pos,
                    format!("attachment `{p}` will not be published: {why}"),
                )
                .hint(format!(
                    "attach a regular file inside `{evidence}/` whose name has no leading `.` or `_`, no backslash or control character, and that no `.gitignore` excludes"
                )),
            ),
            Attachment::Unreadable(p, why) => out.push(
                Diagnostic::new(rules::FS_UNREADABLE, &d.path, att.pos, format!("attachment `{p}` cannot be read: {why}"))
                    .hint("check the file's permissions; an attachment that cannot be hashed cannot be evidence"),
            ),
        }
    }
}

/// "Did you mean" with `candidate`, else `fallback`.
fn suggestion(candidate: Option<&str>, fallback: &str) -> String {
    match candidate {
        Some(c) => format!("did you mean `{c}`?"),
        None => fallback.to_string(),
    }
}
