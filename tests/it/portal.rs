//! The auditor's portal on real builds: the Statement of Applicability, the mandatory
//! documented-information checklist, the evidence index (hashes of the copied files), the
//! dashboard's charts and two-click path to evidence, the crosswalk pages and the supersession
//! chain, on the example and on the `portal_*` fixture trees.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scraper::ElementRef;

use crate::common::{self, build_site, example, fixture, page, sel, sha256_file, Fixture, EXAMPLE_TODAY, TODAY};

fn text(el: ElementRef) -> String {
    el.text().collect::<String>().trim().to_string()
}

/// Resolves `href` (relative to the page `rel`) to a file of the site, percent-decoded.
fn target(site: &Path, rel: &str, href: &str) -> PathBuf {
    let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
    let path = href.split('#').next().unwrap_or_default().replace("%20", " ");
    site.join(dir).join(path)
}

// ---- the example ---------------------------------------------------------------------------

#[test]
fn example_soa_states_all_38_controls_with_justification() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let soa = page(site.path(), "soa.html");
    let rows: Vec<ElementRef> = soa.select(&sel("table#soa tbody tr[data-control]")).collect();
    assert_eq!(rows.len(), 38);
    let ids: BTreeSet<String> = rows.iter().filter_map(|r| r.value().attr("data-control")).map(String::from).collect();
    assert_eq!(ids.len(), 38, "each control once");
    let td = sel("td");
    for r in &rows {
        let cells: Vec<String> = r.select(&td).map(text).collect();
        assert!(cells[1] == "yes" || cells[1] == "no", "applicability of {cells:?}");
        assert!(!cells[3].is_empty(), "justification of {}", cells[0]);
        if cells[1] == "yes" {
            assert!(["implemented", "partial", "planned"].contains(&cells[2].as_str()), "{cells:?}");
            assert!(!cells[4].is_empty(), "implementing documents of {}", cells[0]);
        }
    }
    assert_eq!(soa.select(&sel("#soa-stated")).map(text).next().as_deref(), Some("38"));
    assert_eq!(soa.select(&sel("tr.flagged")).count(), 0, "every applicable control has a current document");
    let csv = std::fs::read_to_string(site.path().join("soa.csv")).expect("soa.csv");
    assert_eq!(csv.lines().count(), 39, "header and 38 controls");
    assert!(csv.starts_with("control,title,applicable,status,justification,"));
}

#[test]
fn example_meets_all_21_required_items() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let list = page(site.path(), "checklist.html");
    let rows: Vec<ElementRef> = list.select(&sel("table#checklist tbody tr")).collect();
    assert_eq!(rows.len(), 21);
    let clauses: BTreeSet<&str> = rows.iter().filter_map(|r| r.value().attr("data-clause")).collect();
    assert_eq!(clauses.len(), 16);
    for r in &rows {
        let state = r.select(&sel(".state-cell")).map(text).next().expect("state cell");
        assert_eq!(state, "met", "{}", text(*r));
    }
    assert_eq!(list.select(&sel("#checklist-met")).map(text).next().as_deref(), Some("21/21"));
    let dashboard = page(site.path(), "index.html");
    let caption = dashboard.select(&sel("#chart-checklist figcaption")).map(text).next().expect("chart");
    assert!(caption.contains("21 of 21 required items met"), "{caption}");
}

