//! Typed values of the front matter: ids, versions, dates, statuses, retention periods.
//! Each parses from the text exactly as written and refuses anything else.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

use crate::yaml::Pos;

/// A value with the position it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The parsed value.
    pub value: T,
    /// Where it was written.
    pub pos: Pos,
}

impl<T> Spanned<T> {
    /// Wraps `value` found at `pos`.
    pub fn new(value: T, pos: Pos) -> Self {
        Spanned { value, pos }
    }
}

/// A civil calendar date (no time zone).
pub(crate) type Date = jiff::civil::Date;

/// Parses `YYYY-MM-DD` strictly (real calendar dates only).
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i16> {
        let part = &s[r];
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    Date::new(num(0..4)?, num(5..7)? as i8, num(8..10)? as i8).ok()
}

/// A document id such as `POL-001`: `[A-Z][A-Z0-9]*(-[A-Z0-9]+)+`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct DocId(String);

impl DocId {
    /// Parses an id, or `None` if it does not have the required shape.
    pub fn parse(s: &str) -> Option<DocId> {
        let mut groups = s.split('-');
        let first = groups.next()?;
        let first_ok = first.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && first.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let mut rest = 0;
        for g in groups {
            if g.is_empty() || !g.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                return None;
            }
            rest += 1;
        }
        (first_ok && rest > 0).then(|| DocId(s.to_string()))
    }

    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The prefix before the first dash (`POL` for `POL-001`).
    pub fn prefix(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A dotted version that keeps its text: `1.10` is not `1.1`, and sorts after `1.9`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    text: String,
    parts: Vec<u64>,
}

impl Version {
    /// Parses dotted numbers (`1`, `2.1`, `1.10.3`).
    pub fn parse(s: &str) -> Option<Version> {
        let parts: Option<Vec<u64>> = s
            .split('.')
            .map(|p| {
                (!p.is_empty() && p.len() <= 9 && p.bytes().all(|c| c.is_ascii_digit())).then(|| p.parse().ok())?
            })
            .collect();
        Some(Version { text: s.to_string(), parts: parts? })
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let n = self.parts.len().max(other.parts.len());
        let at = |v: &Version, i: usize| v.parts.get(i).copied().unwrap_or(0);
        (0..n).map(|i| at(self, i).cmp(&at(other, i))).find(|o| o.is_ne()).unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// Lifecycle status of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written.
    Draft,
    /// Out for review.
    Review,
    /// Approved and in force.
    Approved,
    /// Replaced by a successor.
    Superseded,
    /// Withdrawn without successor.
    Withdrawn,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 5] =
        [Status::Draft, Status::Review, Status::Approved, Status::Superseded, Status::Withdrawn];

    /// Parses the lowercase name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Approved => "approved",
            Status::Superseded => "superseded",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// Whether the status claims an approval (approved or superseded).
    pub fn needs_approval(self) -> bool {
        matches!(self, Status::Approved | Status::Superseded)
    }
}

/// Where a document comes from (Clause 7.5.3: documents of external origin are controlled too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Written by the organisation.
    #[default]
    Internal,
    /// From outside: a regulation, a standard, a supplier's certificate.
    External,
}

impl Origin {
    /// The front matter's word (as serialized).
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Internal => "internal",
            Origin::External => "external",
        }
    }
}

/// Outcome of a periodic review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Reviewed; the text stays as approved.
    NoChange,
    /// Reviewed; a new version follows.
    Revised,
}

impl Outcome {
    /// The front matter's word (as serialized).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NoChange => "no-change",
            Outcome::Revised => "revised",
        }
    }
}

/// A span of calendar time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Whole months (years are stored as 12 months each).
    pub months: u32,
}

