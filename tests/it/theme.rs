//! Branding and navigation: `[site] logo` and `accent` (validated when the configuration loads,
//! applied through `assets/brand.css` without inline styles), the sidebar built from the tree,
//! and breadcrumbs on every page. Each test builds a starter tree (`aimsdoc init`) or the example.

use std::path::{Path, PathBuf};

use crate::common::{self, aimsdoc_on, build_on, build_site, example, page, sel, stderr, EXAMPLE_TODAY};

/// A starter tree (`aimsdoc init`) in a temporary directory whose `[site]` section starts with
/// `site_lines`.
fn starter(site_lines: &str) -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = common::starter();
    let config = root.join("aimsdoc.toml");
    let text = std::fs::read_to_string(&config).expect("starter config");
    std::fs::write(&config, text.replacen("[site]\n", &format!("[site]\n{site_lines}\n"), 1)).expect("write config");
    (tmp, root)
}

/// Builds `root` into `site/` beside it; the (unchecked) outcome and that folder.
fn build_beside(root: &Path) -> (assert_cmd::assert::Assert, PathBuf) {
    let out = root.parent().expect("parent").join("site");
    (build_on(EXAMPLE_TODAY, root, &out), out)
}

const LOGO: &str =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>";

#[test]
fn accent_and_logo_brand_every_page_without_inline_styles() {
    let (_tmp, root) = starter("logo = \"branding/logo.svg\"\naccent = \"#7A1FA2\"");
    std::fs::create_dir_all(root.join("branding")).expect("mkdir");
    std::fs::write(root.join("branding/logo.svg"), LOGO).expect("logo");
    let (assert, site) = build_beside(&root);
    assert.success();
    assert_eq!(std::fs::read_to_string(site.join("assets/brand-logo.svg")).expect("logo copied"), LOGO);
    let css = std::fs::read_to_string(site.join("assets/brand.css")).expect("brand.css");
    assert!(css.contains("--brand: #7a1fa2;"), "{css}");
    assert!(css.contains("prefers-color-scheme: dark"), "{css}");
    for (rel, root_prefix) in [("index.html", ""), ("register.html", ""), ("documents/POL-001.html", "../")] {
        let html = page(&site, rel);
        let logo = html.select(&sel("header img.brand-logo")).next().unwrap_or_else(|| panic!("{rel}: no logo"));
        assert_eq!(logo.value().attr("src"), Some(format!("{root_prefix}assets/brand-logo.svg").as_str()), "{rel}");
        assert_eq!(logo.value().attr("alt"), Some(""), "{rel}: the title beside it names the site");
        let sheets: Vec<&str> =
            html.select(&sel("head link[rel=stylesheet]")).filter_map(|l| l.value().attr("href")).collect();
        let at = |name: &str| sheets.iter().position(|h| h.ends_with(name)).unwrap_or_else(|| panic!("{rel}: {name}"));
        assert!(at("assets/style.css") < at("assets/brand.css"), "{rel}: brand.css must come after style.css");
        assert!(html.select(&sel("[style], style")).next().is_none(), "{rel}: inline style");
    }
}

#[test]
fn without_branding_brand_css_is_neutral_and_no_logo_is_copied() {
    let (_tmp, root) = starter("");
    let (assert, site) = build_beside(&root);
    assert.success();
    let css = std::fs::read_to_string(site.join("assets/brand.css")).expect("brand.css is always written");
    assert!(!css.contains("--accent"), "{css}");
    assert!(!site.join("assets/brand-logo.svg").exists());
    assert!(page(&site, "index.html").select(&sel("header img")).next().is_none());
}

#[test]
fn a_bad_accent_is_a_configuration_error() {
    for bad in ["blue", "#12345", "#12345g", "7a1fa2"] {
        let (_tmp, root) = starter(&format!("accent = {bad:?}"));
        let (assert, site) = build_beside(&root);
        let assert = assert.code(2);
        let err = stderr(&assert);
        assert!(err.contains("[site] accent") && err.contains("#rrggbb"), "{bad}: {err}");
        assert!(!site.exists(), "{bad}: nothing is written");
        aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(&root).assert().code(2);
    }
}

#[test]
fn a_missing_logo_is_a_configuration_error() {
    let (_tmp, root) = starter("logo = \"branding/missing.png\"");
    let (assert, site) = build_beside(&root);
    let assert = assert.code(2);
    let err = stderr(&assert);
    assert!(err.contains("branding/missing.png") && err.contains("relative to the content root"), "{err}");
    assert!(!site.exists());
}