#[test]
fn example_evidence_index_hashes_every_attachment() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let index = page(site.path(), "evidence.html");
    let link = sel("a");
    let hash = sel("code.hash");
    let mut attachments = BTreeSet::new();
    let mut records = 0;
    for tr in index.select(&sel("table#evidence tbody tr")) {
        let path = tr.value().attr("data-path").expect("data-path").to_string();
        let href = tr.select(&link).next().and_then(|a| a.value().attr("href")).expect("link").to_string();
        let shown = tr.select(&hash).map(text).next().expect("hash cell");
        assert_eq!(shown, sha256_file(&example().join(&path)), "{path}: hash of the source");
        match tr.value().attr("data-kind") {
            Some("attachment") => {
                assert_eq!(shown, sha256_file(&target(site.path(), "evidence.html", &href)), "{path}: copied file");
                attachments.insert(path);
            }
            Some("record") => {
                assert!(target(site.path(), "evidence.html", &href).is_file(), "{href}");
                records += 1;
            }
            other => panic!("unexpected kind {other:?}"),
        }
    }
    let mut files = BTreeSet::new();
    for entry in common::files(&example().join("evidence")) {
        files.insert(entry.strip_prefix(example()).expect("inside").to_string_lossy().into_owned());
    }
    assert_eq!(attachments, files, "every evidence file of the example is attached and indexed");
    assert!(records >= 7, "{records} record documents");
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(site.path().join("evidence.json")).expect("json")).expect("parses");
    assert_eq!(json.len(), attachments.len() + records);
    for row in &json {
        let path = row["path"].as_str().expect("path");
        assert_eq!(row["sha256"].as_str(), Some(sha256_file(&example().join(path)).as_str()));
    }
    let csv = std::fs::read_to_string(site.path().join("evidence.csv")).expect("csv");
    assert_eq!(csv.lines().count(), json.len() + 1);
}

#[test]
fn example_dashboard_reaches_evidence_for_every_required_clause_in_two_clicks() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let dashboard = page(site.path(), "index.html");
    let rows: Vec<ElementRef> = dashboard.select(&sel("#required-clauses tbody tr")).collect();
    assert_eq!(rows.len(), 16);
    let evidence_link = sel("section[aria-labelledby=evidence-heading] tbody tr td:first-child a");
    for tr in rows {
        // Click 1: the dashboard links the clause page.
        let href = tr.select(&sel("a")).next().and_then(|a| a.value().attr("href")).expect("clause link");
        let clause_page = href.to_string();
        let clause = page(site.path(), &clause_page);
        // Click 2: the clause page links the evidence files themselves.
        let files: Vec<String> = clause
            .select(&evidence_link)
            .filter_map(|a| a.value().attr("href"))
            .filter(|h| h.contains("files/"))
            .map(String::from)
            .collect();
        assert!(!files.is_empty(), "{clause_page} shows no evidence file");
        for f in &files {
            assert!(target(site.path(), &clause_page, f).is_file(), "{clause_page}: {f}");
        }
    }
    // Every clause and every control is one click from the dashboard.
    assert_eq!(dashboard.select(&sel("#clause-grid a")).count(), 43);
    assert_eq!(dashboard.select(&sel("#control-grid a")).count(), 38);
}

#[test]
fn example_charts_are_inline_svg_with_no_script_or_style_attribute() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let dashboard = page(site.path(), "index.html");
    let charts: Vec<ElementRef> = dashboard.select(&sel("figure.chart")).collect();
    assert_eq!(charts.len(), 5);
    for chart in &charts {
        assert!(chart.select(&sel("svg[role=group][aria-labelledby] desc")).next().is_some(), "accessible description");
        let caption_link = chart.select(&sel("figcaption a")).next().and_then(|a| a.value().attr("href"));
        assert!(caption_link.is_some_and(|h| site.path().join(h).is_file()), "{caption_link:?}");
    }
    for entry in common::files(site.path()) {
        if entry.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&entry).expect("html");
            let rel = entry.strip_prefix(site.path()).expect("inside").display().to_string();
            // Scripts only as external files (CSP default-src 'self'): no inline code.
            let doc = scraper::Html::parse_document(&html);
            assert!(doc.select(&sel("script:not([src])")).next().is_none(), "{rel} has an inline script");
            assert!(!html.contains(" style="), "{rel} has an inline style (CSP default-src 'self')");
        }
    }
}

