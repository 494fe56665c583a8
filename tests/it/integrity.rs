//! Integrity and change control, end to end with the real binary: `SHA256SUMS` and the manifest
//! of a fresh build (checked with the real `sha256sum`), tamper detection by `aimsdoc verify`
//! next to `sha256sum -c`, the approvals ledger round trip, byte-for-byte preservation of the
//! front matter around the approval block, reproducible builds and the audit pack.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use scraper::Html;

use crate::common::{
    aimsdoc, aimsdoc_on, build, copy_dir, example, page, sel, sha256, snapshot, stderr, stdout, Fixture, EXAMPLE_TODAY,
};

const FIXTURE: &str = "integrity_basic";
const POL: &str = "documents/pol-001.md";
const PRC: &str = "documents/prc-001.md";
const GDL: &str = "documents/gdl-001.md";

fn approve(root: &Path, id: &str, by: &str, date: &str) -> assert_cmd::assert::Assert {
    aimsdoc().args(["approve", id, "--by", by, "--date", date]).arg(root).assert()
}

/// Records the approvals the fixture's approved documents already state.
fn approve_both(root: &Path) {
    approve(root, "POL-001", "Jane Smith, CEO", "2026-01-15").code(0);
    approve(root, "PRC-001", "AI Governance Board", "2026-02-01").code(0);
}

/// Runs the real `sha256sum -c SHA256SUMS` inside `site`; returns (exit code, output).
fn sha256sum_check(site: &Path) -> (i32, String) {
    let out = Process::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(site)
        .output()
        .expect("GNU sha256sum is installed");
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().expect("exit code"), all)
}

/// A built copy of the fixture: (fixture, site directory).
fn built() -> (Fixture, PathBuf) {
    let fx = Fixture::copy(FIXTURE);
    let site = fx.outside().join("site");
    build(fx.root(), &site).code(0);
    (fx, site)
}

#[test]
fn fresh_build_has_sums_that_sha256sum_accepts() {
    let (_fx, site) = built();
    let (code, out) = sha256sum_check(&site);
    assert_eq!(code, 0, "{out}");
    let sums = fs::read_to_string(site.join("SHA256SUMS")).expect("SHA256SUMS");
    let files = snapshot(&site);
    let listed: Vec<(&str, &str)> = sums.lines().map(|l| (&l[..64], &l[66..])).collect();
    let expected: Vec<&str> = files.keys().map(String::as_str).filter(|p| *p != "SHA256SUMS").collect();
    assert_eq!(listed.iter().map(|(_, p)| *p).collect::<Vec<_>>(), expected, "every file but itself, sorted");
    for (hash, path) in &listed {
        assert_eq!(*hash, sha256(&files[*path]), "{path}");
    }
    assert!(sums.lines().all(|l| &l[64..66] == "  ") && sums.ends_with('\n') && !sums.contains('\r'));
    // The marker's token is random per build: bookkeeping, not site content.
    assert!(
        !sums.contains(".aimsdoc-site") && site.join(".aimsdoc-site").is_file() && expected.contains(&"manifest.json")
    );
    aimsdoc().arg("verify").arg(&site).assert().code(0);
}

