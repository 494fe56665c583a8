//! Document bodies to HTML: links rewritten to site pages, heading anchors and a table of
//! contents, fenced code highlighted with syntect (CSS classes, no inline styles), and raw HTML
//! escaped unless the configuration trusts authors with it (and then cleaned, see `sanitize`).

use std::collections::HashMap;
use std::fmt::Write as _;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use super::{active, highlight, sanitize};
use crate::content::large::with_parser;

/// One table-of-contents entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Heading text.
    pub text: String,
    /// Anchor id.
    pub anchor: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    /// The HTML.
    pub html: String,
    /// Level-2 and level-3 headings.
    pub toc: Vec<TocEntry>,
}

/// Renders `body`; `hrefs` gives the destination of each link and image in order of
/// appearance (as found by `content::links::extract`). The parser's events are rendered as they
/// come: only a heading's or a code block's own events are held at a time, so a body of a
/// million table cells costs pulldown-cmark's tree and the HTML, not two lists of its events.
pub(crate) fn render(body: &str, hrefs: &[String], allow_raw_html: bool) -> Rendered {
    with_parser(body, |parser| render_stream(parser, body.len(), hrefs, allow_raw_html))
}

/// The Markdown events of `body`, parsed once for callers that also read them otherwise (a
/// superseded version's page and its redline blocks, see `render::old_body`).
pub(crate) fn events(body: &str) -> Vec<Event<'_>> {
    with_parser(body, Iterator::collect)
}

/// [`render`] of the already parsed `events` of a body `body_len` bytes long.
pub(crate) fn render_events(events: &[Event], body_len: usize, hrefs: &[String], allow_raw_html: bool) -> Rendered {
    render_stream(events.iter().cloned(), body_len, hrefs, allow_raw_html)
}

fn render_stream<'e>(
    events: impl Iterator<Item = Event<'e>>,
    body_len: usize,
    hrefs: &[String],
    allow_raw_html: bool,
) -> Rendered {
    let mut w = Writer {
        hrefs,
        allow_raw_html,
        link_no: 0,
        toc: Vec::new(),
        anchors: Anchors::default(),
        budget: highlight::Budget::default(),
        has_raw_html: false,
    };
    let mut html_out = String::with_capacity(body_len * 3 / 2);
    html::push_html(&mut html_out, Rewritten { events, w: &mut w });
    let html = alignment_classes(html_out);
    // Raw HTML passed through (trusted tree) is cleaned as part of the whole body; see sanitize.
    let html = if allow_raw_html && w.has_raw_html { sanitize::clean(&html) } else { html };
    Rendered { html, toc: w.toc }
}

/// The state of one body's rendering: the table of contents, the anchors used, the
/// highlighting budget, the number of links seen and whether raw HTML was met.
struct Writer<'h> {
    hrefs: &'h [String],
    allow_raw_html: bool,
    link_no: usize,
    toc: Vec<TocEntry>,
    anchors: Anchors,
    budget: highlight::Budget,
    has_raw_html: bool,
}

/// The body's events as written out: links rewritten, raw HTML escaped unless allowed, and
/// each heading and code block turned into one HTML event.
struct Rewritten<'w, 'h, I> {
    events: I,
    w: &'w mut Writer<'h>,
}

impl<'e, I: Iterator<Item = Event<'e>>> Iterator for Rewritten<'_, '_, I> {
    type Item = Event<'e>;

    fn next(&mut self) -> Option<Event<'e>> {
        let event = self.next_seen()?;
        Some(match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                let inner = self.inner();
                self.w.heading(&inner, level, id.as_deref())
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let inner = self.inner();
                self.w.code_block(&inner, &kind)
            }
            event => rewrite_one(event, self.w.hrefs, &mut self.w.link_no, self.w.allow_raw_html),
        })
    }
}

