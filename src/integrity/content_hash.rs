//! The content hash an approval is bound to. It covers what was approved and nothing that
//! legitimately changes afterwards, and ignores formatting that does not change meaning. The
//! ledger records it with its recipe ([`Recorded`]); recipe v2, written since attachments became
//! part of what is approved, is
//!
//! ```text
//! v2:TEXT+FILE1+FILE2...
//! TEXT = SHA-256( "aimsdoc-content-v1\n" + FM + "\n" + BODY )
//! ```
//!
//! where FILE1, FILE2... are the SHA-256 of the bytes of each attachment, in the order
//! `attachments` lists them (their paths are in FM, so TEXT binds each hash to its path).
//! Recipe v1 (a bare TEXT, written before) covers the text only; it is still read.
//!
//! - FM is the front matter minus the lifecycle fields [`EXCLUDED`], as compact JSON with the
//!   keys of every mapping sorted (so key order, quoting, flow or block style and comments do
//!   not matter). Unquoted `null`/`~`/empty become `null`, unquoted `true`/`false` booleans,
//!   every other scalar the string as written (`1.10` stays `1.10`).
//! - BODY is the Markdown body with CRLF and CR turned into LF, trailing spaces and tabs removed
//!   from every line, and leading and trailing blank lines removed (then one final LF).
//! - The same line normalisation applies to every string in FM (block scalars).

use serde_json::Value;
use sha2::{Digest as _, Sha256};

use crate::content::frontmatter;
use crate::graph::{Attachment, Graph};
use crate::util::hex;
use crate::yaml::{self, Limits, Node, NodeKind, Style};

mod canonical;

/// Front matter fields the hash leaves out: the approval itself, the review record, the next
/// review date (a no-change review moves it on), and the lifecycle state a later decision
/// changes without touching the approved content (`status` when superseded or withdrawn,
/// `superseded_by`, and the `obsolete` record of that decision).
pub(crate) const EXCLUDED: &[&str] = &["approval", "reviews", "next_review", "status", "superseded_by", "obsolete"];

const DOMAIN: &str = "aimsdoc-content-v1\n";

/// The prefix of a recipe v2 hash in the ledger.
pub(crate) const V2_PREFIX: &str = "v2:";

/// A content hash as the ledger records it, with the recipe it was made with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// Recipe v1: the text hash alone (attachments not covered).
    V1(String),
    /// Recipe v2: the text hash and the SHA-256 of every attachment, in the listed order.
    V2 {
        /// The text hash.
        text: String,
        /// One SHA-256 per attachment.
        attachments: Vec<String>,
    },
}

/// A part of what was approved that no longer matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The text (front matter or body).
    Text,
    /// The attachment at this index of `attachments`.
    Attachment(usize),
}

impl Recorded {
    /// Reads a ledger hash field: 64 lowercase hex digits (v1) or `v2:` + hashes joined by `+`.
    pub fn parse(field: &str) -> Option<Recorded> {
        let Some(rest) = field.strip_prefix(V2_PREFIX) else {
            return is_hex(field).then(|| Recorded::V1(field.to_string()));
        };
        let mut parts = rest.split('+');
        let text = parts.next().filter(|t| is_hex(t))?.to_string();
        let attachments: Option<Vec<String>> = parts.map(|p| is_hex(p).then(|| p.to_string())).collect();
        Some(Recorded::V2 { text, attachments: attachments? })
    }

    /// The text hash, whatever the recipe.
    pub fn text(&self) -> &str {
        match self {
            Recorded::V1(t) | Recorded::V2 { text: t, .. } => t,
        }
    }