#[test]
fn manifest_records_sources_and_evidence_but_no_pages() {
    let (fx, site) = built();
    let bytes = fs::read(site.join("manifest.json")).expect("manifest");
    let m: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(m["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(m["catalogs"][0]["designation"], "ISO/IEC 42001:2023");
    assert_eq!(m["catalogs"][0]["sha256"].as_str().map(str::len), Some(64));
    let docs = m["documents"].as_array().expect("documents");
    let ids: Vec<&str> = docs.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, ["GDL-001", "POL-001", "PRC-001"]);
    for d in docs {
        let source = d["source"].as_str().expect("source");
        assert_eq!(d["sha256"], sha256(&fs::read(fx.root().join(source)).expect("source file")));
        assert!(site.join(d["page"].as_str().expect("page")).is_file());
    }
    let pol = &docs[1];
    assert_eq!((pol["version"].as_str(), pol["status"].as_str()), (Some("1.0"), Some("approved")));
    let att = &m["attachments"][0];
    assert_eq!(att["path"], "evidence/records/board-minutes.csv");
    let evidence = fs::read(fx.root().join("evidence/records/board-minutes.csv")).expect("evidence");
    assert_eq!(
        (att["sha256"].as_str(), att["size"].as_u64()),
        (Some(sha256(&evidence).as_str()), Some(evidence.len() as u64))
    );
    let text = String::from_utf8(bytes).expect("utf-8");
    for (path, page) in snapshot(&site).iter().filter(|(p, _)| p.ends_with(".html")) {
        assert!(!text.contains(&sha256(page)), "the manifest must not hash pages ({path})");
    }
}

#[test]
fn every_page_shows_the_site_digest_and_document_pages_print_controlled_copy_marks() {
    let (fx, site) = built();
    let digest = sha256(&fs::read(site.join("manifest.json")).expect("manifest"));
    let footer = sel("footer .site-digest code.hash");
    let meta = sel("meta[name=aimsdoc-site-digest]");
    let mut pages = 0;
    for (path, bytes) in snapshot(&site).iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = Html::parse_document(std::str::from_utf8(bytes).expect("utf-8"));
        let shown: Vec<String> = html.select(&footer).map(|e| e.text().collect()).collect();
        assert_eq!(shown, std::slice::from_ref(&digest), "{path}");
        assert_eq!(html.select(&meta).next().and_then(|e| e.value().attr("content")), Some(digest.as_str()), "{path}");
        pages += 1;
    }
    assert!(pages > 10, "{pages} pages");
    let source = fs::read(fx.root().join(POL)).expect("source");
    let html = page(&site, "documents/POL-001.html");
    // Marks come from the page's own small print stylesheet, not an inline <style>, so the site
    // works under a `default-src 'self'` Content-Security-Policy (more in doc_pages.rs).
    let link = sel("head link[rel=stylesheet][media=print][href='../assets/marks/doc-POL-001.css']");
    assert!(html.select(&link).next().is_some(), "document pages link their print marks");
    assert!(page(&site, "documents/POL-001.html").select(&sel("head style")).next().is_none());
    let marks = fs::read_to_string(site.join("assets/marks/doc-POL-001.css")).expect("print marks");
    for needle in ["Uncontrolled when printed", "POL-001", "version 1.0", &sha256(&source)[..12], &digest] {
        assert!(marks.contains(needle), "print marks {marks:?} lack {needle:?}");
    }
    let index = page(&site, "index.html");
    let any_marks = sel("link[href*='marks/doc-']");
    assert!(index.select(&any_marks).next().is_none(), "only document pages are controlled copies");
    let css = fs::read_to_string(site.join("assets/style.css")).expect("css");
    assert!(css.contains("@page") && css.contains("counter(page)") && css.contains("@bottom-left"), "print CSS");
}

/// One tamper case: what to do to the site, the path `verify` must name, and the exit code of
/// `sha256sum -c` (which cannot see added files, only the files it lists).
struct Tamper {
    name: &'static str,
    apply: fn(&Path),
    expect: &'static str,
    sha256sum_exit: i32,
}

fn flip_byte(path: &Path) {
    let mut bytes = fs::read(path).expect("file to tamper with");
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    fs::write(path, bytes).expect("write");
}

