//! `changes.xml`: an Atom feed (RFC 4287) of what changed in the document set: new versions
//! (from each document's `history`), approvals, supersessions and withdrawals (dated by their
//! `obsolete` record), newest first, so the staff who
//! must follow the policies learn of changes. A document above `publish_up_to` appears with its
//! id and title only: its change summaries stay out of the site like its body.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::RenderCx;
use crate::content::types::{Date, Status};
use crate::urls;

/// Where the feed lives in the site.
pub(crate) const PATH: &str = "changes.xml";

/// At most this many entries (the newest): a feed is a list of recent changes, not the archive.
const MAX_ENTRIES: usize = 200;

/// What kind of change an entry reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Version,
    Approval,
    Superseded,
    Withdrawn,
}

impl Kind {
    fn term(self) -> &'static str {
        match self {
            Kind::Version => "new-version",
            Kind::Approval => "approval",
            Kind::Superseded => "superseded",
            Kind::Withdrawn => "withdrawn",
        }
    }
}

/// One change.
struct Change {
    date: Date,
    doc: usize,
    kind: Kind,
    version: String,
    title: String,
    author: String,
    summary: String,
}

/// The feed's bytes.
pub(crate) fn atom(cx: &RenderCx) -> String {
    let changes = newest(cx, MAX_ENTRIES);
    let key = site_key(cx);
    let updated = changes.first().map_or(cx.today, |c| c.date);
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "  <title>{}</title>", xml(&format!("{}: document changes", cx.config.site.title)));
    let _ = writeln!(out, "  <id>{}</id>", feed_id(cx, &key));
    let _ = writeln!(out, "  <updated>{}</updated>", timestamp(updated));
    let author =
        if cx.config.site.organisation.is_empty() { &cx.config.site.title } else { &cx.config.site.organisation };
    let _ = writeln!(out, "  <author><name>{}</name></author>", xml(author));
    let _ = writeln!(out, "  <generator version=\"{}\">aimsdoc</generator>", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", xml(&href(cx, PATH)));
    let _ =
        writeln!(out, "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml(&href(cx, "register.html")));
    for change in &changes {
        entry(&mut out, cx, change, &key);
    }
    out.push_str("</feed>\n");
    out
}

/// The newest `n` changes, newest first (then by document id, kind and version). Only the
/// changes on or after the `n`th newest date are made (with their titles and summaries) and
/// sorted: at 100,000 documents there are hundreds of thousands of changes for 200 entries.
fn newest(cx: &RenderCx, n: usize) -> Vec<Change> {
    let mut dates = Vec::new();
    collect(cx, &mut |date| {
        dates.push(date);
        false
    });
    let cutoff = match n.checked_sub(1) {
        Some(last) if last < dates.len() => *dates.select_nth_unstable_by(last, |a, b| b.cmp(a)).1,
        Some(_) => Date::MIN,
        None => return Vec::new(),
    };
    let mut changes = collect(cx, &mut |date| date >= cutoff);
    sort(cx, &mut changes);
    changes.truncate(n);
    changes
}

/// Newest first, then by document id, kind and version (a stable sort: the same change twice
/// keeps its order).
fn sort(cx: &RenderCx, changes: &mut [Change]) {
    let id = |c: &Change| cx.tree.documents[c.doc].id.value.as_str();
    changes.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| id(a).cmp(id(b)))
            .then(a.kind.cmp(&b.kind))
            .then_with(|| a.version.cmp(&b.version))
    });
}

fn entry(out: &mut String, cx: &RenderCx, c: &Change, key: &str) {
    let id = cx.tree.documents[c.doc].id.value.as_str();
    out.push_str("  <entry>\n");
    let _ = writeln!(
        out,
        "    <id>{}</id>",
        uuid_urn(&format!("{key}\n{id}\n{}\n{}\n{}", c.kind.term(), c.version, c.date))
    );
    let _ = writeln!(out, "    <title>{}</title>", xml(&c.title));
    let _ = writeln!(out, "    <updated>{}</updated>", timestamp(c.date));
    let _ = writeln!(
        out,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&href(cx, &urls::doc_href(id)))
    );
    if !c.author.is_empty() {
        let _ = writeln!(out, "    <author><name>{}</name></author>", xml(&c.author));
    }
    let _ = writeln!(out, "    <category term=\"{}\"/>", c.kind.term());
    if !c.summary.is_empty() {
        let _ = writeln!(out, "    <summary type=\"text\">{}</summary>", xml(&c.summary));
    }
    out.push_str("  </entry>\n");
}

/// Every dated change of every document that `wanted` (asked with its date) wants made.
fn collect(cx: &RenderCx, wanted: &mut dyn FnMut(Date) -> bool) -> Vec<Change> {
    let mut changes = Vec::new();
    for (i, d) in cx.tree.documents.iter().enumerate() {
        let published = cx.graph.published.get(i).copied().unwrap_or(false);
        let name = || format!("{} {}", d.id.value.as_str(), d.title.value);
        let in_force = matches!(d.status(), Status::Approved | Status::Superseded | Status::Withdrawn);
        let current = d.version.as_ref().map(|v| v.value.as_str());
        for h in &d.history {
            let (Some(date), Some(version)) = (&h.date, &h.version) else { continue };
            if !wanted(date.value) {
                continue;
            }
            let version = version.value.as_str().to_string();
            let note = if !in_force && current == Some(version.as_str()) { " (draft, not approved)" } else { "" };
            changes.push(Change {
                date: date.value,
                doc: i,
                kind: Kind::Version,
                title: format!("{}: version {version}{note}", name()),
                version,
                author: h.by.clone(),
                summary: if published { h.summary.clone() } else { String::new() },
            });
        }
        if let Some(change) = approval(cx, i, &name, wanted) {
            changes.push(change);
        }
        if matches!(d.status(), Status::Superseded | Status::Withdrawn) {
            changes.extend(out_of_force(cx, i, &name, published, wanted));
        }
    }
    changes
}

