//! Obsolete documents are controlled (7.5.3) and identification holds across documents (7.5.2):
//! each rule of issue 11's "Obsolete documents", "Identification" and "Nothing published that
//! must not be" on a small tree, asserting code, severity, file, line and column (and where a
//! finding has a note, the note's location).

use crate::common::{self, Fixture};

const A: &str = "documents/a.md";
const B: &str = "documents/b.md";
const C: &str = "documents/c.md";

#[test]
fn relies_on_obsolete() {
    // c.md (approved) names superseded POL-001 in `related`, a `doc:` link and a relative link;
    // b.md, its successor, names it too, which is its history and not a reliance.
    Fixture::new("relies_on_obsolete")
        .check()
        .exactly(&[("VC008", C, 12, 11), ("VC008", C, 14, 8), ("VC008", C, 14, 42)])
        .severity("VC008", C, 12, "warning")
        .message("VC008", C, 12, "`PRC-001` relies on `POL-001`, which is superseded; `POL-002` is in force instead")
        .hint("VC008", C, 14, "refer to `POL-002` instead of `POL-001`")
        .exit(0);
    Fixture::new("relies_on_obsolete").strict().check().has_at("VC008", C, 12, 11).exit(1);
}

/// A record of what happened while POL-001 (out of force 2026-02-01) was in force.
fn minutes(record_date: &str) -> String {
    format!(
        "---\nid: REC-001\ntitle: Minutes\ntype: record\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: approved\n\
         approval: {{ by: \"Jane Smith, CEO\", date: 2026-03-01 }}\nrecord_date: {record_date}\nretention: 7y\n\
         history:\n  - {{ version: \"1.0\", date: 2026-03-01, by: J. Smith, summary: Issued }}\n---\n\
         The meeting applied [the policy](doc:POL-001).\n"
    )
}

#[test]
fn a_record_citing_a_document_in_force_on_its_record_date_is_history_not_reliance() {
    const R: &str = "documents/rec.md";
    let before = Fixture::copy("relies_on_obsolete").write(R, minutes("2026-01-20")).check();
    assert!(before.at("VC008", R, 14).is_empty(), "minutes of January may cite January's policy\n{}", before.dump());
    Fixture::copy("relies_on_obsolete").write(R, minutes("2026-02-20")).check().has_at("VC008", R, 14, 21);
}

#[test]
fn withdrawn_relied_on() {
    // b.md (approved) relies on withdrawn a.md: an error at a's status line naming b; c.md is a
    // draft, so it does not count.
    Fixture::new("withdrawn_relied_on")
        .check()
        .exactly(&[("VC009", A, 7, 1), ("VC008", B, 12, 11)])
        .severity("VC009", A, 7, "error")
        .message("VC009", A, 7, "`POL-001` is withdrawn but still relied on by `PRC-001`")
        .message("VC008", B, 12, "withdrawn and has no successor in force");
}

#[test]
fn withdrawn_while_the_soa_relies_on_it() {
    // The SoA in force calls A.2.2 implemented and only the withdrawn policy lists it.
    let soa = common::soa_document(
        "SOA-001",
        "status: approved\napproval: { by: \"Jane Smith, CEO\", date: 2026-01-15 }\nnext_review: 2026-12-15",
        &[],
    )
    .replace(
        "{ control: \"A.2.2\", applicable: true, status: planned",
        "{ control: \"A.2.2\", applicable: true, status: implemented",
    );
    let withdrawn = "---\nid: POL-001\ntitle: Old policy\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: withdrawn\n\
        controls: [\"A.2.2\"]\nobsolete: { date: 2026-02-01, by: \"Jane Smith, CEO\", reason: Replaced }\n---\nBody.\n";
    Fixture::temp().write(A, withdrawn).write("documents/soa.md", soa).check().has_at("VC009", A, 7, 1).message(
        "VC009",
        A,
        7,
        "relied on by `SOA-001` (the SoA counts it as implementing A.2.2)",
    );
}

#[test]
fn successor_does_not_fit() {
    // a.md names a draft; c.md names POL-004, which supersedes POL-005 only; POL-007 and
    // POL-008 both claim POL-006: the second is the error, with a note at the first claim.
    Fixture::new("successor_does_not_fit")
        .check()
        .exactly(&[("VC010", A, 11, 16), ("VC010", C, 11, 16), ("VC010", "documents/h.md", 12, 14)])
        .severity("VC010", A, 11, "error")
        .message("VC010", A, 11, "`POL-002` has status draft")
        .message("VC010", C, 11, "`POL-004` supersedes `POL-005`, not `POL-003`")
        .message("VC010", "documents/h.md", 12, "`POL-006` is already superseded by `POL-007`")
        .note("VC010", "documents/h.md", 12, ("documents/g.md", 12, 14), "first claimed here");
}