/// One change of each kind an attacker could make to a built site: a page, an attachment and the
/// manifest changed, a file added, a file removed.
fn tamper_cases() -> [Tamper; 5] {
    [
        Tamper {
            name: "page",
            apply: |s| flip_byte(&s.join("documents/POL-001.html")),
            expect: "changed: documents/POL-001.html",
            sha256sum_exit: 1,
        },
        Tamper {
            name: "attachment",
            apply: |s| flip_byte(&s.join("files/evidence/records/board-minutes.csv")),
            expect: "changed: files/evidence/records/board-minutes.csv",
            sha256sum_exit: 1,
        },
        Tamper {
            name: "manifest",
            apply: |s| flip_byte(&s.join("manifest.json")),
            expect: "changed: manifest.json",
            sha256sum_exit: 1,
        },
        Tamper {
            name: "added file",
            apply: |s| fs::write(s.join("documents/extra.html"), "<p>forged</p>").expect("write"),
            expect: "added: documents/extra.html",
            sha256sum_exit: 0,
        },
        Tamper {
            name: "removed file",
            apply: |s| fs::remove_file(s.join("register.csv")).expect("remove"),
            expect: "removed: register.csv",
            sha256sum_exit: 1,
        },
    ]
}

#[test]
fn verify_and_sha256sum_agree_on_every_tamper_case() {
    let (fx, site) = built();
    for (i, case) in tamper_cases().iter().enumerate() {
        let copy = fx.outside().join(format!("tampered-{i}"));
        copy_dir(&site, &copy);
        aimsdoc().arg("verify").arg(&copy).assert().code(0);
        (case.apply)(&copy);
        let a = aimsdoc().arg("verify").arg(&copy).assert().code(1);
        assert_eq!(stdout(&a).trim(), case.expect, "{}: verify output", case.name);
        let (code, out) = sha256sum_check(&copy);
        assert_eq!(code, case.sha256sum_exit, "{}: sha256sum -c\n{out}", case.name);
        if code == 1 {
            let path = case.expect.split_once(": ").map(|(_, p)| p).unwrap_or_default();
            assert!(out.contains(&format!("{path}: FAILED")), "{}: sha256sum names {path}\n{out}", case.name);
        }
    }
}

#[test]
fn rewriting_the_sums_after_tampering_is_still_caught() {
    let (_fx, site) = built();
    fs::write(site.join("manifest.json"), b"{}\n").expect("forge manifest");
    let forged: String = snapshot(&site)
        .iter()
        .filter(|(p, _)| *p != "SHA256SUMS")
        .map(|(p, b)| format!("{}  {p}\n", sha256(b)))
        .collect();
    fs::write(site.join("SHA256SUMS"), forged).expect("forge sums");
    assert_eq!(sha256sum_check(&site).0, 0, "sha256sum alone cannot see a consistent forgery");
    let a = aimsdoc().arg("verify").arg(&site).assert().code(1);
    assert!(stdout(&a).starts_with("invalid: manifest.json: the pages show content digest"), "{}", stdout(&a));
    let good = "0".repeat(64);
    let a = aimsdoc().arg("verify").arg(&site).args(["--digest", &good]).assert().code(1);
    let out = stdout(&a);
    assert!(
        out.contains("invalid: SHA256SUMS: release digest (SHA-256 of SHA256SUMS) is ")
            && out.contains("expected 0000"),
        "{out}"
    );
}

#[test]
fn verify_refuses_what_is_not_a_site() {
    let fx = Fixture::copy(FIXTURE);
    let a = aimsdoc().arg("verify").arg(fx.root()).assert().code(2);
    assert!(stderr(&a).contains("has no SHA256SUMS"), "{}", stderr(&a));
    aimsdoc().arg("verify").arg(fx.root().join("nope")).assert().code(2);
}

