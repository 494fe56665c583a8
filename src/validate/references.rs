//! References (7.5.3, availability): clauses and controls exist in the catalog, related and
//! superseded documents exist, framework ids exist, body links resolve, and attachments are
//! files inside the evidence root.

use super::Ctx;
use crate::catalog::{self, Kind};
use crate::content::links::{BodyLink, LinkTarget};
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
/// `controls`, with the controls themselves for an objective).
fn clause_refs(d: &Document, out: &mut Vec<Diagnostic>) {
    let iso = catalog::iso42001();
    let taken: Vec<&str> = d.clauses.iter().map(|c| c.value.as_str()).collect();
    for c in &d.clauses {
        if iso.get(&c.value).is_some_and(|e| e.kind == Kind::Clause) {
            continue;
        }
        let hint = match iso.get(&c.value).map(|e| e.kind) {
            Some(Kind::AnnexObjective) => format!(
                "`{}` is an Annex A control objective, not a clause: list its controls in `controls`: {}",
                c.value,
                controls_of(&c.value)
            ),
            Some(_) => format!("`{}` is an Annex A id: move it to `controls`", c.value),
            None => suggestion(
                catalog_suggestion(&c.value, Kind::Clause, &taken),
                "ISO/IEC 42001 clauses run from 4 to 10.2; quote numbers, e.g. \"6.1.2\"",
            ),
        };
        let message = format!("`{}` is not an ISO/IEC 42001 clause", c.value);
        out.push(Diagnostic::new(rules::LK_CLAUSE, &d.path, c.pos, message).hint(hint));
    }
}

/// LK002: every entry of `controls` is an Annex A control (a clause is pointed to `clauses`, an
/// objective to its controls, named).
fn control_refs(d: &Document, out: &mut Vec<Diagnostic>) {
    let iso = catalog::iso42001();
    let taken: Vec<&str> = d.controls.iter().map(|c| c.value.as_str()).collect();
    for c in &d.controls {
        if iso.get(&c.value).is_some_and(|e| e.kind == Kind::AnnexControl) {
            continue;
        }
        let hint = match iso.get(&c.value).map(|e| e.kind) {
            Some(Kind::Clause) => format!("`{}` is a clause: move it to `clauses`", c.value),
            Some(_) => {
                format!("`{}` is a control objective; list its controls instead: {}", c.value, controls_of(&c.value))
            }
            None => suggestion(
                catalog_suggestion(&c.value, Kind::AnnexControl, &taken),
                "Annex A controls look like `A.6.2.4`; there is no `.1` control in any group",
            ),
        };
        let message = format!("`{}` is not an ISO/IEC 42001 Annex A control", c.value);
        out.push(Diagnostic::new(rules::LK_CONTROL, &d.path, c.pos, message).hint(hint));
    }
}

/// The controls of objective `id`, quoted for `controls: [...]`: `"A.9.2", "A.9.3"`.
fn controls_of(id: &str) -> String {
    let iso = catalog::iso42001();
    let ids: Vec<String> = iso
        .of_kind(Kind::AnnexControl)
        .filter(|e| e.parent.as_deref() == Some(id))
        .map(|e| format!("\"{}\"", e.id))
        .collect();
    format!("[{}]", ids.join(", "))
}

/// The catalog entry of `kind` closest to `wrong`, not one `taken` already lists, with its
/// title: `6.1.2` (AI risk assessment).
fn catalog_suggestion(wrong: &str, kind: Kind, taken: &[&str]) -> Option<String> {
    let iso = catalog::iso42001();
    let candidates = iso.of_kind(kind).map(|e| e.id.as_str()).filter(|id| !taken.contains(id));
    let id = crate::util::closest(wrong, candidates)?;
    Some(titled(id, iso.get(id).map_or("", |e| e.title.as_str())))
}

/// `` `ID` (title) ``, or just `` `ID` `` without a title.
fn titled(id: &str, title: &str) -> String {
    if title.is_empty() {
        format!("`{id}`")
    } else {
        format!("`{id}` ({title})")
    }
}

