//! Oracle tests of the fast path ([`super::fast`]) against the general builder: wherever the fast
//! path answers, its tree (positions included) must be the one `saphyr-parser` gives; it must
//! answer for the common shapes, and decline everything it does not parse.

use proptest::prelude::*;

use super::build::parse_general;
use super::{fast, Limits, Node};

/// The fast path's tree of `text`, checked against the general builder's.
fn agrees(text: &str) -> Option<Node> {
    let fast = fast::parse(text, 2, Limits::default());
    if let Some(node) = &fast {
        let general = parse_general(text, 2, Limits::default());
        assert_eq!(general.as_ref().ok().and_then(Option::as_ref), Some(node), "fast path differs on {text:?}");
    }
    fast
}

#[test]
fn the_common_shapes_take_the_fast_path_and_agree() {
    let shapes = [
        "id: GDL-15144\ntitle: \"Model Risk Management Guideline 15144\"\ntype: guideline\nowner: \"Head of Legal\"\nversion: \"4.5\"\nstatus: approved\napproval:\n  by: \"G. Rossi\"\n  date: 2024-01-05\nnext_review: 2099-01-04\nclauses: []\ncontrols: [\"A.6.1.3\", \"A.6.2.4\"]\nhistory:\n  - { version: \"4.5\", date: 2024-01-05, by: \"G. Rossi\", summary: \"Issued\" }\n",
        "id: A-1\ntitle: Plain title, with a comma and a colon:inside\nowner:   Someone  \n",
        "id: A-1\nclauses: [4.1, 6.1.2 , \"7.5\"]\nrelated:\n - POL-001\n - \"STD-002\"\nstatus: draft\n",
        "id: A-1\n\nhistory:\n    - {version: 1.0, date: 2024-01-01}\n    - { version: \"1.1\" , by: \"Zoë Ünal\" }\n\nowner: é\n",
        "id: A-1\napplicability:\n  A.6.2.4: { applicable: yes, justification: \"needed\" }\n  A_2:\n    status: implemented\n    note: \"x\"\nreviews:\n  - { date: 2025-01-01, by: \"A\", outcome: no-change }\n",
        "title: \"Ünïcödé «quoted» — text\"\nowner: Zoë's team\nurl: https://example.org/a?b=c\n",
        "a: {}\nb: []\nc: [[x, y], {k: [1]}]\n",
    ];
    for text in shapes {
        assert!(agrees(text).is_some(), "fast path declined {text:?}");
    }
}

#[test]
fn anything_else_is_declined() {
    let declined = [
        "id: A-1 # comment\n",
        "# comment\nid: A-1\n",
        "id: 'single'\n",
        "id: \"esc\\\"aped\"\n",
        "id: A-1\nowner:\n",
        "id: A-1\nowner:\nstatus: x\n",
        "id: A-1\r\ntitle: t\r\n",
        "id:\tA-1\n",
        "id: A-1\nid: A-2\n",
        "id: A-1\ntitle: folded\n  onto two lines\n",
        "id: A-1\ntitle: \"open\n  quote\"\n",
        "id: &a A-1\nx: *a\n",
        "id: !tag A-1\n",
        "summary: |\n  block\n",
        "id: [a, b,]\n",
        "id: [a,\n  b]\n",
        "id: a: b\n",
        "id: -1\n",
        " id: A-1\n",
        "id: A-1\n  title: t\n",
        "id: A-1\n list:\n - a\n",
        "\"id\": A-1\n",
        "key with space: v\n",
        "- a\n- b\n",
        "plain\n",
        "",
        "id: A-1\n---\n",
        "x: {a: 1, a: 2}\n",
        "x: [a] trailing\n",
        "- \n",
        "id: A-1\nrelated:\n- POL-001\n",
        "id: A\u{7}1\n",
        "title: \"bell \u{7}\"\n",
        "title: del\u{7f}\n",
        "title: nel\u{85}here\n",
        "title: a\u{2028}b\n",
        "title: \u{feff}x\n",
        "title: x\u{ffff}\n",
    ];
    for text in declined {
        assert!(agrees(text).is_none(), "fast path took {text:?}");
    }
}

#[test]
fn every_front_matter_of_the_example_agrees() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example/documents");
    let mut taken = 0;
    for entry in crate::util::markdown_files(&root) {
        let text = std::fs::read_to_string(&entry).expect("read");
        let Ok(split) = crate::content::frontmatter::split(&text) else { continue };
        taken += usize::from(agrees(split.yaml).is_some());
    }
    assert!(taken > 10, "the fast path took only {taken} of the example's front matters");
}

/// Scalars as front matter writes them, and some that must be quoted or declined.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 .,/-]{0,12}",
        "\"[A-Za-z0-9 :#,.'é-]{0,12}\"",
        "[0-9]{1,2}\\.[0-9]{1,2}",
        "20[0-9]{2}-[01][0-9]-[0-3][0-9]",
        Just("[]".to_string()),
        Just("{}".to_string()),
    ]
}

fn flow() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(scalar(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        prop::collection::vec(("[a-zA-Z][a-z0-9_.-]{0,5}", scalar()), 0..4).prop_map(|v| {
            let entries: Vec<String> = v.iter().map(|(k, s)| format!("{k}: {s}")).collect();
            format!("{{ {} }}", entries.join(", "))
        }),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![scalar(), flow()]
}

/// A front matter of the usual shapes: scalars, flow values, nested mappings and block lists.
fn front_matter() -> impl Strategy<Value = String> {
    let entry = ("[A-Za-z_][A-Za-z0-9_.-]{0,7}", 0..4usize, prop::collection::vec(value(), 1..4), 0..3usize).prop_map(
        |(key, shape, values, indent)| {
            let pad = " ".repeat(indent);
            match shape {
                0 | 1 => format!("{key}: {}\n", values[0]),
                2 => {
                    let items: Vec<String> = values.iter().map(|v| format!("{pad}- {v}\n")).collect();
                    format!("{key}:\n{}", items.concat())
                }
                _ => {
                    let pad = " ".repeat(indent + 1);
                    let items: Vec<String> =
                        values.iter().enumerate().map(|(i, v)| format!("{pad}k{i}: {v}\n")).collect();
                    format!("{key}:\n{}", items.concat())
                }
            }
        },
    );
    prop::collection::vec(entry, 1..6).prop_map(|entries| entries.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// Wherever the fast path answers, it answers what the general builder does.
    #[test]
    fn generated_front_matter_agrees(text in front_matter()) {
        agrees(&text);
    }

    /// The same with one character changed into something YAML gives meaning to.
    #[test]
    fn mutated_front_matter_agrees(
        text in front_matter(),
        at in any::<prop::sample::Index>(),
        c in prop::sample::select(vec![' ', ':', '#', '-', '"', '\'', '[', ']', '{', '}', ',', '\n', '\t', '&', '*', '!', '|', '>', '?', 'é', '\\']),
        replace in any::<bool>(),
    ) {
        let mut chars: Vec<char> = text.chars().collect();
        let i = at.index(chars.len());
        if replace { chars[i] = c } else { chars.insert(i, c) }
        agrees(&chars.into_iter().collect::<String>());
    }
}
