//! `aimsdoc diff OLD NEW` end to end: a released site against the edited content root and
//! against the site built from it, in JSON, Markdown and human form, and a site of the
//! previous manifest format (no approvals recorded), which is compared for everything else and
//! says what it cannot compare. Then git revisions (fixture repositories built with the `git`
//! binary): two revisions compared, `build --changes-since REV`'s page, and the errors for an
//! unknown revision and a tree outside git.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{self, aimsdoc, build, page, sel, stderr, stdout, Fixture};
use crate::provenance::Repo;

/// The fixture built as OLD, then edited: GDL-001 gets a new version and goes to review, GDL-002
/// is new, PRC-001's approval date changes, POL-001's text changes without a new version, and
/// POL-001's attachment changes.
fn released_then_edited() -> (Fixture, PathBuf) {
    let fx = Fixture::copy("integrity_basic");
    let old = fx.outside().join("old");
    build(fx.root(), &old).code(0);
    let gdl = fs::read_to_string(fx.root().join("documents/gdl-001.md")).expect("gdl");
    let fx = fx
        .edit("documents/gdl-001.md", "version: \"0.3\"\nstatus: draft", "version: \"0.4\"\nstatus: review")
        .write("documents/gdl-002.md", gdl.replace("GDL-001", "GDL-002").replace("Prompting", "Agents"))
        .edit("documents/prc-001.md", "date: 2026-02-01", "date: 2026-02-02")
        .edit("documents/pol-001.md", "how we develop", "how we build");
    let csv = fx.root().join("evidence/records/board-minutes.csv");
    let mut bytes = fs::read(&csv).expect("csv");
    bytes.extend_from_slice(b"2026-05-01,added row\n");
    fs::write(&csv, bytes).expect("csv");
    (fx, old)
}

fn diff_json(old: &Path, new: &Path) -> Value {
    let a = aimsdoc().arg("diff").arg(old).arg(new).args(["--format", "json"]).assert().code(0);
    serde_json::from_str(&stdout(&a)).expect("json")
}

fn expected_documents() -> Value {
    json!([
        {"id": "GDL-001", "title": "Prompting guideline", "change": "new-version", "from": "0.3", "to": "0.4"},
        {"id": "GDL-001", "title": "Prompting guideline", "change": "status", "from": "draft", "to": "review"},
        {"id": "GDL-002", "title": "Agents guideline", "change": "added", "version": "0.3", "status": "draft"},
        {"id": "POL-001", "title": "AI Policy", "change": "content"},
        {"id": "PRC-001", "title": "AI impact assessment procedure", "change": "approval",
         "from": {"by": "AI Governance Board", "date": "2026-02-01"},
         "to": {"by": "AI Governance Board", "date": "2026-02-02"}},
    ])
}

#[test]
fn a_released_site_against_the_edited_content_and_its_new_site() {
    let (fx, old) = released_then_edited();
    let against_content = diff_json(&old, fx.root());
    assert_eq!(against_content["documents"], expected_documents(), "{against_content:#}");
    assert_eq!(against_content["old"]["kind"], "site");
    assert_eq!(against_content["new"]["kind"], "content");
    let evidence = &against_content["evidence"];
    assert_eq!(evidence.as_array().map(Vec::len), Some(1), "{evidence:#}");
    assert_eq!(evidence[0]["path"], "evidence/records/board-minutes.csv");
    assert_eq!(evidence[0]["change"], "changed");
    assert_ne!(evidence[0]["old_sha256"], evidence[0]["new_sha256"]);
    assert_eq!(against_content["notes"], json!([]));
    let new = fx.outside().join("new");
    build(fx.root(), &new).code(0);
    let between_sites = diff_json(&old, &new);
    assert_eq!(between_sites["documents"], against_content["documents"]);
    assert_eq!(between_sites["evidence"], against_content["evidence"]);
    // The other way round, the new document is removed and the changes run backwards.
    let back = diff_json(&new, &old);
    assert!(back["documents"]
        .as_array()
        .expect("docs")
        .iter()
        .any(|d| d["id"] == "GDL-002" && d["change"] == "removed"));
    assert!(fs::read_dir(fx.root()).expect("root").all(|e| e.expect("entry").file_name() != "site"), "nothing written");
}