fn approval(
    cx: &RenderCx,
    i: usize,
    name: &dyn Fn() -> String,
    wanted: &mut dyn FnMut(Date) -> bool,
) -> Option<Change> {
    let d = &cx.tree.documents[i];
    // An approval block left over from an earlier version approves nothing here: announcing
    // "version N approved" for it would be a claim without the approval behind it.
    if !matches!(d.status(), Status::Approved | Status::Superseded)
        || cx.assessment.currency[i].is_version_not_approved()
    {
        return None;
    }
    let approval = d.approval.as_ref()?;
    let date = approval.date.as_ref()?.value;
    if !wanted(date) {
        return None;
    }
    let by = approval.by.as_ref().map(|b| b.value.clone()).unwrap_or_default();
    let version = d.version.as_ref().map(|v| v.value.as_str().to_string()).unwrap_or_default();
    Some(Change {
        date,
        doc: i,
        kind: Kind::Approval,
        title: format!("{}: version {version} approved", name()),
        summary: if by.is_empty() { String::new() } else { format!("Approved by {by}.") },
        author: by,
        version,
    })
}

/// A superseded or withdrawn document, dated by its `obsolete` record (when it went out of
/// force, who decided and why; the reason stays out for a withheld document).
fn out_of_force(
    cx: &RenderCx,
    i: usize,
    name: &dyn Fn() -> String,
    published: bool,
    wanted: &mut dyn FnMut(Date) -> bool,
) -> Option<Change> {
    let d = &cx.tree.documents[i];
    let obsolete = d.obsolete.as_ref()?;
    let date = obsolete.date.as_ref()?.value;
    if !wanted(date) {
        return None;
    }
    let successor = d.superseded_by.as_ref().map(|s| s.value.as_str());
    let (kind, title) = match (d.status(), successor) {
        (Status::Superseded, Some(s)) => (Kind::Superseded, format!("{}: superseded by {s}", name())),
        (Status::Superseded, None) => (Kind::Superseded, format!("{}: superseded", name())),
        _ => (Kind::Withdrawn, format!("{}: withdrawn", name())),
    };
    let mut summary = match successor {
        Some(s) => format!("Replaced by {s}; do not use this document any more."),
        None => "Withdrawn; do not use this document any more.".to_string(),
    };
    if let Some(reason) = obsolete.reason.as_ref().filter(|_| published) {
        summary = format!("{summary} {}", reason.value);
    }
    Some(Change {
        date,
        doc: i,
        kind,
        version: d.version.as_ref().map(|v| v.value.as_str().to_string()).unwrap_or_default(),
        title,
        author: obsolete.by.as_ref().map(|b| b.value.clone()).unwrap_or_default(),
        summary,
    })
}

/// A link: absolute under `[site] base_url` when one is set, else relative to the feed.
fn href(cx: &RenderCx, path: &str) -> String {
    let base = cx.config.site.base_url.trim();
    if base.starts_with("https://") || base.starts_with("http://") {
        format!("{}/{}", base.trim_end_matches('/'), path)
    } else {
        path.to_string()
    }
}

fn feed_id(cx: &RenderCx, key: &str) -> String {
    let base = cx.config.site.base_url.trim();
    if base.starts_with("https://") || base.starts_with("http://") {
        xml(&format!("{}/{PATH}", base.trim_end_matches('/')))
    } else {
        uuid_urn(&format!("{key}\nfeed"))
    }
}

/// A stable key of the site (title and organisation), so two portals' ids never clash.
pub(super) fn site_key(cx: &RenderCx) -> String {
    format!("{}\n{}", cx.config.site.organisation, cx.config.site.title)
}

/// A name-based UUID URN (RFC 9562 version 8 layout, from SHA-256), stable for the same input.
fn uuid_urn(name: &str) -> String {
    let mut b: [u8; 16] = [0; 16];
    b.copy_from_slice(&Sha256::digest(name.as_bytes())[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().fold(String::new(), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    });
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Midnight UTC of `date`, as RFC 3339.
fn timestamp(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

/// Text escaped for XML 1.0 content and attributes; characters XML cannot hold are dropped.
fn xml(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_control_characters() {
        assert_eq!(xml("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn uuid_urns_are_stable_and_well_formed() {
        let a = uuid_urn("x");
        assert_eq!(a, uuid_urn("x"));
        assert_ne!(a, uuid_urn("y"));
        let uuid = a.strip_prefix("urn:uuid:").expect("urn");
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "8");
    }

    #[test]
    fn the_newest_are_the_head_of_every_change_sorted() {
        let (checked, theme) = crate::site::checked_for_tests("content-example", "2026-06-01");
        let cx = checked.render_cx(&theme, String::new());
        let fields = |c: &Change| {
            (c.date, c.doc, c.kind, c.version.clone(), c.title.clone(), c.author.clone(), c.summary.clone())
        };
        let mut all = collect(&cx, &mut |_| true);
        sort(&cx, &mut all);
        let all: Vec<_> = all.iter().map(fields).collect();
        let dates: std::collections::BTreeSet<Date> = all.iter().map(|c| c.0).collect();
        assert!(all.len() > 20 && dates.len() < all.len(), "the example has many changes, some on one day");
        for n in (0..all.len() + 2).chain([MAX_ENTRIES]) {
            let head: Vec<_> = all.iter().take(n).cloned().collect();
            assert_eq!(newest(&cx, n).iter().map(fields).collect::<Vec<_>>(), head, "n = {n}");
        }
    }
}
