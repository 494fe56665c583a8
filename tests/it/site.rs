//! HTML assertions on the real built example portal, plus the build's safety properties:
//! atomic failure, determinism, output-directory rules and escaping.

use scraper::Html;

use crate::common::{
    aimsdoc_on, build_on, copy_example, example, markdown_files, read_html, sel, sha256, snapshot, stderr,
    EXAMPLE_TODAY,
};

#[test]
fn register_has_one_row_per_document_and_exports_agree() {
    let out = tempfile::tempdir().expect("tempdir");
    build_on(EXAMPLE_TODAY, &example(), out.path()).success();
    let docs = markdown_files(&example().join("documents")).len();
    assert!(docs >= 30, "the example has at least 30 documents, found {docs}");
    let html = read_html(&out.path().join("register.html"));
    assert_eq!(html.select(&sel("table#register tbody tr")).count(), docs);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("register.json")).expect("json")).expect("parses");
    assert_eq!(json.as_array().map(Vec::len), Some(docs));
    let csv = std::fs::read_to_string(out.path().join("register.csv")).expect("csv");
    assert_eq!(csv.lines().count(), docs + 1, "header plus one line per document");
}

/// The rows of every part of list `name` in `site` (`assets/NAME/N.js`, each a script calling
/// `window.AIMSDOC_PART("NAME", N, rows)`), in part order.
fn part_rows(site: &std::path::Path, name: &str, parts: usize) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for n in 0..parts {
        let text = std::fs::read_to_string(site.join(format!("assets/{name}/{n}.js"))).expect("part");
        let json = text
            .strip_prefix(&format!("window.AIMSDOC_PART(\"{name}\", {n}, "))
            .and_then(|t| t.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("part {n} of {name} registers itself: {text:.80}"));
        let part: Vec<Vec<String>> = serde_json::from_str(json).expect("part rows");
        assert!(!part.is_empty() && part.len() <= 7, "part {n}: {} rows", part.len());
        rows.extend(part);
    }
    assert!(!site.join(format!("assets/{name}/{parts}.js")).exists(), "no part beyond the count");
    rows
}

/// A register longer than one part keeps its first page in the HTML and every row, in register
/// order, in its script parts; the evidence index likewise. Below the threshold nothing splits.
#[test]
fn long_tables_split_into_parts_that_hold_every_row() {
    let out = tempfile::tempdir().expect("tempdir");
    aimsdoc_on(EXAMPLE_TODAY)
        .env("AIMSDOC_PART_ROWS", "7")
        .arg("build")
        .arg(example())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(out.path().join("register.json")).expect("json")).expect("parses");
    let html = read_html(&out.path().join("register.html"));
    let table = html.select(&sel("table#register")).next().expect("table");
    let parts: usize = table.value().attr("data-parts").expect("split").parse().expect("count");
    assert_eq!(parts, json.len().div_ceil(7));
    assert_eq!(table.value().attr("data-fields").map(|f| f.split(' ').next()), Some(Some("id")));
    assert_eq!(html.select(&sel("table#register tbody tr")).count(), 7, "the first page only");
    let ids: Vec<String> = part_rows(out.path(), "register", parts).into_iter().map(|r| r[0].clone()).collect();
    let expected: Vec<&str> = json.iter().filter_map(|d| d["id"].as_str()).collect();
    assert_eq!(ids, expected);

    let evidence: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(out.path().join("evidence.json")).expect("json")).expect("parses");
    let html = read_html(&out.path().join("evidence.html"));
    let table = html.select(&sel("table#evidence")).next().expect("table");
    let parts: usize = table.value().attr("data-parts").expect("split").parse().expect("count");
    let paths: Vec<String> = part_rows(out.path(), "evidence", parts).into_iter().map(|r| r[1].clone()).collect();
    let expected: Vec<&str> = evidence.iter().filter_map(|r| r["path"].as_str()).collect();
    assert_eq!(paths, expected);

    let whole = tempfile::tempdir().expect("tempdir");
    build_on(EXAMPLE_TODAY, &example(), whole.path()).success();
    assert!(!whole.path().join("assets/register").exists() && !whole.path().join("assets/evidence").exists());
    let html = read_html(&whole.path().join("register.html"));
    assert_eq!(html.select(&sel("table#register")).next().and_then(|t| t.value().attr("data-parts")), None);
}