#[test]
fn human_and_markdown_forms_name_each_change_by_id() {
    let (fx, old) = released_then_edited();
    let a = aimsdoc().arg("diff").arg(&old).arg(fx.root()).assert().code(0);
    let text = stdout(&a);
    for needle in [
        "5 document change(s), 1 evidence change(s)",
        "  new-version  GDL-001      Prompting guideline: new version 0.3 -> 0.4\n",
        "  status       GDL-001      Prompting guideline: status draft -> review\n",
        "  added        GDL-002      Agents guideline: added (version 0.3, draft)\n",
        "  content      POL-001      AI Policy: text changed without a new version\n",
        "approval AI Governance Board on 2026-02-01 -> AI Governance Board on 2026-02-02",
        "  changed      evidence/records/board-minutes.csv\n",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}:\n{text}");
    }
    let a = aimsdoc().arg("diff").arg(&old).arg(fx.root()).args(["--format", "md"]).assert().code(0);
    let md = stdout(&a);
    assert!(md.starts_with("## Changes\n"), "{md}");
    assert!(
        md.contains(
            "| Id | Title | Change |\n|---|---|---|\n| GDL-001 | Prompting guideline | new version 0.3 -> 0.4 |\n"
        ),
        "{md}"
    );
    assert!(md.contains("| evidence/records/board-minutes.csv | changed |"), "{md}");
    let same = aimsdoc().arg("diff").arg(&old).arg(&old).assert().code(0);
    assert!(
        stdout(&same).contains("0 document change(s), 0 evidence change(s)") && stdout(&same).contains("no changes")
    );
}

#[test]
fn a_format_1_site_is_compared_without_approvals_and_says_so() {
    let (fx, old) = released_then_edited();
    let path = old.join("manifest.json");
    let mut m: Value = serde_json::from_slice(&fs::read(&path).expect("manifest")).expect("json");
    m["format"] = json!("aimsdoc-manifest/1");
    m.as_object_mut().expect("object").remove("signer");
    for d in m["documents"].as_array_mut().expect("docs") {
        d.as_object_mut().expect("doc").remove("approval");
        d.as_object_mut().expect("doc").remove("content_sha256");
    }
    fs::write(&path, serde_json::to_vec_pretty(&m).expect("json")).expect("write");
    let a = aimsdoc().arg("diff").arg(&old).arg(fx.root()).args(["--format", "json"]).assert().code(0);
    assert!(stderr(&a).contains("does not match its SHA256SUMS"), "an edited manifest is pointed out: {}", stderr(&a));
    let set: Value = serde_json::from_str(&stdout(&a)).expect("json");
    // Without content hashes, PRC-001's new approval date counts as a text change.
    let mut want = expected_documents();
    want[4] = json!({"id": "PRC-001", "title": "AI impact assessment procedure", "change": "content"});
    assert_eq!(set["documents"], want);
    let note = set["notes"][0].as_str().expect("a note");
    assert!(
        note.contains("format-1 manifest, which records no approvals: approval changes are not compared"),
        "{note}"
    );
    m["format"] = json!("aimsdoc-manifest/7");
    fs::write(&path, serde_json::to_vec(&m).expect("json")).expect("write");
    let a = aimsdoc().arg("diff").arg(&old).arg(fx.root()).assert().code(2);
    assert!(stderr(&a).contains("has format `aimsdoc-manifest/7`"), "{}", stderr(&a));
}

#[test]
fn neither_side_may_be_something_else() {
    let fx = Fixture::copy("integrity_basic");
    let a = aimsdoc().arg("diff").arg(fx.root().join("documents/pol-001.md")).arg(fx.root()).assert().code(2);
    assert!(stderr(&a).contains("is not a directory"), "{}", stderr(&a));
}

