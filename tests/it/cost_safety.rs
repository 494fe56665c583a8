//! Hostile but small inputs must not cost hours or gigabytes (issue 9, item 11 and the low
//! items): each case of `bench/hostile.py`, scaled down, asserting the outcome (a finding,
//! unique anchors, plain code, output bounded in bytes), never wall-clock time. Also the dev
//! server's Host and header checks, escaped control characters in findings, full-width CSV
//! formula starts and autolinked e-mail addresses.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use scraper::Html;

use crate::common::{self, sel, Fixture, TODAY};

/// A draft document with `extra` front matter lines and `body`.
fn doc(id: &str, title: &str, extra: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\ntype: policy\nowner: Chief AI Officer\nversion: \"1.0\"\nstatus: draft\n{extra}---\n{body}"
    )
}

/// Builds `fx` into a new folder beside the content root; the exit code and that folder.
fn build_beside(fx: &Fixture) -> (i32, PathBuf) {
    let out = fx.outside().join("site");
    let built = common::build(fx.root(), &out);
    (built.get_output().status.code().expect("exit code"), out)
}

/// The page of the document `id`, as text.
fn document_html(site: &Path, id: &str) -> String {
    std::fs::read_to_string(site.join("documents").join(format!("{id}.html"))).expect("document page")
}

fn total_bytes(dir: &Path) -> u64 {
    common::files(dir).iter().map(|f| f.metadata().expect("metadata").len()).sum()
}

#[test]
fn identical_headings_get_unique_anchors() {
    let mut body = "## Same\n\n".repeat(5_000);
    body.push_str("## Same-1\n\n## Other {#same}\n");
    let fx = Fixture::temp().write("documents/a.md", doc("POL-001", "Headings", "", &body));
    let (code, site) = build_beside(&fx);
    assert_eq!(code, 0);
    let html = Html::parse_document(&document_html(&site, "POL-001"));
    let h2 = sel("div.body h2[id]");
    let ids: Vec<&str> = html.select(&h2).filter_map(|h| h.value().attr("id")).collect();
    let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
    assert_eq!((ids.len(), unique.len()), (5_002, 5_002));
    // The literal `Same-1` heading and the explicit `{#same}` find their names taken.
    assert_eq!(&ids[..3], ["same", "same-1", "same-2"]);
    assert_eq!(&ids[5_000..], ["same-1-1", "same-5000"]);
}

#[test]
fn unknown_related_ids_are_reported_with_suggestions() {
    let mut fx = Fixture::temp();
    let (docs, unknown) = (300, 30);
    for i in 0..docs {
        let related: Vec<String> = (0..unknown).map(|j| format!("ZZ-{i:03}-{j:03}")).collect();
        let extra = format!("related: [{}]\n", related.join(", "));
        fx = fx.write(&format!("documents/p{i:03}.md"), doc(&format!("POL-{i:04}"), "P", &extra, "Body.\n"));
    }
    fx = fx.write("documents/typo.md", doc("PRC-0001", "T", "related: [POL-01O2]\n", "Body.\n"));
    let checked = fx.check();
    assert_eq!(checked.diags.iter().filter(|d| d.code == "LK003").count(), docs * unknown + 1, "{}", checked.dump());
    checked.hint("LK003", "documents/typo.md", 8, "did you mean `POL-0102` (P)?");
}

#[test]
fn a_huge_code_block_is_escaped_plain_text() {
    let line = "fn main() { let v: Vec<u8> = vec![1, 2, 3]; println!(\"{v:?} <b>\"); }\n";
    let big = line.repeat(200 * 1024 / line.len());
    let body = format!("```rust\nfn small() {{}}\n```\n\n```rust\n{big}```\n");
    let fx = Fixture::temp().write("documents/a.md", doc("POL-001", "Code", "", &body));
    let (code, site) = build_beside(&fx);
    assert_eq!(code, 0);
    let html = document_html(&site, "POL-001");
    let blocks: Vec<&str> = html.split("<pre class=\"code\">").skip(1).collect();
    assert_eq!(blocks.len(), 2);
    assert!(blocks[0].contains("<span class=\"hl-"), "the small block is highlighted");
    let huge = blocks[1].split("</pre>").next().expect("block");
    assert!(!huge.contains("<span") && !huge.contains("style="), "the huge block is plain");
    assert!(huge.contains("&lt;b&gt;") && !huge.contains("<b>"));
    // Plain text costs the escaped bytes and nothing more.
    assert!(html.len() < big.len() * 3 / 2, "{} bytes of page for {} of code", html.len(), big.len());
}