    /// The recipe's name (`v1`, `v2`).
    pub fn recipe(&self) -> &'static str {
        match self {
            Recorded::V1(_) => "v1",
            Recorded::V2 { .. } => "v2",
        }
    }

    /// What differs between this record and a document whose text hashes to `text` and whose
    /// attachments hash to `files` (`None`: not readable now, reported elsewhere, not compared).
    /// Recipe v1 compares the text only.
    pub fn changes(&self, text: &str, files: &[Option<String>]) -> Vec<Change> {
        if self.text() != text {
            return vec![Change::Text];
        }
        let Recorded::V2 { attachments, .. } = self else { return Vec::new() };
        if attachments.len() != files.len() {
            // The list of attachments is in the text, so only a hand-edited ledger gets here.
            return vec![Change::Text];
        }
        let differs =
            |(i, (a, f)): (usize, (&String, &Option<String>))| f.as_ref().is_some_and(|f| f != a).then_some(i);
        attachments.iter().zip(files).enumerate().filter_map(differs).map(Change::Attachment).collect()
    }
}

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Recorded::V1(t) => f.write_str(t),
            Recorded::V2 { text, attachments } => {
                write!(f, "{V2_PREFIX}{text}")?;
                attachments.iter().try_for_each(|a| write!(f, "+{a}"))
            }
        }
    }
}

/// The SHA-256 of each attachment of document `i` as the graph read it (`None` when it could
/// not be read: the references rules report that).
pub(crate) fn attachment_hashes(i: usize, graph: &Graph) -> Vec<Option<String>> {
    let Some(atts) = graph.attachments.get(i) else { return Vec::new() };
    atts.iter()
        .map(|a| match a {
            Attachment::Found(p) => graph.files.get(p).map(|f| f.sha256.clone()),
            _ => None,
        })
        .collect()
}

fn is_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The content hash of a whole document file, or why it cannot be computed. The canonical
/// text goes straight into the hash, piece by piece (no copy of the body).
pub(crate) fn of_text(text: &str) -> Result<String, String> {
    let mut hasher = Sha256::new();
    write_canonical(text, &mut |piece| hasher.update(piece))?;
    Ok(hex(&hasher.finalize()))
}

/// The exact text the content hash is taken over.
#[cfg(test)]
pub(crate) fn canonical(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len() + DOMAIN.len());
    write_canonical(text, &mut |piece| out.push_str(piece))?;
    Ok(out)
}

/// The content hash of a document whose front matter parsed into `root` (as `yaml::parse`
/// with the default limits gives it) and whose body is `body`: [`of_text`] without splitting and
/// parsing the text again (the loader has just done both).
pub(crate) fn of_tree(root: &Node, body: &str) -> Result<String, String> {
    let mut hasher = Sha256::new();
    write_canonical_tree(root, body, &mut |piece| hasher.update(piece))?;
    Ok(hex(&hasher.finalize()))
}

/// Hands the canonical text of `text` to `out`, in pieces: DOMAIN, FM, LF, BODY.
fn write_canonical(text: &str, out: &mut dyn FnMut(&str)) -> Result<(), String> {
    let split = frontmatter::split(text).map_err(|e| e.message)?;
    let root = yaml::parse(split.yaml, split.yaml_line, Limits::default())
        .map_err(|e| e.message)?
        .ok_or_else(|| "the front matter is empty".to_string())?;
    write_canonical_tree(&root, split.body, out)
}

/// [`write_canonical`] of the parsed front matter `root` and the body.
fn write_canonical_tree(root: &Node, body: &str, out: &mut dyn FnMut(&str)) -> Result<(), String> {
    let entries = root.as_map().ok_or_else(|| "the front matter is not a mapping".to_string())?;
    let fm = canonical::front_matter(entries)?;
    out(DOMAIN);
    out(&fm);
    out("\n");
    write_body(body, out);
    Ok(())
}

/// A key as FM names it: a scalar's text as written, any other key its FM.
fn key_text(k: &Node) -> String {
    match &k.kind {
        NodeKind::Scalar(s, _) => s.clone(),
        _ => to_value(k).to_string(),
    }
}