/// `integrity_basic` committed and tagged `audit`, then changed and committed: POL-001 goes from
/// 1.0 to 2.0 (re-approved), its evidence file changes and PRC-001 is removed.
fn audited_then_changed() -> Repo {
    let repo = Repo::new();
    common::copy_dir(&common::fixture("integrity_basic"), &repo.root());
    repo.commit("2026-01-20", "Alice Archer");
    repo.git(&["tag", "audit"]);
    let pol = fs::read_to_string(repo.root().join("documents/pol-001.md")).expect("pol");
    let v2 = pol
        .replace("version: \"1.0\"   # raise on every change", "version: \"2.0\"")
        .replace("date: 2026-01-15 }", "date: 2026-03-02 }")
        .replace(
            "history:\n",
            "history:\n  - { version: \"2.0\", date: 2026-03-01, by: J. Smith, summary: Rewritten }\n",
        );
    repo.write("documents/pol-001.md", &v2);
    fs::remove_file(repo.root().join("documents/prc-001.md")).expect("rm");
    let csv = repo.root().join("evidence/records/board-minutes.csv");
    let mut bytes = fs::read(&csv).expect("csv");
    bytes.extend_from_slice(b"2026-03-02,approved version 2.0\n");
    fs::write(&csv, bytes).expect("csv");
    repo.commit("2026-03-02", "Bob Baker");
    repo
}

fn revisions_json(repo: &Repo, old: &str, new: &str) -> Value {
    let a = aimsdoc().arg("diff").args([old, new]).arg("--root").arg(repo.root()).args(["--format", "json"]).assert();
    let a = a.code(0);
    serde_json::from_str(&stdout(&a)).expect("json")
}

fn audited_changes() -> Value {
    json!([
        {"id": "POL-001", "title": "AI Policy", "change": "new-version", "from": "1.0", "to": "2.0"},
        {"id": "POL-001", "title": "AI Policy", "change": "approval",
         "from": {"by": "Jane Smith, CEO", "date": "2026-01-15"}, "to": {"by": "Jane Smith, CEO", "date": "2026-03-02"}},
        {"id": "PRC-001", "title": "AI impact assessment procedure", "change": "removed", "version": "2.0", "status": "approved"},
    ])
}