#[test]
fn huge_titles_are_a_finding_and_nothing_is_built() {
    let n = 10;
    let mut fx = Fixture::temp();
    let all: Vec<String> = (0..n).map(|i| format!("POL-{i:03}")).collect();
    for (i, id) in all.iter().enumerate() {
        let others: Vec<&str> = all.iter().filter(|o| *o != id).map(String::as_str).collect();
        let title = format!("T{i} {}", "x".repeat(20_000));
        fx = fx
            .write(&format!("documents/{id}.md"), doc(id, &title, &format!("related: [{}]\n", others.join(", ")), ""));
    }
    let checked = fx.check();
    for id in &all {
        checked.has_at("ID013", &format!("documents/{id}.md"), 3, 8);
    }
    checked.message("ID013", "documents/POL-000.md", 3, "at most 300");
    let (code, site) = build_beside(&fx);
    assert_eq!(code, 1);
    assert!(!site.exists(), "a failed build wrote {}", site.display());
}

#[test]
fn titles_and_lists_at_their_caps_keep_the_site_bounded() {
    let n = 30;
    let mut fx = Fixture::temp();
    let all: Vec<String> = (0..n).map(|i| format!("POL-{i:03}")).collect();
    for (i, id) in all.iter().enumerate() {
        let others: Vec<&str> = all.iter().filter(|o| *o != id).map(String::as_str).collect();
        let title = format!("T{i} {}", "x".repeat(296));
        fx = fx
            .write(&format!("documents/{id}.md"), doc(id, &title, &format!("related: [{}]\n", others.join(", ")), ""));
    }
    let (code, site) = build_beside(&fx);
    assert_eq!(code, 0);
    // Each page shows every title a few times (sidebar, related, backlinks, register): bounded
    // by pages x documents x title, about 92 catalog pages plus 30 documents x 30 x 300 x 4.
    let bytes = total_bytes(&site);
    assert!(bytes < 12_000_000, "{bytes} bytes");
}

#[test]
fn values_and_lists_past_their_caps_are_findings_at_the_field() {
    let related: Vec<String> = (0..201).map(|i| format!("X-{i}")).collect();
    let history = "  - { version: \"1.0\", by: A }\n".repeat(1_001);
    let extra = format!(
        "related: [{}]\nhistory:\n{history}approval: {{ by: {}, date: 2026-01-01 }}\n",
        related.join(", "),
        "B".repeat(201)
    );
    let fx = Fixture::temp().write("documents/a.md", doc("POL-001", "Caps", &extra, "Body.\n"));
    let checked = fx.check();
    checked.has_at("ID014", "documents/a.md", 8, 1).message("ID014", "documents/a.md", 8, "201 entries");
    checked.has_at("ID014", "documents/a.md", 9, 1).message("ID014", "documents/a.md", 9, "at most 1000");
    checked.has("ID013", "documents/a.md", 1_011).hint("ID013", "documents/a.md", 1_011, "at most 200 characters");
    // Cut to the cap: 200 unknown related ids reported, not 201.
    assert_eq!(checked.diags.iter().filter(|d| d.code == "LK003").count(), 200);
}

