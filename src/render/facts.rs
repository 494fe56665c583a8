//! The top of a document page, where a reader decides whether the text is for use: one line of
//! control facts (state, version, approval, next review, owner), the banners of a document not
//! in force (a superseded one links to the version in force), and whether the contents list
//! needs numbers of its own. Everything here reads the assessment's currency; nothing is
//! re-derived from the front matter's status alone.

use serde::Serialize;

use super::markdown::TocEntry;
use super::pages::RenderCx;
use super::view::DocRow;
use crate::assess::Currency;

/// The control facts line (`facts` in `document.html`).
#[derive(Debug, Serialize)]
pub(crate) struct Facts {
    /// The approval in words: "Approved 2026-01-15 by X", or why the document is not approved.
    pub approval: String,
    /// Whether `approval` states an approval covering this version.
    pub approved: bool,
    /// Next review date, empty when none is set or none applies (retired documents).
    pub next_review: String,
}

/// The facts of document row `row`.
pub(crate) fn facts(row: &DocRow) -> Facts {
    let c = row.currency;
    let approved = c.is_approved() && c != Currency::VersionNotApproved && !row.approval_date.is_empty();
    let approval = if approved {
        match row.approved_by.as_str() {
            "" => format!("Approved {}", row.approval_date),
            by => format!("Approved {} by {by}", row.approval_date),
        }
    } else if c == Currency::VersionNotApproved {
        format!("Version {} not approved", row.version)
    } else if c.is_retired() {
        "Not in force".to_string()
    } else if row.planned_approver.is_empty() {
        "Not approved".to_string()
    } else {
        format!("Not approved; approver (planned): {}", row.planned_approver)
    };
    let next_review = if c.is_retired() { String::new() } else { row.next_review.clone() };
    Facts { approval, approved, next_review }
}

/// A banner at the top of a document page.
#[derive(Debug, Serialize)]
pub(crate) struct Banner {
    /// CSS class suffix: draft, overdue, superseded, withdrawn, restricted.
    pub kind: &'static str,
    /// What the banner says.
    pub text: String,
    /// A link to the document to read instead (site-root relative), or empty.
    pub href: String,
    /// The link's text.
    pub link: String,
}

impl Banner {
    fn new(kind: &'static str, text: String) -> Banner {
        Banner { kind, text, href: String::new(), link: String::new() }
    }
}

/// The banners at the top of document `i`'s page: its status, a version not approved, an overdue
/// review, a text withheld by classification.
pub(crate) fn banners(cx: &RenderCx, i: usize) -> Vec<Banner> {
    let row = &cx.rows[i];
    let mut out: Vec<Banner> = status_banner(cx, i).into_iter().collect();
    if row.currency.is_version_not_approved() {
        out.push(Banner::new(
            "overdue",
            format!(
                "Version {} not approved: the approval on record does not cover this version; it counts for nothing until it is approved.",
                row.version
            ),
        ));
    }
    if row.overdue {
        out.push(Banner::new("overdue", format!("Review overdue: the review was due on {}.", row.next_review)));
    }
    if !row.published {
        out.push(Banner::new(
            "restricted",
            format!("Classified {}: the text is not published in this portal; metadata only.", row.classification),
        ));
    }
    out
}

/// The banner of a document not in force: draft, in review, withdrawn or superseded.
fn status_banner(cx: &RenderCx, i: usize) -> Option<Banner> {
    let row = &cx.rows[i];
    let banner = match row.status.as_str() {
        "draft" => Banner::new("draft", "Draft: not approved; not for use as a controlled document.".into()),
        "review" => Banner::new("draft", "In review: not yet approved.".into()),
        "withdrawn" => Banner::new("withdrawn", "Withdrawn: no longer in force.".into()),
        "superseded" => superseded_banner(cx, i),
        _ => return None,
    };
    Some(banner)
}

/// "Superseded: kept for reference only." with a link to the version to read instead: the
/// newest current document of its supersession chain, else its direct successor.
fn superseded_banner(cx: &RenderCx, i: usize) -> Banner {
    let mut banner = Banner::new("superseded", "Superseded: kept for reference only.".into());
    let lineage = &cx.assessment.lineage;
    let current = lineage.chain(i).iter().rev().copied().find(|&j| j != i && cx.rows[j].currency.is_current());
    let target = current.map(|j| (j, "Current version")).or_else(|| {
        let written = cx.tree.documents[i].superseded_by.as_ref().and_then(|s| cx.graph.by_id.get(s.value.as_str()));
        written.or(lineage.successors[i].first()).map(|&j| (j, "Replaced by"))
    });
    if let Some((j, label)) = target {
        let to = &cx.rows[j];
        banner.text = format!("Superseded: kept for reference only. {label}:");
        banner.href = to.href.clone();
        banner.link = format!("{} {} (version {}, {})", to.id, to.title, to.version, to.state_label);
    } else if let Some(s) = cx.tree.documents[i].superseded_by.as_ref() {
        banner.text = format!("Superseded by {}: kept for reference only.", s.value);
    }
    banner
}

/// Whether the headings carry their own numbers ("1. Purpose", "2.3 Scope"; at least half of
/// them, so an unnumbered preamble such as "Status of this document" does not count), so the
/// contents list must not add another.
pub(crate) fn toc_numbered(toc: &[TocEntry]) -> bool {
    let numbered = toc.iter().filter(|t| starts_with_number(&t.text)).count();
    numbered > 0 && numbered * 2 >= toc.len()
}

fn starts_with_number(text: &str) -> bool {
    let text = text.trim_start();
    let text = text.strip_prefix("A.").unwrap_or(text);
    let digits = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, rest) = text.split_at(digits);
    // A heading number's first part is short ("2026 targets" is not numbered).
    let first = number.split('.').next().unwrap_or_default();
    (1..=3).contains(&first.len())
        && (rest.is_empty() || rest.starts_with([' ', '\u{a0}', ')']) || number.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toc(texts: &[&str]) -> Vec<TocEntry> {
        texts.iter().map(|t| TocEntry { level: 2, text: t.to_string(), anchor: String::new() }).collect()
    }

    #[test]
    fn numbered_headings_are_recognised() {
        assert!(toc_numbered(&toc(&["1. Purpose", "2 Scope", "2.1 Limits", "10) Records", "A.6.2 Design"])));
        assert!(toc_numbered(&toc(&["Status", "1. Purpose", "2. Scope"])), "an unnumbered preamble");
        assert!(!toc_numbered(&toc(&["1. Purpose", "Scope", "Roles"])), "mostly unnumbered: number them all");
        assert!(!toc_numbered(&toc(&["2026 targets", "Purpose"])));
        assert!(!toc_numbered(&toc(&["42001:2023 mapping"])), "a number that is not a heading number");
        assert!(!toc_numbered(&toc(&[])));
        assert!(!toc_numbered(&toc(&["1st line"])));
    }
}
