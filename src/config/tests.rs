//! Unit tests of reading `aimsdoc.toml`: defaults, typed values, the errors that name a key.

use super::*;

#[test]
fn empty_config_is_all_defaults() {
    let c = Config::parse("").expect("parses");
    assert_eq!(c.paths.documents, "documents");
    assert_eq!(c.review.warn_within_days, 30);
    assert!(c.is_published("internal"));
    assert!(!c.is_published("restricted"));
}

#[test]
fn unknown_keys_are_errors_that_name_the_key() {
    let e = Config::parse("[site]\ntitel = \"x\"\n").expect_err("fails");
    let text = format!("{e:#}");
    assert!(text.contains("titel"), "{text}");
    assert!(text.contains("title"), "{text}");
    assert!(Config::parse("[sight]\n").is_err());
}

#[test]
fn inconsistent_values_are_refused() {
    assert!(Config::parse("[classification]\npublish_up_to = \"secret\"\n").is_err());
    assert!(Config::parse("[review]\nmax_review_interval = \"soon\"\n").is_err());
    for bad in ["../elsewhere", "", ".", "./", "/abs", "a/../b", "a\\b"] {
        assert!(Config::parse(&format!("[paths]\nevidence = {bad:?}\n")).is_err(), "{bad:?}");
    }
    for bad in ["/tmp/site", "../site", ""] {
        assert!(Config::parse(&format!("[paths]\noutput = {bad:?}\n")).is_err(), "{bad:?}");
        assert!(Config::parse(&format!("[paths]\ntheme = {bad:?}\n")).is_err(), "{bad:?}");
    }
    assert!(Config::parse("[paths]\nevidence = \"records/evidence/\"\noutput = \"public\"\n").is_ok());
    assert!(Config::parse("[soa]\ndocument_type = \"applicability\"\n").is_err());
}

#[test]
fn soa_type_and_checklist_switch() {
    let c = Config::parse(
        "[documents]\nextra_types = [\"sofa\"]\n[soa]\ndocument_type = \"sofa\"\n[checklist]\nenabled = false\n",
    )
    .expect("parses");
    assert_eq!(c.soa.document_type, "sofa");
    assert_eq!(c.checklist.enabled, Some(false));
    assert_eq!(Config::default().checklist.enabled, None);
}

#[test]
fn checklist_recurrence_overrides_are_checked() {
    let c = Config::parse("[checklist.expected_every]\n\"9.3.3/results\" = \"6m\"\n\"8.4/results\" = \"2y\"\n")
        .expect("parses");
    assert_eq!(c.checklist.expected_every.get("9.3.3/results"), Some(&Period { months: 6 }));
    assert_eq!(c.checklist.expected_every.get("8.4/results"), Some(&Period { months: 24 }));
    for (bad, says) in [
        ("\"9.3.3/result\" = \"6m\"", "did you mean \"9.3.3/results\""),
        ("\"5.2/policy\" = \"1y\"", "not a record item"),
        ("\"9.1/results\" = \"often\"", "is not a period"),
    ] {
        let e = Config::parse(&format!("[checklist.expected_every]\n{bad}\n")).expect_err(bad);
        assert!(format!("{e:#}").contains(says), "{bad}: {e:#}");
    }
}

#[test]
fn site_accent_and_logo_are_checked() {
    let c = Config::parse("[site]\naccent = \"#0B6e4f\"\nlogo = \"theme/assets/Logo.SVG\"\n").expect("parses");
    assert_eq!(c.site.accent_rgb(), Some([0x0b, 0x6e, 0x4f]));
    assert_eq!(c.site.logo_extension().as_deref(), Some("svg"));
    for bad in ["blue", "#12345", "#1234567", "#12345g", "0b6e4f"] {
        let e = Config::parse(&format!("[site]\naccent = {bad:?}\n")).expect_err(bad);
        assert!(format!("{e:#}").contains("#rrggbb"), "{bad}: {e:#}");
    }
    for bad in ["../logo.svg", "/etc/logo.svg", "theme/logo.exe", "theme/logo"] {
        assert!(Config::parse(&format!("[site]\nlogo = {bad:?}\n")).is_err(), "{bad}");
    }
    assert_eq!(Config::default().site.logo_extension(), None);
    let c =
        Config::parse("[site]\nlogo = \"\"\naccent = \"\"\n[review]\nmax_review_interval = \"18m\"\n").expect("parses");
    assert_eq!((c.site.logo.as_deref(), c.site.accent), (None, None));
    assert_eq!(c.max_review_interval(), Period { months: 18 });
    assert_eq!(Config::default().max_review_interval(), Period { months: 12 });
}

#[test]
fn retention_minimums_are_typed_periods_of_known_types() {
    let c = Config::parse("[retention]\nminimum = { record = \"3y\", report = \"18m\" }\n").expect("parses");
    assert_eq!(c.retention.minimum.get("record"), Some(&Period { months: 36 }));
    assert_eq!(c.retention.minimum.get("report"), Some(&Period { months: 18 }));
    assert!(Config::default().retention.minimum.is_empty());
    let e = Config::parse("[retention]\nminimum = { record = \"forever\" }\n").expect_err("not a period");
    assert!(format!("{e:#}").contains("[retention] minimum"), "{e:#}");
    let e = Config::parse("[retention]\nminimum = { recrod = \"3y\" }\n").expect_err("unknown type");
    assert!(format!("{e:#}").contains("recrod"), "{e:#}");
}