#[test]
fn example_catalog_pages_show_soa_evidence_and_currency() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let control = page(site.path(), "annex-a/A.6.2.4.html");
    let soa = control.select(&sel("section.soa-entry")).map(text).next().expect("SoA section");
    assert!(soa.contains("partial"), "{soa}");
    let states: Vec<String> =
        control.select(&sel("section[aria-labelledby=docs-heading] tbody tr .badge")).map(text).collect();
    assert!(states.contains(&"current".to_string()) && states.contains(&"draft".to_string()), "{states:?}");
    let clause = page(site.path(), "clauses/6.1.3.html");
    let items: Vec<String> = clause.select(&sel("table.checklist .state-cell")).map(text).collect();
    assert_eq!(items, ["met", "met", "met"]);
    let nist: Vec<String> = clause.select(&sel("section[aria-labelledby=nist-heading] li a")).map(text).collect();
    assert!(nist.contains(&"GOVERN 1.1".to_string()) || !nist.is_empty(), "{nist:?}");
}

#[test]
fn example_crosswalk_pages() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let nist = page(site.path(), "nist-ai-rmf.html");
    let rows: Vec<ElementRef> = nist.select(&sel("tr[data-nist]")).collect();
    assert_eq!(rows.len(), 72);
    let govern = nist.select(&sel("tr#govern-1-1")).next().expect("GOVERN 1.1 row");
    let statement = govern.select(&sel(".statement")).map(text).next().expect("statement");
    let catalog = aimsdoc::catalog::nist_ai_rmf().get("GOVERN 1.1").expect("in catalog");
    assert_eq!(statement, catalog.statement, "NIST's statement verbatim");
    let refs: Vec<String> = govern.select(&sel("td.iso-refs a")).map(text).collect();
    assert_eq!(refs, ["4.1", "6.2", "A.2.2", "A.2.4"]);
    let iso = page(site.path(), "iso27001.html");
    assert_eq!(iso.select(&sel("table#iso27001 tbody tr")).count(), 43);
    assert_eq!(iso.select(&sel("tr[data-relation=iso42001-only]")).count(), 2);
}

#[test]
fn example_supersession_is_shown_both_ways() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let old = page(site.path(), "documents/POL-002.html");
    let by: Vec<String> = old.select(&sel("dd.superseded-by a")).map(text).collect();
    assert_eq!(by, ["POL-003"]);
    let new = page(site.path(), "documents/POL-003.html");
    let replaces: Vec<String> = new.select(&sel("dd.supersedes a")).map(text).collect();
    assert_eq!(replaces, ["POL-002"]);
}

// ---- fixtures ------------------------------------------------------------------------------

#[test]
fn checklist_states_met_pending_not_evidenced() {
    let checked = Fixture::new("portal_checklist").portal().check();
    checked.exit(0);
    let count = |code: &str| checked.diags.iter().filter(|d| d.code == code).count();
    // 21 items: 5.2 met; 4.3 (draft) and 6.2 (overdue) only draft or not current; the SoA item
    // is SA008; 17 not evidenced: the 19 gaps are one finding, one note each.
    assert_eq!((count("CV001"), count("CV002"), count("SA008"), count("RV002")), (1, 0, 1, 1), "{}", checked.dump());
    let here = ("aimsdoc.toml", 1, 1);
    checked
        .note("CV001", "aimsdoc.toml", 1, here, "GOV-001 (draft)")
        .note("CV001", "aimsdoc.toml", 1, here, "PLN-001 (review overdue)")
        .note("CV001", "aimsdoc.toml", 1, here, "(clause 10.2 ");
    Fixture::new("portal_checklist").portal().strict().check().exit(1).severity("CV001", "aimsdoc.toml", 1, "error");

    let site = build_site(TODAY, &fixture("portal_checklist"), &[]);
    let list = page(site.path(), "checklist.html");
    let state_of = |clause: &str| -> Vec<String> {
        list.select(&sel(&format!("tr[data-clause=\"{clause}\"] .state-cell"))).map(text).collect()
    };
    assert_eq!(state_of("5.2"), ["met"]);
    assert_eq!(state_of("4.3"), ["only draft or not current"]);
    assert_eq!(state_of("6.2"), ["only draft or not current"]);
    assert_eq!(state_of("10.2"), ["not evidenced", "not evidenced"]);
    assert_eq!(state_of("6.1.3"), ["not evidenced", "not evidenced", "not evidenced"]);
    let soa = page(site.path(), "soa.html");
    assert!(soa.select(&sel(".banner")).next().is_some(), "the SoA page says there is none");
    assert_eq!(soa.select(&sel("#soa-stated")).map(text).next().as_deref(), Some("0"));
}

