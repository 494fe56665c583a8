//! Review and approval (7.5.2): documents that claim approval say who approved them and when,
//! the date is real and not in the future, and optionally the approver is not the owner.

use super::Ctx;
use crate::diagnostics::{rules, Diagnostic};

/// Checks document `i`.
pub fn check(i: usize, cx: &Ctx, out: &mut Vec<Diagnostic>) {
    let d = &cx.docs[i];
    let status = d.status();
    let Some(approval) = &d.approval else {
        if status.needs_approval() {
            out.push(
                Diagnostic::new(rules::AP_MISSING, &d.path, d.status_key, format!("the document is {} but has no approval", status.as_str()))
                    .hint("add `approval: { by: <name, role>, date: YYYY-MM-DD }`, or set `status: draft` until it is approved"),
            );
        }
        return;
    };
    if approval.by.is_none() {
        out.push(
            Diagnostic::new(rules::AP_INCOMPLETE, &d.path, approval.pos, "the approval does not say who approved")
                .hint("add `by: <name, role>` under `approval`"),
        );
    }
    match &approval.date {
        None => out.push(
            Diagnostic::new(rules::AP_INCOMPLETE, &d.path, approval.pos, "the approval has no date")
                .hint("add `date: YYYY-MM-DD` under `approval`"),
        ),
        Some(date) if date.value > cx.today => out.push(
            Diagnostic::new(
                rules::AP_FUTURE,
                &d.path,
                date.pos,
                format!("approval date {} is in the future (today is {})", date.value, cx.today),
            )
            .hint("record the date the approval was actually given"),
        ),
        Some(_) => {}
    }
    if let (Some(eff), Some(date)) = (&d.effective, &approval.date) {
        if eff.value < date.value {
            out.push(
                Diagnostic::new(
                    rules::AP_EFFECTIVE_EARLY,
                    &d.path,
                    eff.pos,
                    format!("effective date {} is before the approval date {}", eff.value, date.value),
                )
                .hint("set `effective` on or after the approval date, or remove it to default to the approval date"),
            );
        }
    }
    if let Some(by) = &approval.by {
        if cx.config.review.segregation_of_duties && same_party(&by.value, &d.owner.value) {
            out.push(
                Diagnostic::new(rules::AP_SELF_APPROVED, &d.path, by.pos, format!("`{}` approves a document they own", by.value))
                    .hint("have someone other than the owner approve (segregation of duties), or set `segregation_of_duties = false` under [review]"),
            );
        }
    }
}

/// Whether an approver entry ("Jane Smith, CEO") names the owner ("CEO" or "Jane Smith").
fn same_party(approver: &str, owner: &str) -> bool {
    let norm = |s: &str| s.trim().to_lowercase();
    let owner = norm(owner);
    !owner.is_empty() && approver.split(',').any(|part| norm(part) == owner)
}

#[cfg(test)]
mod tests {
    use super::same_party;

    #[test]
    fn approver_matches_owner_by_name_or_role() {
        assert!(same_party("Jane Smith, CEO", "CEO"));
        assert!(same_party("Jane Smith, CEO", "jane smith"));
        assert!(!same_party("Jane Smith, CEO", "Chief AI Officer"));
        assert!(!same_party("Jane Smith", ""));
    }
}