#[test]
fn approval_round_trip_binds_the_approval_to_the_content() {
    let fx = Fixture::copy(FIXTURE);
    let root = fx.root();
    fx.check().clean();
    approve_both(root);
    let ledger = fs::read_to_string(root.join("approvals.lock")).expect("ledger");
    assert!(ledger.starts_with("# approvals.lock"), "{ledger}");
    let entries: Vec<&str> = ledger.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(entries.len(), 2, "{ledger}");
    assert!(entries[0].starts_with("POL-001 1.0 ") && entries[0].ends_with(" 2026-01-15 Jane Smith, CEO"), "{ledger}");
    assert!(
        entries[1].starts_with("PRC-001 2.0 ") && entries[1].ends_with(" 2026-02-01 AI Governance Board"),
        "{ledger}"
    );
    fx.check().clean();
    fx.strict().check().clean();

    // A change to the body after approval fails at the version line.
    let fx = Fixture::copy(FIXTURE);
    let root = fx.root().to_path_buf();
    approve_both(&root);
    let fx = fx.edit(POL, "has an owner.", "has a named owner.");
    fx.check().exactly(&[("IN001", POL, 7, 10)]).message("IN001", POL, 7, "changed after approval");
    build(&root, &fx.outside().join("site")).code(1);
    let a = approve(&root, "POL-001", "Jane Smith, CEO", "2026-05-20").code(1);
    assert!(stderr(&a).contains("needs a new version"), "{}", stderr(&a));

    // A new version under the old approval: not in the ledger (an error), and the approval
    // predates the version.
    let fx = fx.edit(POL, "version: \"1.0\"", "version: \"1.1\"").edit(
        POL,
        "history:\n",
        "history:\n  - { version: \"1.1\", date: 2026-05-18, by: J. Smith, summary: Named owners }\n",
    );
    fx.check()
        .exactly(&[("IN002", POL, 7, 10), ("AP006", POL, 9, 42)])
        .message("IN002", POL, 7, "records version 1.0")
        .severity("IN002", POL, 7, "error")
        .exit(1);
    let fx = fx.strict();
    approve(&root, "POL-001", "Jane Smith, CEO", "2026-05-20").code(0);
    fx.check().clean();
    let ledger = fs::read_to_string(root.join("approvals.lock")).expect("ledger");
    assert_eq!(ledger.lines().filter(|l| l.starts_with("POL-001 ")).count(), 2, "both versions stay on record");
    build(&root, &fx.outside().join("site")).code(0);
}

#[test]
fn reviews_and_lifecycle_changes_keep_the_approval() {
    let fx = Fixture::copy(FIXTURE);
    approve_both(fx.root());
    let fx = fx.edit(POL, "next_review: 2027-01-10", "next_review: 2027-05-01").edit(
        POL,
        "clauses:",
        "reviews:\n  - { date: 2026-05-10, by: AI Governance Board, outcome: no-change }\nclauses:",
    );
    fx.strict().check().clean();
}

#[test]
fn ledger_problems_are_findings_with_positions() {
    let fx = Fixture::copy(FIXTURE);
    approve_both(fx.root());
    let fx = fx.edit(PRC, "by: AI Governance Board", "by: Chief Risk Officer");
    let mut ledger = fs::read_to_string(fx.root().join("approvals.lock")).expect("ledger");
    ledger.push_str("POL-009 1.0 not-a-hash 2026-01-01 Someone\n");
    let lines = ledger.lines().count();
    let fx = fx.write("approvals.lock", ledger);
    fx.check().exactly(&[("IN004", "approvals.lock", lines, 13), ("IN003", PRC, 11, 9)]).message(
        "IN003",
        PRC,
        11,
        "records AI Governance Board on 2026-02-01",
    );
}

#[test]
fn without_a_ledger_there_are_no_ledger_findings_and_a_partial_ledger_fails() {
    let fx = Fixture::copy(FIXTURE);
    fx.check().clean();
    approve(fx.root(), "POL-001", "Jane Smith, CEO", "2026-01-15").code(0);
    fx.check().exactly(&[("IN002", PRC, 6, 10)]).severity("IN002", PRC, 6, "error").hint(
        "IN002",
        PRC,
        6,
        "aimsdoc approve PRC-001 --by \"AI Governance Board\" --date 2026-02-01",
    );
}

