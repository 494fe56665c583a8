//! Links in document bodies: `doc:`, `clause:`, `control:`, relative paths and the rest, each
//! with the file position of the link so broken ones are reported on their own line.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use crate::yaml::Pos;

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `doc:POL-001` (optionally `#fragment`).
    Doc {
        /// The document id.
        id: String,
        /// The part after `#`, if any.
        fragment: Option<String>,
    },
    /// `clause:7.5`.
    Clause(String),
    /// `control:A.6.2.4`.
    Control(String),
    /// A relative path (`../procedures/x.md#step-2`, `img/diagram.png`).
    Relative {
        /// The path as written (percent-encoded).
        path: String,
        /// The part after `#`, if any.
        fragment: Option<String>,
    },
    /// A path starting with `/`: breaks when the site is served from a sub-path.
    Absolute(String),
    /// `https:`, `mailto:`, `tel:`, `ftp:`, or a bare `#fragment`: left alone.
    Other,
    /// Any other scheme (`javascript:`, `data:`, `file:` ...): refused.
    Unsafe(String),
}

/// A link found in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyLink {
    /// The destination as written.
    pub raw: String,
    /// Classified destination.
    pub target: LinkTarget,
    /// Position of the link in the file.
    pub pos: Pos,
    /// Characters the link's source spans on its line (`[text](dest)` whole; up to the end of
    /// the line when it goes on).
    pub width: usize,
    /// The link text as written (`AI Policy` in `[AI Policy](doc:POL-001)`), empty for others.
    pub text: String,
}

/// Markdown options used everywhere a body is parsed.
pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Classifies a link destination.
pub(crate) fn classify(dest: &str) -> LinkTarget {
    let split_fragment = |s: &str| match s.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (s.to_string(), None),
    };
    if let Some(rest) = dest.strip_prefix("doc:") {
        let (id, fragment) = split_fragment(rest);
        return LinkTarget::Doc { id, fragment };
    }
    if let Some(rest) = dest.strip_prefix("clause:") {
        return LinkTarget::Clause(rest.to_string());
    }
    if let Some(rest) = dest.strip_prefix("control:") {
        return LinkTarget::Control(rest.to_string());
    }
    if let Some(scheme) = scheme(dest) {
        return match scheme.to_ascii_lowercase().as_str() {
            "http" | "https" | "mailto" | "tel" | "ftp" => LinkTarget::Other,
            _ => LinkTarget::Unsafe(scheme.to_string()),
        };
    }
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
        return LinkTarget::Other;
    }
    if dest.starts_with('/') || dest.starts_with('\\') {
        return LinkTarget::Absolute(dest.to_string());
    }
    let (path, fragment) = split_fragment(dest);
    let path = path.split('?').next().unwrap_or_default().to_string();
    LinkTarget::Relative { path, fragment }
}

/// The URL scheme of `dest`, if it has one (`https` in `https://...`). Single letters are
/// Windows drive letters, not schemes.
fn scheme(dest: &str) -> Option<&str> {
    let trimmed = dest.trim_start();
    let i = trimmed.find(':')?;
    let candidate = &trimmed[..i];
    let valid = i > 1
        && candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(candidate)
}

/// Finds every link and image in `body`; `body_line` is the file line where the body starts.
/// A body in the plain subset of Markdown is scanned without a parse (`links_fast`), any other
/// is parsed.
pub(crate) fn extract(body: &str, body_line: usize) -> Vec<BodyLink> {
    super::links_fast::extract(body, body_line).unwrap_or_else(|| extract_parsed(body, body_line))
}

/// [`extract`] through a full CommonMark parse (pulldown-cmark): the reference the fast path is
/// tested against.
pub(crate) fn extract_parsed(body: &str, body_line: usize) -> Vec<BodyLink> {
    super::large::with_parser(body, |parser| parsed_links(parser, body, body_line))
}

fn parsed_links(parser: Parser, body: &str, body_line: usize) -> Vec<BodyLink> {
    let mut lines = LineCursor::new(body);
    let mut out = Vec::new();
    for (event, range) in parser.into_offset_iter() {
        let (dest, target) = match event {
            // `<foo@bar.example>`: pulldown-cmark gives the bare address and its HTML writer
            // adds `mailto:`, so the destination stays as written and is not a path.
            Event::Start(Tag::Link { link_type: LinkType::Email, dest_url, .. }) => (dest_url, LinkTarget::Other),
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                let target = classify(&dest_url);
                (dest_url, target)
            }
            _ => continue,
        };
        let (line, column) = lines.locate(range.start);
        let source = body.get(range.clone()).unwrap_or_default();
        let width = source.split('\n').next().unwrap_or_default().chars().count();
        let text = source.strip_prefix('[').and_then(|s| s.split_once("](")).map(|(t, _)| t.trim().to_string());
        let pos = Pos { line: body_line + line - 1, column };
        out.push(BodyLink { raw: dest.to_string(), target, pos, width, text: text.unwrap_or_default() });
    }
    out
}

