//! The version in force keeps the attachments it was approved with: while its successor is
//! drafted and the work tree's evidence changes for the draft, the portal publishes the approved
//! bytes from git beside the version in force, and a version whose committed text or
//! attachments contradict `approvals.lock` does not count (IN001), nor is an attachment shown as
//! approved that git does not hold (IN006). Fixture repositories as in `provenance.rs`.

use std::fs;
use std::path::Path;

use crate::common::{aimsdoc, page, sel, stderr, Diag};
use crate::provenance::Repo;

const POL: &str = "documents/pol.md";
const EVIDENCE: &str = "evidence/approvals.csv";

/// The policy with one attachment; `history` newest first.
fn policy(version: &str, status: &str, approved: bool, history: &[(&str, &str)], body: &str) -> String {
    let approval = if approved {
        "approval: { by: \"Jane Smith, CEO\", date: 2026-01-12 }\nnext_review: 2027-01-01\n"
    } else {
        ""
    };
    let entries: String = history
        .iter()
        .map(|(v, d)| format!("  - {{ version: \"{v}\", date: {d}, by: Ann Author, summary: Change {v} }}\n"))
        .collect();
    format!(
        "---\nid: POL-001\ntitle: AI policy\ntype: policy\nowner: Chief AI Officer\nversion: \"{version}\"\nstatus: {status}\n{approval}clauses: [\"5.2\"]\nattachments:\n  - approvals.csv\nhistory:\n{entries}---\n{body}\n"
    )
}

const V1: &[(&str, &str)] = &[("1.0", "2026-01-10")];
const V11: &[(&str, &str)] = &[("1.1", "2026-05-01"), ("1.0", "2026-01-10")];

/// Version 1.0 approved with its attachment, recorded in `approvals.lock` when `ledger`, and
/// committed (the attachment too unless `uncommitted`; it stays in the work tree).
fn approved_v1(ledger: bool) -> Repo {
    approved_v1_with(ledger, false)
}

fn approved_v1_with(ledger: bool, uncommitted: bool) -> Repo {
    let repo = Repo::new();
    repo.write("aimsdoc.toml", "[checklist]\nenabled = true\n");
    repo.write(POL, &policy("1.0", "approved", true, V1, "The approved text."));
    repo.write(EVIDENCE, "signed,2026-01-12\n");
    if ledger {
        let a = aimsdoc()
            .args(["approve", "POL-001", "--by", "Jane Smith, CEO", "--date", "2026-01-12"])
            .arg(repo.root())
            .assert();
        a.code(0);
    }
    if uncommitted {
        fs::remove_file(repo.root().join(EVIDENCE)).expect("rm");
    }
    repo.commit("2026-01-12", "Alice Archer");
    if uncommitted {
        repo.write(EVIDENCE, "signed,2026-01-12\n");
    }
    repo
}

/// Opens the draft 1.1, which changes the attachment's bytes for itself.
fn draft_changing_the_evidence(repo: &Repo) {
    repo.write(POL, &policy("1.1", "draft", false, V11, "The draft text."));
    repo.write(EVIDENCE, "draft,2026-05-01\n");
}

fn check_json(root: &Path) -> (Vec<Diag>, i32) {
    let out = aimsdoc().arg("check").arg(root).args(["--format", "json"]).output().expect("run");
    let diags =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (diags, out.status.code().unwrap_or(-1))
}

fn text(el: scraper::ElementRef) -> String {
    el.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(bytes))
}

fn checklist_row(site: &Path) -> String {
    let csv = fs::read_to_string(site.join("checklist.csv")).expect("csv");
    csv.lines().find(|l| l.starts_with("5.2,")).unwrap_or_default().to_string()
}