/// A front matter node as the JSON value FM holds for it: the definition of FM, which
/// `canonical` writes without building the value (its tests compare the two), and how
/// `provenance` compares approvals and reviews between versions.
pub(crate) fn to_value(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Scalar(_, Style::Plain) if node.is_null() => Value::Null,
        NodeKind::Scalar(s, Style::Plain) if matches!(s.as_str(), "true" | "True" | "TRUE") => Value::Bool(true),
        NodeKind::Scalar(s, Style::Plain) if matches!(s.as_str(), "false" | "False" | "FALSE") => Value::Bool(false),
        NodeKind::Scalar(s, _) => Value::String(normalise_lines(s)),
        NodeKind::Seq(items) => Value::Array(items.iter().map(to_value).collect()),
        NodeKind::Map(entries) => {
            let mut sorted: Vec<(String, Value)> = entries.iter().map(|(k, v)| (key_text(k), to_value(v))).collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(sorted.into_iter().collect())
        }
    }
}

/// CRLF/CR to LF and trailing spaces and tabs removed from every line.
fn normalise_lines(s: &str) -> String {
    let unified = s.replace("\r\n", "\n").replace('\r', "\n");
    unified.split('\n').map(|l| l.trim_end_matches([' ', '\t'])).collect::<Vec<_>>().join("\n")
}

/// BODY, streamed: CRLF/CR to LF, trailing spaces and tabs removed from every line, then no
/// leading or trailing blank lines, and one final LF (the definition, `normalise_body`, is kept
/// in the tests as the oracle).
fn write_body(body: &str, out: &mut dyn FnMut(&str)) {
    let mut started = false;
    // Blank lines seen since the last line with text: written only if more text follows.
    let mut blank = 0usize;
    for line in lines(body) {
        let line = line.trim_end_matches([' ', '\t']);
        if line.is_empty() {
            blank += usize::from(started);
            continue;
        }
        if started {
            (0..=blank).for_each(|_| out("\n"));
        }
        out(line);
        (started, blank) = (true, 0);
    }
    if started {
        out("\n");
    }
}

/// The lines of `text` between line breaks (LF, CRLF or a lone CR).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        let Some(at) = memchr::memchr2(b'\n', b'\r', current.as_bytes()) else {
            rest = None;
            return Some(current);
        };
        let width = if current[at..].starts_with("\r\n") { 2 } else { 1 };
        rest = Some(&current[at + width..]);
        Some(&current[..at])
    })
}

