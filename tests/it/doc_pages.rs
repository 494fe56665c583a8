//! Document pages that put the text first and print the truth: the control facts line, the
//! folded "Document control details", the contents list, the superseded banner that leads to
//! the version in force, the per-page print marks under `assets/marks/` (state, id, version,
//! approval, digest, organisation), the dashboard's "due by owner" section and the one name of
//! each thing across pages.

use std::fs;
use std::path::Path;

use scraper::{ElementRef, Html};

use crate::common::{build_site, example, fixture, page, sel, sha256, Fixture, EXAMPLE_TODAY, TODAY};

fn text(el: ElementRef) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn first(html: &Html, selector: &str) -> String {
    html.select(&sel(selector)).next().map(text).unwrap_or_else(|| panic!("no {selector}"))
}

fn attr(html: &Html, selector: &str, name: &str) -> Vec<String> {
    html.select(&sel(selector)).filter_map(|e| e.value().attr(name)).map(String::from).collect()
}

fn marks(site: &Path, rel: &str) -> String {
    fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn document_pages_show_one_line_of_control_facts_and_fold_the_rest() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let pol = page(site.path(), "documents/POL-001.html");
    let facts = first(&pol, "header.doc-header ul#doc-facts");
    for needle in [
        "current",
        "Version 2.1",
        "Approved 2026-08-18 by Amara Okafor",
        "Next review 2027-08-17",
        "Owner: Chief AI Officer",
    ] {
        assert!(facts.contains(needle), "{facts:?} lacks {needle:?}");
    }
    // Everything else is in a <details> folded by default, after the facts and before the text.
    let details = sel("article > details#document-control.control-block");
    let folded = pol.select(&details).next().expect("document control details");
    assert!(folded.value().attr("open").is_none(), "folded by default");
    assert_eq!(first(&pol, "details#document-control > summary .control-title"), "Document control details");
    let inside = text(folded);
    let source = fs::read(example().join("documents/02-leadership/pol-001-ai-policy.md")).expect("source");
    for needle in
        ["POL-001", "policy", "documents/02-leadership/pol-001-ai-policy.md", &sha256(&source), "5.2", "NIST AI RMF"]
    {
        assert!(inside.contains(needle), "details lack {needle:?}");
    }
    let html = fs::read_to_string(site.path().join("documents/POL-001.html")).expect("page");
    let (facts_at, details_at, body_at) =
        (html.find("id=\"doc-facts\""), html.find("id=\"document-control\""), html.find("class=\"body\""));
    assert!(facts_at < details_at && details_at < body_at, "facts, then details, then the text");
}

#[test]
fn drafts_never_show_an_approval_and_superseded_pages_lead_to_the_version_in_force() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let draft = page(site.path(), "documents/GDL-002.html");
    let facts = first(&draft, "ul#doc-facts");
    assert!(facts.contains("Not approved"), "{facts}");
    assert!(!facts.contains("Approved 2"), "a draft shows no approval date: {facts}");
    assert_eq!(first(&draft, "details#document-control dt:nth-of-type(7) + dd"), "-", "no effective date either");

    let site = build_site(TODAY, &fixture("portal_supersession"), &[]);
    for old in ["POL-001", "POL-002"] {
        let p = page(site.path(), &format!("documents/{old}.html"));
        let banner = first(&p, ".banner.banner-superseded");
        assert!(banner.contains("Current version: POL-003 Third policy"), "{old}: {banner}");
        assert_eq!(attr(&p, ".banner-superseded a", "href"), ["../documents/POL-003.html"], "{old}");
    }
    let current = page(site.path(), "documents/POL-003.html");
    assert_eq!(current.select(&sel(".banner-superseded")).count(), 0);
}

#[test]
fn numbered_headings_get_no_second_number_in_the_contents() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let pol = page(site.path(), "documents/POL-001.html");
    assert_eq!(first(&pol, "nav.toc #toc-heading"), "On this page");
    let items: Vec<String> = pol.select(&sel("nav.toc ul.toc-numbered > li")).map(text).collect();
    assert!(items.iter().any(|t| t == "1. Purpose"), "{items:?}");
    assert_eq!(pol.select(&sel("nav.toc ol")).count(), 0, "an <ol> would number them again");
    let tree = Fixture::temp().write(
        "documents/p.md",
        "---\nid: POL-001\ntitle: T\ntype: policy\nowner: O\nversion: \"0.1\"\nstatus: draft\n---\n## Purpose\n\nx\n\n## Scope\n\ny\n",
    );
    let site = build_site(TODAY, tree.root(), &[]);
    let p = page(site.path(), "documents/POL-001.html");
    assert_eq!(p.select(&sel("nav.toc ol > li")).count(), 2, "unnumbered headings are numbered by the list");
}