#[test]
fn the_version_in_force_keeps_the_attachment_bytes_it_was_approved_with() {
    for commit_the_draft in [false, true] {
        let repo = approved_v1(true);
        draft_changing_the_evidence(&repo);
        if commit_the_draft {
            repo.commit("2026-05-01", "Bob Baker");
        }
        let tmp = tempfile::tempdir().expect("tempdir");
        let site = tmp.path().join("site");
        let a = aimsdoc().arg("build").arg(repo.root()).arg("--out").arg(&site).assert();
        let a = a.code(0);
        assert!(!stderr(&a).contains("IN00"), "{}", stderr(&a));

        // The draft's bytes where the work tree's evidence is published; the approved bytes with
        // the version in force.
        assert_eq!(fs::read(site.join("files").join(EVIDENCE)).expect("copy"), b"draft,2026-05-01\n");
        let kept = site.join("documents/POL-001/v1.0").join(EVIDENCE);
        assert_eq!(fs::read(&kept).expect("kept copy"), b"signed,2026-01-12\n", "draft committed: {commit_the_draft}");
        let v1 = page(&site, "documents/POL-001/v1.0.html");
        let head = v1.select(&sel(".doc-id")).map(text).next().unwrap_or_default();
        assert!(head.ends_with("version in force"), "{head}");
        let row = v1.select(&sel(".kept-files tbody tr")).map(text).next().unwrap_or_default();
        assert!(row.contains(&sha256(b"signed,2026-01-12\n")), "{row}");
        assert!(row.contains("changed for the draft"), "{row}");
        let href = v1.select(&sel(".kept-files tbody a")).filter_map(|a| a.value().attr("href")).next();
        assert_eq!(href, Some("v1.0/evidence/approvals.csv"));
        let marks = fs::read_to_string(site.join("assets/marks/doc-POL-001-v1.0.css")).expect("marks");
        assert!(marks.contains("VERSION IN FORCE") && !marks.contains("NOT IN FORCE"), "{marks}");

        // The draft's page says one attachment changed; the kept copy is sealed like any file.
        let doc = page(&site, "documents/POL-001.html");
        let banner = doc.select(&sel(".banner-in-force")).map(text).next().unwrap_or_default();
        assert!(banner.contains("1 of its attachments has changed for this draft"), "{banner}");
        let sums = fs::read_to_string(site.join("SHA256SUMS")).expect("sums");
        assert!(sums.contains("documents/POL-001/v1.0/evidence/approvals.csv"), "{sums}");
        aimsdoc().arg("verify").arg(&site).assert().code(0);
        assert!(checklist_row(&site).contains(",met,"), "{}", checklist_row(&site));
        // The manifest (the content digest) records what is shown as approved, and from where.
        let manifest: serde_json::Value =
            serde_json::from_slice(&fs::read(site.join("manifest.json")).expect("manifest")).expect("json");
        let entry = &manifest["in_force"][0];
        assert_eq!(
            (entry["id"].as_str(), entry["version"].as_str(), entry["stands"].as_bool()),
            (Some("POL-001"), Some("1.0"), Some(true))
        );
        let file = &entry["attachments"][0];
        assert_eq!(file["sha256"].as_str(), Some(sha256(b"signed,2026-01-12\n").as_str()));
        assert_eq!(file["source"].as_str(), Some("git"));
        the_evidence_index_lists_the_approved_copy(&site);
    }
}

/// The evidence index lists the draft's file and, after it, the approved copy with its own
/// bytes, link, version and state (the version in force's, not the draft's).
fn the_evidence_index_lists_the_approved_copy(site: &Path) {
    let rows: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("evidence.json")).expect("evidence.json")).expect("json");
    let of_path: Vec<&serde_json::Value> =
        rows.as_array().expect("rows").iter().filter(|r| r["path"].as_str() == Some(EVIDENCE)).collect();
    let field = |r: &serde_json::Value, k: &str| r[k].as_str().unwrap_or_default().to_string();
    let kinds: Vec<String> = of_path.iter().map(|r| field(r, "kind")).collect();
    assert_eq!(kinds, ["attachment", "approved copy"]);
    let (draft, copy) = (of_path[0], of_path[1]);
    assert_eq!(field(draft, "sha256"), sha256(b"draft,2026-05-01\n"));
    assert_eq!(field(draft, "state"), "draft");
    assert!(draft.get("version").is_none(), "{draft}");
    assert_eq!(field(copy, "sha256"), sha256(b"signed,2026-01-12\n"));
    assert_eq!(field(copy, "href"), "documents/POL-001/v1.0/evidence/approvals.csv");
    assert_eq!((field(copy, "version"), field(copy, "state")), ("1.0".to_string(), "current".to_string()));
    assert_ne!(field(copy, "anchor"), field(draft, "anchor"));
    let index = page(site, "evidence.html");
    let lead = index.select(&sel(".lead")).map(text).next().unwrap_or_default();
    assert!(lead.contains("and 1 approved copy of attached files"), "{lead}");
    let copy_row = index.select(&sel(&format!("tr#{}", field(copy, "anchor")))).map(text).next().unwrap_or_default();
    assert!(copy_row.contains("approved copy"), "{copy_row}");
    let csv = fs::read_to_string(site.join("evidence.csv")).expect("csv");
    assert!(csv.lines().any(|l| l.starts_with("approved copy,evidence/approvals.csv,")), "{csv}");
}

#[test]
fn an_attachment_unchanged_for_the_draft_is_not_copied_twice() {
    let repo = approved_v1(true);
    repo.write(POL, &policy("1.1", "draft", false, V11, "The draft text."));
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    aimsdoc().arg("build").arg(repo.root()).arg("--out").arg(&site).assert().code(0);
    assert!(!site.join("documents/POL-001/v1.0").exists());
    let v1 = page(&site, "documents/POL-001/v1.0.html");
    let href = v1.select(&sel(".kept-files tbody a")).filter_map(|a| a.value().attr("href")).next();
    assert_eq!(href, Some("../../files/evidence/approvals.csv"));
    let row = v1.select(&sel(".kept-files tbody tr")).map(text).next().unwrap_or_default();
    assert!(row.ends_with("unchanged"), "{row}");
    let csv = fs::read_to_string(site.join("evidence.csv")).expect("csv");
    assert!(!csv.contains("approved copy"), "nothing kept, nothing listed: {csv}");
}