#[test]
fn checklist_is_off_for_partial_trees_and_on_when_configured() {
    // A tree without an SoA is not judged against the whole checklist unless configured...
    Fixture::copy("portal_checklist").edit("aimsdoc.toml", "enabled = true", "").portal().check().only(&["RV002"]);
    // ...and a tree with an SoA is, unless switched off.
    let soa = common::soa_document("SOA-001", "status: draft", &[]);
    let with_soa =
        Fixture::copy("portal_checklist").edit("aimsdoc.toml", "enabled = true", "").write("documents/soa.md", &soa);
    let checked = with_soa.portal().check();
    assert!(checked.diags.iter().any(|d| d.code == "CV001"), "{}", checked.dump());
    assert!(!checked.diags.iter().any(|d| d.code == "SA008"), "{}", checked.dump());
    Fixture::copy("portal_checklist")
        .edit("aimsdoc.toml", "enabled = true", "enabled = false")
        .write("documents/soa.md", &soa)
        .portal()
        .check()
        .only(&["RV002"]);
}

#[test]
fn soa_document_type_is_configurable() {
    let soa =
        common::soa_document("SOA-001", "status: draft", &[]).replace("type: soa", "type: applicability-statement");
    Fixture::temp()
        .write(
            "aimsdoc.toml",
            "[documents]\nextra_types = [\"applicability-statement\"]\n[soa]\ndocument_type = \"applicability-statement\"\n[checklist]\nenabled = false\n",
        )
        .write("documents/soa.md", soa.replace("A.10.4", "A.10.9"))
        .portal()
        .check()
        .only(&["SA003", "SA001"]);
}

#[test]
fn evidence_is_hashed_copied_and_indexed() {
    let root = fixture("portal_evidence");
    let site = build_site(TODAY, &root, &[]);
    let copied = site.path().join("files/evidence/training/2026 q1/attendance list.csv");
    assert_eq!(sha256_file(&copied), sha256_file(&root.join("evidence/training/2026 q1/attendance list.csv")));
    assert!(!site.path().join("files/evidence/unreferenced.txt").exists(), "only attached files are published");
    evidence_index_lists_and_hashes(site.path(), &root);
    evidence_json_describes_each_file(site.path());
    let clause = page(site.path(), "clauses/7.2.html");
    let files: Vec<String> =
        clause.select(&sel("section[aria-labelledby=evidence-heading] tbody tr td:first-child a")).map(text).collect();
    assert_eq!(files, ["training.md", "attendance list.csv", "results.json"]);
}

/// `evidence.html` lists records and attachments in path order, each hash the source's and each
/// attachment link leading to a copy with that hash; past evidence is listed apart.
fn evidence_index_lists_and_hashes(site: &Path, root: &Path) {
    let index = page(site, "evidence.html");
    let rows: Vec<ElementRef> = index.select(&sel("table#evidence tbody tr")).collect();
    let paths: Vec<&str> = rows.iter().filter_map(|r| r.value().attr("data-path")).collect();
    assert_eq!(
        paths,
        [
            "documents/old.md",
            "documents/training.md",
            "evidence/audit/2024-checklist.txt",
            "evidence/training/2026 q1/attendance list.csv",
            "evidence/training/results.json",
        ]
    );
    for tr in &rows {
        let href = tr.select(&sel("a")).next().and_then(|a| a.value().attr("href")).expect("link");
        let shown = tr.select(&sel("code.hash")).map(text).next().expect("hash");
        let path = tr.value().attr("data-path").expect("path");
        assert_eq!(shown, sha256_file(&root.join(path)), "{path}");
        if tr.value().attr("data-kind") == Some("attachment") {
            assert_eq!(shown, sha256_file(&target(site, "evidence.html", href)), "{href}");
        }
    }
    let past: Vec<String> = index.select(&sel("section[aria-labelledby=past-heading] li a")).map(text).collect();
    assert_eq!(past, ["documents/old.md", "evidence/audit/2024-checklist.txt"]);
}