#[test]
fn two_revisions_are_compared_as_their_content_trees() {
    let repo = audited_then_changed();
    let set = revisions_json(&repo, "audit", "HEAD");
    assert_eq!(set["documents"], audited_changes(), "{set:#}");
    assert_eq!(set["evidence"][0]["path"], "evidence/records/board-minutes.csv");
    assert_eq!(set["evidence"][0]["change"], "changed");
    assert_eq!(set["evidence"].as_array().map(Vec::len), Some(1));
    assert_eq!((set["old"]["kind"].as_str(), set["old"]["label"].as_str()), (Some("revision"), Some("audit")));
    assert_eq!(set["old"]["commit"], repo.git(&["rev-parse", "audit"]));
    assert_eq!(set["new"]["commit"], repo.git(&["rev-parse", "HEAD"]));
    // A revision against the work tree's content root (an existing path), and `rev:` forcing a
    // revision: the same changes.
    let root = repo.root();
    let against_tree =
        aimsdoc().arg("diff").arg("rev:audit").arg(&root).args(["--format", "json", "--root"]).arg(&root).assert();
    let against_tree = against_tree.code(0);
    let against_tree: Value = serde_json::from_str(&stdout(&against_tree)).expect("json");
    assert_eq!(against_tree["documents"], audited_changes());
    assert_eq!(against_tree["new"]["kind"], "content");
    // Nothing is left behind: no export in the content root or beside it.
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn revisions_in_human_and_markdown_form() {
    let repo = audited_then_changed();
    let run = |format: &str| {
        let a = aimsdoc().args(["diff", "audit", "HEAD~0", "--format", format]).arg("--root").arg(repo.root()).assert();
        stdout(&a.code(0))
    };
    let text = run("human");
    let short = &repo.git(&["rev-parse", "audit"])[..10];
    for needle in [
        format!("3 document change(s), 1 evidence change(s) from audit (revision {short}, 3 documents) to HEAD~0"),
        "  new-version  POL-001      AI Policy: new version 1.0 -> 2.0\n".into(),
        "  removed      PRC-001      AI impact assessment procedure: removed (was version 2.0, approved)\n".into(),
        "  changed      evidence/records/board-minutes.csv\n".into(),
    ] {
        assert!(text.contains(&needle), "lacks {needle:?}:\n{text}");
    }
    let md = run("md");
    assert!(md.contains("| PRC-001 | AI impact assessment procedure | removed (was version 2.0, approved) |"), "{md}");
    assert!(md.contains("| evidence/records/board-minutes.csv | changed |"), "{md}");
}

#[test]
fn build_changes_since_adds_a_linked_page_of_what_changed() {
    let repo = audited_then_changed();
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    aimsdoc().arg("build").arg(repo.root()).args(["--changes-since", "audit", "--out"]).arg(&site).assert().code(0);
    let changes = page(&site, "changes.html");
    assert_eq!(
        changes.select(&sel("h1")).map(|h| h.text().collect::<String>()).next().as_deref(),
        Some("Changes since audit")
    );
    let rows: Vec<(String, String)> = changes
        .select(&sel("table.changes-documents tbody tr"))
        .map(|tr| (tr.value().attr("class").unwrap_or_default().to_string(), tr.text().collect::<String>()))
        .collect();
    assert_eq!(
        rows,
        [
            ("change-new-version".into(), "POL-001AI Policynew version 1.0 -> 2.0".into()),
            (
                "change-approval".into(),
                "POL-001AI Policyapproval Jane Smith, CEO on 2026-01-15 -> Jane Smith, CEO on 2026-03-02".into()
            ),
            (
                "change-removed".into(),
                "PRC-001AI impact assessment procedureremoved (was version 2.0, approved)".into()
            ),
        ] as [(String, String); 3]
    );
    // What is still in the portal is linked; the removed document is not.
    let links: Vec<&str> = changes.select(&sel("main table a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(links, ["documents/POL-001.html", "documents/POL-001.html", "files/evidence/records/board-minutes.csv"]);
    assert!(changes.select(&sel("table.changes-evidence tr.change-changed")).next().is_some());
    // Linked from the dashboard and the sidebar, sealed like every page.
    let index = page(&site, "index.html");
    let dash: Vec<&str> = index.select(&sel(".changes-link a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(dash, ["changes.html"]);
    let nav: Vec<&str> = index.select(&sel("nav.sidebar a")).filter_map(|a| a.value().attr("href")).collect();
    assert!(nav.contains(&"changes.html"), "{nav:?}");
    let sums = fs::read_to_string(site.join("SHA256SUMS")).expect("sums");
    assert!(sums.lines().any(|l| l.ends_with("  changes.html")), "{sums}");
    aimsdoc().arg("verify").arg(&site).assert().code(0);
    // Deterministic: a second build is byte-identical.
    let again = tmp.path().join("again");
    aimsdoc().arg("build").arg(repo.root()).args(["--changes-since", "audit", "--out"]).arg(&again).assert().code(0);
    assert_eq!(fs::read(site.join("changes.html")).ok(), fs::read(again.join("changes.html")).ok());
    assert_eq!(fs::read(site.join("SHA256SUMS")).ok(), fs::read(again.join("SHA256SUMS")).ok());
    // Without the flag: no page and no link to it.
    let plain = tmp.path().join("plain");
    aimsdoc().arg("build").arg(repo.root()).arg("--out").arg(&plain).assert().code(0);
    assert!(!plain.join("changes.html").exists());
    assert!(!fs::read_to_string(plain.join("index.html")).expect("index").contains("changes.html"));
}

#[test]
fn an_unknown_revision_or_a_tree_outside_git_is_a_clear_error() {
    let repo = audited_then_changed();
    let a = aimsdoc().args(["diff", "no-such-tag", "HEAD"]).arg("--root").arg(repo.root()).assert().code(2);
    assert!(stderr(&a).contains("`no-such-tag` is not a revision"), "{}", stderr(&a));
    let site = repo.tmp_dir().join("site");
    let a =
        aimsdoc().arg("build").arg(repo.root()).args(["--changes-since", "no-such-tag", "--out"]).arg(&site).assert();
    let a = a.code(2);
    assert!(stderr(&a).contains("`no-such-tag` is not a revision"), "{}", stderr(&a));
    assert!(!repo.tmp_dir().join("site").exists(), "nothing built");
    let plain = Fixture::copy("integrity_basic");
    let a = aimsdoc().args(["diff", "v1.0", "HEAD"]).arg("--root").arg(plain.root()).assert().code(2);
    assert!(stderr(&a).contains("cannot read revision `v1.0`: the content root"), "{}", stderr(&a));
    assert!(stderr(&a).contains("is not in a git repository"), "{}", stderr(&a));
    let site = plain.outside().join("site");
    let a = aimsdoc().arg("build").arg(plain.root()).args(["--changes-since", "HEAD", "--out"]).arg(&site).assert();
    let a = a.code(2);
    assert!(stderr(&a).contains("cannot read revision `HEAD`"), "{}", stderr(&a));
}