#[test]
fn a_version_in_force_whose_committed_files_contradict_the_ledger_does_not_count() {
    // Approved and recorded, then the evidence was swapped in a later commit while 1.0 stayed
    // approved (CI would have said IN001 then), then the draft opened with new evidence again.
    let repo = approved_v1(true);
    repo.write(EVIDENCE, "forged,2026-02-01\n");
    repo.commit("2026-02-01", "Mallory");
    draft_changing_the_evidence(&repo);
    let (diags, code) = check_json(&repo.root());
    assert_eq!(code, 1, "{diags:?}");
    let in001: Vec<&Diag> = diags.iter().filter(|d| d.code == "IN001").collect();
    assert_eq!(in001.len(), 1, "{diags:?}");
    let d = in001[0];
    assert_eq!((d.file.as_str(), d.line, d.severity.as_str()), (POL, 10, "error"), "{d:?}");
    assert!(
        d.message.contains("version 1.0, in force while this draft is open, changed after approval"),
        "{}",
        d.message
    );
    assert!(d.message.contains("`approvals.csv`"), "{}", d.message);
    // The checklist does not count it (nor the draft).
    let notes = diags.iter().filter(|d| d.code == "CV001").flat_map(|d| &d.notes);
    let policy_item: Vec<&str> = notes.map(|n| n.message.as_str()).filter(|m| m.starts_with("5.2/policy")).collect();
    assert_eq!(policy_item.len(), 1, "{diags:?}");
    assert!(policy_item[0].ends_with("only in POL-001 (version not approved)"), "{}", policy_item[0]);

    // The same when the committed text itself was edited after approval.
    let repo = approved_v1(true);
    repo.write(POL, &policy("1.0", "approved", true, V1, "A quietly different text."));
    repo.commit("2026-02-01", "Mallory");
    draft_changing_the_evidence(&repo);
    let (diags, code) = check_json(&repo.root());
    assert_eq!(code, 1, "{diags:?}");
    let in001: Vec<&Diag> = diags.iter().filter(|d| d.code == "IN001").collect();
    assert_eq!(in001.len(), 1, "{diags:?}");
    assert_eq!(in001[0].line, 6, "{:?}", in001[0]);
    assert!(
        in001[0].message.contains("its last committed text is not the one approvals.lock line"),
        "{}",
        in001[0].message
    );
}

#[test]
fn the_ledger_proves_an_uncommitted_work_tree_copy_and_nothing_else_stands_in() {
    // Evidence never committed: the work tree's file serves when the ledger proves its bytes.
    let repo = approved_v1_with(true, true);
    repo.write(POL, &policy("1.1", "draft", false, V11, "The draft text."));
    let (diags, code) = check_json(&repo.root());
    assert!(!diags.iter().any(|d| d.code.starts_with("IN")), "{diags:?}");
    assert_eq!(code, 0, "{diags:?}");
    // ... and when the draft has changed it too, nothing holds the approved bytes: IN001.
    repo.write(EVIDENCE, "draft,2026-05-01\n");
    let (diags, _) = check_json(&repo.root());
    assert!(diags.iter().any(|d| d.code == "IN001" && d.line == 10), "{diags:?}");
}

#[test]
fn without_a_ledger_an_uncommitted_attachment_of_the_version_in_force_is_a_warning() {
    let repo = approved_v1_with(false, true);
    draft_changing_the_evidence(&repo);
    let (diags, code) = check_json(&repo.root());
    let in006: Vec<&Diag> = diags.iter().filter(|d| d.code == "IN006").collect();
    assert_eq!(in006.len(), 1, "{diags:?}");
    let at: Vec<(&str, &str, usize, usize)> =
        in006.iter().map(|d| (d.code.as_str(), d.file.as_str(), d.line, d.column)).collect();
    assert_eq!(at, [("IN006", POL, 10, 5)]);
    assert_eq!(in006[0].severity, "warning");
    assert!(in006[0].message.contains("is not in commit"), "{}", in006[0].message);
    assert_eq!(code, 0, "{diags:?}");
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    aimsdoc().arg("build").arg(repo.root()).arg("--out").arg(&site).assert().code(0);
    let v1 = page(&site, "documents/POL-001/v1.0.html");
    let row = v1.select(&sel(".kept-files tbody tr")).map(text).next().unwrap_or_default();
    assert!(row.contains("approved file not available"), "{row}");
    assert!(v1.select(&sel(".kept-files tbody a")).next().is_none(), "no link to the draft's bytes");
}
