//! Pages rendered from trees that `build` refuses (it stops at errors) but `serve` shows: the
//! same render functions, called on the checked tree directly.

use crate::render::{feed, pages, register, RenderCx};

/// Calls `f` with the render context of the fixture whose version 1.1 has no approval.
fn with_unapproved_version(f: impl FnOnce(&RenderCx)) {
    let (checked, theme) = super::checked_for_tests("tests/fixtures/approval_predates_version", "2026-06-01");
    let cx = checked.render_cx(&theme, "0".repeat(64));
    f(&cx);
}

fn text(html: String) -> String {
    scraper::Html::parse_document(&html).root_element().text().collect()
}

#[test]
fn the_document_page_register_and_dashboard_say_version_not_approved() {
    with_unapproved_version(|cx| {
        let page = text(pages::document(cx, 0).expect("page"));
        assert!(page.contains("version 1.1 not approved") && page.contains("Version 1.1 not approved"), "{page}");
        let register = text(register::page(cx).expect("register"));
        assert!(register.contains("version 1.1 not approved"), "{register}");
        let dashboard = text(pages::dashboard(cx).expect("dashboard"));
        assert!(
            dashboard.contains("Versions not approved") && dashboard.contains("version 1.1 not approved"),
            "{dashboard}"
        );
        // The changes feed announces the new version, never an approval the version does not have.
        let changes = feed::atom(cx);
        assert!(changes.contains("POL-001 Test policy: version 1.1"), "{changes}");
        assert!(!changes.contains(" approved</title>"), "{changes}");
    });
}

#[test]
fn the_heavy_pages_come_before_the_many_small_ones() {
    with_unapproved_version(|cx| {
        let all = super::artifacts::all(cx);
        let first = |wanted: fn(&super::artifacts::Artifact) -> bool| all.iter().position(wanted).expect("present");
        let last_entry = all.iter().rposition(|a| matches!(a, super::artifacts::Artifact::CatalogEntry(_)));
        // The build works through the list from the front: a clause page (thousands of rows at
        // 100,000 documents) left among the last would keep one core busy while the other waits.
        assert!(last_entry < Some(first(|a| matches!(a, super::artifacts::Artifact::Document(_)))));
        assert!(last_entry < Some(first(|a| matches!(a, super::artifacts::Artifact::PrintMarks(_)))));
    });
}