#[test]
fn approve_leaves_everything_outside_the_approval_block_byte_for_byte() {
    let fx = Fixture::copy(FIXTURE);
    let root = fx.root();
    let before = |rel: &str| fs::read(root.join(rel)).expect("document");
    let (pol, prc, gdl) = (before(POL), before(PRC), before(GDL));

    // Same approver and date as the front matter: the file is not touched at all.
    approve(root, "POL-001", "Jane Smith, CEO", "2026-01-15").code(0);
    assert_eq!(fs::read(root.join(POL)).expect("pol"), pol);

    // CRLF, comments and an indented block: only the block's lines change, CRLF kept.
    approve(root, "PRC-001", "Chief Risk Officer", "2026-02-02").code(0);
    let after = fs::read(root.join(PRC)).expect("prc");
    let old: Vec<&[u8]> = prc.split_inclusive(|&b| b == b'\n').collect();
    let new: Vec<&[u8]> = after.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(old.len(), new.len());
    for (i, (o, n)) in old.iter().zip(&new).enumerate() {
        match i + 1 {
            11 => assert_eq!(*n, b"    by: \"Chief Risk Officer\"\r\n"),
            12 => assert_eq!(*n, b"    date: 2026-02-02\r\n"),
            _ => assert_eq!(o, n, "line {} changed", i + 1),
        }
    }

    // A draft goes the whole way to approved or not at all: without a history entry naming its
    // author, version 1.0 cannot be recorded, and nothing is written.
    let a = approve(root, "GDL-001", "Head of Risk", "2026-03-01").code(1);
    assert!(stderr(&a).contains("no `history` entry naming who wrote it"), "{}", stderr(&a));
    assert_eq!(fs::read(root.join(GDL)).expect("gdl"), gdl);
    // With one: status, version, a new history entry above the draft's, the approval after
    // `status`, `effective` and `next_review`; every other line as it was.
    let draft = String::from_utf8(gdl).expect("utf-8").replacen(
        "status: draft\n",
        "status: draft\nhistory:\n  - { version: \"0.3\", date: 2026-02-20, by: A. Writer, summary: First draft }\n",
        1,
    );
    fs::write(root.join(GDL), &draft).expect("write");
    approve(root, "GDL-001", "Head of Risk", "2026-03-01").code(0);
    let after = fs::read_to_string(root.join(GDL)).expect("gdl");
    let expected = draft
        .replacen("version: \"0.3\"", "version: \"1.0\"", 1)
        .replacen("status: draft\n", "status: approved\napproval:\n  by: \"Head of Risk\"\n  date: 2026-03-01\nnext_review: 2027-03-01\n", 1)
        .replacen(
            "history:\n",
            "history:\n  - { version: \"1.0\", date: 2026-03-01, by: \"A. Writer\", summary: \"Approved for issue (was draft 0.3)\" }\n",
            1,
        )
        .replacen("---\n\nDraft", "effective: 2026-03-01\n---\n\nDraft", 1);
    assert_eq!(after, expected);
}

#[test]
fn approve_refuses_bad_requests() {
    let fx = Fixture::copy(FIXTURE);
    let a = approve(fx.root(), "POL-01", "X", "2026-01-15").code(2);
    assert!(stderr(&a).contains("did you mean `POL-001`"), "{}", stderr(&a));
    approve(fx.root(), "POL-001", "X", "2027-01-01").code(2);
    aimsdoc().args(["approve", "POL-001", "--by", "X", "--date", "2026-02-30"]).arg(fx.root()).assert().code(2);
    assert!(!fx.root().join("approvals.lock").exists(), "nothing written");
}

#[test]
fn two_builds_into_different_directories_are_identical() {
    let fx = Fixture::copy(FIXTURE);
    approve_both(fx.root());
    let (a, b) = (fx.outside().join("one"), fx.outside().join("two/nested"));
    fs::create_dir_all(fx.outside().join("two")).expect("aimsdoc creates only the last folder");
    build(fx.root(), &a).code(0);
    build(fx.root(), &b).code(0);
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (path, bytes) in &sa {
        assert!(bytes == &sb[path], "{path} differs between builds");
    }
    let manifest = String::from_utf8(sa["manifest.json"].clone()).expect("utf-8");
    assert!(manifest.contains("\"approvals\": {"), "the ledger's hash is part of the manifest");
}