#[test]
fn obsolete_record_missing() {
    // a.md has no `obsolete`; b.md's lacks `by` and `reason`; c.md's is complete.
    Fixture::new("obsolete_record_missing")
        .check()
        .exactly(&[("VC011", A, 7, 1), ("VC011", B, 11, 1)])
        .severity("VC011", A, 7, "error")
        .message("VC011", A, 7, "withdrawn but does not record when, by whom and why")
        .message("VC011", B, 11, "lacks by, reason");
}

#[test]
fn same_title_as_a_document_in_force() {
    // b.md repeats a.md's title (case and spacing aside); c.md (draft) and d.md (superseded)
    // are not in force.
    Fixture::new("same_title")
        .check()
        .exactly(&[("ID015", B, 3, 8)])
        .severity("ID015", B, 3, "warning")
        .message("ID015", B, 3, "`POL-002` has the same title as `POL-001`")
        .note("ID015", B, 3, (A, 3, 8), "`POL-001` has this title");
}

#[test]
fn orphan_evidence() {
    // Written at run time: a committed `.gitignore` would keep `ignored.log` out of git.
    let valid = include_str!("../fixtures/valid_minimal/documents/a.md")
        .replace("---\nBody.", "attachments: [used.csv, sub/used.txt]\n---\nBody.");
    Fixture::temp()
        .write(A, valid)
        .write("evidence/used.csv", "a,b\n")
        .write("evidence/sub/used.txt", "x\n")
        .write("evidence/orphan.csv", "a,b\n")
        .write("evidence/sub/orphan 2.txt", "x\n")
        .write("evidence/_drafts/x.csv", "a\n")
        .write("evidence/.hidden.csv", "a\n")
        .write("evidence/.gitignore", "*.log\n")
        .write("evidence/ignored.log", "a\n")
        .check()
        .exactly(&[("LK011", "evidence/orphan.csv", 1, 1), ("LK011", "evidence/sub/orphan 2.txt", 1, 1)])
        .severity("LK011", "evidence/orphan.csv", 1, "notice")
        .message(
            "LK011",
            "evidence/orphan.csv",
            1,
            "evidence file `evidence/orphan.csv` is not attached to any document",
        )
        .exit(0);
}

// ---- nothing published that must not be -------------------------------------------------

const SECRET_FILE: &str = "SECRET-ATTACHMENT-BYTES-7f3a9c";
const SECRET_LINKED: &str = "SECRET-LINKED-BYTES-0d41e2";
const SECRET_SUMMARY: &str = "SECRET-SUMMARY-TEXT-91b2aa";
const PUBLIC_FILE: &str = "PUBLIC-ATTACHMENT-BYTES-55c0";

/// A tree with a restricted document (above the default `publish_up_to = "confidential"`)
/// attaching one file and linking another, and an internal one attaching a public file.
fn classified_tree() -> Fixture {
    let valid = include_str!("../fixtures/valid_minimal/documents/a.md");
    let secret = valid
        .replace("id: POL-001", "id: POL-009")
        .replace("title: Test policy", "title: Restricted policy")
        .replace("summary: Issued", &format!("summary: {SECRET_SUMMARY}"))
        .replace(
            "---\nBody.",
            "classification: restricted\nattachments: [secret.csv]\n---\nSee [the log](../evidence/linked.txt).",
        );
    let public = valid.replace("---\nBody.", "attachments: [public.csv]\n---\nBody.");
    Fixture::temp()
        .write(A, public)
        .write(B, secret)
        .write("evidence/secret.csv", format!("{SECRET_FILE}\n"))
        .write("evidence/linked.txt", format!("{SECRET_LINKED}\n"))
        .write("evidence/public.csv", format!("{PUBLIC_FILE}\n"))
}

/// Every file of `dir` and every entry of the zip `pack`, as (name, bytes).
fn everything(dir: &std::path::Path, pack: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = common::snapshot(dir).into_iter().collect();
    out.push(("pack.zip (raw)".into(), std::fs::read(pack).expect("zip")));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(pack).expect("zip")).expect("valid zip");
    for n in 0..archive.len() {
        let mut entry = archive.by_index(n).expect("entry");
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).expect("read entry");
        out.push((format!("pack.zip:{}", entry.name()), bytes));
    }
    out
}

fn found_in<'a>(files: &'a [(String, Vec<u8>)], needle: &str) -> Vec<&'a str> {
    let needle = needle.as_bytes();
    files.iter().filter(|(_, b)| b.windows(needle.len()).any(|w| w == needle)).map(|(n, _)| n.as_str()).collect()
}

