//! FM, the front matter part of the content hash's canonical text (see the parent module): the
//! parsed front matter written as compact JSON with every mapping's keys sorted, straight from
//! the YAML tree. It used to be converted into a `serde_json::Value` first, a tree of owned
//! strings and maps per document only to be written out once (about 2% of a 100,000-document
//! build); that conversion stays in the tests as the definition the bytes must match.

use std::borrow::Cow;

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::EXCLUDED;
use crate::yaml::{Node, NodeKind, Style};

/// FM of the front matter mapping `entries`: every key but [`EXCLUDED`], sorted.
pub(super) fn front_matter(entries: &[(Node, Node)]) -> Result<String, String> {
    let kept = entries.iter().map(|(k, v)| (key_text(k), v)).filter(|(k, _)| !EXCLUDED.contains(&k.as_ref()));
    serde_json::to_string(&Sorted(kept.collect())).map_err(|e| e.to_string())
}

/// A node as FM writes it: unquoted `null`, `~` or nothing as null, unquoted `true` and `false`
/// (any case YAML 1.2 allows) as booleans, every other scalar as the string written (lines
/// normalised), sequences as arrays and mappings as objects with sorted keys.
struct Canonical<'a>(&'a Node);

impl Serialize for Canonical<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0.kind {
            NodeKind::Scalar(_, Style::Plain) if self.0.is_null() => s.serialize_unit(),
            NodeKind::Scalar(t, Style::Plain) if matches!(t.as_str(), "true" | "True" | "TRUE") => {
                s.serialize_bool(true)
            }
            NodeKind::Scalar(t, Style::Plain) if matches!(t.as_str(), "false" | "False" | "FALSE") => {
                s.serialize_bool(false)
            }
            NodeKind::Scalar(t, _) => s.serialize_str(&normalise_lines(t)),
            NodeKind::Seq(items) => s.collect_seq(items.iter().map(Canonical)),
            NodeKind::Map(entries) => Sorted(entries.iter().map(|(k, v)| (key_text(k), v)).collect()).serialize(s),
        }
    }
}

/// A mapping's entries, written in order of key; a key given twice keeps its last value, as a
/// JSON object built from them would.
struct Sorted<'a>(Vec<(Cow<'a, str>, &'a Node)>);

impl Serialize for Sorted<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<&(Cow<str>, &Node)> = self.0.iter().collect();
        // Stable: of equal keys, the last one written stays last.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut map = s.serialize_map(None)?;
        for (n, (key, value)) in entries.iter().enumerate() {
            if entries.get(n + 1).is_some_and(|next| next.0 == *key) {
                continue;
            }
            map.serialize_entry(key.as_ref(), &Canonical(value))?;
        }
        map.end()
    }
}

/// A key as FM names it: a scalar's text as written (borrowed), any other key its FM.
fn key_text(k: &Node) -> Cow<'_, str> {
    match &k.kind {
        NodeKind::Scalar(s, _) => Cow::Borrowed(s),
        _ => Cow::Owned(super::key_text(k)),
    }
}

/// The parent's line normalisation, borrowed when there is nothing to change (nearly every
/// value).
fn normalise_lines(s: &str) -> Cow<'_, str> {
    let untouched = !s.contains('\r') && !s.split('\n').any(|l| l.ends_with([' ', '\t']));
    if untouched {
        return Cow::Borrowed(s);
    }
    Cow::Owned(super::normalise_lines(s))
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::*;
    use crate::yaml::{self, Limits};

    /// FM as it is defined: the front matter converted to a JSON value (the parent module's
    /// `to_value`, which `provenance` also reads), then written.
    fn by_value(entries: &[(Node, Node)]) -> String {
        let mut kept: Vec<(String, Value)> = entries
            .iter()
            .map(|(k, v)| (super::super::key_text(k), v))
            .filter(|(k, _)| !EXCLUDED.contains(&k.as_str()))
            .map(|(k, v)| (k, super::super::to_value(v)))
            .collect();
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        let mut fm = Map::new();
        fm.extend(kept);
        Value::Object(fm).to_string()
    }

    #[track_caller]
    fn check(yaml_text: &str) -> String {
        let root = yaml::parse(yaml_text, 1, Limits::default()).expect("parses").expect("not empty");
        let entries = root.as_map().expect("a mapping");
        let written = front_matter(entries).expect("writes");
        assert_eq!(written, by_value(entries), "{yaml_text}");
        written
    }

    #[test]
    fn written_as_the_json_value_would_be() {
        let fm = check(
            "id: POL-001\nversion: 1.10\nstatus: approved\nb: [x, \"y\", ~, null, '', true, False, 'true', 7]\n\
             a:\n  z: |\n    line one   \n    line two\t\n  y: \"tab\\there \\\"q\\\" \\\\ </script> \\u0001 é\"\n\
             c: { n: { m: [ { k: v } ] } }\n\"10\": ten\n\"9\": nine\nnext_review: 2027-01-01\n",
        );
        assert!(fm.starts_with("{\"10\":\"ten\",\"9\":\"nine\",\"a\":"), "{fm}");
        assert!(!fm.contains("status") && !fm.contains("next_review"), "{fm}");
        check("crlf: \"one  \\r\\ntwo\\rthree\"\nempty:\nlist: []\nmap: {}\n");
        check("x: 1\nflags: [TRUE, FALSE, True, false, Null, NULL, \"TRUE\", tRUE]\n");
    }

    #[test]
    fn every_fixture_document_is_written_as_the_json_value_would_be() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for dir in ["tests/fixtures", "content-example"] {
            for entry in crate::util::markdown_files(&root.join(dir)) {
                let Ok(text) = std::fs::read_to_string(&entry) else { continue };
                let Ok(split) = crate::content::frontmatter::split(&text) else { continue };
                let Ok(Some(parsed)) = yaml::parse(split.yaml, split.yaml_line, Limits::default()) else { continue };
                let Some(entries) = parsed.as_map() else { continue };
                assert_eq!(front_matter(entries).expect("writes"), by_value(entries), "{}", entry.display());
                seen += 1;
            }
        }
        assert!(seen > 100, "only {seen} front matters compared");
    }
}