#[test]
fn pack_is_deterministic_and_verifies_after_unzipping() {
    let (fx, site) = built();
    let (one, two) = (fx.outside().join("one.zip"), fx.outside().join("two.zip"));
    aimsdoc().arg("pack").arg(&site).arg("-o").arg(&one).assert().code(0);
    aimsdoc().arg("pack").arg(&site).arg("-o").arg(&two).assert().code(0);
    let bytes = fs::read(&one).expect("zip");
    assert_eq!(bytes, fs::read(&two).expect("zip"), "same site, same zip bytes");

    let mut archive = zip::ZipArchive::new(fs::File::open(&one).expect("zip")).expect("valid zip");
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    assert_eq!(names[0], "README.txt");
    let unpacked = fx.outside().join("unpacked");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        assert_eq!(entry.last_modified().map(|t| (t.year(), t.month(), t.day())), Some((1980, 1, 1)));
        assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
        let dest = unpacked.join(entry.enclosed_name().expect("safe name"));
        fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::io::copy(&mut entry, &mut fs::File::create(&dest).expect("create")).expect("unzip");
    }
    let readme = fs::read_to_string(unpacked.join("README.txt")).expect("README.txt");
    assert!(readme.contains("sha256sum -c SHA256SUMS") && readme.contains("aimsdoc verify"), "{readme}");
    let (code, out) = sha256sum_check(&unpacked.join("site"));
    assert_eq!(code, 0, "{out}");
    aimsdoc().arg("verify").arg(unpacked.join("site")).assert().code(0);
    assert_eq!(snapshot(&unpacked.join("site")), snapshot(&site), "the pack holds the site exactly");
}

#[test]
fn pack_refuses_a_tampered_site_and_a_zip_inside_the_site() {
    let (fx, site) = built();
    let zip = fx.outside().join("pack.zip");
    aimsdoc().arg("pack").arg(&site).arg("-o").arg(site.join("inside.zip")).assert().code(2);
    flip_byte(&site.join("register.html"));
    let a = aimsdoc().arg("pack").arg(&site).arg("-o").arg(&zip).assert().code(1);
    assert!(stderr(&a).contains("changed: register.html"), "{}", stderr(&a));
    assert!(!zip.exists());
}

#[test]
fn the_example_carries_a_ledger_and_its_site_verifies() {
    let example = example();
    let ledger = fs::read_to_string(example.join("approvals.lock")).expect("content-example/approvals.lock");
    assert!(ledger.lines().filter(|l| !l.starts_with('#')).count() > 30);
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    aimsdoc_on(EXAMPLE_TODAY).arg("build").arg(&example).arg("--out").arg(&site).arg("--strict").assert().code(0);
    assert_eq!(sha256sum_check(&site).0, 0);
    aimsdoc().arg("verify").arg(&site).assert().code(0);
}

#[test]
fn help_texts_have_examples() {
    for cmd in ["verify", "approve", "pack"] {
        let a = aimsdoc().arg(cmd).arg("--help").assert().code(0);
        assert!(stdout(&a).contains(&format!("Example: aimsdoc {cmd} ")), "{cmd} --help");
    }
}

#[test]
fn pack_timestamps_follow_source_date_epoch() {
    let (fx, site) = built();
    let zip_path = fx.outside().join("dated.zip");
    let mut cmd = aimsdoc();
    cmd.env("SOURCE_DATE_EPOCH", "1767225600").arg("pack").arg(&site).arg("-o").arg(&zip_path);
    cmd.assert().code(0);
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip_path).expect("zip")).expect("valid zip");
    for i in 0..archive.len() {
        let entry = archive.by_index(i).expect("entry");
        let t = entry.last_modified().expect("timestamp");
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute()), (2026, 1, 1, 0, 0), "{}", entry.name());
    }
}
