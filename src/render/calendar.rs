//! `reviews.ics`: the review calendar (RFC 5545). One all-day event per document whose periodic
//! review is upcoming or overdue, so an owner subscribes once and sees every due review in their
//! calendar. Built from the due list of the assessment (`assess::due`); nothing is re-derived.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::RenderCx;
use crate::assess::due::{self, Action};
use crate::content::types::Date;
use crate::urls;

/// Where the calendar lives in the site.
pub(crate) const PATH: &str = "reviews.ics";

/// The calendar's bytes (CRLF line endings, lines folded at 75 octets).
pub(crate) fn ics(cx: &RenderCx) -> String {
    // Room for an event per document (about 280 bytes each), allocated once.
    let mut cal =
        Calendar { out: String::with_capacity(cx.tree.documents.len().saturating_mul(384)), ..Default::default() };
    cal.line("BEGIN:VCALENDAR");
    cal.line("VERSION:2.0");
    cal.linef(format_args!("PRODID:-//aimsdoc//aimsdoc {}//EN", env!("CARGO_PKG_VERSION")));
    cal.line("CALSCALE:GREGORIAN");
    cal.line("METHOD:PUBLISH");
    cal.linef(format_args!("X-WR-CALNAME:{}", text(&format!("{}: document reviews", cx.config.site.title))));
    let site_key = site_key(cx);
    let stamp = compact(cx.today);
    for item in due::list(cx.tree, cx.assessment, None) {
        let Some(by) = item.by.filter(|_| item.action == Action::Review) else { continue };
        event(&mut cal, cx, item.doc, by, (&site_key, &stamp));
    }
    cal.line("END:VCALENDAR");
    cal.out
}

/// The event of document `doc`'s review due on `by`; `(site_key, stamp)` are the same for every
/// event of the calendar.
fn event(cal: &mut Calendar, cx: &RenderCx, doc: usize, by: Date, (site_key, stamp): (&str, &str)) {
    let d = &cx.tree.documents[doc];
    let id = d.id.value.as_str();
    let overdue = by < cx.today;
    let href = urls::doc_href(id);
    let day = compact(by);
    cal.line("BEGIN:VEVENT");
    cal.linef(format_args!("UID:{id}.review.{day}.{site_key}@aimsdoc"));
    cal.linef(format_args!("DTSTAMP:{stamp}T000000Z"));
    cal.linef(format_args!("DTSTART;VALUE=DATE:{day}"));
    if let Ok(next) = by.tomorrow() {
        cal.linef(format_args!("DTEND;VALUE=DATE:{}", compact(next)));
    }
    let what = if overdue { "Review overdue" } else { "Review due" };
    cal.linef(format_args!("SUMMARY:{what}: {} {}", text(id), text(&d.title.value)));
    let version = d.version.as_ref().map(|v| format!("Version: {}\n", v.value.as_str())).unwrap_or_default();
    let description = format!("Owner: {}\n{version}Next review: {by}\nPage: {href}", d.owner.value);
    cal.linef(format_args!("DESCRIPTION:{}", text(&description)));
    if let Some(url) = absolute(cx, &href) {
        cal.linef(format_args!("URL:{}", text(&url)));
    }
    cal.line("CATEGORIES:Document review");
    cal.line("TRANSP:TRANSPARENT");
    cal.line("END:VEVENT");
}

/// The page's absolute URL when `[site] base_url` is set (RFC 5545's URL needs one).
fn absolute(cx: &RenderCx, href: &str) -> Option<String> {
    let base = cx.config.site.base_url.trim();
    (base.starts_with("https://") || base.starts_with("http://"))
        .then(|| format!("{}/{}", base.trim_end_matches('/'), href))
}

/// A short stable key of the site (title and organisation), so UIDs of two portals never clash.
fn site_key(cx: &RenderCx) -> String {
    let digest = Sha256::digest(super::feed::site_key(cx).as_bytes());
    digest.iter().take(4).fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `YYYYMMDD`.
fn compact(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped; other control
/// characters dropped. Written as it is formatted (no string of its own).
fn text(value: &str) -> Text<'_> {
    Text(value)
}

/// See [`text`].
struct Text<'a>(&'a str);

impl std::fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut start = 0;
        for (i, c) in self.0.char_indices() {
            let escaped = match c {
                '\\' => "\\\\",
                ';' => "\\;",
                ',' => "\\,",
                '\n' => "\\n",
                c if c.is_control() => "",
                _ => continue,
            };
            f.write_str(&self.0[start..i])?;
            f.write_str(escaped)?;
            start = i + c.len_utf8();
        }
        f.write_str(&self.0[start..])
    }
}

/// Content lines, folded at 75 octets without splitting a UTF-8 character (RFC 5545 3.1).
#[derive(Default)]
struct Calendar {
    out: String,
    /// The line [`Calendar::linef`] formats, reused from line to line.
    scratch: String,
}

impl Calendar {
    /// Adds the line `args` formats.
    fn linef(&mut self, args: std::fmt::Arguments) {
        let mut line = std::mem::take(&mut self.scratch);
        line.clear();
        let _ = line.write_fmt(args);
        self.line(&line);
        self.scratch = line;
    }

    fn line(&mut self, line: &str) {
        if line.len() <= 75 {
            // Fits as it is (nearly every line): no character walk.
            self.out.push_str(line);
            self.out.push_str("\r\n");
            return;
        }
        let mut width = 0;
        for c in line.chars() {
            if width + c.len_utf8() > 75 {
                self.out.push_str("\r\n ");
                width = 1;
            }
            self.out.push(c);
            width += c.len_utf8();
        }
        self.out.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a,b;c\\d\ne\u{7}").to_string(), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(text("été\u{7f}, ok").to_string(), "été\\, ok");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut cal = Calendar::default();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        cal.line(&long);
        for physical in cal.out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets: {physical}", physical.len());
        }
        let unfolded = cal.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn a_line_of_75_octets_stays_whole_and_one_more_folds() {
        for (len, lines) in [(74, 1), (75, 1), (76, 2), (150, 3)] {
            let mut cal = Calendar::default();
            cal.line(&"x".repeat(len));
            assert_eq!(cal.out.matches("\r\n").count(), lines, "{len} octets");
            assert_eq!(cal.out.replace("\r\n ", ""), format!("{}\r\n", "x".repeat(len)));
        }
    }
}
