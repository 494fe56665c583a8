//! Table tests of the manifest comparison.

use std::collections::BTreeMap;

use super::*;

fn doc(version: &str, status: &str, sha: &str, approval: Option<Option<(&str, &str)>>) -> Doc {
    Doc {
        version: version.into(),
        status: status.into(),
        title: "Policy".into(),
        sha256: sha.into(),
        content_sha256: Some(format!("c-{sha}")),
        approval: approval.map(|a| a.map(|(by, date)| Approval { by: Some(by.into()), date: Some(date.into()) })),
    }
}

fn manifest(format: &str, docs: &[(&str, Doc)], files: &[(&str, &str)]) -> Parsed {
    Parsed {
        format: format.into(),
        signer: None,
        documents: docs.iter().map(|(id, d)| (id.to_string(), d.clone())).collect(),
        attachments: files.iter().map(|(p, h)| (p.to_string(), h.to_string())).collect::<BTreeMap<_, _>>(),
    }
}

fn side(label: &str) -> Side {
    Side { label: label.into(), kind: "site", commit: None, format: String::new(), documents: 0 }
}

fn names(set: &ChangeSet) -> Vec<String> {
    set.documents.iter().map(|d| format!("{} {}", d.id, d.change.name())).collect()
}

const V2: &str = "aimsdoc-manifest/2";

#[test]
fn every_kind_of_document_change_is_named_by_id() {
    let jane = Some(Some(("Jane", "2026-01-01")));
    let old = manifest(
        V2,
        &[
            ("A", doc("1.0", "approved", "a1", jane)),
            ("B", doc("1.0", "draft", "b1", Some(None))),
            ("C", doc("1.0", "approved", "c1", jane)),
            ("D", doc("1.0", "approved", "d1", jane)),
            ("E", doc("1.0", "approved", "e1", jane)),
        ],
        &[],
    );
    let new = manifest(
        V2,
        &[
            ("A", doc("2.0", "approved", "a2", Some(Some(("Jane", "2026-03-01"))))),
            ("B", doc("1.0", "review", "b1", Some(None))),
            ("C", doc("1.0", "approved", "c2", jane)),
            ("E", doc("1.0", "approved", "e1", jane)),
            ("F", doc("0.1", "draft", "f1", Some(None))),
        ],
        &[],
    );
    let set = compare(side("old"), &old, side("new"), &new);
    assert_eq!(names(&set), ["A new-version", "A approval", "B status", "C content", "D removed", "F added"]);
    assert!(set.notes.is_empty());
}

#[test]
fn an_approval_alone_is_not_a_text_change() {
    let mut o = doc("1.0", "approved", "a1", Some(Some(("Jane", "2026-01-01"))));
    let mut n = doc("1.0", "approved", "a2", Some(Some(("Jane", "2026-02-01"))));
    n.content_sha256 = o.content_sha256.clone();
    let set =
        compare(side("o"), &manifest(V2, &[("A", o.clone())], &[]), side("n"), &manifest(V2, &[("A", n.clone())], &[]));
    assert_eq!(names(&set), ["A approval"]);
    // Without content hashes (format 1), the file hash decides.
    o.content_sha256 = None;
    n.content_sha256 = None;
    let set = compare(side("o"), &manifest(V2, &[("A", o)], &[]), side("n"), &manifest(V2, &[("A", n)], &[]));
    assert_eq!(names(&set), ["A content", "A approval"]);
}

#[test]
fn evidence_is_compared_by_path_and_hash() {
    let old = manifest(V2, &[], &[("evidence/a", "1"), ("evidence/b", "1"), ("evidence/c", "1")]);
    let new = manifest(V2, &[], &[("evidence/a", "1"), ("evidence/b", "2"), ("evidence/d", "1")]);
    let set = compare(side("old"), &old, side("new"), &new);
    let got: Vec<(&str, FileChange)> = set.evidence.iter().map(|e| (e.path.as_str(), e.change)).collect();
    assert_eq!(
        got,
        [("evidence/b", FileChange::Changed), ("evidence/c", FileChange::Removed), ("evidence/d", FileChange::Added)]
    );
}

#[test]
fn a_format_1_side_is_not_compared_for_approvals_and_says_so() {
    let old = manifest("aimsdoc-manifest/1", &[("A", doc("1.0", "approved", "a", None))], &[]);
    let new = manifest(V2, &[("A", doc("1.0", "approved", "a", Some(Some(("X", "2026-01-01")))))], &[]);
    let set = compare(side("old-site"), &old, side("new"), &new);
    assert!(set.is_empty(), "{:?}", set.documents);
    assert_eq!(set.notes.len(), 1);
    assert!(set.notes[0].starts_with("old-site has a format-1 manifest"), "{}", set.notes[0]);
}
