//! The Stage 1 documentation checklist: each kind of item met only by its kind of evidence
//! (fixture `checklist_states`: one case per state and per shortfall), the findings CV001-CV003
//! and LK012 at their exact positions, the `[checklist.expected_every]` override, the Stage 1
//! report page with `checklist.csv`, the dashboard tiles, and the example with its records
//! taken away.

use std::path::Path;

use scraper::{ElementRef, Html};

use crate::common::{self, build_site, fixture, page, sel, Fixture, EXAMPLE_TODAY, TODAY};

const CFG: &str = "aimsdoc.toml";
const MINUTES: &str = "documents/review-2025.md";
const AUDIT: &str = "documents/audit-report.md";

fn text(el: ElementRef) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the one checklist-gap finding (CV001 or CV002) has a note about an item that
/// contains `needle` (the notes start with the item key: `9.2.2/results "..."`).
fn gap(checked: &common::Checked, needle: &str) -> bool {
    checked
        .diags
        .iter()
        .filter(|d| d.code == "CV001" || d.code == "CV002")
        .any(|d| d.notes.iter().any(|n| n.message.contains(needle)))
}

/// The row of item `key` on the Stage 1 report.
fn row<'a>(report: &'a Html, key: &str) -> ElementRef<'a> {
    report.select(&sel(&format!("tr[data-item=\"{key}\"]"))).next().unwrap_or_else(|| panic!("no row for {key}"))
}

fn state(report: &Html, key: &str) -> String {
    row(report, key).select(&sel(".state-cell")).map(text).next().expect("state cell")
}

#[test]
fn every_state_and_finding_at_its_place() {
    let checked = Fixture::new("checklist_states").portal().check();
    checked.exit(0);
    let at = |code: &str| checked.diags.iter().filter(|d| d.code == code).count();
    // 21 items: 4 met, 1 stale, 4 only draft or not current, 12 not evidenced (the SoA item
    // among them is SA008's, as the tree has no SoA at all). The 15 gaps are one finding, CV001
    // (some item is not evidenced at all), with one note per item at the same place.
    assert_eq!([at("CV001"), at("CV002"), at("CV003"), at("SA008")], [1, 0, 1, 1], "{}", checked.dump());
    assert_eq!(checked.get("CV001", CFG, 1).notes.len(), 15, "{}", checked.dump());
    let here = (CFG, 1, 1);
    checked
        .has_at("CV003", MINUTES, 8, 14)
        .severity("CV003", MINUTES, 8, "warning")
        .message("CV003", MINUTES, 8, "item 9.3.3/results: the newest record, REC-001 of 2025-03-01, is 15 months old")
        .hint("CV003", MINUTES, 8, "add a new record with its own id")
        .has_at("CV001", CFG, 1, 1)
        .message("CV001", CFG, 1, "15 of 21 items of mandatory documented information not met (11 not evidenced, 4 only")
        .note("CV001", CFG, 1, here, "4.3/scope \"AIMS scope\" (clause 4.3 ")
        .note("CV001", CFG, 1, here, "only in GOV-001 (draft)")
        .note("CV001", CFG, 1, here, "PLN-001 (review overdue)")
        .note("CV001", CFG, 1, here, "PRC-001 (not yet effective)")
        .note("CV001", CFG, 1, here, "7.2/competence \"Evidence of competence\" (clause 7.2 Competence): only in REC-003 (draft)")
        .note("CV001", CFG, 1, here, "9.2.2/programme \"Evidence of the implementation of the audit programme\" (clause 9.2.2 Internal audit programme): not evidenced, needs an approved record or report")
        .note("CV001", CFG, 1, here, "addressed by PLN-002 (not a record or report), which cannot count")
        .note("CV001", CFG, 1, here, "addressed by EXT-001 (external document)")
        .note("CV001", CFG, 1, here, "addressed by REC-004 (a record, not a controlled document)")
        .hint("CV001", CFG, 1, "for a record item, add an approved document of type `record` or `report`");
    let strict = Fixture::new("checklist_states").portal().strict().check();
    strict.exit(1).severity("CV003", MINUTES, 8, "error").severity("CV001", CFG, 1, "error");
}