/// The hint for a document id that names no document: the closest id not already in the
/// list, with its title, else how to create the document (`aimsdoc new TYPE "TITLE"`).
fn document_hint(cx: &Ctx, wrong: &str, taken: &[&str], title: &str) -> String {
    let found = cx.id_index.closest_where(wrong, |id| !taken.contains(&id));
    if let Some(id) = found {
        let title = cx.graph.by_id.get(id).map_or("", |&i| cx.docs[i].title.value.as_str());
        return format!("did you mean {}?", titled(id, title));
    }
    let prefix = wrong.split('-').next().unwrap_or_default();
    let doc_type = crate::content::doc_types::BUILTIN.iter().find(|t| t.prefix == prefix).map_or("TYPE", |t| t.name);
    let title = if title.is_empty() { "Title" } else { title };
    format!(
        "no document has this id; to write it, run `aimsdoc new {doc_type} {}` (it gets the next free id)",
        serde_json::to_string(title).unwrap_or_else(|_| format!("\"{title}\""))
    )
}

/// LK003: `related`, `supersedes` and `superseded_by` name other documents of the tree.
fn document_refs(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let fields = [("related", &d.related), ("supersedes", &d.supersedes)];
    let single = d.superseded_by.iter().map(|s| ("superseded_by", s));
    let all = fields.iter().flat_map(|(name, list)| list.iter().map(move |s| (*name, s))).chain(single);
    for (field, r) in all {
        if !cx.id_exists(r.value.as_str()) {
            let list = if field == "related" { &d.related } else { &d.supersedes };
            let mut taken: Vec<&str> = list.iter().map(|x| x.value.as_str()).collect();
            taken.push(d.id.value.as_str());
            let hint = document_hint(cx, r.value.as_str(), &taken, "");
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
            let hint = suggestion(
                nist.suggest(&id.value).map(|s| format!("`{s}`")),
                "NIST AI RMF ids look like `GOVERN 1.1` or `MEASURE 2.7`",
            );
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

/// At most this many broken-link findings per document; past it, one more finding counts the
/// rest. A pull request with a million broken links gets a readable report, not a million lines.
const BROKEN_LINKS_LISTED: usize = 100;

/// LK004-LK006: every body link the graph could not resolve, with the rule and hint for its kind
/// of target; past [`BROKEN_LINKS_LISTED`] in one document, one finding that counts the rest.
fn body_links(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let mut listed = 0;
    let mut unlisted: Option<(&BodyLink, usize)> = None;
    for (link, resolved) in d.links.iter().zip(&cx.graph.links[i]) {
        let Resolved::Broken(reason) = resolved else {
            continue;
        };
        if matches!(&link.target, LinkTarget::Doc { id, .. } if cx.unparsed_ids.contains(id)) {
            continue;
        }
        if listed == BROKEN_LINKS_LISTED {
            unlisted.get_or_insert((link, 0)).1 += 1;
            continue;
        }
        listed += 1;
        let (rule, hint) = match &link.target {
            LinkTarget::Doc { id, .. } if cx.unparsed_ids.contains(id) => continue,
            LinkTarget::Doc { id, .. } => {
                (rules::LK_BODY_DOC, document_hint(cx, id, &[d.id.value.as_str()], &link.text))
            }
            LinkTarget::Clause(id) => (
                rules::LK_BODY_CATALOG,
                suggestion(catalog_suggestion(id, Kind::Clause, &[]), "link to a clause such as `clause:7.5.3`"),
            ),
            LinkTarget::Control(id) => (
                rules::LK_BODY_CATALOG,
                suggestion(
                    catalog_suggestion(id, Kind::AnnexControl, &[]),
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
        let message = format!("broken link `{}`: {reason}", link.raw);
        out.push(Diagnostic::new(rule, &d.path, link.pos, message).hint(hint).width(link.width));
    }
    if let Some((first, count)) = unlisted {
        let message = format!(
            "{count} more broken link{} in this document, from `{}` on (only the first {BROKEN_LINKS_LISTED} are listed)",
            if count == 1 { "" } else { "s" },
            first.raw
        );
        out.push(
            Diagnostic::new(broken_rule(&first.target), &d.path, first.pos, message)
                .hint("fix the links listed above, then run the check again to see the rest")
                .width(first.width),
        );
    }
}

/// The rule a broken link to `target` breaks.
fn broken_rule(target: &LinkTarget) -> &'static rules::Rule {
    match target {
        LinkTarget::Doc { .. } => rules::LK_BODY_DOC,
        LinkTarget::Clause(_) | LinkTarget::Control(_) => rules::LK_BODY_CATALOG,
        _ => rules::LK_BODY_RELATIVE,
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

/// "Did you mean" with `candidate` (already quoted, as [`titled`] writes it), else `fallback`.
fn suggestion(candidate: Option<String>, fallback: &str) -> String {
    match candidate {
        Some(c) => format!("did you mean {c}?"),
        None => fallback.to_string(),
    }
}