#[test]
fn a_link_in_a_dropped_table_cell_does_not_shift_the_links_after_it() {
    // The row has two cells, the table one column: the second cell (and its link) is not on
    // the page, so the link after the table must keep its own target.
    let body =
        "| Owner |\n|---|\n| [Scope](doc:STD-001) | [Gone](doc:STD-002) |\n\nSee [the guideline](doc:GDL-001).\n";
    let doc = |id: &str, title: &str, kind: &str, body: &str| {
        format!("---\nid: {id}\ntitle: {title}\ntype: {kind}\nowner: O\nversion: \"0.1\"\nstatus: draft\n---\n{body}")
    };
    let tree = Fixture::temp()
        .write("documents/p.md", doc("POL-001", "P", "policy", body))
        .write("documents/s.md", doc("STD-001", "S", "standard", "x\n"))
        .write("documents/g.md", doc("GDL-001", "G", "guideline", "y\n"))
        .write("documents/t.md", doc("STD-002", "T", "standard", "z\n"));
    let site = build_site(TODAY, tree.root(), &[]);
    let p = page(site.path(), "documents/POL-001.html");
    let links: Vec<(String, String)> =
        p.select(&sel(".body a")).map(|a| (text(a), a.value().attr("href").unwrap_or_default().to_string())).collect();
    assert_eq!(
        links,
        [("Scope".to_string(), "STD-001.html".to_string()), ("the guideline".to_string(), "GDL-001.html".to_string())]
    );
}

#[test]
fn each_page_loads_only_its_own_print_marks_led_by_the_state() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let s = site.path();
    let digest = sha256(&fs::read(s.join("manifest.json")).expect("manifest"));
    assert!(!s.join("assets/print-marks.css").exists(), "no stylesheet of every document's marks");
    let pol = page(s, "documents/POL-001.html");
    let print = attr(&pol, "head link[rel=stylesheet][media=print]", "href");
    assert_eq!(print, ["../assets/marks/site.css", "../assets/marks/doc-POL-001.css"]);
    assert_eq!(pol.select(&sel("style, [style]")).count(), 0, "CSP: no inline style");
    let source = fs::read(example().join("documents/02-leadership/pol-001-ai-policy.md")).expect("source");
    let css = marks(s, "assets/marks/doc-POL-001.css");
    for needle in ["@bottom-left", "Uncontrolled when printed", "POL-001 version 2.1", &sha256(&source)[..12], &digest]
    {
        assert!(css.contains(needle), "{css} lacks {needle:?}");
    }
    assert!(!css.contains("DRAFT") && !css.contains("SUPERSEDED"), "{css}");
    let draft = marks(s, "assets/marks/doc-GDL-002.css");
    assert!(draft.contains("content: \"DRAFT - NOT APPROVED \\B7  Uncontrolled when printed \\B7  GDL-002"), "{draft}");
    assert!(marks(s, "assets/marks/doc-POL-002.css").contains("content: \"SUPERSEDED \\B7 "));
    let site_css = marks(s, "assets/marks/site.css");
    assert!(
        site_css.contains("@top-left { content: \"Kestrel Financial Services Ltd \\B7  AI Management System\""),
        "{site_css}"
    );
    for f in fs::read_dir(s.join("assets/marks")).expect("marks folder") {
        let f = f.expect("entry");
        assert!(f.metadata().expect("size").len() < 2048, "{:?} stays small", f.file_name());
    }
    // The SoA, register and checklist print what identifies them; other pages only the header.
    let soa = marks(s, "assets/marks/page-soa.css");
    assert!(soa.contains("Statement of Applicability SOA-001 version 1.4 \\B7  approved 2026-11-23 by"), "{soa}");
    for (rel, css, needle) in [
        ("soa.html", "page-soa.css", digest.as_str()),
        ("register.html", "page-register.css", "Document register \\B7  generated as of 2026-11-27"),
        ("checklist.html", "page-checklist.css", "Mandatory documented information \\B7  generated as of 2026-11-27"),
    ] {
        let links = attr(&page(s, rel), "head link[media=print]", "href");
        assert_eq!(links, ["assets/marks/site.css".to_string(), format!("assets/marks/{css}")], "{rel}");
        assert!(marks(s, &format!("assets/marks/{css}")).contains(needle), "{css} lacks {needle}");
    }
    assert_eq!(attr(&page(s, "index.html"), "head link[media=print]", "href"), ["assets/marks/site.css"]);
    let style = marks(s, "assets/style.css");
    assert!(style.contains("details.control-block::details-content { content-visibility: visible"), "printed open");
}

