//! Large lists split into parts a browser can load: the register and the evidence index keep
//! their first page in the HTML and put every row in script-tag parts (`assets/register/N.js`,
//! `assets/evidence/N.js`) that `register.js` loads on demand to sort and filter across all of
//! them. A part is a script, not JSON, so it loads from `file://` too, where `fetch` cannot: it
//! calls `window.AIMSDOC_PART(name, n, rows)`. Below one part's worth of rows nothing is split.
//!
//! Also the per-build cache of what several artifacts share (evidence rows, the search index).

use std::sync::OnceLock;

use anyhow::Context as _;
use rayon::prelude::*;
use serde::Serialize;

use super::evidence::EvidenceRow;
use super::search_index::SearchIndex;

/// Rows per part (and per page of the on-screen table). 1,000 register rows are about 1.1 MB of
/// HTML (each with its labels for the phone layout and its hash box) and 0.3 MB of part data,
/// both well under the 2 MB a page or asset may weigh.
const PART_ROWS: usize = 1000;

/// Rows per part: [`PART_ROWS`], or `AIMSDOC_PART_ROWS` (a test hook, so a browser test can split
/// a small tree; at least 2).
pub(crate) fn part_rows() -> usize {
    static ROWS: OnceLock<usize> = OnceLock::new();
    *ROWS.get_or_init(|| {
        std::env::var("AIMSDOC_PART_ROWS").ok().and_then(|v| v.parse::<usize>().ok()).map_or(PART_ROWS, |n| n.max(2))
    })
}

/// How many parts `rows` rows need: 0 when they fit on one page unsplit.
pub(crate) fn part_count(rows: usize) -> usize {
    let per = part_rows();
    if rows <= per {
        0
    } else {
        rows.div_ceil(per)
    }
}

/// The rows of part `n` of `all`.
pub(crate) fn part_of<T>(all: &[T], n: usize) -> &[T] {
    let per = part_rows();
    let start = (n * per).min(all.len());
    &all[start..(start + per).min(all.len())]
}

/// The script of part `n` of list `name`: `window.AIMSDOC_PART("name", n, data);`.
pub(crate) fn part_script(name: &str, n: usize, data: &impl Serialize) -> anyhow::Result<String> {
    script(&format!("window.AIMSDOC_PART({name:?}, {n}, "), data, ");\n")
        .with_context(|| format!("cannot serialise part {n} of {name}"))
}

/// `head`, `data` as JSON and `tail`, in one buffer (the search index's parts are a quarter of
/// a GB at 100,000 documents). The script is a .js file, never inlined, but `</` is written
/// `<\/` all the same (the same JSON string), so a theme could inline it safely: found in one
/// pass over the JSON, which is copied only when there is one.
pub(crate) fn script(head: &str, data: &impl Serialize, tail: &str) -> anyhow::Result<String> {
    let mut out = head.as_bytes().to_vec();
    serde_json::to_writer(&mut out, data)?;
    if memchr::memmem::find(&out[head.len()..], b"</").is_some() {
        out = close_tags_escaped(&out, head.len());
    }
    out.extend_from_slice(tail.as_bytes());
    Ok(String::from_utf8(out)?)
}

/// `bytes` with every `</` at or after `from` written `<\/`.
fn close_tags_escaped(bytes: &[u8], from: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 64);
    let mut start = 0;
    for at in memchr::memmem::find_iter(&bytes[from..], b"</") {
        let slash = from + at + 1;
        out.extend_from_slice(&bytes[start..slash]);
        out.push(b'\\');
        start = slash;
    }
    out.extend_from_slice(&bytes[start..]);
    out
}