#[test]
fn unknown_satisfies_key() {
    let checked = Fixture::copy("checklist_states")
        .edit(AUDIT, "satisfies: [\"9.2.2/results\"]", "satisfies: [\"9.2.2/result\", \"9.9/x\"]")
        .portal()
        .check();
    checked
        .exit(1)
        .has_at("LK012", AUDIT, 13, 13)
        .has_at("LK012", AUDIT, 13, 29)
        .severity("LK012", AUDIT, 13, "error")
        .message("LK012", AUDIT, 13, "`9.2.2/result` is not a checklist item")
        .hint("LK012", AUDIT, 13, "did you mean `9.2.2/results`?");
    // Pinned to nothing that exists, the report meets nothing: 9.2.2/results is not evidenced.
    assert!(
        gap(
            &checked,
            "9.2.2/results \"Internal audit results\" (clause 9.2.2 Internal audit programme): not evidenced"
        ),
        "{}",
        checked.dump()
    );
}

#[test]
fn a_pin_outside_the_clauses_the_document_addresses_meets_nothing() {
    // The audit report pins a management review item but lists only 9.2.2: the pin is LK012 and
    // 9.3.3 gains nothing from it (a tag alone never meets an item).
    let checked = Fixture::copy("checklist_states")
        .edit(AUDIT, "satisfies: [\"9.2.2/results\"]", "satisfies: [\"9.2.2/results\", \"9.3.3/results\"]")
        .portal()
        .check();
    checked
        .has_at("LK012", AUDIT, 13, 30)
        .severity("LK012", AUDIT, 13, "error")
        .message(
            "LK012",
            AUDIT,
            13,
            "`9.3.3/results` pins an item of clause 9.3.3, which the document does not address",
        )
        .hint("LK012", AUDIT, 13, "add \"9.3.3\" to `clauses`");
    assert_eq!(checked.diags.iter().filter(|d| d.code == "LK012").count(), 1, "{}", checked.dump());
    // 9.3.3 is still judged on its own record (the stale March 2025 minutes), not on the pin.
    checked.has_at("CV003", MINUTES, 8, 14);
}

#[test]
fn satisfies_pins_the_item_and_a_parent_clause_reaches_its_sub_clauses() {
    // Without `satisfies`, the report tagged 9.2.2 meets both 9.2.2 items.
    let checked =
        Fixture::copy("checklist_states").edit(AUDIT, "satisfies: [\"9.2.2/results\"]\n", "").portal().check();
    assert!(!checked.diags.iter().any(|d| d.message.contains("9.2.2/programme")), "{}", checked.dump());
    // Tagged with the parent clause 9.2 and pinned to the programme, it meets only that.
    let pinned = Fixture::copy("checklist_states").edit(AUDIT, "clauses: [\"9.2.2\"]", "clauses: [\"9.2\"]").edit(
        AUDIT,
        "9.2.2/results",
        "9.2.2/programme",
    );
    let checked = pinned.portal().check();
    assert!(gap(&checked, "9.2.2/results \""), "{}", checked.dump());
    assert!(!gap(&checked, "9.2.2/programme"), "{}", checked.dump());
}

#[test]
fn recurrence_is_configurable_per_item() {
    let config = "[checklist]\nenabled = true\n[checklist.expected_every]\n\"9.3.3/results\" = \"2y\"\n\"9.2.2/results\" = \"1m\"\n";
    let checked = Fixture::copy("checklist_states").write(CFG, config).portal().check();
    // The March 2025 minutes are within two years; the April 2026 audit report is older than
    // a month.
    checked.has_at("CV003", AUDIT, 8, 14).message("CV003", AUDIT, 8, "RPT-002 of 2026-04-01, is 2 months old");
    assert_eq!(checked.diags.iter().filter(|d| d.code == "CV003").count(), 1, "{}", checked.dump());
    // A key that names no record item is a configuration error (exit 2) with a suggestion.
    let bad = Fixture::copy("checklist_states").write(CFG, "[checklist.expected_every]\n\"9.3.3/result\" = \"6m\"\n");
    let out = common::aimsdoc_on(TODAY).arg("check").arg(bad.root()).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("did you mean \"9.3.3/results\""), "{stderr}");
}