#[test]
fn a_logo_outside_the_content_root_is_refused() {
    let (tmp, root) = starter("logo = \"../logo.svg\"");
    std::fs::write(tmp.path().join("logo.svg"), LOGO).expect("logo outside");
    let (assert, _) = build_beside(&root);
    let assert = assert.code(2);
    assert!(stderr(&assert).contains("inside the content root"), "{}", stderr(&assert));
    for (logo, needle) in [("\"/etc/passwd.svg\"", "inside the content root"), ("\"logo.exe\"", "not an image")] {
        let (_tmp, root) = starter(&format!("logo = {logo}"));
        let (assert, _) = build_beside(&root);
        let assert = assert.code(2);
        assert!(stderr(&assert).contains(needle), "{logo}: {}", stderr(&assert));
    }
}

#[cfg(unix)]
#[test]
fn a_logo_symlinked_out_of_the_content_root_is_refused() {
    let (tmp, root) = starter("logo = \"theme/logo.svg\"");
    std::fs::write(tmp.path().join("logo.svg"), LOGO).expect("logo outside");
    std::fs::create_dir_all(root.join("theme")).expect("mkdir");
    std::os::unix::fs::symlink(tmp.path().join("logo.svg"), root.join("theme/logo.svg")).expect("symlink");
    let (assert, _) = build_beside(&root);
    let assert = assert.code(2);
    assert!(stderr(&assert).contains("leads out of the content root"), "{}", stderr(&assert));
}

fn text(e: scraper::ElementRef) -> String {
    e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_sidebar_counts_documents_by_type_and_lists_clauses_and_annex_groups() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let register = page(&site, "register.html");
    let dashboard = page(&site, "index.html");
    let types = sel("nav.sidebar a[href^='register.html#type=']");
    let mut total = 0;
    for a in dashboard.select(&types) {
        let href = a.value().attr("href").expect("href");
        let ty = href.trim_start_matches("register.html#type=");
        let count: usize = a.select(&sel(".nav-count")).map(text).next().expect("count").parse().expect("number");
        let rows = register.select(&sel(&format!("table#register tbody tr[data-type='{ty}']"))).count();
        assert_eq!(count, rows, "{ty}");
        total += count;
    }
    assert_eq!(total, register.select(&sel("table#register tbody tr")).count(), "every document has its type listed");
    let hrefs = |s: &str| dashboard.select(&sel(s)).filter_map(|a| a.value().attr("href")).collect::<Vec<_>>();
    let clauses: Vec<String> = (4..=10).map(|n| format!("clauses/{n}.html")).collect();
    assert_eq!(hrefs("nav.sidebar a[href^='clauses/']:not(.nav-all)"), clauses);
    let groups: Vec<String> = (2..=10).map(|n| format!("annex-a/A.{n}.html")).collect();
    assert_eq!(hrefs("nav.sidebar a[href^='annex-a/']:not(.nav-all)"), groups);
    // The sidebar marks where a page belongs: a policy under Policies, 7.5.3 under clause 7.
    let current =
        |rel: &str| page(&site, rel).select(&sel("nav.sidebar a[aria-current]")).map(text).collect::<Vec<_>>();
    assert_eq!(current("documents/POL-001.html"), ["Policies 3"]);
    assert_eq!(current("clauses/7.5.3.html"), ["7 Support"]);
    assert_eq!(current("annex-a/A.6.2.4.html"), ["A.6 AI system life cycle"]);
    assert_eq!(current("register.html"), ["Document register"]);
}

#[test]
fn every_page_has_breadcrumbs_ending_at_itself_and_one_main_landmark() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let mut stack = vec![site.to_path_buf()];
    let mut pages = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let rel = path.strip_prefix(&site).expect("inside").to_string_lossy().into_owned();
            let html = page(&site, &rel);
            let crumbs: Vec<_> = html.select(&sel("nav.breadcrumbs[aria-label=Breadcrumb] li")).collect();
            let last = crumbs.last().unwrap_or_else(|| panic!("{rel}: no breadcrumbs"));
            assert!(last.select(&sel("[aria-current=page]")).next().is_some(), "{rel}: last crumb is the page");
            assert_eq!(html.select(&sel("main#main")).count(), 1, "{rel}");
            assert_eq!(html.select(&sel("h1")).count(), 1, "{rel}");
            pages += 1;
        }
    }
    assert!(pages > 100, "{pages} pages");
}

