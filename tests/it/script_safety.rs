//! No script controlled by a pull request runs in readers' browsers (issue 9, item 5), on the
//! real binary: every page carries the Content Security Policy and no-referrer meta, raw HTML is
//! cleaned when a trusted tree allows it and escaped under `--untrusted` whatever `aimsdoc.toml`
//! says, and active evidence files (HTML, SVG...) are published under a neutral name, linked as
//! downloads, with `verify` and `sha256sum -c` still passing.

use std::path::Path;
use std::process::Command as Process;

use scraper::Html;

use crate::common::{self, aimsdoc, build_site, example, page, sel, Fixture, EXAMPLE_TODAY, TODAY};

const CSP: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// A policy that passes `check`, with `body` and the given attachments.
fn policy(body: &str, attachments: &[&str]) -> String {
    let list: String = attachments.iter().map(|a| format!("  - {a}\n")).collect();
    format!(
        "---\nid: POL-001\ntitle: AI policy\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\n\
         status: approved\napproval: {{ by: \"Jane Smith, CEO\", date: 2026-01-15 }}\nnext_review: 2026-12-15\n\
         clauses: [\"5.2\"]\nattachments:\n{list}history:\n  - {{ version: \"1.0\", date: 2026-01-10, by: J. Smith, summary: Issued }}\n---\n{body}"
    )
}

/// Raw HTML an attacker would put in a document body, next to markup that is harmless.
const HOSTILE_BODY: &str = "# Policy\n\n<script>window.pwned = 1</script>\n\n\
    Text <img src=x onerror=\"window.pwned = 2\"> and <a href=\"javascript:window.pwned = 3\">a link</a>.\n\n\
    <div><svg><script>window.pwned = 4</script></svg><iframe src=\"https://evil.example/\"></iframe>\
    <style>body { display: none }</style></div>\n\n\
    <details>\n<summary>Details</summary>\n\nPress <kbd>Ctrl</kbd>.\n\n</details>\n";

fn raw_html_tree(allow: bool) -> Fixture {
    Fixture::temp()
        .write("aimsdoc.toml", format!("[documents]\nallow_raw_html = {allow}\n"))
        .write("documents/policy.md", policy(HOSTILE_BODY, &[]))
}

/// The script-capable things of `HOSTILE_BODY` that no page may contain as markup.
fn assert_no_active_markup(doc: &Html, html: &str) {
    for s in ["script:not([src])", "iframe", "style", "svg", "[onerror]", "[onclick]", "a[href^=javascript]"] {
        assert!(doc.select(&sel(s)).next().is_none(), "`{s}` in the page:\n{html}");
    }
}

#[test]
fn every_page_of_the_example_carries_the_csp_and_no_referrer_first_in_head() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let mut pages = 0;
    for path in common::files(&site).into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")) {
        let rel = path.strip_prefix(&site).expect("inside").display().to_string();
        let doc = page(&site, &rel);
        let csp: Vec<&str> = doc
            .select(&sel("head > meta[http-equiv=Content-Security-Policy]"))
            .filter_map(|m| m.value().attr("content"))
            .collect();
        assert_eq!(csp, [CSP], "{rel}");
        let referrer: Vec<&str> =
            doc.select(&sel("head > meta[name=referrer]")).filter_map(|m| m.value().attr("content")).collect();
        assert_eq!(referrer, ["no-referrer"], "{rel}");
        // The policy applies only to what comes after it: nothing may load before it.
        let first_loader = doc.select(&sel("head > link, head > script, head > style")).next().expect("head loads");
        let head_html = doc.select(&sel("head")).next().expect("head").inner_html();
        let csp_at = head_html.find("Content-Security-Policy").expect("csp in head");
        assert!(head_html.find(&first_loader.html()).is_some_and(|at| at > csp_at), "{rel}: loads before the CSP");
        pages += 1;
    }
    assert!(pages > 100, "only {pages} pages");
}

#[test]
fn allowed_raw_html_is_sanitised() {
    let tree = raw_html_tree(true);
    let site = build_site(TODAY, tree.root(), &[]);
    let html = std::fs::read_to_string(site.join("documents/POL-001.html")).expect("page");
    let doc = Html::parse_document(&html);
    assert_no_active_markup(&doc, &html);
    assert!(!html.contains("pwned") && !html.contains("javascript:") && !html.contains("evil"), "{html}");
    // What is harmless survives as markup.
    let main = doc.select(&sel("main")).next().expect("main");
    assert!(main.select(&sel("details > summary")).next().is_some(), "{html}");
    assert!(main.select(&sel("kbd")).next().is_some(), "{html}");
    let img = main.select(&sel("img[src=x]")).next().expect("the image stays, without its handler");
    assert_eq!(img.value().attrs().count(), 1, "{html}");
    let link = main.select(&sel("a")).find(|a| a.text().any(|t| t == "a link")).expect("the link text stays");
    assert_eq!(link.value().attr("href"), None, "{html}");
    assert_eq!(link.value().attr("rel"), Some("noopener noreferrer"), "{html}");
}