#[test]
fn the_soa_item_is_met_by_the_soa_in_force_only() {
    let soa = common::soa_document(
        "SOA-001",
        "status: approved\napproval: { by: \"Jane Smith, CEO\", date: 2026-02-01 }\nnext_review: 2027-01-15\nhistory:\n  - { version: \"1.0\", date: 2026-01-25, by: A. Author, summary: Issued }",
        &[],
    );
    let with_soa = Fixture::copy("checklist_states").write("documents/soa.md", &soa).portal();
    let checked = with_soa.check();
    assert!(!checked.diags.iter().any(|d| d.code == "SA008") && !gap(&checked, "6.1.3/soa"), "{}", checked.dump());
    // The SoA states controls; it is not the 6.1.3 risk treatment process or plan.
    assert!(gap(&checked, "6.1.3/plan \""), "{}", checked.dump());
    let site = build_site(TODAY, with_soa.root(), &[]);
    let report = page(site.path(), "checklist.html");
    assert_eq!(state(&report, "6.1.3/soa"), "met");
    let summary = report.select(&sel("section.soa-summary")).map(text).next().expect("SoA summary");
    assert!(summary.contains("In force: SOA-001"), "{summary}");
    assert_eq!(report.select(&sel("#soa-stated")).map(text).next().as_deref(), Some("38"));
}

#[test]
fn stage1_report_shows_state_evidence_date_age_and_status() {
    let site = build_site(TODAY, &fixture("checklist_states"), &[]);
    let report = page(site.path(), "checklist.html");
    assert_eq!(report.select(&sel("table#checklist tbody tr")).count(), 21);
    assert_eq!(report.select(&sel("#checklist-met")).map(text).next().as_deref(), Some("4/21"));
    assert_eq!(state(&report, "5.2/policy"), "met");
    assert_eq!(state(&report, "9.3.3/results"), "stale");
    assert_eq!(state(&report, "4.3/scope"), "only draft or not current");
    assert_eq!(state(&report, "9.1/results"), "not evidenced");
    let audit = text(row(&report, "9.2.2/results"));
    for shown in ["RPT-002", "2026-04-01", "2 months", "current", "Not counted: PLN-002 (not a record or report)"] {
        assert!(audit.contains(shown), "{shown} missing from {audit}");
    }
    let minutes = text(row(&report, "9.3.3/results"));
    assert!(minutes.contains("REC-001") && minutes.contains("2025-03-01 · 15 months"), "{minutes}");
    assert!(minutes.contains("every 1y"), "{minutes}");
    for key in ["9.1/results", "9.2.2/programme", "8.2/results", "6.1.3/plan"] {
        let cell = row(&report, key).select(&sel("p.not-evidenced")).map(text).next();
        assert_eq!(cell.as_deref(), Some("Not evidenced"), "{key}");
    }
    let draft = text(row(&report, "4.3/scope"));
    assert!(draft.contains("Not evidenced") && draft.contains("GOV-001 (draft)"), "{draft}");
    let legend: Vec<String> = report.select(&sel("#checklist-legend .count")).map(text).collect();
    assert_eq!(legend, ["4", "1", "4", "12"]);
    assert!(report.select(&sel("section.soa-summary .not-evidenced")).next().is_some(), "no SoA said plainly");
    assert!(report.select(&sel("a[href=\"checklist.csv\"]")).next().is_some());
    dashboard_and_clause_pages_use_the_same_states(site.path());
}

/// The dashboard's chart and grid, and a clause page's items, show the checklist's states.
fn dashboard_and_clause_pages_use_the_same_states(site: &Path) {
    let dashboard = page(site, "index.html");
    let caption = dashboard.select(&sel("#chart-checklist figcaption")).map(text).next().expect("chart");
    assert!(caption.contains("4 of 21 required items met"), "{caption}");
    let legend = dashboard.select(&sel("#chart-checklist .legend")).map(text).next().expect("legend");
    for part in ["met 4", "stale 1", "only draft or not current 4", "not evidenced 12"] {
        assert!(legend.contains(part), "{part} missing from {legend}");
    }
    let badge = |clause: &str| {
        dashboard.select(&sel(&format!("#required-clauses tr[data-clause=\"{clause}\"] .badge"))).map(text).next()
    };
    assert_eq!(badge("9.3.3").as_deref(), Some("stale"));
    assert_eq!(badge("9.2.2").as_deref(), Some("not evidenced"));
    assert_eq!(badge("10.2").as_deref(), Some("met"));
    let clause = page(site, "clauses/9.2.2.html");
    let items: Vec<String> = clause.select(&sel("table.checklist .state-cell")).map(text).collect();
    assert_eq!(items, ["not evidenced", "met"]);
}