/// Search finds clause and control numbers: the index's vocabulary holds `6.1.3` and
/// `a.6.2.4`, and the manifest the search page loads first names every vocabulary part.
#[test]
fn the_search_index_is_a_small_manifest_and_parts() {
    let out = tempfile::tempdir().expect("tempdir");
    build_on(EXAMPLE_TODAY, &example(), out.path()).success();
    let manifest = std::fs::read_to_string(out.path().join("assets/search-index.js")).expect("manifest");
    let json: serde_json::Value = serde_json::from_str(
        manifest.strip_prefix("window.AIMSDOC_SEARCH = ").and_then(|t| t.strip_suffix(";\n")).expect("manifest shape"),
    )
    .expect("manifest json");
    let chunks = json["chunks"].as_array().map(Vec::len).expect("chunks");
    assert!(manifest.len() < 1024, "{} bytes", manifest.len());
    let mut vocab = String::new();
    for n in 0..chunks {
        vocab += &std::fs::read_to_string(out.path().join(format!("assets/search/t{n}.js"))).expect("part");
    }
    for term in ["\"6.1.3\"", "\"a.6.2.4\"", "\"^a.6.2.4\"", "\"assessment\""] {
        assert!(vocab.contains(term), "{term} indexed");
    }
}

#[test]
fn every_document_page_shows_the_sha256_of_its_source() {
    let out = tempfile::tempdir().expect("tempdir");
    build_on(EXAMPLE_TODAY, &example(), out.path()).success();
    let id_sel = sel("p.doc-id");
    let hash_sel = sel(".control-block code.hash");
    let source_sel = sel(".control-block dd code");
    let mut seen = 0;
    for entry in std::fs::read_dir(out.path().join("documents")).expect("documents dir") {
        let page = read_html(&entry.expect("entry").path());
        assert!(page.select(&id_sel).next().is_some());
        let hash = page.select(&hash_sel).next().expect("hash cell").text().collect::<String>();
        let source = page.select(&source_sel).next().expect("source cell").text().collect::<String>();
        let bytes = std::fs::read(example().join(&source)).expect("source exists");
        assert_eq!(hash, sha256(&bytes), "{source}");
        seen += 1;
    }
    assert_eq!(seen, markdown_files(&example().join("documents")).len());
}

#[test]
fn evidence_hashes_match_the_copied_files() {
    let out = tempfile::tempdir().expect("tempdir");
    build_on(EXAMPLE_TODAY, &example(), out.path()).success();
    let row = sel("section[aria-labelledby=evidence-heading] tbody tr");
    let link = sel("a");
    let code = sel("code.hash");
    let mut checked = 0;
    for entry in std::fs::read_dir(out.path().join("documents")).expect("documents dir") {
        let page = read_html(&entry.expect("entry").path());
        for tr in page.select(&row) {
            let href = tr.select(&link).next().and_then(|a| a.value().attr("href")).expect("link");
            let hash = tr.select(&code).next().expect("hash").text().collect::<String>();
            let file = out.path().join("documents").join(href);
            let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert_eq!(hash, sha256(&bytes));
            checked += 1;
        }
    }
    assert!(checked > 5, "the example attaches evidence ({checked} rows)");
}

#[test]
fn every_local_link_in_the_site_resolves_and_is_relative() {
    let out = tempfile::tempdir().expect("tempdir");
    build_on(EXAMPLE_TODAY, &example(), out.path()).success();
    let links = sel("a[href], link[href], img[src], script[src]");
    let mut count = 0;
    for (rel, bytes) in snapshot(out.path()) {
        if !rel.ends_with(".html") {
            continue;
        }
        let page = Html::parse_document(&String::from_utf8(bytes).expect("utf-8"));
        let dir = out.path().join(&rel).parent().expect("parent").to_path_buf();
        for el in page.select(&links) {
            let target = el.value().attr("href").or_else(|| el.value().attr("src")).expect("attr");
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
                || target.starts_with('#')
            {
                continue;
            }
            assert!(!target.starts_with('/'), "{rel}: absolute link {target}");
            let path = target.split('#').next().unwrap_or_default();
            let decoded = path.replace("%20", " ");
            assert!(dir.join(&decoded).is_file(), "{rel}: link {target} does not resolve");
            count += 1;
        }
    }
    assert!(count > 1000, "checked {count} links");
}