/// Byte offset to (line, column) conversion for one text, moving forward from the last offset
/// asked (links come in source order, so the body's lines are counted once, and only up to its
/// last link, instead of indexing every line of every body first). Columns are counted on from
/// the last offset too, so a million links on one line cost one pass over it, not a recount
/// from the line's start per link.
pub(crate) struct LineCursor<'a> {
    text: &'a str,
    /// Byte offset up to which lines and columns are counted.
    offset: usize,
    /// 1-based line holding `offset`.
    line: usize,
    /// 1-based character column of `offset` in that line.
    column: usize,
}

impl<'a> LineCursor<'a> {
    /// A cursor at the start of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        LineCursor { text, offset: 0, line: 1, column: 1 }
    }

    /// 1-based line and 1-based character column of byte `offset` (clamped to the text, and
    /// back to the previous character boundary).
    pub(crate) fn locate(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            // Out of order (never for pulldown-cmark's events, but cheap to allow): recount.
            *self = LineCursor::new(self.text);
        }
        let skipped = &self.text[self.offset..offset];
        match skipped.rfind('\n') {
            Some(last) => {
                self.line += skipped.bytes().filter(|&b| b == b'\n').count();
                self.column = skipped[last + 1..].chars().count() + 1;
            }
            None => self.column += skipped.chars().count(),
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_destinations() {
        assert_eq!(
            classify("doc:POL-001#scope"),
            LinkTarget::Doc { id: "POL-001".into(), fragment: Some("scope".into()) }
        );
        assert_eq!(classify("clause:7.5"), LinkTarget::Clause("7.5".into()));
        assert_eq!(classify("control:A.6.2.4"), LinkTarget::Control("A.6.2.4".into()));
        assert_eq!(classify("https://example.org"), LinkTarget::Other);
        assert_eq!(classify("mailto:x@y"), LinkTarget::Other);
        assert_eq!(classify("javascript:alert(1)"), LinkTarget::Unsafe("javascript".into()));
        assert_eq!(classify("JavaScript:alert(1)"), LinkTarget::Unsafe("JavaScript".into()));
        assert_eq!(classify("data:text/html,x"), LinkTarget::Unsafe("data".into()));
        assert_eq!(classify("#top"), LinkTarget::Other);
        assert_eq!(classify("/abs.md"), LinkTarget::Absolute("/abs.md".into()));
        assert_eq!(
            classify("../a/b.md#c"),
            LinkTarget::Relative { path: "../a/b.md".into(), fragment: Some("c".into()) }
        );
    }

    #[test]
    fn autolinked_addresses_are_mail_links() {
        let links = extract("Write to <dpo@example.org> or [us](mailto:ai@example.org).\n", 1);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].raw, "dpo@example.org");
        assert!(links.iter().all(|l| l.target == LinkTarget::Other), "{links:?}");
        // A relative path that merely contains `@` is still a path.
        assert!(matches!(classify("team@2x.png"), LinkTarget::Relative { .. }));
    }

    #[test]
    fn the_cursor_agrees_with_counting_from_the_start() {
        let text = "ab\ncdé\n\nfg\n";
        let naive = |offset: usize| {
            let before = &text[..offset];
            (before.matches('\n').count() + 1, before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1)
        };
        let offsets: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let mut cursor = LineCursor::new(text);
        for &i in &offsets {
            assert_eq!(cursor.locate(i), naive(i), "forward, offset {i}");
        }
        for &i in offsets.iter().rev() {
            assert_eq!(cursor.locate(i), naive(i), "backward, offset {i}");
        }
    }

    #[test]
    fn links_carry_file_lines() {
        let body = "\nIntro.\n\nSee [the policy](doc:POL-001) and\n[x](clause:9.9).\n";
        let links = extract(body, 10);
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].pos, Pos { line: 13, column: 5 });
        assert_eq!(links[1].pos, Pos { line: 14, column: 1 });
    }
}