/// `evidence.json` gives each file's media type, size, documents, clauses, controls and
/// disposition date.
fn evidence_json_describes_each_file(site: &Path) {
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(site.join("evidence.json")).expect("json")).expect("parses");
    let results = json.iter().find(|r| r["path"] == "evidence/training/results.json").expect("row");
    assert_eq!(results["media_type"], "application/json");
    assert_eq!(results["documents"], serde_json::json!(["POL-001", "REC-001"]));
    assert_eq!(results["clauses"], serde_json::json!(["5.2", "7.2"]));
    let attendance = json.iter().find(|r| r["path"] == "evidence/training/2026 q1/attendance list.csv").expect("row");
    assert_eq!(attendance["size"], 57);
    assert_eq!(attendance["controls"], serde_json::json!(["A.4.6"]));
    assert_eq!(attendance["disposition"], "2033-01-15");
}

#[test]
fn crosswalk_resolves_document_references() {
    let site = build_site(TODAY, &fixture("portal_crosswalk"), &[]);
    let nist = page(site.path(), "nist-ai-rmf.html");
    let cited: Vec<String> = nist.select(&sel("tr#govern-1-1 .cited a")).map(text).collect();
    assert_eq!(cited, ["POL-001"]);
    let category = nist.select(&sel("h3#map-1 + p.statement + p")).map(text).next().unwrap_or_default();
    assert!(category.contains("POL-001"), "MAP 1 is cited: {category}");
    // GOVERN 1.1 maps to clause 4.1, which the policy addresses: it is behind the row via ISO too.
    let via: Vec<String> = nist.select(&sel("tr#govern-1-1 td:last-child a")).map(text).collect();
    assert_eq!(via, ["POL-001", "POL-001"]);
    let doc = page(site.path(), "documents/POL-001.html");
    let link = doc.select(&sel("a[href$='#govern-1-1']")).next().expect("framework id links to the crosswalk");
    assert_eq!(link.value().attr("href"), Some("../nist-ai-rmf.html#govern-1-1"));
}

#[test]
fn supersession_declared_on_one_side_shows_on_both() {
    Fixture::new("portal_supersession").check().clean();
    let site = build_site(TODAY, &fixture("portal_supersession"), &[]);
    let links = |doc: &str, dd: &str| -> Vec<String> {
        page(site.path(), &format!("documents/{doc}.html")).select(&sel(&format!("dd.{dd} a"))).map(text).collect()
    };
    assert_eq!(links("POL-001", "superseded-by"), ["POL-002"]);
    assert_eq!(links("POL-002", "supersedes"), ["POL-001"], "derived from POL-001's superseded_by");
    assert_eq!(links("POL-002", "superseded-by"), ["POL-003"], "derived from POL-003's supersedes");
    assert_eq!(links("POL-003", "supersedes"), ["POL-002"]);
    let chain: Vec<String> = page(site.path(), "documents/POL-001.html")
        .select(&sel("ol.chain li"))
        .map(|li| text(li)[..7].to_string())
        .collect();
    assert_eq!(chain, ["POL-001", "POL-002", "POL-003"]);
}