impl<'e, I: Iterator<Item = Event<'e>>> Rewritten<'_, '_, I> {
    /// The next event, noting raw HTML.
    fn next_seen(&mut self) -> Option<Event<'e>> {
        let event = self.events.next()?;
        if matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            self.w.has_raw_html = true;
        }
        Some(event)
    }

    /// The events inside the element just started, up to (and consuming) its end.
    fn inner(&mut self) -> Vec<Event<'e>> {
        let mut inner = Vec::new();
        let mut depth = 0usize;
        while let Some(event) = self.next_seen() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => break,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            inner.push(event);
        }
        inner
    }
}

impl Writer<'_> {
    /// The heading whose inner events are `inner`, with a unique anchor (listed in the table
    /// of contents at levels 2 and 3).
    fn heading<'e>(&mut self, inner: &[Event<'e>], level: HeadingLevel, id: Option<&str>) -> Event<'e> {
        let text = plain_text(inner);
        let anchor = self.anchors.unique(id.map(str::to_string).unwrap_or_else(|| slug(&text)));
        let lvl = heading_number(level);
        let mut out = String::with_capacity(96 + 2 * anchor.len() + text.len());
        let _ = write!(out, "<h{lvl} id=\"");
        super::html::escape_into(&mut out, &anchor);
        out.push_str("\">");
        let (hrefs, link_no, allow_raw_html) = (self.hrefs, &mut self.link_no, self.allow_raw_html);
        html::push_html(&mut out, inner.iter().cloned().map(|e| rewrite_one(e, hrefs, link_no, allow_raw_html)));
        out.push_str(" <a class=\"anchor\" href=\"#");
        super::html::escape_into(&mut out, &anchor);
        let _ = writeln!(out, "\" aria-label=\"Link to this section\">#</a></h{lvl}>");
        if (2..=3).contains(&lvl) {
            self.toc.push(TocEntry { level: lvl, text, anchor });
        }
        Event::Html(CowStr::from(out))
    }

    /// The code block whose inner events are `inner`, highlighted.
    fn code_block<'e>(&mut self, inner: &[Event<'e>], kind: &CodeBlockKind) -> Event<'e> {
        let code: String = inner
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        Event::Html(CowStr::from(highlight::code_block(&code, &lang, &mut self.budget)))
    }
}

/// Turns pulldown-cmark's table alignment `style` attributes into classes, so pages work under
/// a `default-src 'self'` Content-Security-Policy (which blocks inline styles). Text content
/// cannot contain the attribute: quotes in text are escaped.
fn alignment_classes(html: String) -> String {
    if !html.contains(" style=\"text-align: ") {
        return html;
    }
    html.replace(" style=\"text-align: left\"", " class=\"align-left\"")
        .replace(" style=\"text-align: center\"", " class=\"align-center\"")
        .replace(" style=\"text-align: right\"", " class=\"align-right\"")
}

/// An event with its link destination rewritten (the next of `hrefs`) and, unless allowed, raw
/// HTML turned into escaped text.
fn rewrite_one<'a>(e: Event<'a>, hrefs: &[String], link_no: &mut usize, allow_raw_html: bool) -> Event<'a> {
    match e {
        Event::Start(Tag::Link { link_type, title, id, .. }) => {
            let dest = next_href(hrefs, link_no);
            match active::download_name_of_href(&dest) {
                Some(name) => download_link(&dest, &title, &name),
                None => Event::Start(Tag::Link { link_type, dest_url: dest, title, id }),
            }
        }
        Event::Start(Tag::Image { link_type, title, id, .. }) => {
            let dest = next_href(hrefs, link_no);
            Event::Start(Tag::Image { link_type, dest_url: dest, title, id })
        }
        Event::Html(h) | Event::InlineHtml(h) if !allow_raw_html => Event::Text(h),
        other => other,
    }
}

/// The opening tag of a link to an active file (see `urls::active`): saved, never opened in
/// the portal's origin. The closing `</a>` comes from the link's end event as usual.
fn download_link<'a>(href: &str, title: &str, name: &str) -> Event<'a> {
    let title = if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape_attr(title)) };
    Event::Html(CowStr::from(format!("<a href=\"{}\" download=\"{}\"{title}>", escape_attr(href), escape_attr(name))))
}

