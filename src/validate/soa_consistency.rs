//! Statement of Applicability consistency (6.1.3): an excluded control is not claimed by the
//! SoA's own status or by an approved document (SA010), and a justification says something
//! (SA011). Called from [`super::soa`], which owns the SoA's structure.

use super::Ctx;
use crate::assess::soa::status_word;
use crate::content::types::Origin;
use crate::diagnostics::{rules, Diagnostic};

/// SA010: a control the SoA excludes, yet with an implementation status or an approved
/// internal document listing it in `controls`: the SoA contradicts the documents.
pub(super) fn contradicted(cx: &Ctx, soa: usize, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[soa];
    for row in cx.assessment.soa.rows.iter().filter(|r| r.applicable() == Some(false)) {
        let Some(e) = &row.entry else { continue };
        let approved: Vec<&str> = row
            .implementers
            .iter()
            .filter(|&&i| cx.assessment.currency[i].is_approved() && cx.docs[i].origin.value == Origin::Internal)
            .map(|&i| cx.docs[i].id.value.as_str())
            .collect();
        let id = &row.control.id;
        let (message, hint) = if e.status.is_some() || e.written.1 {
            (
                format!("{id} is marked not applicable but has implementation status `{}`", status_word(e.status)),
                "remove `status` from an excluded control, or set `applicable: true` if it is implemented".to_string(),
            )
        } else if !approved.is_empty() {
            (
                format!("{id} is marked not applicable, but approved documents implement it: {}", approved.join(", ")),
                format!(
                    "set `applicable: true` with a status, or remove \"{id}\" from the `controls` of those documents"
                ),
            )
        } else {
            continue;
        };
        out.push(Diagnostic::new(rules::SA_CONTRADICTED, &d.path, e.pos, message).hint(hint));
    }
}

/// Placeholders that are not a justification (compared in lower case, without surrounding
/// punctuation and spaces).
const PLACEHOLDERS: &[&str] = &[
    "n/a",
    "na",
    "n.a",
    "none",
    "nil",
    "null",
    "tbd",
    "tbc",
    "todo",
    "to do",
    "fixme",
    "xxx",
    "x",
    "see above",
    "as above",
    "same",
    "same as above",
    "not applicable",
    "applicable",
    "yes",
    "no",
    "ok",
    "justification",
];

/// Whether a justification is text that says something: it has letters and is not a
/// placeholder (compared without case, surrounding punctuation or repeated spaces).
pub(super) fn meaningful(text: &str) -> bool {
    let t = text.trim().trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace()).to_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    t.chars().any(char::is_alphabetic) && !PLACEHOLDERS.contains(&t.as_str())
}

#[cfg(test)]
mod tests {
    use super::meaningful;

    #[track_caller]
    fn case(text: &str, expected: bool) {
        assert_eq!(meaningful(text), expected, "{text:?}");
    }

    #[test]
    fn placeholders_are_not_justifications() {
        for bad in [
            "n/a",
            "N/A",
            "-",
            "--",
            ".",
            "...",
            "tbd",
            "TBD.",
            "none",
            "todo",
            "To do",
            "  ",
            "123",
            "Yes",
            "see  above",
            "Not applicable.",
        ] {
            case(bad, false);
        }
        for good in ["Required by law", "Outsourced", "No AI system in scope is trained in-house", "Risk AIR-004: bias"]
        {
            case(good, true);
        }
    }
}