#[test]
fn document_text_is_escaped_on_the_portal_pages() {
    let soa =
        common::soa_document("SOA-001", "status: draft", &[]).replacen("Planned.", "<script>alert('soa')</script>", 1);
    let fixture = Fixture::temp()
        .write("documents/soa.md", soa)
        .write(
            "documents/rec.md",
            "---\nid: REC-001\ntitle: \"<img src=x onerror=alert(1)>\"\ntype: record\nowner: \"<b>Owner</b>\"\nversion: \"1.0\"\nstatus: draft\nclauses: [\"6.1.3\"]\ncontrols: [\"A.2.2\"]\nattachments: [\"<i>odd.txt\"]\nrecord_date: 2026-01-08\nretention: 7y\n---\nBody.\n",
        )
        .write("evidence/<i>odd.txt", "odd name\n");
    let site = build_site(TODAY, fixture.root(), &[]);
    for entry in common::files(site.path()) {
        if entry.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&entry).expect("html");
            let rel = entry.strip_prefix(site.path()).expect("inside").display().to_string();
            for raw in ["<script>alert", "<img src=x", "<b>Owner", "<i>odd"] {
                assert!(!html.contains(raw), "{rel} contains {raw} unescaped");
            }
        }
    }
    let evidence = page(site.path(), "evidence.html");
    let names: Vec<String> = evidence.select(&sel("table#evidence tbody tr td:first-child a")).map(text).collect();
    assert!(names.contains(&"<i>odd.txt".to_string()), "{names:?}");
    let csv = std::fs::read_to_string(site.path().join("soa.csv")).expect("csv");
    assert!(csv.contains("<script>alert('soa')</script>"), "CSV keeps the text as data");
}

// ---- helpers -------------------------------------------------------------------------------

// ---- records and controls from other sources ------------------------------------------------

/// A record document of `ty` with these extra front matter lines.
fn record_doc(id: &str, ty: &str, extra: &str) -> String {
    format!("---\nid: {id}\ntitle: Record {id}\ntype: {ty}\nowner: Internal Audit\nversion: \"1.0\"\nstatus: approved\napproval: {{ by: \"Jane Smith, CEO\", date: 2026-01-15 }}\n{extra}\nhistory:\n  - {{ version: \"1.0\", date: 2026-01-12, by: J. Smith, summary: Issued }}\n---\nBody.\n")
}

#[test]
fn register_shows_record_date_retention_disposition_and_legal_hold() {
    let fixture = Fixture::temp()
        .write(
            "documents/rec.md",
            record_doc(
                "REC-001",
                "record",
                "record_date: 2022-01-10\nretention: 3y\nlegal_hold: \"Claim KFS-2025-014\"\nnext_review: 2023-01-10\nattachments: [minutes.txt]",
            ),
        )
        .write("documents/rpt.md", record_doc("RPT-001", "report", "record_date: 2026-01-05\nretention: 7y"))
        .write("documents/pol.md", include_str!("../fixtures/valid_minimal/documents/a.md"))
        .write("evidence/minutes.txt", "Minutes.\n");
    let site = build_site(TODAY, fixture.root(), &[]);
    register_page_shows_records(site.path());
    register_exports_carry_records(site.path());
    evidence_keeps_records_and_holds(site.path());
}

/// `register.html`: record date, retention and disposition columns, the legal hold as a badge and
/// beside the disposition, and a record never overdue for review.
fn register_page_shows_records(site: &Path) {
    let register = page(site, "register.html");
    let heads: Vec<String> = register.select(&sel("table#register thead th")).map(text).collect();
    for h in ["Record date", "Retention", "Disposition"] {
        assert!(heads.contains(&h.to_string()), "{heads:?}");
    }
    let cell = |id: &str, class: &str| {
        register.select(&sel(&format!("tr[data-id='{id}'] td.{class}"))).map(text).next().unwrap_or_default()
    };
    assert_eq!(cell("REC-001", "record-date"), "2022-01-10");
    assert_eq!(cell("REC-001", "retention"), "3y");
    assert!(cell("REC-001", "disposition").starts_with("2025-01-10"), "{}", cell("REC-001", "disposition"));
    assert!(cell("REC-001", "disposition").contains("Claim KFS-2025-014"));
    assert_eq!(register.select(&sel("tr[data-id='REC-001'] .badge.legal-hold")).count(), 1);
    assert_eq!(register.select(&sel("tr[data-id='RPT-001'] .badge.legal-hold")).count(), 0);
    assert_eq!(cell("RPT-001", "disposition"), "2033-01-05");
    assert_eq!(cell("POL-001", "record-date"), "", "only records have a record date");
    let state = register.select(&sel("tr[data-id='REC-001']")).next().and_then(|r| r.value().attr("data-state"));
    assert_eq!(state, Some("current"), "a record is not reviewed: a stray next_review does not make it overdue");
}

