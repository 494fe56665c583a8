//! The review calendar (`reviews.ics`), the changes feed (`changes.xml`) and `aimsdoc due`: both
//! files parsed with independent, real parsers (the `icalendar` and `atom_syndication` crates),
//! their dates checked against `aimsdoc due`, and nothing withheld leaking into them.

use std::collections::BTreeSet;
use std::fs;

use icalendar::Component;

use crate::common::{self, aimsdoc, aimsdoc_on, build_site, example, Fixture, EXAMPLE_TODAY, TODAY};

/// The `VEVENT`s of `text`, parsed by the `icalendar` crate's parser after unfolding.
fn events(text: &str) -> Vec<icalendar::Event> {
    let unfolded = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("reviews.ics parses as RFC 5545");
    let calendar: icalendar::Calendar = calendar.into();
    calendar.components.iter().filter_map(|c| c.as_event().cloned()).collect()
}

/// `aimsdoc due --format json` of `root` on `today`, as (action, id, due) triples.
fn due_json(today: &str, root: &std::path::Path, extra: &[&str]) -> Vec<(String, String, String)> {
    let out = aimsdoc_on(today).arg("due").arg(root).args(["--format", "json"]).args(extra).assert().code(0);
    let rows: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("due prints JSON");
    rows.as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap_or("").into(),
                r["id"].as_str().unwrap_or("").into(),
                r["due"].as_str().unwrap_or("").into(),
            )
        })
        .collect()
}

#[test]
fn the_review_calendar_is_valid_icalendar_with_one_event_per_due_review() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let text = fs::read_to_string(site.join("reviews.ics")).expect("reviews.ics is in every site");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"), "{text}");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "a content line over 75 octets: {line}");
        assert!(!line.contains('\n'), "bare LF inside a line: {line:?}");
    }
    let events = events(&text);
    let from_calendar: BTreeSet<(String, String)> = events
        .iter()
        .map(|e| {
            let summary = e.get_summary().expect("every event has a SUMMARY");
            let id = summary.split(": ").nth(1).and_then(|s| s.split(' ').next()).expect("an id in the summary");
            let start = e.property_value("DTSTART").expect("DTSTART");
            (id.to_string(), start.to_string())
        })
        .collect();
    assert!(!from_calendar.is_empty(), "the example has approved documents with review dates");
    let from_due: BTreeSet<(String, String)> = due_json(EXAMPLE_TODAY, &example(), &[])
        .into_iter()
        .filter(|(action, ..)| action == "review")
        .map(|(_, id, due)| (id, due.replace('-', "")))
        .collect();
    assert_eq!(from_calendar, from_due, "the calendar and `aimsdoc due` agree on every review date");
    let uids: BTreeSet<&str> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");
    for e in &events {
        assert!(e.property_value("DTSTAMP").is_some(), "DTSTAMP is required");
        let page = e.get_description().and_then(|d| d.split("Page: ").nth(1)).expect("the page in the description");
        assert!(site.join(page.trim()).is_file(), "the description names a page of the site: {page}");
    }
}