#[test]
fn organisation_names_cannot_break_out_of_the_print_header() {
    let tree = Fixture::copy("valid_minimal").write(
        "aimsdoc.toml",
        "[site]\ntitle = \"Portal\"\norganisation = \"Evil\\\"; } body { display: none } @page { x: \\\"\\\\ Ltd\"\n",
    );
    let site = build_site(TODAY, tree.root(), &[]);
    let css = marks(site.path(), "assets/marks/site.css");
    let line = css.lines().find(|l| l.starts_with("@page")).expect("the header rule");
    assert_eq!(line, "@page { @top-left { content: \"Evil\\22 ; } body { display: none } @page { x: \\22 \\5C  Ltd \\B7  Portal\"; } }");
}

fn due_doc(id: &str, owner: &str, status: &str, next_review: &str) -> String {
    let approval = if status == "approved" { "approval: { by: \"Jane Smith, CEO\", date: 2026-01-15 }\n" } else { "" };
    format!(
        "---\nid: {id}\ntitle: Policy {id}\ntype: policy\nowner: {owner}\nversion: \"1.0\"\nstatus: {status}\n{approval}next_review: {next_review}\nhistory:\n  - {{ version: \"1.0\", date: 2026-01-10, by: J. Smith, summary: Issued }}\n---\nBody.\n"
    )
}

#[test]
fn the_dashboard_lists_what_each_owner_must_do_within_30_days() {
    let tree = Fixture::temp()
        .write("documents/a.md", due_doc("POL-001", "Alice", "approved", "2026-05-01"))
        .write("documents/b.md", due_doc("POL-002", "Alice", "approved", "2026-06-11"))
        .write("documents/c.md", due_doc("POL-003", "Bob", "approved", "2026-09-01"))
        .write("documents/d.md", due_doc("POL-004", "Bob", "review", "2026-12-01"));
    let site = build_site(TODAY, tree.root(), &[]);
    let dash = page(site.path(), "index.html");
    assert_eq!(first(&dash, "#due-by-owner"), "Due in the next 30 days or overdue, by owner");
    let owners: Vec<String> = dash.select(&sel("section.due-owner h3")).map(text).collect();
    assert_eq!(owners, ["Alice 2", "Bob 1"]);
    let items: Vec<String> = dash.select(&sel("ul.due-list li")).map(text).collect();
    assert_eq!(
        items,
        [
            "review POL-001 Policy POL-001 by 2026-05-01, 31 days overdue",
            "review POL-002 Policy POL-002 by 2026-06-11, in 10 days",
            "approve POL-004 Policy POL-004 now",
        ]
    );
    assert_eq!(dash.select(&sel("ul.due-list .badge.state-overdue")).count(), 1, "only the late one warns");
}

#[test]
fn each_thing_has_one_name_across_pages() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let s = site.path();
    let name = "Mandatory documented information";
    let dash = page(s, "index.html");
    assert!(dash.select(&sel("nav.sidebar a[href='checklist.html']")).any(|a| text(a) == name));
    let checklist = page(s, "checklist.html");
    assert_eq!(first(&checklist, "h1"), name);
    assert!(first(&checklist, "title").starts_with(name));
    assert!(first(&dash, "#chart-checklist figcaption").starts_with(name));
    // State words: the badges' and the register's, never the raw status "approved".
    let states: Vec<String> = dash.select(&sel("section[aria-labelledby=by-status] tbody .badge")).map(text).collect();
    assert!(states.contains(&"current".to_string()) && !states.contains(&"approved".to_string()), "{states:?}");
    assert_eq!(attr(&dash, "section[aria-labelledby=by-status] tbody a", "href")[0], "register.html#state=draft");
    let evidence = page(s, "evidence.html");
    let heads: Vec<String> = evidence.select(&sel("thead th")).map(text).collect();
    assert!(heads.contains(&"Supports".to_string()) && !heads.contains(&"Evidences".to_string()), "{heads:?}");
}
