//! Pages written directly, without a template: an HTML writer that escapes every value as the
//! theme's autoescaping does, and the page frame of the built-in `base.html` (head, header,
//! sidebar, footer) around a page's own breadcrumbs and content.
//!
//! Only the built-in document and catalog entry pages are written this way, and only while the
//! theme overrides none of the templates they stand for ([`super::theme::Theme`]'s
//! `builtin_document_page` and `builtin_entry_page`); the templates stay the reference, and
//! `tests` compares both renderings byte for byte.

use super::pages::RenderCx;

/// A page being written: literal markup goes in with [`Html::raw`], every value with
/// [`Html::text`], which escapes it.
pub(crate) struct Html {
    out: String,
}

impl Html {
    /// An empty page with room for `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> Html {
        Html { out: String::with_capacity(capacity) }
    }

    /// Appends markup as it is.
    pub(crate) fn raw(&mut self, markup: &str) -> &mut Html {
        self.out.push_str(markup);
        self
    }

    /// Appends `value` escaped for text and attribute values (`&`, `<`, `>`, `"` and `'`
    /// become entities, as in the theme's templates).
    pub(crate) fn text(&mut self, value: &str) -> &mut Html {
        escape_into(&mut self.out, value);
        self
    }

    /// Appends a number.
    pub(crate) fn num(&mut self, value: u64) -> &mut Html {
        use std::fmt::Write as _;
        let _ = write!(self.out, "{value}");
        self
    }

    /// The page.
    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// Appends `value` to `out` with `&`, `<`, `>`, `"` and `'` as entities (the theme's escaping).
pub(crate) fn escape_into(out: &mut String, value: &str) {
    let done: Result<(), std::convert::Infallible> = escape_runs(value, |run| {
        out.push_str(run);
        Ok(())
    });
    let Ok(()) = done;
}

/// Hands `value` to `push` escaped, in runs: plain text as it is, each of `&`, `<`, `>`, `"`
/// and `'` as its entity. The one definition of the escaping: Tera's autoescaping
/// ([`super::theme`]), the written pages and `markdown::escape_attr` all call it.
pub(crate) fn escape_runs<E>(value: &str, mut push: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = value.as_bytes();
    let mut start = 0;
    while let Some(i) = next_special(bytes, start) {
        push(&value[start..i])?;
        push(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        })?;
        start = i + 1;
    }
    push(&value[start..])
}

/// Whether escaping changes byte `b`.
fn is_special(b: u8) -> bool {
    matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
}

/// The index of the first byte at or after `from` that escaping changes. Text is mostly plain,
/// so it is skipped eight bytes at a time: a word holds one of the five bytes exactly when one
/// of three words made from it has a zero byte. `&` and `'` differ only in bit 0, and `<` and
/// `>` only in bit 1, so setting that bit first makes one comparison serve both; no UTF-8 byte
/// of a non-ASCII character (all above 0x7F) compares equal.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    crate::words::find(bytes, from, word_has_special, is_special)
}

/// Whether one of the eight bytes of `word` is one that escaping changes (see [`next_special`]).
fn word_has_special(word: u64) -> bool {
    use crate::words::{splat, zero_bytes};
    zero_bytes(word ^ splat(b'"'))
        | zero_bytes((word | splat(0x01)) ^ splat(b'\''))
        | zero_bytes((word | splat(0x02)) ^ splat(b'>'))
        != 0
}

/// What `base.html` takes from a page.
pub(crate) struct Frame<'a> {
    /// Climbs from the page's folder to the site root (`../` per level).
    pub root: &'a str,
    /// The `<title>`, before the site's title.
    pub title: &'a str,
    /// The body's `section-` class.
    pub section: &'a str,
    /// The page's own print-marks stylesheet, relative to the site root.
    pub print_marks: Option<&'a str>,
    /// The sidebar's markup ([`RenderCx::sidebar_html`]).
    pub sidebar: &'a str,
}