#[test]
fn control_characters_in_findings_are_escaped() {
    let fx = Fixture::temp().write("documents/a\u{1b}[31m.md", doc("POL\\e]0;pwned\\a", "T", "", "Body.\n"));
    let fx = fx.edit("documents/a\u{1b}[31m.md", "id: POL\\e]0;pwned\\a", "id: \"POL\\e]0;pwned\\a\"");
    for format in ["human", "github"] {
        let out = common::aimsdoc().arg("check").arg(fx.root()).args(["--format", format]).output().expect("run");
        assert_eq!(out.status.code(), Some(1));
        let text = [out.stdout, out.stderr].concat();
        assert!(!text.iter().any(|&b| b == 0x1b || b == 0x07), "{format}: {}", String::from_utf8_lossy(&text));
        let text = String::from_utf8_lossy(&text);
        assert!(text.contains("a\\u{1b}[31m.md") && text.contains("POL\\u{1b}]0;pwned\\u{7}"), "{format}: {text}");
    }
}

#[test]
fn full_width_formula_starts_are_neutralised_in_the_csv() {
    let fx = Fixture::temp()
        .write("documents/a.md", doc("POL-001", "\"＝HYPERLINK(\\\"http://x\\\")\"", "", "Body.\n"))
        .write("documents/b.md", doc("POL-002", "＠SUM(A1)", "", "Body.\n"));
    let (code, site) = build_beside(&fx);
    assert_eq!(code, 0);
    let csv = std::fs::read_to_string(site.join("register.csv")).expect("register.csv");
    assert!(csv.contains("'＝HYPERLINK") && csv.contains("'＠SUM"), "{csv}");
}

#[test]
fn autolinked_addresses_are_mail_links() {
    let fx = Fixture::temp().write("documents/a.md", doc("POL-001", "Contact", "", "Write to <dpo@example.org>.\n"));
    fx.check().clean();
    let (code, site) = build_beside(&fx);
    assert_eq!(code, 0);
    assert!(document_html(&site, "POL-001").contains("href=\"mailto:dpo@example.org\""));
}

// ---- serve -----------------------------------------------------------------------------------

struct Serve(Child, String);

impl Serve {
    fn start(root: &Path) -> Serve {
        let child = common::aimsdoc_process(TODAY)
            .arg("serve")
            .arg(root)
            .args(["--port", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start aimsdoc serve");
        // Owned from here on, so a failed start still kills the child (Drop).
        let mut server = Serve(child, String::new());
        let mut lines = BufReader::new(server.0.stderr.take().expect("stderr")).lines();
        for line in lines.by_ref().map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("serving on http://") {
                server.1 = rest.split('/').next().expect("address").to_string();
                break;
            }
        }
        assert!(!server.1.is_empty(), "aimsdoc serve did not start");
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        server
    }

    /// The status code of a raw request with `headers`.
    fn status(&self, headers: &str) -> u16 {
        let mut s = TcpStream::connect(&self.1).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        write!(s, "GET / HTTP/1.1\r\n{headers}Connection: close\r\n\r\n").expect("send");
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw);
        text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0)
    }
}

impl Drop for Serve {
    /// Stops the server as Ctrl-C would (so it removes its temporary site), or kills it.
    fn drop(&mut self) {
        common::stop(&mut self.0);
    }
}

#[test]
fn serve_answers_loopback_hosts_only_and_caps_headers() {
    let fx = Fixture::temp().write("documents/a.md", doc("POL-001", "A", "", "Body.\n"));
    let server = Serve::start(fx.root());
    let port = server.1.rsplit(':').next().expect("port").to_string();
    for host in [server.1.clone(), format!("localhost:{port}"), format!("[::1]:{port}"), "LocalHost".into()] {
        assert_eq!(server.status(&format!("Host: {host}\r\n")), 200, "{host}");
    }
    for host in ["attacker.example", &format!("attacker.example:{port}"), "127.0.0.1.attacker.example"] {
        assert_eq!(server.status(&format!("Host: {host}\r\n")), 421, "{host}");
    }
    assert_eq!(server.status(""), 421, "no Host header");
    let big = format!("Host: {}\r\nX-Pad: {}\r\n", server.1, "a".repeat(9 * 1024));
    assert_eq!(server.status(&big), 431);
}