#[test]
fn checklist_csv_has_a_row_per_item() {
    let site = build_site(TODAY, &fixture("checklist_states"), &[]);
    let csv = std::fs::read_to_string(site.path().join("checklist.csv")).expect("checklist.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 22, "header and 21 items");
    assert_eq!(
        lines[0],
        "clause,clause_title,item_key,item,kind,expected_every,state,met_by,newest_date,age_months,not_counted"
    );
    let line = |key: &str| lines.iter().find(|l| l.contains(&format!(",{key},"))).copied().expect("row");
    assert!(line("9.3.3/results").ends_with(",record,1y,stale,REC-001,2025-03-01,15,"), "{}", line("9.3.3/results"));
    assert!(line("9.2.2/results").contains(",met,RPT-002,2026-04-01,2,PLN-002 (not a record or report)"));
    assert!(line("4.3/scope").ends_with(",pending,,,,GOV-001 (draft)"), "{}", line("4.3/scope"));
    assert!(line("9.1/results").contains(",not-evidenced,"));
}

#[test]
fn example_site_shows_no_internal_source_remarks() {
    let site = build_site(EXAMPLE_TODAY, &common::example(), &[]);
    let mut pages = 0;
    for path in common::files(site.path()) {
        let Ok(content) = std::fs::read_to_string(&path) else { continue };
        pages += 1;
        let lower = content.to_lowercase();
        for word in aimsdoc::catalog::SOURCE_REMARKS {
            assert!(!lower.contains(word), "{} contains {word:?}", path.display());
        }
    }
    assert!(pages > 100, "{pages} text files searched");
    // The user-facing notes are there: the 6.1.1 item note and the 6.1 clause note.
    let clause = std::fs::read_to_string(site.path().join("clauses/6.1.1.html")).expect("page");
    assert!(clause.contains("confirm against the standard"), "the 6.1.1 item note is shown");
}

/// Replaces every record and report of the tree at `root` with a draft form of the same id
/// (so links and `related` lists still resolve, and nothing of theirs can count as evidence).
fn remove_records(root: &Path) -> usize {
    let mut removed = 0;
    for path in common::markdown_files(&root.join("documents")) {
        let source = std::fs::read_to_string(&path).expect("readable");
        let front = source.split("\n---").next().unwrap_or_default();
        if !(front.contains("\ntype: record\n") || front.contains("\ntype: report\n")) {
            continue;
        }
        let id = front.lines().find_map(|l| l.strip_prefix("id: ")).expect("an id").to_string();
        let stub = format!(
            "---\nid: {id}\ntitle: Removed\ntype: form\nowner: Quality Manager\nversion: \"0.1\"\nstatus: draft\n---\nRemoved for the test.\n"
        );
        std::fs::write(&path, stub).expect("writable");
        removed += 1;
    }
    removed
}

#[test]
fn example_without_records_evidences_no_record_item() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("aims");
    common::copy_example(&root);
    assert!(remove_records(&root) >= 7, "the example's records and reports");
    // The ledger records hashes of the records' approved versions; without them it has no say.
    let _ = std::fs::remove_file(root.join("approvals.lock"));
    let site = build_site(EXAMPLE_TODAY, &root, &[]);
    let report = page(site.path(), "checklist.html");
    let records: Vec<ElementRef> = report.select(&sel("tr[data-kind=record]")).collect();
    assert_eq!(records.len(), 13);
    for r in records {
        let key = r.value().attr("data-item").expect("key");
        assert_eq!(r.value().attr("data-state"), Some("not-evidenced"), "{key}: {}", text(r));
        assert_eq!(r.select(&sel("p.not-evidenced")).map(text).next().as_deref(), Some("Not evidenced"), "{key}");
    }
}

