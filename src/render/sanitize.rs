//! Raw HTML from a trusted tree (`allow_raw_html = true`) is still cleaned with `ammonia` before
//! it reaches a page: a conservative allow-list of elements and attributes, no script, style,
//! frames, plugins, forms or document metadata, no event handlers, no `javascript:` or `data:`
//! URLs, and `rel="noopener noreferrer"` on every link.
//!
//! The whole rendered body of a document that contains raw HTML is cleaned at once, not each
//! raw fragment: a block such as `<details>` often opens in one HTML block and closes in another
//! with Markdown between them, and inline tags (`<kbd>x</kbd>`) arrive from the parser one tag at
//! a time. Cleaning the body parses it the way a browser will, so nothing can hide in a split.
//! The allow-list therefore also covers what aimsdoc's own Markdown rendering emits (heading
//! ids and anchors, highlighted code classes, table alignment classes, footnotes, task lists).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Elements kept (with their content), separated by spaces; anything else is removed and its
/// text kept.
const TAGS: &str = "a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl \
    dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img input ins kbd li mark ol p pre q rp \
    rt ruby s samp small span strong sub summary sup table tbody td tfoot th thead time tr u \
    ul var wbr";

/// Elements removed together with their content (code, or text never meant to be shown).
const DROPPED_WITH_CONTENT: &str =
    "script style template noscript iframe object embed svg math textarea select title xmp \
    noembed noframes";

/// Attributes allowed on every kept element.
const GENERIC_ATTRIBUTES: &[&str] = &["class", "lang", "dir", "title", "aria-label"];

/// Attributes allowed on specific elements.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang", "download"]),
    ("img", &["src", "alt", "width", "height"]),
    ("ol", &["start"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("time", &["datetime"]),
    ("del", &["datetime"]),
    ("ins", &["datetime"]),
    ("details", &["open"]),
    ("code", &["data-lang"]),
    // Task-list markers; the element is forced to a disabled checkbox below.
    ("input", &["checked"]),
    // Heading anchors and footnotes link to ids.
    ("h1", &["id"]),
    ("h2", &["id"]),
    ("h3", &["id"]),
    ("h4", &["id"]),
    ("h5", &["id"]),
    ("h6", &["id"]),
    ("div", &["id"]),
    ("li", &["id"]),
    ("sup", &["id"]),
];

/// URL schemes allowed in `href` and `src`; relative URLs pass unchanged.
const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Cleans `html` (a rendered document body) with the allow-list above.
pub(crate) fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        let tag_attributes: HashMap<&str, HashSet<&str>> =
            TAG_ATTRIBUTES.iter().map(|(tag, attrs)| (*tag, attrs.iter().copied().collect())).collect();
        b.tags(TAGS.split_whitespace().collect())
            .clean_content_tags(DROPPED_WITH_CONTENT.split_whitespace().collect())
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .tag_attributes(tag_attributes)
            .url_schemes(URL_SCHEMES.iter().copied().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true)
            // A text field or button could pose as part of the portal; a checkbox cannot.
            .set_tag_attribute_value("input", "type", "checkbox")
            .set_tag_attribute_value("input", "disabled", "");
        b
    })
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[track_caller]
    fn neutralised(input: &str, forbidden: &[&str]) {
        let out = clean(input).to_ascii_lowercase();
        for f in forbidden {
            assert!(!out.contains(f), "{input:?} -> {out:?} still has {f:?}");
        }
    }

    #[test]
    fn scripts_handlers_and_active_urls_are_removed() {
        neutralised("<script>alert(1)</script><p>x</p>", &["<script", "alert"]);
        neutralised("<img src=x onerror=alert(1)>", &["onerror", "alert"]);
        neutralised("<a href=\"javascript:alert(1)\">x</a>", &["javascript", "alert"]);
        neutralised("<a href=\"JaVaScRiPt&colon;alert(1)\">x</a>", &["javascript", "alert"]);
        neutralised("<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", &["data:"]);
        neutralised("<svg><script>alert(1)</script></svg>", &["<svg", "<script", "alert"]);
        neutralised("<svg onload=alert(1)><circle r=1 /></svg>", &["<svg", "onload", "alert"]);
        neutralised("<iframe src=\"https://evil.example\"></iframe>", &["<iframe", "evil"]);
        neutralised("<style>body{display:none}</style><p style=\"color:red\">x</p>", &["<style", "display", "style="]);
        neutralised(
            "<object data=x></object><embed src=x><form action=x><input type=text name=p></form>",
            &["<object", "<embed", "<form", "type=\"text\""],
        );
        neutralised(
            "<base href=\"https://evil.example/\"><meta http-equiv=refresh content=0><link rel=stylesheet href=x>",
            &["<base", "<meta", "<link", "evil"],
        );
        neutralised("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>", &["javascript", "<math"]);
    }

    #[test]
    fn links_get_noopener_noreferrer() {
        let out = clean("<a href=\"https://example.org\" target=\"_blank\">x</a>");
        assert_eq!(out, "<a href=\"https://example.org\" rel=\"noopener noreferrer\">x</a>");
    }

    #[test]
    fn harmless_markup_survives() {
        let details = "<details><summary>More</summary>\n<p>hidden <kbd>Ctrl</kbd>+<kbd>C</kbd></p>\n</details>";
        assert_eq!(clean(details), details);
        let table = "<table><thead><tr><th>a</th></tr></thead><tbody><tr><td colspan=\"2\">1</td></tr></tbody></table>";
        assert_eq!(clean(table), table);
        let heading = "<h2 id=\"scope\">Scope <a class=\"anchor\" href=\"#scope\" aria-label=\"Link\">#</a></h2>";
        assert_eq!(
            clean(heading),
            heading.replace("aria-label=\"Link\">", "aria-label=\"Link\" rel=\"noopener noreferrer\">")
        );
    }

    #[test]
    fn any_input_becomes_a_disabled_checkbox() {
        let out = clean("<input type=\"password\" name=\"p\" checked>");
        assert!(out.contains("type=\"checkbox\""), "{out}");
        assert!(out.contains("disabled"), "{out}");
        assert!(!out.contains("password") && !out.contains("name="), "{out}");
    }
}