/// Writes the built-in `base.html` around `frame`, with `breadcrumbs` and `content` in their
/// blocks.
pub(crate) fn page(
    cx: &RenderCx,
    frame: &Frame,
    out: &mut Html,
    breadcrumbs: impl FnOnce(&mut Html),
    content: impl FnOnce(&mut Html),
) {
    let root = frame.root;
    out.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"aimsdoc-site-digest\" content=\"");
    out.text(&cx.site_digest);
    out.raw("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
    out.text(frame.title).raw(" · ").text(&cx.config.site.title);
    out.raw("</title>\n<link rel=\"icon\" href=\"").text(root);
    out.raw("assets/favicon.svg\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"").text(root);
    out.raw("assets/style.css\">\n<link rel=\"stylesheet\" href=\"").text(root);
    out.raw("assets/brand.css\">\n<link rel=\"stylesheet\" href=\"").text(root);
    out.raw("assets/highlight.css\">\n<link rel=\"stylesheet\" media=\"print\" href=\"").text(root);
    out.raw("assets/marks/site.css\">\n");
    if let Some(marks) = frame.print_marks.filter(|m| !m.is_empty()) {
        out.raw("<link rel=\"stylesheet\" media=\"print\" href=\"").text(root).text(marks).raw("\">");
    }
    out.raw("\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Document changes\" href=\"").text(root);
    out.raw("changes.xml\">\n\n<script src=\"").text(root);
    out.raw("assets/nav.js\" defer></script>\n</head>\n<body class=\"section-").text(frame.section);
    out.raw("\">\n<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n");
    header(cx, root, out);
    out.raw("\n<div class=\"layout\">\n")
        .raw(frame.sidebar)
        .raw("\n<main id=\"main\" class=\"content\" tabindex=\"-1\">\n");
    breadcrumbs(out);
    out.raw("\n");
    content(out);
    out.raw("\n</main>\n</div>\n");
    footer(cx, root, out);
    out.raw("\n</body>\n</html>\n");
}

/// The `header` block: brand and search form.
fn header(cx: &RenderCx, root: &str, out: &mut Html) {
    let site = &cx.config.site;
    out.raw("\n<header class=\"site-header\">\n  <a class=\"brand\" href=\"").text(root).raw("index.html\">\n    ");
    match super::brand::logo_path(cx.config) {
        Some(logo) => {
            out.raw("<img class=\"brand-logo\" src=\"").text(root).text(&logo);
            out.raw("\" alt=\"\" width=\"36\" height=\"36\">");
        }
        None => {
            out.raw("<span class=\"brand-mark\" aria-hidden=\"true\"></span>");
        }
    }
    out.raw("\n    <span class=\"brand-text\">\n      ");
    if !site.organisation.is_empty() {
        out.raw("<span class=\"brand-org\">").text(&site.organisation).raw("</span>");
    }
    out.raw("\n      <span class=\"brand-title\">").text(&site.title).raw("</span>\n    </span>\n  </a>\n");
    out.raw("  <form class=\"site-search\" action=\"").text(root);
    out.raw("search.html\" method=\"get\" role=\"search\">\n    <label for=\"site-search-q\" class=\"visually-hidden\">Search the portal</label>\n    <input id=\"site-search-q\" name=\"q\" type=\"search\" placeholder=\"Search documents\" autocomplete=\"off\">\n    <button type=\"submit\">Search</button>\n  </form>\n</header>\n");
}

/// The `footer` block: site, feeds, generator, content digest and how to verify.
fn footer(cx: &RenderCx, root: &str, out: &mut Html) {
    let site = &cx.config.site;
    out.raw("\n<footer class=\"site-footer\">\n  <p class=\"footer-site\">");
    if !site.organisation.is_empty() {
        out.text(&site.organisation).raw(" · ");
    }
    out.text(&site.title).raw("</p>\n  ");
    if !site.footer.is_empty() {
        out.raw("<p class=\"footer-note\">").text(&site.footer).raw("</p>");
    }
    out.raw("\n  <p class=\"muted footer-subscribe\">Follow changes: <a href=\"").text(root);
    out.raw("changes.xml\" type=\"application/atom+xml\">changes feed (Atom)</a> · <a href=\"").text(root);
    out.raw("reviews.ics\" type=\"text/calendar\">review calendar (iCalendar)</a></p>\n  <p class=\"muted\">Generated by aimsdoc ");
    out.text(env!("CARGO_PKG_VERSION")).raw(" · review status as of ").text(&cx.today.to_string());
    out.raw("</p>\n  <p class=\"muted site-digest\">Content digest (SHA-256 of <a href=\"").text(root);
    out.raw("manifest.json\">manifest.json</a>; it does not cover this page, see <a href=\"").text(root);
    out.raw("verify.html\">Verify this portal</a>): <code class=\"hash\">").text(&cx.site_digest);
    out.raw("</code></p>\n  \n  <p class=\"muted site-signature\">");
    match cx.config.release.signer() {
        Some(signer) => {
            out.raw("Releases are signed by <strong class=\"release-signer\">").text(signer);
            out.raw("</strong>: <code>ssh-keygen -Y verify -f allowed_signers -I ").text(signer);
            out.raw(" -n aimsdoc -s SHA256SUMS.sig &lt; SHA256SUMS</code>, then <code>sha256sum -c SHA256SUMS</code>");
        }
        None => {
            out.raw("Check every file: <code>sha256sum -c SHA256SUMS</code>");
        }
    }
    out.raw(" or <code>aimsdoc verify SITE</code>; <a href=\"").text(root);
    out.raw("verify.html#signature\">how</a>.</p>\n</footer>\n");
}

#[cfg(test)]
mod tests;
