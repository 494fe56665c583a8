//! Who counts as whom when approvals are judged: an approver written "Name, Role" matches an
//! owner, an author or an `[approval.authority]` entry naming either part. One rule, shared by
//! `check` (AP004, AP007, AP008) and `approve`.

/// Whether an approver entry ("Jane Smith, CEO") names the owner ("CEO" or "Jane Smith"); the
/// same rule matches an approver against `[approval.authority]`.
pub(crate) fn same_party(approver: &str, owner: &str) -> bool {
    let norm = |s: &str| s.trim().to_lowercase();
    let owner = norm(owner);
    !owner.is_empty() && approver.split(',').any(|part| norm(part) == owner)
}

/// Whether the approver is the person who wrote a version (`by` of its history entry): the
/// whole of either names a part of the other ("Jane Smith" in "Jane Smith, CEO"), or both
/// start with the same name.
pub(crate) fn same_person(approver: &str, author: &str) -> bool {
    let first = |s: &str| s.split(',').next().map(|p| p.trim().to_lowercase()).unwrap_or_default();
    same_party(approver, author)
        || same_party(author, approver)
        || (!first(author).is_empty() && first(approver) == first(author))
}

#[cfg(test)]
mod tests {
    use super::{same_party, same_person};

    #[test]
    fn approver_matches_owner_by_name_or_role() {
        assert!(same_party("Jane Smith, CEO", "CEO"));
        assert!(same_party("Jane Smith, CEO", "jane smith"));
        assert!(!same_party("Jane Smith, CEO", "Chief AI Officer"));
        assert!(!same_party("Jane Smith", ""));
    }

    #[test]
    fn approver_matches_author_as_a_person_not_a_role() {
        assert!(same_person("Jane Smith, CEO", "Jane Smith"));
        assert!(same_person("Jane Smith, CEO", "jane smith, Chief AI Officer"));
        assert!(same_person("Jane Smith", "Jane Smith, CEO"));
        assert!(same_person("Jane Smith, CEO", "CEO"));
        assert!(!same_person("Jane Smith, CEO", "Bob Jones, CEO"));
        assert!(!same_person("Jane Smith, CEO", "J. Smith"));
        assert!(!same_person("Jane Smith", ""));
    }
}
