//! Who counts as whom when approvals are judged: an approver written "Name, Role" matches an
//! owner, an author or an `[approval.authority]` entry naming either part. One rule, shared by
//! `check` (AP004, AP007, AP008) and `approve`.

/// Whether an approver entry ("Jane Smith, CEO") names the owner ("CEO" or "Jane Smith"); the
/// same rule matches an approver against `[approval.authority]`.
pub(crate) fn same_party(approver: &str, owner: &str) -> bool {
    let owner = owner.trim();
    !owner.is_empty() && approver.split(',').any(|part| same_words(part.trim(), owner))
}

/// Whether `a` and `b` are the same text but for case (`str::to_lowercase` of each, compared
/// without allocating when both are ASCII: this runs for every approved document).
fn same_words(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.to_lowercase() == b.to_lowercase()
}

/// Whether the approver is the person who wrote a version (`by` of its history entry): the
/// whole of either names a part of the other ("Jane Smith" in "Jane Smith, CEO"), or both
/// start with the same name.
pub(crate) fn same_person(approver: &str, author: &str) -> bool {
    fn first(s: &str) -> &str {
        s.split(',').next().map_or("", str::trim)
    }
    same_party(approver, author)
        || same_party(author, approver)
        || (!first(author).is_empty() && same_words(first(approver), first(author)))
}

#[cfg(test)]
mod tests {
    use super::{same_party, same_person};

    #[test]
    fn case_is_ignored_as_str_to_lowercase_ignores_it() {
        let reference = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
        let names =
            ["Zoë Ångström", "zoë ångström", "ZOË ÅNGSTRÖM", "Zoe Angstrom", "ΟΔΥΣΣΕΑΣ", "οδυσσεας", "οδυσσεασ"];
        let names = names.iter().chain(&["İlkay", "i\u{307}lkay", "ilkay", "CEO", "ceo", " Ceo "]);
        for a in names.clone() {
            for b in names.clone() {
                assert_eq!(same_party(a, b), !b.trim().is_empty() && reference(a, b), "{a:?} {b:?}");
            }
        }
        assert!(same_party("Zoë Ångström, CISO", "zoë ångström"));
        assert!(!same_party("Zoë", "Zoe"));
    }

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