fn next_href<'a>(hrefs: &[String], link_no: &mut usize) -> CowStr<'a> {
    let href = hrefs.get(*link_no).cloned().unwrap_or_else(|| "#".into());
    *link_no += 1;
    CowStr::from(href)
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            Event::End(TagEnd::Link) => {}
            _ => {}
        }
    }
    let trimmed = s.trim();
    if trimmed.len() == s.len() {
        s
    } else {
        trimmed.to_string()
    }
}

/// A URL fragment from heading text: lowercase words joined by dashes.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '.') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.truncate(out.trim_end_matches('-').len());
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Unique heading anchors: the k-th heading with base `x` gets the first free one of `x`,
/// `x-1`, `x-2`, ... Every anchor handed out is remembered with the suffix its search as a
/// base starts from (everything before was taken, and taken ids stay taken), so 100,000
/// identical headings cost linear time, not the quadratic rescan from `x` every time.
#[derive(Default)]
struct Anchors {
    next: HashMap<String, usize, foldhash::fast::RandomState>,
}

impl Anchors {
    fn unique(&mut self, base: String) -> String {
        let mut n = match self.next.get_mut(&base) {
            // Taken: its next suffix moves on below.
            Some(n) => *n,
            None => {
                self.next.insert(base.clone(), 1);
                return base;
            }
        };
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.next.contains_key(&candidate) {
                self.next.insert(base, n);
                self.next.insert(candidate.clone(), 1);
                return candidate;
            }
        }
    }
}

