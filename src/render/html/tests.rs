//! The pages written directly must be the pages their templates render, byte for byte: the page
//! of every document (`document.html`) and of every clause, objective and control
//! (`catalog_entry.html`), in every fixture tree, in the example (also with its history replayed
//! into git, for the Versions table and the in-force banners) and in a tree whose every field
//! holds markup, rendered both ways; and the escaping both share.

use std::path::Path;

use crate::catalog;
use crate::config::Trust;
use crate::content::types::parse_date;
use crate::render::{document_page, entry_page, pages, Theme};
use crate::site::{self, Checked, Options};

/// Renders every document and every catalog entry of `checked` both ways; returns how many
/// pages were compared.
fn compare_all(name: &str, checked: &Checked, theme: &Theme) -> usize {
    let cx = checked.render_cx(theme, "ab".repeat(32));
    for (i, d) in checked.tree.documents.iter().enumerate() {
        let templated = pages::document_from_templates(&cx, i).expect("templated page");
        let written = document_page::render(&cx, i).expect("written page");
        same(name, d.id.value.as_str(), &written, &templated);
    }
    let entries = &catalog::iso42001().entries;
    for entry in entries {
        let templated = pages::catalog_entry_from_templates(&cx, entry).expect("templated page");
        let written = entry_page::render(&cx, entry).expect("written page");
        same(name, &entry.id, &written, &templated);
    }
    checked.tree.documents.len() + entries.len()
}

/// Fails, showing where, unless the `written` page of `page` is the `templated` one.
fn same(tree: &str, page: &str, written: &str, templated: &str) {
    if written != templated {
        let at = written.bytes().zip(templated.bytes()).take_while(|(a, b)| a == b).count();
        let from = at.saturating_sub(200);
        panic!(
            "{tree}: page {page} differs at byte {at}\n--- written:\n{}\n--- templated:\n{}",
            written.get(from..(at + 200).min(written.len())).unwrap_or_default(),
            templated.get(from..(at + 200).min(templated.len())).unwrap_or_default(),
        );
    }
}

fn options(root: &Path) -> Options {
    options_on(root, "2026-06-01")
}

fn options_on(root: &Path, today: &str) -> Options {
    Options { root: root.to_path_buf(), strict: false, today: parse_date(today).expect("date"), trust: Trust::Trusted }
}

/// Checks `root` (without git) and compares its pages; `None` when the tree does not load (a
/// fixture of a broken configuration).
fn compare_tree(root: &Path) -> Option<usize> {
    let checked = site::check_history(&options(root), false).ok()?;
    let theme = Theme::load(root, &checked.config).ok()?;
    Some(compare_all(&root.display().to_string(), &checked, &theme))
}

#[test]
fn every_fixture_page_written_directly_is_the_templated_page() {
    let crate_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut roots: Vec<_> = std::fs::read_dir(crate_root.join("tests/fixtures"))
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    roots.sort();
    roots.push(crate_root.join("content-example"));
    let pages: usize = roots.iter().filter_map(|r| compare_tree(r)).sum();
    assert!(pages > 1000, "only {pages} pages compared");
}

#[test]
fn the_example_with_its_git_history_renders_the_same_both_ways() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dest = tmp.path().join("aims");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example/make-history.sh");
    let out = std::process::Command::new("bash").arg(&script).arg(&dest).output().expect("run make-history.sh");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A draft over the approved version in git: the page says which version stays in force.
    let policy = dest.join("documents/02-leadership/pol-001-ai-policy.md");
    let text = std::fs::read_to_string(&policy).expect("policy");
    let draft =
        text.replacen("status: approved", "status: draft", 1).replacen("version: \"2.1\"", "version: \"2.2\"", 1);
    std::fs::write(&policy, draft).expect("write");
    let checked = site::check_with(&options_on(&dest, "2026-11-30"), |config| crate::provenance::read(&dest, config))
        .expect("check");
    assert!(matches!(checked.provenance, crate::provenance::Provenance::Available(_)));
    let theme = Theme::load(&dest, &checked.config).expect("theme");
    let cx = checked.render_cx(&theme, String::new());
    let drafted = checked.tree.documents.iter().position(|d| d.path.ends_with("pol-001-ai-policy.md")).expect("policy");
    assert!(pages::document_from_templates(&cx, drafted).expect("page").contains("banner-in-force"));
    compare_all("example with history", &checked, &theme);
}