#[test]
fn catalog_pages_exist_for_every_clause_and_control() {
    let out = tempfile::tempdir().expect("tempdir");
    build_on(EXAMPLE_TODAY, &example(), out.path()).success();
    let clauses = std::fs::read_dir(out.path().join("clauses")).expect("clauses").count();
    let annex = std::fs::read_dir(out.path().join("annex-a")).expect("annex-a").count();
    assert_eq!(clauses, 43 + 1, "43 clause pages and the index");
    assert_eq!(annex, 11 + 38 + 1, "11 objectives, 38 controls and the index");
    let page = read_html(&out.path().join("clauses/5.2.html"));
    let rows: Vec<String> = page
        .select(&sel("section[aria-labelledby=docs-heading] tbody tr td:first-child a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(rows.contains(&"POL-001".to_string()), "{rows:?}");
}

#[test]
fn builds_are_byte_identical() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    build_on(EXAMPLE_TODAY, &example(), a.path()).success();
    build_on(EXAMPLE_TODAY, &example(), b.path()).success();
    assert_eq!(snapshot(a.path()), snapshot(b.path()));
}

#[test]
fn failed_build_leaves_the_previous_site_untouched() {
    let tree = tempfile::tempdir().expect("tempdir");
    copy_example(tree.path());
    let out = tree.path().join("published");
    build_on(EXAMPLE_TODAY, tree.path(), &out).success();
    let before = snapshot(&out);
    let policy = tree.path().join("documents/02-leadership/pol-001-ai-policy.md");
    let text = std::fs::read_to_string(&policy).expect("policy");
    std::fs::write(&policy, text.replacen("owner: Chief AI Officer", "owner:", 1)).expect("write");
    build_on(EXAMPLE_TODAY, tree.path(), &out).code(1);
    assert_eq!(snapshot(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(tree.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("aimsdoc-"))
        .collect();
    assert!(leftovers.is_empty(), "no staging directory is left behind");
}

#[test]
fn refuses_dangerous_output_directories() {
    let tree = tempfile::tempdir().expect("tempdir");
    copy_example(tree.path());
    build_on(EXAMPLE_TODAY, tree.path(), tree.path()).code(2);
    build_on(EXAMPLE_TODAY, tree.path(), &tree.path().join("documents/x")).code(2);
    let foreign = tempfile::tempdir().expect("tempdir");
    std::fs::write(foreign.path().join("precious.txt"), "keep me").expect("write");
    let assert = build_on(EXAMPLE_TODAY, tree.path(), foreign.path()).code(2);
    let err = stderr(&assert);
    assert!(err.contains("not created by aimsdoc"), "{err}");
    assert_eq!(std::fs::read_to_string(foreign.path().join("precious.txt")).expect("kept"), "keep me");
}

#[test]
fn document_text_is_escaped_everywhere() {
    let tree = tempfile::tempdir().expect("tempdir");
    let docs = tree.path().join("documents");
    std::fs::create_dir_all(&docs).expect("mkdir");
    std::fs::write(
        docs.join("x.md"),
        "---\nid: POL-001\ntitle: \"<script>alert('t')</script>\"\ntype: policy\nowner: \"<img src=x onerror=alert(1)>\"\nversion: \"1.0\"\nstatus: draft\n---\n\n<script>alert('body')</script>\n\n[click](javascript:alert(1))\n",
    )
    .expect("write");
    let out = tree.path().join("out");
    // The javascript: link is an error, so the build must fail and write nothing...
    build_on(EXAMPLE_TODAY, tree.path(), &out).code(1);
    assert!(!out.exists());
    // ...and without it, the rest is escaped.
    let text = std::fs::read_to_string(docs.join("x.md")).expect("read");
    std::fs::write(docs.join("x.md"), text.replace("[click](javascript:alert(1))", "")).expect("write");
    build_on(EXAMPLE_TODAY, tree.path(), &out).success();
    for (rel, bytes) in snapshot(&out) {
        // JSON and CSV carry the text as data; only HTML must never contain it as markup.
        if rel.ends_with(".html") {
            let s = String::from_utf8(bytes).expect("utf-8");
            assert!(!s.contains("<script>alert"), "{rel} contains an unescaped script");
            assert!(!s.contains("<img src=x"), "{rel} contains an unescaped img");
        }
    }
}