/// Escapes text for an HTML attribute or element: the theme's escaping
/// ([`super::html::escape_into`]) into a new string.
pub(crate) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    super::html::escape_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn headings_get_anchors_and_toc() {
        let r = render("## 1. Purpose\n\ntext\n\n### Scope & limits\n\n## 1. Purpose\n", &[], false);
        assert!(r.html.contains("<h2 id=\"1-purpose\">1. Purpose"), "{}", r.html);
        assert!(r.html.contains("id=\"1-purpose-1\""), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[1].anchor, "scope-limits");
    }

    #[test]
    fn links_are_rewritten_in_order() {
        let r = render(
            "[a](doc:X-1) and ![b](img.png) and [c](https://x.org)",
            &["a.html".into(), "files/img.png".into(), "https://x.org".into()],
            false,
        );
        assert!(r.html.contains("href=\"a.html\""), "{}", r.html);
        assert!(r.html.contains("src=\"files/img.png\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://x.org\""), "{}", r.html);
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let body = "<script>alert(1)</script>\n\nText <b onclick=\"x\">bold</b>\n";
        let safe = render(body, &[], false);
        assert!(!safe.html.contains("<script>"), "{}", safe.html);
        assert!(safe.html.contains("&lt;script&gt;"), "{}", safe.html);
        assert!(!safe.html.contains("<b "), "{}", safe.html);
        let trusted = render(body, &[], true);
        assert!(trusted.html.contains("Text <b>bold</b>"), "{}", trusted.html);
        assert!(!trusted.html.contains("onclick") && !trusted.html.contains("alert"), "{}", trusted.html);
    }

    #[test]
    fn allowed_raw_html_is_sanitised_across_blocks_and_inline_tags() {
        let body = "<details>\n<summary>More</summary>\n\nSome *Markdown* and <kbd>Ctrl</kbd>.\n\n</details>\n\n\
                    Inline <img src=x onerror=alert(1)> and <a href=\"javascript:alert(2)\">x</a>.\n\n\
                    <div>\n<svg><script>alert(3)</script></svg>\n<iframe src=\"https://evil.example\"></iframe>\n\
                    <style>p{}</style>\n</div>\n";
        let html = render(body, &[], true).html;
        for bad in ["onerror", "alert", "javascript", "<svg", "<script", "<iframe", "<style", "evil"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(
            html.contains(
                "<details>\n<summary>More</summary>\n<p>Some <em>Markdown</em> and <kbd>Ctrl</kbd>.</p>\n</details>"
            ),
            "{html}"
        );
        assert!(html.contains("<img src=\"x\">"), "{html}");
        assert!(html.contains("<a rel=\"noopener noreferrer\">x</a>"), "{html}");
    }

    #[test]
    fn cleaning_keeps_what_the_renderer_itself_emits() {
        let body = "<kbd>K</kbd>\n\n## Scope\n\n- [x] done\n- [ ] open\n\nNote[^1].\n\n[^1]: A footnote.\n\n\
                    | a | b |\n|:-:|--:|\n| 1 | 2 |\n\n```yaml\nkey: value\n```\n";
        let plain = render(&body.replacen("<kbd>K</kbd>", "K", 1), &[], true).html;
        let cleaned = render(body, &[], true).html;
        for kept in [
            "<h2 id=\"scope\">",
            "class=\"anchor\" href=\"#scope\"",
            "type=\"checkbox\"",
            "checked",
            "class=\"footnote-definition\" id=\"1\"",
            "href=\"#1\"",
            "class=\"align-center\"",
            "class=\"hl-",
            "data-lang=\"yaml\"",
        ] {
            assert!(plain.contains(kept), "{kept} not in the uncleaned {plain}");
            assert!(cleaned.contains(kept), "{kept} not in {cleaned}");
        }
    }

    #[test]
    fn links_to_active_files_download_under_their_own_name() {
        let r = render(
            "[page](x.html) and [log](y.csv)",
            &["../files/evidence/x.html.download".into(), "../files/evidence/y.csv".into()],
            false,
        );
        assert!(
            r.html.contains("<a href=\"../files/evidence/x.html.download\" download=\"x.html\">page</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"../files/evidence/y.csv\">log</a>"), "{}", r.html);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let r = render("```yaml\nkey: value\n```\n", &[], false);
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
    }

    #[test]
    fn table_alignment_uses_classes_not_inline_styles() {
        let r = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n", &[], false);
        assert!(!r.html.contains("style="), "{}", r.html);
        assert!(r.html.contains("class=\"align-center\""), "{}", r.html);
    }

    fn anchors(body: &str) -> Vec<String> {
        render(body, &[], false).toc.into_iter().map(|t| t.anchor).collect()
    }

    #[test]
    fn repeated_headings_get_numbered_anchors_around_literal_ones() {
        assert_eq!(anchors("## x\n## x\n## x-1\n## x\n"), ["x", "x-1", "x-1-1", "x-2"]);
        assert_eq!(anchors("## x-1\n## x\n## x\n## x\n"), ["x-1", "x", "x-2", "x-3"]);
        assert_eq!(anchors("## a {#x}\n## x\n"), ["x", "x-1"]);
    }

    #[test]
    fn anchors_are_the_first_free_ones_in_every_order() {
        // The definition: the first of `x`, `x-1`, `x-2`, ... not yet handed out.
        fn first_free(taken: &mut HashSet<String>, base: &str) -> String {
            let mut candidates = (0..).map(|n| if n == 0 { base.to_string() } else { format!("{base}-{n}") });
            let free = candidates.find(|c| !taken.contains(c)).unwrap_or_default();
            taken.insert(free.clone());
            free
        }
        let bases = ["x", "x-1", "x-2", "x-1-1"];
        for order in 0..bases.len().pow(6) {
            let (mut anchors, mut taken) = (Anchors::default(), HashSet::new());
            let mut rest = order;
            for _ in 0..6 {
                let base = bases[rest % bases.len()];
                rest /= bases.len();
                assert_eq!(anchors.unique(base.to_string()), first_free(&mut taken, base), "order {order}");
            }
        }
    }

    #[test]
    fn many_identical_headings_get_unique_anchors() {
        let body = "## Same\n\n".repeat(5000);
        let found = anchors(&body);
        let unique: HashSet<&String> = found.iter().collect();
        assert_eq!((found.len(), unique.len()), (5000, 5000));
        assert_eq!(found[4999], "same-4999");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("6.1.2 AI risk assessment"), "6-1-2-ai-risk-assessment");
        assert_eq!(slug("???"), "section");
    }
}
