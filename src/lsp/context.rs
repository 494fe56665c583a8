//! Where the cursor is in a document, read from the editor's text as typed (which may not parse
//! yet): a key or a value of the front matter and the keys it sits under, a `doc:`, `clause:` or
//! `control:` link in the body, and the token under or before the cursor.

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Spot {
    /// A key of the mapping under `path` (empty: the top level).
    Key { path: Vec<String> },
    /// The value of `key` in the mapping under `path` (a scalar, or an item of a flow list).
    Value { path: Vec<String>, key: String },
    /// An item of the block list under `path` (its last key names the list).
    Item { path: Vec<String> },
    /// The target of a body link with this scheme (`doc:`, `clause:` or `control:`).
    Link { scheme: &'static str },
    /// Anywhere else.
    Other,
}

/// The link schemes completed and resolved in the body.
pub(crate) const SCHEMES: [&str; 3] = ["doc:", "clause:", "control:"];

/// The spot at byte `offset` of `text`, and the byte offset where the token being typed starts.
pub(crate) fn spot(text: &str, offset: usize) -> (Spot, usize) {
    let offset = floor_boundary(text, offset);
    let start = token_start(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let row = text[..offset].matches('\n').count();
    let before = &text[line_start..offset];
    let spot = match fence_rows(&lines) {
        Some((open, close)) if row > open && close.is_none_or(|c| row < c) => front_matter(&lines, row, before),
        Some((_, Some(close))) if row > close => link(&text[..start]),
        None => link(&text[..start]),
        _ => Spot::Other,
    };
    (spot, start)
}

/// The token around byte `offset`: the id, clause or path under the cursor.
pub(crate) fn token_at(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_boundary(text, offset);
    let end = text[offset..].find(|c: char| !is_token_char(c)).map_or(text.len(), |i| offset + i);
    (token_start(text, offset), end)
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '/')
}

fn token_start(text: &str, offset: usize) -> usize {
    text[..offset].char_indices().rev().take_while(|(_, c)| is_token_char(*c)).last().map_or(offset, |(i, _)| i)
}

/// The rows of the opening and (if any) closing `---` fence; `None` when the file has none.
fn fence_rows(lines: &[&str]) -> Option<(usize, Option<usize>)> {
    let first = lines.first()?.trim_start_matches('\u{feff}');
    if first.trim_end() != "---" {
        return None;
    }
    let close = lines.iter().skip(1).position(|l| matches!(l.trim_end(), "---" | "...")).map(|i| i + 1);
    Some((0, close))
}

/// The spot in front matter row `row`, whose text up to the cursor is `before`.
fn front_matter(lines: &[&str], row: usize, before: &str) -> Spot {
    let indent = before.len() - before.trim_start_matches(' ').len();
    let rest = &before[indent..];
    let (dash, rest) = match rest.strip_prefix('-') {
        Some(r) if r.is_empty() || r.starts_with(' ') => (true, r.trim_start()),
        _ => (false, rest),
    };
    let mut path = ancestors(lines, row, indent);
    let Some((key, value)) = rest.split_once(':') else {
        return match (dash, indent) {
            (true, _) => Spot::Item { path },
            (false, 0) => Spot::Key { path: Vec::new() },
            (false, _) => Spot::Key { path },
        };
    };
    let key = key.trim().trim_matches(['"', '\'']).to_string();
    // Inside a flow mapping (`approval: { by: X, da`): the innermost key decides.
    if let Some(open) = value.rfind('{') {
        path.push(key);
        let inner = value[open + 1..].rsplit(',').next().unwrap_or_default();
        return match inner.split_once(':') {
            Some((k, _)) => Spot::Value { path, key: k.trim().to_string() },
            None => Spot::Key { path },
        };
    }
    Spot::Value { path, key }
}

/// The keys the line `row` (indented by `indent`) sits under, outermost first. A list item
/// (`- ...`) above is a sibling's entry, not a parent: only its indentation counts.
fn ancestors(lines: &[&str], row: usize, indent: usize) -> Vec<String> {
    let mut threshold = indent;
    let mut out = Vec::new();
    for line in lines[1..row].iter().rev() {
        let trimmed = line.trim_start_matches(' ');
        if threshold == 0 {
            break;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let ind = line.len() - trimmed.len();
        if ind >= threshold {
            continue;
        }
        threshold = ind;
        if !trimmed.starts_with('-') {
            if let Some((key, _)) = trimmed.split_once(':') {
                out.push(key.trim().trim_matches(['"', '\'']).to_string());
            }
        }
    }
    out.reverse();
    out
}

/// A link target being typed right after `doc:`, `clause:` or `control:` (`before` ends where
/// the token starts).
fn link(before: &str) -> Spot {
    SCHEMES.iter().find(|s| before.ends_with(*s)).map_or(Spot::Other, |s| Spot::Link { scheme: s })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "---\nid: POL-001\nstatus: appr\nclauses: [\"7.5\", 6.\nrelated:\n  - POL\napproval: { by: X, date: 2 }\nhistory:\n  - version: \"1.0\"\n    outcome: no\n    su\nframeworks:\n  nist-ai-rmf:\n    - GOV\n---\nSee [x](doc:PO) and [y](control:A.6).\n";

    #[track_caller]
    fn case(after: &str, expected: Spot, token: &str) {
        let offset = DOC.find(after).expect("marker") + after.len();
        let (spot, start) = spot(DOC, offset);
        assert_eq!(spot, expected, "after {after:?}");
        assert_eq!(&DOC[start..offset], token);
    }

    fn path(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn spots_in_front_matter_and_body() {
        case("stat", Spot::Key { path: vec![] }, "stat");
        case("status: appr", Spot::Value { path: vec![], key: "status".into() }, "appr");
        case("\"7.5\", 6.", Spot::Value { path: vec![], key: "clauses".into() }, "6.");
        case("  - POL", Spot::Item { path: path(&["related"]) }, "POL");
        case("date: 2", Spot::Value { path: path(&["approval"]), key: "date".into() }, "2");
        case("outcome: no", Spot::Value { path: path(&["history"]), key: "outcome".into() }, "no");
        case("    su", Spot::Key { path: path(&["history"]) }, "su");
        case("    - GOV", Spot::Item { path: path(&["frameworks", "nist-ai-rmf"]) }, "GOV");
        case("doc:PO", Spot::Link { scheme: "doc:" }, "PO");
        case("control:A.6", Spot::Link { scheme: "control:" }, "A.6");
        case("See [x", Spot::Other, "x");
    }

    #[test]
    fn tokens_extend_both_ways() {
        let at = DOC.find("POL-001").expect("id") + 3;
        let (s, e) = token_at(DOC, at);
        assert_eq!(&DOC[s..e], "POL-001");
    }
}
