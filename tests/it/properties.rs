//! Property tests (issue 14, "Robustness"): the front matter splitter never loses or duplicates
//! a byte; a request target `serve` accepts never names a path outside the output folder; and
//! the content hash is independent of what `integrity/content_hash.rs` promises it ignores (key
//! order, quoting of strings, comments, flow or block style), while still seeing every value.
//! The fuzz targets under `fuzz/` check the same invariants on arbitrary bytes.

use std::path::{Component, Path};

use aimsdoc::fuzzing::{content_hash, request_target, site_path, split};
use proptest::prelude::*;
use proptest::sample::select;

// ---- the splitter ------------------------------------------------------------------------

/// Lines that make the splitter's decisions: fences with trailing blanks, `...`, BOMs, CR.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec!["---", "--- ", "---\t", "...", "----", " ---", "-- -", "", " ", "\u{feff}---", "#"])
            .prop_map(str::to_string),
        "[a-z: #-]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

fn document_text() -> impl Strategy<Value = String> {
    let ending = select(vec!["\n", "\r\n", "\r"]);
    (any::<bool>(), prop::collection::vec((line(), ending), 0..12), any::<bool>()).prop_map(|(bom, lines, last)| {
        let mut text = if bom { "\u{feff}".to_string() } else { String::new() };
        for (l, e) in &lines {
            text.push_str(l);
            text.push_str(e);
        }
        if last {
            text.push_str("tail");
        }
        text
    })
}

/// The byte offset of `part` inside `whole` (it must be a subslice).
fn offset(whole: &str, part: &str) -> usize {
    let at = part.as_ptr() as usize - whole.as_ptr() as usize;
    assert!(at + part.len() <= whole.len(), "not a subslice");
    at
}

fn fenced(text: &str) -> impl Strategy<Value = String> {
    Just(format!("---\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// opening fence + YAML + closing fence + body is the file (after a BOM), byte for byte.
    #[test]
    fn the_splitter_partitions_the_file(text in prop_oneof![document_text(), document_text().prop_flat_map(|t| fenced(&t))]) {
        if let Ok(s) = split(&text) {
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let (y, b) = (offset(text, s.yaml), offset(text, s.body));
            prop_assert_eq!(text[..y].trim_end(), "---");
            let fence = text[y + s.yaml.len()..b].trim_end();
            prop_assert!(fence == "---" || fence == "...", "closing fence {:?}", fence);
            prop_assert_eq!(b + s.body.len(), text.len());
            let rebuilt = format!("{}{}{}{}", &text[..y], s.yaml, &text[y + s.yaml.len()..b], s.body);
            prop_assert_eq!(rebuilt.as_str(), text);
            prop_assert_eq!(s.yaml_line, 2);
            let before = &text[..b];
            if before.ends_with('\n') {
                prop_assert_eq!(s.body_line, before.matches('\n').count() + 1);
            }
        }
    }
}

// ---- serve's request targets -------------------------------------------------------------

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "..",
            ".",
            "%2e%2e",
            "%2E%2e",
            "%2e",
            "%2f",
            "%5c",
            "%00",
            "%0a",
            "..%2f..",
            "a%2f..%2f..",
            "\\",
            "C:",
            "c%3a",
            ".git",
            "%2egit",
            "~",
            "",
            "%",
            "%zz",
            "%c0%ae",
            "%e2%80%ae",
            "index.html",
            "a b",
            "%20",
        ])
        .prop_map(str::to_string),
        "[a-z0-9._%-]{1,8}",
    ]
}

fn target() -> impl Strategy<Value = String> {
    (prop::collection::vec(segment(), 0..8), any::<bool>(), select(vec!["", "?x=1", "#f", "?a=..%2f"])).prop_map(
        |(segments, slash, tail)| {
            let mut t = format!("/{}", segments.join("/"));
            if slash {
                t.push('/');
            }
            t.push_str(tail);
            t
        },
    )
}

/// `rel` joined under an output folder stays under it, through plain components only.
fn stays_inside(rel: &str) -> bool {
    let joined = Path::new("/srv/site").join(rel);
    joined.strip_prefix("/srv/site").is_ok_and(|r| r.components().all(|c| matches!(c, Component::Normal(_))))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A normalised request path never leaves the output folder, and names nothing hidden.
    #[test]
    fn a_normalised_request_path_never_leaves_the_output_folder(t in prop_oneof![target(), any::<String>().prop_map(|s| format!("/{s}"))]) {
        if let Ok(Some(segments)) = request_target(&t) {
            for s in &segments {
                prop_assert!(stays_inside(s) && !s.starts_with('.'), "{:?} from {:?}", s, t);
                prop_assert!(!s.contains(['/', '\\', ':', '\0']), "{:?} from {:?}", s, t);
            }
        }
        if let Some(path) = site_path(&t) {
            prop_assert!(stays_inside(&path), "{:?} from {:?}", path, t);
        }
    }
}

#[test]
fn traversal_in_every_spelling_is_refused() {
    for t in ["/../x", "/a/../../x", "/%2e%2e/x", "/%2E%2E/x", "/a/%2e%2e%2f%2e%2e/x", "/a%5c..%5cx", "/C:/x"] {
        assert_eq!(request_target(t), Err(400), "{t}");
        assert_eq!(site_path(t), None, "{t}");
    }
    assert_eq!(request_target("/a/b/"), Ok(Some(vec!["a".to_string(), "b".to_string()])));
}

// ---- the content hash --------------------------------------------------------------------