#[test]
fn the_header_names_the_organisation_and_the_site() {
    let site = build_site(EXAMPLE_TODAY, &example(), &[]);
    let html = page(&site, "annex-a/A.6.2.4.html");
    let brand = html.select(&sel("header.site-header a.brand")).next().expect("brand");
    assert_eq!(brand.value().attr("href"), Some("../index.html"));
    assert_eq!(text(brand), "Kestrel Financial Services Ltd AI Management System");
    let crumbs: Vec<String> = html.select(&sel("nav.breadcrumbs li")).map(text).collect();
    assert_eq!(crumbs, ["Dashboard", "Annex A", "A.6", "A.6.2", "A.6.2.4"]);
}

#[test]
fn an_override_can_extend_the_built_in_base_and_replace_one_block() {
    // The worked example of THEME.md: a new footer, everything else as built in.
    let (_tmp, root) = starter("organisation = \"Example Ltd\"\naccent = \"#0b6e4f\"");
    std::fs::create_dir_all(root.join("theme/templates")).expect("mkdir");
    std::fs::write(
        root.join("theme/templates/base.html"),
        "{% extends \"builtin/base.html\" %}\n{% block footer %}<footer class=\"site-footer\"><p>{{ site.organisation }} \
         · Questions: <a href=\"mailto:aims@example.com\">aims@example.com</a></p>\
         <p class=\"muted site-digest\">Site digest <code class=\"hash\">{{ site_digest }}</code></p></footer>{% endblock footer %}\n",
    )
    .expect("override");
    let (assert, site) = build_beside(&root);
    assert.success();
    for rel in ["index.html", "documents/POL-001.html", "clauses/7.5.html"] {
        let html = page(&site, rel);
        let footer = html.select(&sel("footer.site-footer")).map(text).next().expect("footer");
        assert!(footer.starts_with("Example Ltd · Questions: aims@example.com"), "{rel}: {footer}");
        assert!(!footer.contains("Generated by aimsdoc"), "{rel}: the built-in footer is replaced");
        assert!(html.select(&sel("nav.sidebar")).next().is_some(), "{rel}: the rest of the page is built in");
    }
    let css = std::fs::read_to_string(site.join("assets/brand.css")).expect("brand.css");
    assert!(css.contains("--brand: #0b6e4f;"), "{css}");
}

#[test]
fn an_override_of_the_entry_template_reaches_clause_and_control_pages_only() {
    // Clause and control pages are written directly while `catalog_entry.html` is the built-in
    // one; an override must still be what those pages are made of.
    let (_tmp, root) = starter("");
    std::fs::create_dir_all(root.join("theme/templates")).expect("mkdir");
    std::fs::write(
        root.join("theme/templates/catalog_entry.html"),
        "{% extends \"base.html\" %}\n{% block content %}<p class=\"own-entry\">{{ entry.id }}: {{ documents | length }}</p>{% endblock content %}\n",
    )
    .expect("override");
    let (assert, site) = build_beside(&root);
    assert.success();
    for (rel, id) in [("clauses/7.5.html", "7.5"), ("annex-a/A.2.2.html", "A.2.2"), ("annex-a/A.2.html", "A.2")] {
        let html = page(&site, rel);
        let own =
            html.select(&sel("p.own-entry")).map(text).next().unwrap_or_else(|| panic!("{rel}: not the override"));
        assert!(own.starts_with(&format!("{id}: ")), "{rel}: {own}");
        assert!(html.select(&sel("nav.sidebar")).next().is_some(), "{rel}: the frame is built in");
    }
    let doc = page(&site, "documents/POL-001.html");
    assert!(doc.select(&sel("p.own-entry")).next().is_none());
    assert!(doc.select(&sel("#doc-facts")).next().is_some(), "document pages keep the built-in page");
}

#[test]
fn a_broken_template_override_is_reported_with_its_name() {
    let (_tmp, root) = starter("");
    std::fs::create_dir_all(root.join("theme/templates")).expect("mkdir");
    std::fs::write(root.join("theme/templates/register.html"), "{% extends \"builtin/nope.html\" %}")
        .expect("override");
    let (assert, site) = build_beside(&root);
    let assert = assert.code(2);
    assert!(stderr(&assert).contains("register.html"), "{}", stderr(&assert));
    assert!(!site.exists());
}