/// `register.csv` and `register.json` carry record date, retention, disposition and legal hold.
fn register_exports_carry_records(site: &Path) {
    let csv = std::fs::read_to_string(site.join("register.csv")).expect("csv");
    assert!(csv
        .lines()
        .next()
        .is_some_and(|h| h.contains(",next_review,record_date,retention,disposition,legal_hold,")));
    assert!(csv
        .lines()
        .any(|l| l.starts_with("REC-001,") && l.contains(",2022-01-10,3y,2025-01-10,Claim KFS-2025-014,")));
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(site.join("register.json")).expect("json")).expect("parses");
    let rec = json.iter().find(|r| r["id"] == "REC-001").expect("row");
    assert_eq!(
        (&rec["record_date"], &rec["retention"], &rec["disposition"]),
        (&"2022-01-10".into(), &"3y".into(), &"2025-01-10".into())
    );
    assert_eq!(rec["legal_hold"], "Claim KFS-2025-014");
}

/// The evidence index keeps every record (reports too) and shows the hold on the record and on
/// the file it attaches.
fn evidence_keeps_records_and_holds(site: &Path) {
    let evidence = page(site, "evidence.html");
    let kinds: Vec<(String, String)> = evidence
        .select(&sel("table#evidence tbody tr"))
        .map(|r| {
            (
                r.value().attr("data-path").unwrap_or_default().into(),
                r.value().attr("data-kind").unwrap_or_default().into(),
            )
        })
        .collect();
    assert!(kinds.contains(&("documents/rpt.md".into(), "record".into())), "{kinds:?}");
    for path in ["documents/rec.md", "evidence/minutes.txt"] {
        let held = evidence.select(&sel(&format!("tr[data-path='{path}'] .badge.legal-hold"))).count();
        assert_eq!(held, 1, "{path}");
    }
    let ev_csv = std::fs::read_to_string(site.join("evidence.csv")).expect("csv");
    assert!(ev_csv.lines().any(|l| l.starts_with("record,documents/rec.md,") && l.contains("Claim KFS-2025-014")));
}

#[test]
fn soa_lists_controls_from_other_sources_in_their_own_section() {
    let other = "  - { control: \"KFS-PAY-01\", applicable: true, status: implemented, justification: \"Payments over GBP 250 need a human.\", source: \"Kestrel payment controls\" }\n";
    let soa =
        common::soa_document("SOA-001", "status: draft", &[]).replace("---\nBody.", &format!("{other}---\nBody."));
    let fixture = Fixture::temp().write("documents/soa.md", soa);
    let site = build_site(TODAY, fixture.root(), &[]);
    let html = page(site.path(), "soa.html");
    assert_eq!(html.select(&sel("table#soa tr[data-control='KFS-PAY-01']")).count(), 0, "not among Annex A");
    assert_eq!(html.select(&sel("#other-controls h2")).map(text).next().as_deref(), Some("Other controls"));
    let cells: Vec<String> = html.select(&sel("#other-controls tr[data-control='KFS-PAY-01'] td")).map(text).collect();
    assert_eq!(
        cells,
        ["KFS-PAY-01", "Kestrel payment controls", "yes", "implemented", "Payments over GBP 250 need a human."]
    );
    let csv = std::fs::read_to_string(site.path().join("soa.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 40, "header, 38 Annex A controls, one other");
    assert!(csv
        .lines()
        .last()
        .is_some_and(|l| l.starts_with("KFS-PAY-01,") && l.ends_with(",Kestrel payment controls")));
    // Without other controls the section is not there at all.
    let plain = Fixture::temp().write("documents/soa.md", common::soa_document("SOA-001", "status: draft", &[]));
    let site = build_site(TODAY, plain.root(), &[]);
    assert_eq!(page(site.path(), "soa.html").select(&sel("#other-controls")).count(), 0);
}