/// What several artifacts of one build share, computed on first use.
#[derive(Default)]
pub(crate) struct Shared {
    evidence: OnceLock<Vec<EvidenceRow>>,
    search: OnceLock<SearchIndex>,
    rows: OnceLock<Vec<tera::Value>>,
    /// Superseded versions' bodies, prepared once for their page and their redlines.
    pub(crate) old_bodies: super::old_body::Cache,
    /// Each document's superseded versions that get pages (see `versions::superseded`).
    pub(crate) superseded: OnceLock<Vec<Vec<usize>>>,
    /// The sidebar's markup, by page depth and current entry (see `sidebar`).
    pub(crate) sidebars: super::sidebar::Sidebars,
    /// What every page's context shares (see `chrome`).
    pub(crate) chrome: super::chrome::Chrome,
    /// A one-off build (`aimsdoc build`): nothing is kept for a next build, so the search index
    /// is built without the per-document term cache `serve` keeps (see `search::all_terms`).
    single: bool,
}

impl Shared {
    /// The shared state of a one-off build, which keeps nothing for a next one.
    pub(crate) fn single_build() -> Shared {
        Shared { single: true, ..Shared::default() }
    }

    /// Whether this is a one-off build.
    pub(crate) fn is_single_build(&self) -> bool {
        self.single
    }

    /// The shared state of a build whose register rows were already converted to template
    /// values (`serve` keeps them between rebuilds and converts only the rows that changed):
    /// `values` must be [`tera::Value::from_serializable`] of each row, in order.
    pub(crate) fn with_row_values(values: Vec<tera::Value>) -> Shared {
        Shared { rows: OnceLock::from(values), ..Shared::default() }
    }

    /// The row values, for the next build (see [`Shared::with_row_values`]).
    pub(crate) fn into_row_values(self) -> Option<Vec<tera::Value>> {
        self.rows.into_inner()
    }
}

impl super::RenderCx<'_> {
    /// Every evidence row (see [`super::evidence::rows`]), computed once per build.
    pub(crate) fn evidence_rows(&self) -> &[EvidenceRow] {
        self.shared.evidence.get_or_init(|| super::evidence::rows(self))
    }

    /// Every document's register row as a template value, converted once per build: pages
    /// that list documents share them (Tera's maps are reference-counted, so a clone is cheap)
    /// instead of serialising the same rows again on every page.
    pub(crate) fn row_values(&self) -> &[tera::Value] {
        self.shared.rows.get_or_init(|| self.rows.par_iter().map(tera::Value::from_serializable).collect())
    }

    /// The search index, computed once per build.
    pub(crate) fn search_index(&self) -> &SearchIndex {
        self.shared.search.get_or_init(|| SearchIndex::build(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lists_are_not_split_and_parts_cover_every_row() {
        let per = part_rows();
        assert_eq!(part_count(per), 0);
        assert_eq!(part_count(per + 1), 2);
        let all: Vec<usize> = (0..per * 2 + 1).collect();
        let joined: Vec<usize> = (0..3).flat_map(|n| part_of(&all, n).to_vec()).collect();
        assert_eq!(joined, all);
        assert!(part_of(&all, 3).is_empty());
    }

    #[test]
    fn parts_are_scripts_that_register_themselves() {
        let s = part_script("register", 3, &vec![["a</script>", "b"]]).expect("script");
        assert_eq!(s, "window.AIMSDOC_PART(\"register\", 3, [[\"a<\\/script>\",\"b\"]]);\n");
    }

    #[test]
    fn every_close_tag_opener_in_the_json_is_escaped_and_nothing_else_changes() {
        let values = ["</", "<</</", "a</b</c", "<", "/", "</\"\n</", "x<y/z", "<\u{e9}/"];
        let expected = |v: &[&str]| serde_json::to_string(v).expect("json").replace("</", "<\\/");
        assert_eq!(script("", &values, "").expect("script"), expected(&values));
        assert_eq!(script("f(", &values, ");").expect("script"), format!("f({});", expected(&values)));
        // Text before the JSON is left as it is.
        assert_eq!(script("x</ ", &["a"], "").expect("script"), "x</ [\"a\"]");
        assert_eq!(close_tags_escaped(b"</ a</b", 2), b"</ a<\\/b");
    }
}