#[test]
fn withheld_attachments_and_summaries_are_nowhere_in_the_site_or_the_pack() {
    let fx = classified_tree();
    fx.check().clean();
    let site = common::build_site(common::TODAY, fx.root(), &[]);
    let zip = fx.outside().join("site.zip");
    common::aimsdoc().arg("pack").arg(&*site).arg("-o").arg(&zip).assert().code(0);
    let all = everything(&site, &zip);
    // The search can find bytes: the public attachment is in the site and in the pack.
    let public = found_in(&all, PUBLIC_FILE);
    assert!(
        public.iter().any(|n| n.starts_with("files/")) && public.iter().any(|n| n.starts_with("pack.zip:")),
        "{public:?}"
    );
    for secret in [SECRET_FILE, SECRET_LINKED, SECRET_SUMMARY] {
        assert_eq!(found_in(&all, secret), Vec::<&str>::new(), "{secret} was published");
    }
    common::aimsdoc().arg("verify").arg(&*site).assert().code(0);
}

#[test]
fn withheld_files_are_listed_with_size_and_hash() {
    let fx = classified_tree();
    let site = common::build_site(common::TODAY, fx.root(), &[]);
    let hash = common::sha256(format!("{SECRET_FILE}\n").as_bytes());
    let csv = std::fs::read_to_string(site.join("evidence.csv")).expect("evidence.csv");
    let row = csv.lines().find(|l| l.contains("evidence/secret.csv")).expect("secret.csv is listed");
    assert!(row.contains(&hash) && row.ends_with(",,withheld (classification)"), "{row}");
    let public = csv.lines().find(|l| l.contains("evidence/public.csv")).expect("public.csv is listed");
    assert!(public.ends_with(",published"), "{public}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("evidence.json")).expect("json")).expect("json");
    let entry = json.as_array().expect("rows").iter().find(|r| r["path"] == "evidence/secret.csv").expect("listed");
    assert_eq!(
        (&entry["withheld"], &entry["href"], &entry["sha256"]),
        (&true.into(), &"".into(), &hash.clone().into())
    );
    assert_eq!(entry["size"], SECRET_FILE.len() + 1);
    for page in ["evidence.html", "documents/POL-009.html"] {
        let html = std::fs::read_to_string(site.join(page)).expect("page");
        assert!(html.contains(&hash) && html.contains("withheld (classification)"), "{page}");
        assert!(!html.contains("files/evidence/secret.csv"), "{page} links the withheld file");
    }
    assert!(!site.join("files/evidence/secret.csv").exists() && site.join("files/evidence/public.csv").exists());
}

// ---- the obsolete record -----------------------------------------------------------------

#[test]
fn disposal_counts_from_the_obsolete_date_not_the_successor() {
    // b.md went out of force on 2025-01-01 and is kept 1y after: a later effective date of its
    // successor (a new version) does not move that.
    Fixture::copy("retention_past_disposition")
        .edit("documents/c.md", "effective: 2025-01-01", "effective: 2026-03-01")
        .check()
        .message("RT002", B, 12, "retention `until superseded + 1y` ended on 2026-01-01");
    // Without the record there is no start date: VC011, and no disposition is claimed.
    Fixture::copy("retention_past_disposition")
        .edit(B, "obsolete: { date: 2025-01-01, by: \"Jane Smith, CEO\", reason: Replaced by POL-002 }\n", "")
        .check()
        .exactly(&[("RT002", A, 10, 12), ("VC011", B, 7, 1)]);
}

#[test]
fn the_document_page_shows_the_obsolete_record() {
    let site = common::build_site(common::TODAY, &common::fixture("relies_on_obsolete"), &[]);
    let html = std::fs::read_to_string(site.join("documents/POL-001.html")).expect("page");
    let record = common::page(&site, "documents/POL-001.html");
    let shown: String = record.select(&common::sel("dd.obsolete")).flat_map(|e| e.text()).collect();
    assert!(shown.contains("2026-02-01") && shown.contains("Jane Smith, CEO") && shown.contains("Replaced"), "{html}");
    let current = std::fs::read_to_string(site.join("documents/POL-002.html")).expect("page");
    assert!(!current.contains("class=\"obsolete\""), "an approved document has no obsolete record");
    // A record left on a document in force is not shown as if it were out of force.
    let fx = Fixture::copy("relies_on_obsolete").edit(
        B,
        "supersedes: POL-001\n",
        "supersedes: POL-001\nobsolete: { date: 2026-02-01, by: X, reason: Y }\n",
    );
    let site = common::build_site(common::TODAY, fx.root(), &[]);
    let current = std::fs::read_to_string(site.join("documents/POL-002.html")).expect("page");
    assert!(!current.contains("class=\"obsolete\""), "{current}");
}