#[test]
fn the_changes_feed_is_valid_atom_linking_pages_of_the_site() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let bytes = fs::read(site.join("changes.xml")).expect("changes.xml is in every site");
    let feed = atom_syndication::Feed::read_from(&bytes[..]).expect("changes.xml parses as Atom");
    assert!(!feed.entries().is_empty());
    let ids: BTreeSet<&str> = feed.entries().iter().map(|e| e.id()).collect();
    assert_eq!(ids.len(), feed.entries().len(), "entry ids are unique");
    let dates: Vec<_> = feed.entries().iter().map(|e| *e.updated()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert_eq!(feed.updated(), &dates[0], "the feed is as new as its newest entry");
    for entry in feed.entries() {
        assert!(entry.id().starts_with("urn:uuid:"), "{}", entry.id());
        let href = &entry.links().first().expect("a link").href;
        assert!(site.join(href).is_file(), "{href} is a page of the site");
    }
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.contains("POL-001"), "the AI policy's versions are in the feed");
    assert!(
        text.contains("POL-002 Interim Generative AI Use Rules (superseded by POL-003): superseded by POL-003"),
        "supersessions are dated by their obsolete record:\n{text}"
    );
    let index = fs::read_to_string(site.join("index.html")).expect("index");
    assert!(index.contains(r#"<link rel="alternate" type="application/atom+xml""#), "pages announce the feed");
}

#[test]
fn withheld_documents_appear_in_the_feed_without_their_change_summaries() {
    let tree = Fixture::copy("valid_minimal")
        .edit("documents/a.md", "summary: Issued", "summary: Moved the VAULT-PASSPHRASE section")
        .edit("documents/a.md", "next_review: 2026-12-15", "next_review: 2026-12-15\nclassification: restricted");
    let site = build_site(TODAY, tree.root(), &[]);
    let feed = fs::read_to_string(site.join("changes.xml")).expect("feed");
    assert!(feed.contains("POL-001 Test policy: version 1.0"), "{feed}");
    assert!(!feed.contains("VAULT-PASSPHRASE"), "a restricted document's history summary leaked:\n{feed}");

    let open =
        Fixture::copy("valid_minimal").edit("documents/a.md", "summary: Issued", "summary: Issued VISIBLE-SUMMARY");
    let site = build_site(TODAY, open.root(), &[]);
    let feed = fs::read_to_string(site.join("changes.xml")).expect("feed");
    assert!(feed.contains("VISIBLE-SUMMARY"), "a published document's summary is in the feed:\n{feed}");
}

#[test]
fn due_lists_overdue_reviews_by_owner_and_filters_by_period_and_person() {
    let overdue = common::fixture("review_overdue");
    let out = aimsdoc().arg("due").arg(&overdue).assert().code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("Chief AI Officer\n"), "grouped by owner:\n{text}");
    assert!(text.contains("2026-05-01") && text.contains("31 day(s) overdue"), "{text}");
    assert_eq!(due_json(TODAY, &overdue, &["--within", "7d"]).len(), 1, "overdue items always show");
    assert_eq!(due_json(TODAY, &overdue, &["--owner", "chief ai officer"]).len(), 1);
    assert_eq!(due_json(TODAY, &overdue, &["--owner", "Jane Smith"]).len(), 1, "the approver matches too");
    assert!(due_json(TODAY, &overdue, &["--owner", "Head of Legal"]).is_empty());

    let upcoming = common::fixture("valid_minimal");
    assert!(
        due_json(TODAY, &upcoming, &["--within", "30d"]).is_empty(),
        "next review 2026-12-15 is not within 30 days"
    );
    assert_eq!(
        due_json(TODAY, &upcoming, &["--within", "30w"]),
        [("review".into(), "POL-001".into(), "2026-12-15".into())]
    );

    let csv = aimsdoc().arg("due").arg(&upcoming).args(["--format", "csv"]).assert().code(0);
    let csv = String::from_utf8_lossy(&csv.get_output().stdout).to_string();
    assert!(csv.starts_with("due,days_left,action,id,title,owner,approver,page\r\n"), "{csv}");
    aimsdoc().arg("due").arg(&upcoming).args(["--within", "3m"]).assert().code(2);
}

#[test]
fn completions_and_manual_pages_are_generated_from_the_command_line_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let out = aimsdoc().args(["completions", shell]).assert().code(0);
        let script = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            script.contains("aimsdoc") && script.contains("approve") && script.contains("untrusted"),
            "{shell}:\n{script}"
        );
    }
    let man = aimsdoc().arg("man").assert().code(0);
    let man = String::from_utf8_lossy(&man.get_output().stdout).to_string();
    assert!(man.contains(".TH aimsdoc 1") && man.contains("verify"), "{man}");
    let build = aimsdoc().args(["man", "build"]).assert().code(0);
    assert!(String::from_utf8_lossy(&build.get_output().stdout).contains("aimsdoc\\-build"));
    let unknown = aimsdoc().args(["man", "nonsense"]).assert().code(2);
    assert!(common::stderr(&unknown).contains("commands: check"), "{}", common::stderr(&unknown));
}