#[test]
fn untrusted_escapes_raw_html_even_when_the_tree_allows_it() {
    let tree = raw_html_tree(true);
    aimsdoc().arg("check").arg(tree.root()).arg("--untrusted").assert().code(0);
    let site = build_site(TODAY, tree.root(), &["--untrusted"]);
    let html = std::fs::read_to_string(site.join("documents/POL-001.html")).expect("page");
    let doc = Html::parse_document(&html);
    assert_no_active_markup(&doc, &html);
    // Escaped, not removed: the reader sees what the author wrote.
    assert!(html.contains("&lt;script&gt;window.pwned = 1&lt;/script&gt;"), "{html}");
    assert!(doc.select(&sel("main .body details, main .body kbd")).next().is_none(), "raw HTML became markup:\n{html}");
}

#[test]
fn active_evidence_is_published_under_a_neutral_name_and_downloaded() {
    let script = "<html><body><script>document.title = 'pwned'</script></body></html>\n";
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n";
    let tree = Fixture::temp()
        .write(
            "documents/policy.md",
            policy(
                "# Policy\n\nSee [the export](../evidence/x.html) and [the log](../evidence/log.csv).\n",
                &["x.html", "y.SVG", "log.csv"],
            ),
        )
        .write("evidence/x.html", script)
        .write("evidence/y.SVG", svg)
        .write("evidence/log.csv", "a,b\n1,2\n");
    let site = build_site(TODAY, tree.root(), &[]);

    let published: Vec<String> = common::files(&site.join("files"))
        .iter()
        .map(|p| p.strip_prefix(&site).expect("inside").display().to_string())
        .collect();
    assert_eq!(
        published,
        ["files/evidence/log.csv", "files/evidence/x.html.download", "files/evidence/y.SVG.download"],
        "nothing active keeps its extension"
    );
    assert_eq!(std::fs::read_to_string(site.join("files/evidence/x.html.download")).expect("copied"), script);
    pages_link_active_files_as_downloads(&site);
    sums_and_manifest_follow_published_names(&site);
}

/// The document page and the evidence index link active files under their neutral names with a
/// `download` attribute giving the original name; the index shows the name in the tree.
fn pages_link_active_files_as_downloads(site: &Path) {
    let downloads = |rel: &str| -> Vec<(String, String)> {
        page(site, rel)
            .select(&sel("main a[href*='files/']"))
            .map(|a| {
                let attr = |n: &str| a.value().attr(n).unwrap_or("-").to_string();
                (attr("href"), attr("download"))
            })
            .collect()
    };
    let document = downloads("documents/POL-001.html");
    // The body link and the attachment row of x.html; the attachment row of y.SVG.
    for (href, name, count) in
        [("../files/evidence/x.html.download", "x.html", 2), ("../files/evidence/y.SVG.download", "y.SVG", 1)]
    {
        let links: Vec<&(String, String)> = document.iter().filter(|(h, _)| h == href).collect();
        assert_eq!(links.len(), count, "{href}: {document:?}");
        assert!(links.iter().all(|(_, d)| d == name), "{document:?}");
    }
    assert!(document.iter().filter(|(h, _)| h.ends_with("log.csv")).all(|(_, d)| d == "-"), "{document:?}");
    let index = downloads("evidence.html");
    assert!(index.contains(&("files/evidence/x.html.download".into(), "x.html".into())), "{index:?}");
    assert!(index.contains(&("files/evidence/y.SVG.download".into(), "y.SVG".into())), "{index:?}");
    assert!(index.contains(&("files/evidence/log.csv".into(), "-".into())), "{index:?}");
    // The index names the file as it is in the tree.
    let shown: Vec<String> =
        page(site, "evidence.html").select(&sel("#evidence .file-path")).map(|e| e.text().collect()).collect();
    assert_eq!(shown, ["evidence/log.csv", "evidence/x.html", "evidence/y.SVG"]);
}

/// Same bytes, same hashes: the sums and the manifest follow the published names, and both
/// `aimsdoc verify` and `sha256sum -c` accept the site.
fn sums_and_manifest_follow_published_names(site: &Path) {
    let sums = std::fs::read_to_string(site.join("SHA256SUMS")).expect("sums");
    assert!(sums.contains("  files/evidence/x.html.download\n"), "{sums}");
    let manifest = std::fs::read_to_string(site.join("manifest.json")).expect("manifest");
    assert!(manifest.contains("files/evidence/y.SVG.download"), "{manifest}");
    aimsdoc().arg("verify").arg(site).assert().code(0);
    let sha = Process::new("sha256sum").args(["-c", "--quiet", "SHA256SUMS"]).current_dir(site).output();
    let sha = sha.expect("GNU sha256sum is installed");
    assert!(sha.status.success(), "{}", String::from_utf8_lossy(&sha.stdout));
}