/// A string value that is a string whether written plain, single- or double-quoted (so not
/// `null`, `~`, `true`, `false`, which the hash reads as null and booleans when plain).
fn text_value() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9.-]{0,6}( [A-Za-z0-9][A-Za-z0-9.-]{0,5}){0,2}"
        .prop_filter("not null or boolean when plain", |s| {
            !matches!(s.to_ascii_lowercase().as_str(), "null" | "true" | "false")
        })
}

/// A front matter value: a string or a list of strings.
#[derive(Debug, Clone)]
enum Value {
    Text(String),
    List(Vec<String>),
}

/// A front matter as (key, value) with unique keys, and an unrelated body.
fn front_matter() -> impl Strategy<Value = Vec<(String, Value)>> {
    let value = prop_oneof![
        text_value().prop_map(Value::Text),
        prop::collection::vec(text_value(), 0..4).prop_map(Value::List),
    ];
    prop::collection::btree_map("[a-z][a-z_]{0,8}", value, 1..8).prop_map(|m| m.into_iter().collect())
}

/// How one rendering writes the front matter.
#[derive(Debug, Clone)]
struct Style {
    order: Vec<usize>,
    quote: Vec<u8>,
    flow: Vec<bool>,
    comments: Vec<bool>,
}

fn style(n: usize) -> impl Strategy<Value = Style> {
    (
        Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        prop::collection::vec(0u8..3, 64),
        prop::collection::vec(any::<bool>(), n),
        prop::collection::vec(any::<bool>(), n + 1),
    )
        .prop_map(|(order, quote, flow, comments)| Style { order, quote, flow, comments })
}

fn scalar(s: &str, how: u8) -> String {
    match how {
        0 => s.to_string(),
        1 => format!("'{s}'"),
        _ => format!("\"{s}\""),
    }
}

/// Writes a document with front matter `fm` in style `st` and body `body`.
fn render(fm: &[(String, Value)], st: &Style, body: &str) -> String {
    let mut out = String::from("---\n");
    let mut q = st.quote.iter().cycle();
    for (n, &i) in st.order.iter().enumerate() {
        if st.comments[n] {
            out.push_str("# a comment: key: value\n");
        }
        let (key, value) = &fm[i];
        let key = scalar(key, *q.next().unwrap_or(&0));
        let comment = if st.comments[n] { "  # trailing" } else { "" };
        match value {
            Value::Text(s) => out.push_str(&format!("{key}: {}{comment}\n", scalar(s, *q.next().unwrap_or(&0)))),
            Value::List(items) if st.flow[n] || items.is_empty() => {
                let items: Vec<String> = items.iter().map(|s| scalar(s, *q.next().unwrap_or(&0))).collect();
                out.push_str(&format!("{key}: [{}]{comment}\n", items.join(", ")));
            }
            Value::List(items) => {
                out.push_str(&format!("{key}:{comment}\n"));
                for s in items {
                    out.push_str(&format!("  - {}\n", scalar(s, *q.next().unwrap_or(&0))));
                }
            }
        }
    }
    if st.comments[st.order.len()] {
        out.push_str("# closing comment\n");
    }
    out.push_str("---\n");
    out.push_str(body);
    out
}

fn hash(text: &str) -> String {
    content_hash(text).unwrap_or_else(|e| panic!("no content hash ({e}) for\n{text}"))
}

fn case() -> impl Strategy<Value = (Vec<(String, Value)>, Style, Style)> {
    front_matter().prop_flat_map(|fm| {
        let n = fm.len();
        (Just(fm), style(n), style(n))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Key order, quoting, comments and flow or block lists do not change the content hash.
    #[test]
    fn the_content_hash_ignores_order_quoting_and_comments((fm, a, b) in case()) {
        let body = "# Title\n\nText.\n";
        let (one, two) = (render(&fm, &a, body), render(&fm, &b, body));
        prop_assert_eq!(hash(&one), hash(&two), "\n{}\n{}", one, two);
    }

    /// ...while a changed value, an added key or a changed body does.
    #[test]
    fn the_content_hash_sees_every_value((fm, a, _) in case(), which in any::<prop::sample::Index>()) {
        let body = "Text.\n";
        let before = hash(&render(&fm, &a, body));
        let mut changed = fm.clone();
        let i = which.index(changed.len());
        changed[i].1 = match &changed[i].1 {
            Value::Text(s) => Value::Text(format!("{s}x")),
            Value::List(items) => Value::List(items.iter().cloned().chain(["added".to_string()]).collect()),
        };
        prop_assert_ne!(&before, &hash(&render(&changed, &a, body)));
        let mut added = fm.clone();
        added.push(("zz_added_key".into(), Value::Text("v".into())));
        let mut st = a.clone();
        st.order.push(fm.len());
        st.flow.push(false);
        st.comments.push(false);
        prop_assert_ne!(&before, &hash(&render(&added, &st, body)));
        prop_assert_ne!(&before, &hash(&render(&fm, &a, "Text!\n")));
    }
}

#[test]
fn the_hash_tells_a_quoted_boolean_from_a_plain_one() {
    // The recipe's promise is about meaning: a quoted `true` is a string, a plain one a boolean.
    let plain = hash("---\nid: A-1\nflag: true\n---\n");
    assert_eq!(plain, hash("---\nflag: TRUE # comment\nid: 'A-1'\n---\n"));
    assert_ne!(plain, hash("---\nid: A-1\nflag: 'true'\n---\n"));
}
