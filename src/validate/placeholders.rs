//! Placeholders (7.5.2): `aimsdoc new` writes `TODO` where only the author knows the answer
//! (owner, approver, history author); a document is not properly identified until they are
//! filled in, so every field that still holds a placeholder is reported (ID012). It also writes a
//! line of guidance under each heading of the body: a body still holding it, or nothing but
//! headings, says nothing yet (ID016 while a draft, ID017 once approved).

use super::Ctx;
use crate::content::guidance::Unwritten;
use crate::content::Document;
use crate::diagnostics::{rules, Diagnostic};
use crate::yaml::Pos;

/// Checks document `i`.
pub(super) fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let mut fields: Vec<(&str, &str, Pos)> =
        vec![("title", &d.title.value, d.title.pos), ("owner", &d.owner.value, d.owner.pos)];
    if let Some(by) = d.approval.as_ref().and_then(|a| a.by.as_ref()) {
        fields.push(("approval.by", &by.value, by.pos));
    }
    for (name, value) in [("source", &d.source), ("reference", &d.reference)] {
        if let Some(v) = value {
            fields.push((name, &v.value, v.pos));
        }
    }
    for h in &d.history {
        fields.push(("history.by", &h.by, h.by_pos));
        fields.push(("history.summary", &h.summary, h.summary_pos));
    }
    // An approved SoA's placeholder justification is SA011, an error, not also this warning.
    for e in d.applicability.iter().filter(|_| !d.status().needs_approval()) {
        fields.push(("applicability.justification", &e.justification, e.justification_at));
    }
    for r in &d.reviews {
        fields.push(("reviews.by", &r.by, r.by_pos));
    }
    for (name, value, pos) in fields.into_iter().filter(|(_, v, _)| is_placeholder(v)) {
        out.push(
            Diagnostic::new(
                rules::ID_PLACEHOLDER,
                &d.path,
                pos,
                format!("`{name}` is still the placeholder `{}`", value.trim()),
            )
            .hint(hint(name)),
        );
    }
    unwritten(d, out);
}

/// ID016 or ID017: the body still holds the template's guidance, or nothing but headings.
fn unwritten(d: &Document, out: &mut Vec<Diagnostic>) {
    let Some(why) = d.unwritten else { return };
    let approved = d.status().needs_approval();
    let rule = if approved { rules::ID_APPROVED_UNWRITTEN } else { rules::ID_UNWRITTEN };
    let whose = if approved {
        format!("{} is approved, but its body", d.id.value)
    } else {
        format!("the body of {}", d.id.value)
    };
    let (pos, message) = match why {
        Unwritten::Guidance { line, text } => {
            let column = d.body.lines().nth(line - d.body_line).map_or(1, |l| l.len() - l.trim_start().len() + 1);
            (Pos { line, column }, format!("{whose} still holds the template's guidance \"{text}\""))
        }
        Unwritten::Empty => (d.head, format!("{whose} has nothing but headings, and there are no attachments")),
    };
    let hint = if approved {
        "write the document's content under its headings, then raise `version`, add a `history` entry and approve it"
    } else {
        "replace each line of guidance with the document's content before it goes for approval"
    };
    out.push(Diagnostic::new(rule, &d.path, pos, message).hint(hint));
}

fn hint(field: &str) -> &'static str {
    match field {
        "owner" => "name the role or person accountable for the document, e.g. `owner: Chief AI Officer`",
        "approval.by" => "name who will approve it (not the owner), e.g. `by: Jane Smith, CEO`",
        "history.by" => "name who wrote this version, e.g. `by: J. Smith`",
        "applicability.justification" => {
            "say in a sentence why the control is included or excluded, and set `applicable` and `status` to match"
        }
        _ => "replace the placeholder with the real value",
    }
}

/// Whether `value` is a placeholder: `TODO`, `TBD`, `TBC`, `FIXME` or `XXX` (alone or followed by
/// a note, as in `TODO: owner`), or a `<...>` slot.
pub(super) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    if v.len() > 2 && v.starts_with('<') && v.ends_with('>') {
        return true;
    }
    ["TODO", "TBD", "TBC", "FIXME", "XXX"].iter().any(|word| {
        v.get(..word.len()).is_some_and(|head| head.eq_ignore_ascii_case(word))
            && v[word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;

    #[track_caller]
    fn case(value: &str, expected: bool) {
        assert_eq!(is_placeholder(value), expected, "{value:?}");
    }

    #[test]
    fn placeholders() {
        case("TODO", true);
        case(" todo ", true);
        case("TODO: owner role", true);
        case("TODO (approver)", true);
        case("TBD", true);
        case("<name, role>", true);
        case("Todoist Integration Lead", false);
        case("Chief AI Officer", false);
        case("", false);
        case("<>", false);
        case("XXXL Sizing Standard", false);
    }
}