impl Period {
    fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
        let n: u32 = num.parse().ok()?;
        let months = match unit.trim() {
            "m" | "mo" | "month" | "months" => n,
            "y" | "year" | "years" => n.checked_mul(12)?,
            _ => return None,
        };
        (months > 0 && months <= 1200).then_some(Period { months })
    }

    /// `date` plus this period.
    pub fn after(self, date: Date) -> Date {
        date.checked_add(jiff::Span::new().months(self.months as i64)).unwrap_or(date)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.months.is_multiple_of(12) {
            write!(f, "{}y", self.months / 12)
        } else {
            write!(f, "{}m", self.months)
        }
    }
}

/// How long a document or record is kept (Clause 7.5.3: retention and disposition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// A fixed period from the record date.
    For(Period),
    /// Kept while current, then a period after being superseded.
    UntilSuperseded(Period),
    /// Never disposed of.
    Permanent,
}

impl Retention {
    /// Parses `6m`, `7y`, `until superseded + 3y` or `permanent`.
    pub fn parse(s: &str) -> Option<Retention> {
        let s = s.trim().to_ascii_lowercase();
        if s == "permanent" {
            return Some(Retention::Permanent);
        }
        if let Some(rest) = s.strip_prefix("until superseded") {
            let rest = rest.trim();
            if rest.is_empty() {
                return Some(Retention::UntilSuperseded(Period { months: 0 }));
            }
            return Period::parse(rest.strip_prefix('+')?).map(Retention::UntilSuperseded);
        }
        Period::parse(&s).map(Retention::For)
    }
}

impl fmt::Display for Retention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Retention::For(p) => write!(f, "{p}"),
            Retention::UntilSuperseded(p) if p.months == 0 => f.write_str("until superseded"),
            Retention::UntilSuperseded(p) => write!(f, "until superseded + {p}"),
            Retention::Permanent => f.write_str("permanent"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_serialized_names() {
        for origin in [Origin::Internal, Origin::External] {
            assert_eq!(serde_json::to_value(origin).ok(), Some(origin.as_str().into()));
        }
        for outcome in [Outcome::NoChange, Outcome::Revised] {
            assert_eq!(serde_json::to_value(outcome).ok(), Some(outcome.as_str().into()));
        }
    }

    #[track_caller]
    fn id(input: &str, ok: bool) {
        assert_eq!(DocId::parse(input).is_some(), ok, "{input}");
    }

    #[test]
    fn ids() {
        id("POL-001", true);
        id("A1-B2-C3", true);
        id("POL", false);
        id("pol-001", false);
        id("POL-", false);
        id("POL--1", false);
        id("1POL-1", false);
        id("POL-0 1", false);
    }

    #[test]
    fn versions_keep_text_and_order_naturally() {
        let v = |s| Version::parse(s).expect(s);
        assert_eq!(v("1.10").as_str(), "1.10");
        assert!(v("1.10") > v("1.9"));
        assert!(v("2") > v("1.99"));
        assert_eq!(v("1.0").cmp(&v("1")), Ordering::Equal);
        for bad in ["", "1.", ".1", "v1", "1.a", "1..2", "1e3"] {
            assert!(Version::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2026-02-28").is_some());
        for bad in ["2026-02-30", "2026-2-01", "26-01-01", "2026/01/01", "2026-01-01T00:00", "tomorrow"] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn retention_forms() {
        let r = |s| Retention::parse(s);
        assert_eq!(r("7y"), Some(Retention::For(Period { months: 84 })));
        assert_eq!(r("6m"), Some(Retention::For(Period { months: 6 })));
        assert_eq!(r("until superseded + 3y"), Some(Retention::UntilSuperseded(Period { months: 36 })));
        assert_eq!(r("Permanent"), Some(Retention::Permanent));
        for bad in ["7", "y", "forever", "0y", "until superseded 3y", "-1y"] {
            assert_eq!(r(bad), None, "{bad}");
        }
        assert_eq!(r("until superseded + 3y").map(|x| x.to_string()).as_deref(), Some("until superseded + 3y"));
    }

    #[test]
    fn status_names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("Approved"), None);
    }
}