#[test]
fn markup_in_every_field_is_escaped_the_same_both_ways() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    // Double-quoted in both TOML and YAML, where `\"` is a quote.
    let hostile = r#""<b>&amp;\"it's\"</b>""#;
    std::fs::write(
        root.join("aimsdoc.toml"),
        format!("[site]\ntitle = {hostile}\norganisation = {hostile}\nfooter = {hostile}\n\n[release]\nsigner = \"ops@example.org\"\n"),
    )
    .expect("config");
    std::fs::create_dir_all(root.join("documents")).expect("mkdir");
    let doc = |id: &str, extra: &str| {
        format!(
            "---\nid: {id}\ntitle: {hostile}\ntype: policy\nowner: {hostile}\nversion: \"1.0\"\nstatus: approved\n\
             approval: {{ by: {hostile}, date: 2026-01-10 }}\neffective: 2026-01-11\nnext_review: 2026-05-01\n\
             classification: internal\nclauses: [\"5.2\", \"7.5\"]\ncontrols: [\"A.2.2\"]\n\
             frameworks: {{ nist-ai-rmf: [\"GOVERN 1.1\"], {hostile}: [{hostile}] }}\n\
             history:\n  - {{ version: \"1.0\", date: 2026-01-10, by: {hostile}, summary: {hostile} }}\n\
             reviews:\n  - {{ date: 2026-01-09, by: {hostile}, outcome: no-change }}\n  - {{ date: 2026-01-08, by: x }}\n{extra}---\n\
             # One\n\n## Two {hostile}\n\n## 3. Three\n\nSee [POL-002](POL-002.md).\n"
        )
    };
    std::fs::create_dir_all(root.join("evidence")).expect("mkdir");
    std::fs::write(root.join("evidence/report.html"), "<p>an active file</p>").expect("evidence");
    std::fs::write(root.join("evidence/data.csv"), "a,b\n").expect("evidence");
    let files = "attachments: [report.html, data.csv]\n";
    std::fs::write(root.join("documents/a.md"), doc("POL-001", &format!("related: [POL-002]\n{files}"))).expect("doc");
    std::fs::write(root.join("documents/b.md"), doc("POL-002", "supersedes: POL-001\n")).expect("doc");
    let checked = site::check_history(&options(root), false).expect("check");
    let theme = Theme::load(root, &checked.config).expect("theme");
    assert_eq!(checked.tree.documents.len(), 2);
    compare_all("markup", &checked, &theme);
    let cx = checked.render_cx(&theme, String::new());
    let page = document_page::render(&cx, 0).expect("page");
    let escaped = "&lt;b&gt;&amp;amp;&quot;it&#39;s&quot;&lt;/b&gt;";
    assert!(page.matches(escaped).count() >= 8 && !page.contains("<b>"), "{page}");
    assert!(page.contains("download=\"report.html\""), "{page}");
    assert!(page.contains("Releases are signed by <strong class=\"release-signer\">ops@example.org</strong>"));
    // The clause page lists both documents and their attachments, escaped the same way.
    let clause = catalog::iso42001().get("5.2").expect("clause 5.2");
    let page = entry_page::render(&cx, clause).expect("clause page");
    assert!(page.matches(escaped).count() >= 4 && !page.contains("<b>"), "{page}");
    assert!(page.contains("download=\"report.html\"") && page.contains(">POL-002</a>"), "{page}");
}

#[test]
fn escaping_skips_plain_text_a_word_at_a_time_and_changes_exactly_the_five_bytes() {
    // The oracle: the five characters replaced one character at a time.
    let byte_by_byte = |value: &str| {
        let mut out = String::new();
        for c in value.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                _ => out.push(c),
            }
        }
        out
    };
    // Every special byte at every place of words of every length around 8 and 16, among
    // plain ASCII, non-ASCII letters and the bytes next to the special ones.
    let fillers = ["a", "%", "=", "?", "é", "\u{1F600}", "\u{7f}", "\u{80}", "\u{26}\u{301}"];
    for special in ["&", "<", ">", "\"", "'"] {
        for filler in fillers {
            for len in 0..20 {
                for at in 0..=len {
                    let value = format!("{}{special}{}", filler.repeat(at), filler.repeat(len - at));
                    let mut escaped = super::Html::with_capacity(0);
                    escaped.text(&value);
                    assert_eq!(escaped.finish(), byte_by_byte(&value), "{value:?}");
                }
            }
        }
    }
    for value in ["", "plain text longer than sixteen bytes", "<<&&>>\"\"''", "x".repeat(64).as_str()] {
        let mut escaped = super::Html::with_capacity(0);
        escaped.text(value);
        assert_eq!(escaped.finish(), byte_by_byte(value));
    }
}

#[test]
fn the_word_check_finds_exactly_the_five_bytes() {
    // A word with one or two given bytes in it, the rest plain, at both ends of the word: the
    // check merges `&` with `'` and `<` with `>` by setting a bit, so a byte one bit away (`$`,
    // `%`, `:`, `=`, `?`...) taken for one of them would be a wasted byte-by-byte scan, and a
    // byte missed would be markup let through.
    let special = |b: u8| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    for first in 0..=u8::MAX {
        for second in 0..=u8::MAX {
            let expected = special(first) || special(second);
            for word in [
                [first, second, b'a', b'a', b'a', b'a', b'a', b'a'],
                [b'a', b'a', b'a', b'a', b'a', b'a', first, second],
            ] {
                assert_eq!(super::word_has_special(u64::from_ne_bytes(word)), expected, "{word:?}");
            }
        }
    }
}