/// An approved policy (`extra` lines added to its front matter) citing NIST ids `nist`.
fn citing(id: &str, status: &str, extra: &str, nist: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: Citing {id}\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\n{status}\n{extra}frameworks: {{ nist-ai-rmf: [{nist}] }}\nhistory:\n  - {{ version: \"1.0\", date: 2026-01-10, by: A. Author, summary: Issued }}\n---\nBody.\n"
    )
}

#[test]
fn nist_page_counts_only_our_approved_documents_in_force() {
    let approved =
        "status: approved\napproval: { by: \"Jane Smith, CEO\", date: 2026-01-15 }\nnext_review: 2026-12-15\n";
    let external = "origin: external\nsource: NIST\nreference: NIST AI 100-1\n";
    let future = "effective: 2026-07-01\n";
    let tree = Fixture::temp()
        .write("documents/a.md", citing("POL-001", approved, "clauses: [\"5.2\"]\n", "\"GOVERN 1.1\""))
        .write("documents/b.md", citing("POL-002", "status: draft", "", "\"GOVERN 1.2\""))
        .write("documents/c.md", citing("POL-003", approved, external, "\"MAP 1.1\""))
        .write("documents/d.md", citing("POL-004", approved, future, "\"GOVERN 1.3\""));
    let site = build_site(TODAY, tree.root(), &[]);
    let nist = page(site.path(), "nist-ai-rmf.html");
    let count = |id: &str| nist.select(&sel(&format!("#{id}"))).map(text).next().expect(id);
    // Through the crosswalk: the subcategories NIST relates to 5.2, which POL-001 addresses.
    let via = aimsdoc::catalog::nist_iso42001()
        .mappings
        .iter()
        .filter(|m| m.nist != "GOVERN 1.1" && m.clauses.iter().any(|c| c == "5.2"))
        .count();
    assert!(via > 0);
    assert_eq!((count("nist-cited"), count("nist-via-only")), ("1".to_string(), via.to_string()));
    assert_eq!(count("nist-unbacked"), (72 - 1 - via).to_string());
    for (sub, other) in [
        ("govern-1-2", "POL-002 (draft)"),
        ("map-1-1", "POL-003 (external document)"),
        ("govern-1-3", "POL-004 (not yet effective)"),
    ] {
        let cell = nist.select(&sel(&format!("tr#{sub}"))).map(text).next().expect(sub);
        assert!(cell.contains(&format!("Cited, not counted: {other}")), "{cell}");
        assert!(!cell.contains("Cites it"), "{cell}");
    }
}

/// REC-003 (a draft in the fixture) issued: approved on 2026-05-02.
const ISSUED: &str = "status: approved\napproval: { by: \"Jane Smith, CEO\", date: 2026-05-02 }\n";

#[test]
fn an_issued_record_of_an_event_yet_to_happen_is_an_error_and_evidences_nothing() {
    // REC-003 approved with its record_date (2026-07-01) after the build date (2026-06-01): RC003
    // at that date and, on the checklist, "record_date in the future". A draft dated ahead
    // (the fixture as it is) is not reported.
    let checked =
        Fixture::copy("checklist_states").edit("documents/training.md", "status: draft\n", ISSUED).portal().check();
    checked
        .exit(1)
        .has_at("RC003", "documents/training.md", 9, 14)
        .message("RC003", "documents/training.md", 9, "dated 2026-07-01, after today (2026-06-01)")
        .note("CV001", CFG, 1, (CFG, 1, 1), "7.2/competence \"Evidence of competence\" (clause 7.2 Competence): only in REC-003 (record_date in the future)")
        .hint("CV001", CFG, 1, "a record's `record_date` is the date of an event that has happened");
    let draft = Fixture::new("checklist_states").portal().check();
    assert!(draft.diags.iter().all(|d| d.code != "RC003"), "{}", draft.dump());
}

#[test]
fn an_approved_template_evidences_nothing() {
    // POL-001, the policy meeting 5.2, approved with its body still the template's: ID017, and
    // the item is no longer met ("body not written").
    let template = "---\n\n## Purpose\n\nWhy this document exists and what it achieves.\n\n## Scope\n\nWho and what it applies to.\n";
    let checked =
        Fixture::copy("checklist_states").edit("documents/policy.md", "---\nBody.\n", template).portal().check();
    checked
        .exit(1)
        .has_at("ID017", "documents/policy.md", 17, 1)
        .note(
            "CV001",
            CFG,
            1,
            (CFG, 1, 1),
            "5.2/policy \"AI policy\" (clause 5.2 AI policy): only in POL-001 (body not written)",
        )
        .hint("CV001", CFG, 1, "write the document's content in place of the template's guidance");
}

#[test]
fn an_undated_record_or_one_in_draft_evidences_nothing_yet() {
    // REC-003 without its record_date: RC001 (an error) and, on the checklist, "no record_date".
    let checked = Fixture::copy("checklist_states")
        .edit("documents/training.md", "status: draft\n", ISSUED)
        .edit("documents/training.md", "record_date: 2026-07-01\n", "")
        .edit("documents/nonconformity.md", "status: approved", "status: draft")
        .portal()
        .check();
    checked
        .has_at("RC001", "documents/training.md", 1, 1)
        .note("CV001", CFG, 1, (CFG, 1, 1), "7.2/competence \"Evidence of competence\" (clause 7.2 Competence): only in REC-003 (no record_date)")
        .hint("CV001", CFG, 1, "give the record the `record_date`")
        .note("CV001", CFG, 1, (CFG, 1, 1), "10.2/nature \"Nature of the nonconformities and any subsequent actions taken\" (clause 10.2 Nonconformity and corrective action): only in RPT-001 (draft)");
}