/// CRLF/CR to LF, trailing spaces and tabs removed from every line, then no leading or
/// trailing blank lines, and one final LF: the definition [`write_body`] streams.
#[cfg(test)]
fn normalise_body(body: &str) -> String {
    let lines = normalise_lines(body);
    let trimmed = lines.trim_start_matches('\n').trim_end_matches('\n');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\nid: POL-001\nversion: \"1.10\"\nstatus: approved\napproval: { by: A, date: 2026-01-01 }\nclauses: [\"5.2\"]\n---\n\n# Policy\n\nText.\n";

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(of_text(a), of_text(b), "\n{a:?}\n{b:?}");
    }

    #[track_caller]
    fn differs(a: &str, b: &str) {
        assert_ne!(of_text(a).expect("hashes"), of_text(b).expect("hashes"), "\n{a:?}\n{b:?}");
    }

    #[test]
    fn formatting_does_not_matter() {
        same(DOC, &DOC.replace('\n', "\r\n"));
        same(DOC, &DOC.replace("Text.", "Text.   \t"));
        same(DOC, &DOC.replace("\n# Policy", "\n\n\n# Policy").replace("Text.\n", "Text.\n\n\n"));
        same(DOC, &DOC.replace("clauses: [\"5.2\"]", "clauses:\n  - '5.2'   # why"));
        same(DOC, &DOC.replace("id: POL-001\nversion: \"1.10\"", "version: 1.10\nid: \"POL-001\""));
        same(DOC, &format!("\u{feff}{DOC}"));
    }

    #[test]
    fn lifecycle_fields_do_not_matter() {
        same(DOC, &DOC.replace("approval: { by: A, date: 2026-01-01 }", "approval: { by: B, date: 2026-02-02 }"));
        same(DOC, &DOC.replace("status: approved", "status: superseded\nsuperseded_by: POL-002"));
        same(
            DOC,
            &DOC.replace(
                "clauses:",
                "reviews: [{ date: 2026-05-01, by: X, outcome: no-change }]\nnext_review: 2027-05-01\nclauses:",
            ),
        );
    }

    #[test]
    fn content_matters() {
        differs(DOC, &DOC.replace("Text.", "Text!"));
        differs(DOC, &DOC.replace("Text.", "Te xt."));
        differs(DOC, &DOC.replace("\"1.10\"", "\"1.1\""));
        differs(DOC, &DOC.replace("[\"5.2\"]", "[\"5.2\", \"5.3\"]"));
        differs(DOC, &DOC.replace("clauses:", "owner: CEO\nclauses:"));
        differs(DOC, &DOC.replace("# Policy\n\nText.", "# Policy\nText."));
    }

    #[test]
    fn canonical_text_is_documented_shape() {
        let c = canonical(DOC).expect("canonical");
        assert_eq!(
            c,
            "aimsdoc-content-v1\n{\"clauses\":[\"5.2\"],\"id\":\"POL-001\",\"version\":\"1.10\"}\n# Policy\n\nText.\n"
        );
    }

    #[test]
    fn recorded_hashes_round_trip_and_name_what_changed() {
        let (a, b, c) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
        let v2 = Recorded::parse(&format!("v2:{a}+{b}+{c}")).expect("v2");
        assert_eq!(v2.to_string(), format!("v2:{a}+{b}+{c}"));
        assert_eq!(Recorded::parse(&a), Some(Recorded::V1(a.clone())));
        assert_eq!(Recorded::parse(&format!("v2:{a}")), Some(Recorded::V2 { text: a.clone(), attachments: vec![] }));
        for bad in [format!("v2:{a}+"), format!("v3:{a}"), format!("v2:{a}+xyz"), a.to_uppercase(), String::new()] {
            assert_eq!(Recorded::parse(&bad), None, "{bad}");
        }
        assert!(v2.changes(&a, &[Some(b.clone()), Some(c.clone())]).is_empty());
        assert_eq!(v2.changes(&a, &[Some(b.clone()), Some(a.clone())]), [Change::Attachment(1)]);
        assert!(v2.changes(&a, &[None, Some(c.clone())]).is_empty());
        assert_eq!(v2.changes(&b, &[Some(b.clone()), Some(c.clone())]), [Change::Text]);
        assert_eq!(v2.changes(&a, &[Some(b.clone())]), [Change::Text]);
        assert!(Recorded::V1(a.clone()).changes(&a, &[Some(c)]).is_empty());
    }

    #[test]
    fn the_streamed_body_is_the_defined_one() {
        // Every string of up to 7 characters over the ones the definition treats specially.
        let alphabet = ['a', ' ', '\t', '\r', '\n'];
        let (mut cases, mut level) = (Vec::new(), vec![String::new()]);
        for _ in 0..7 {
            level = level.iter().flat_map(|c| alphabet.iter().map(move |a| format!("{c}{a}"))).collect();
            cases.extend(level.iter().cloned());
        }
        assert_eq!(cases.len(), (1..=7).map(|n| 5usize.pow(n)).sum::<usize>());
        for case in cases {
            let mut streamed = String::new();
            write_body(&case, &mut |piece| streamed.push_str(piece));
            assert_eq!(streamed, normalise_body(&case), "{case:?}");
        }
    }

    #[test]
    fn the_hash_is_the_sha256_of_the_canonical_text() {
        let text = "---\nid: A\nnote: |\n  x  \r\n  y\n---\r\n\r\n  \n# T\t\r\rbody  \n\n\n";
        let canonical = canonical(text).expect("canonical");
        assert!(canonical.ends_with("\n# T\n\nbody\n"), "{canonical:?}");
        assert_eq!(of_text(text), Ok(crate::util::sha256_hex(canonical.as_bytes())));
    }

    #[test]
    fn unparseable_documents_give_a_reason() {
        assert!(of_text("no front matter").is_err());
        assert!(of_text("---\n[unclosed\n---\n").is_err());
    }
}
