//! `aimsdoc diff OLD NEW` end to end: a released site against the edited content root and
//! against the site built from it, in JSON, Markdown and human form, and a site of the
//! previous manifest format (no approvals recorded), which is compared for everything else and
//! says what it cannot compare.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{aimsdoc, build, stderr, stdout, Fixture};

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
