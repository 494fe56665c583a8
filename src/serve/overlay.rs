//! What only served pages get: the live-reload script (an external file, so a strict Content
//! Security Policy still allows it), a banner listing the errors while the tree has some, and
//! the overlay page shown instead of every page while the site cannot be rendered; both list
//! each finding with its file:line:column, message and hint.

use super::findings;
use crate::diagnostics::{Diagnostic, Severity};
pub(crate) use crate::render::markdown::escape_attr as escape;

/// `/__aimsdoc/reload.js`: opens the event stream for this page and the build generation it was
/// served at; the server sends `reload` once a later build changed this page (also right after
/// connecting, if that happened in between).
pub(crate) const RELOAD_JS: &str = r#"(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) { return; }
  var url = "/__aimsdoc/events?since=" + encodeURIComponent(me.getAttribute("data-generation") || "") +
    "&page=" + encodeURIComponent(window.location.pathname);
  var events = new EventSource(url);
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
})();
"#;

/// `/__aimsdoc/favicon.svg`: the built-in theme's icon, so the overlay pages (which exist when
/// the site itself may not) do not send the browser to a missing `/favicon.ico`.
pub(crate) const FAVICON_SVG: &[u8] = include_bytes!("../../theme/assets/favicon.svg");

/// `/__aimsdoc/overlay.css`: the style of the overlay page and the banner, scoped so it never
/// restyles the page the banner sits on.
pub(crate) const OVERLAY_CSS: &str = r#"body.aimsdoc-overlay { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #1e1e24; color: #eee; }
.aimsdoc-overlay main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem; }
.aimsdoc-overlay h1 { color: #ff8a80; font-size: 1.4rem; margin: 0 0 .25rem; }
.aimsdoc-overlay.ok h1 { color: #69f0ae; }
.aimsdoc-overlay p.lead { color: #bbb; margin: 0 0 1.5rem; }
.aimsdoc-overlay a { color: #80d8ff; }
.aimsdoc-overlay ol { list-style: none; padding: 0; margin: 0; }
.aimsdoc-overlay li { background: #2a2a33; border-left: 4px solid #ff5252; border-radius: 4px; padding: .75rem 1rem; margin: 0 0 1rem; }
.aimsdoc-overlay li.warning { border-left-color: #ffd740; }
.aimsdoc-overlay .where, .aimsdoc-findings .where { font-family: ui-monospace, monospace; color: #80d8ff; }
.aimsdoc-overlay .code, .aimsdoc-findings .code { font-weight: 600; margin-right: .5rem; }
.aimsdoc-overlay .field, .aimsdoc-findings .field { font-weight: 600; background: #ff5252; color: #1e1e24; padding: 0 .3rem; border-radius: 3px; }
.aimsdoc-overlay li.warning .field, .aimsdoc-findings li.warning .field { background: #ffd740; }
.aimsdoc-overlay pre, .aimsdoc-findings pre { background: #15151a; color: #eee; padding: .5rem .75rem; overflow-x: auto; margin: .5rem 0; }
.aimsdoc-overlay code, .aimsdoc-findings code, #aimsdoc-errors code { font-family: ui-monospace, monospace; color: #80d8ff; background: #15151a; padding: 0 .25rem; border-radius: 3px; }
.aimsdoc-overlay .hint, .aimsdoc-findings .hint, #aimsdoc-errors .hint { color: #b9f6ca; }
.aimsdoc-overlay .note, .aimsdoc-findings .note { color: #ccc; }
#aimsdoc-errors { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483647; max-height: 40vh; overflow: auto;
  margin: 0; padding: .4rem 1rem; background: #2a2a33; color: #eee; border-top: 4px solid #ff5252;
  font: 14px/1.4 system-ui, sans-serif; text-align: left; }
#aimsdoc-errors.has-warnings { border-top-color: #ffd740; }
#aimsdoc-errors a { color: #80d8ff; }
#aimsdoc-errors summary { cursor: pointer; padding: .15rem 0; }
#aimsdoc-errors details.aimsdoc-warnings summary strong { color: #ffd740; }
#aimsdoc-errors details.aimsdoc-errors summary strong { color: #ff8a80; }
#aimsdoc-errors ul { margin: .25rem 0; padding-left: 1.25rem; }
#aimsdoc-errors p.all { margin: .15rem 0 0; font-size: 13px; }
.aimsdoc-findings { margin: .75rem 0 1rem; padding: .5rem 1rem; background: #2a2a33; color: #eee; border-left: 4px solid #ff5252; border-radius: 6px; font: 14px/1.45 system-ui, sans-serif; }
.aimsdoc-findings summary { cursor: pointer; font-weight: 600; }
.aimsdoc-findings ol { list-style: none; padding: 0; margin: .5rem 0 0; }
.aimsdoc-findings li { border-top: 1px solid #44444f; padding: .5rem 0; }
@media print { #aimsdoc-errors, .aimsdoc-findings { display: none; } }
"#;

/// Inserts `banner` (if any) and the reload script (tagged with the generation the page is
/// served at) before the last `</body>`, or at the end when there is none.
pub(crate) fn inject(html: &str, generation: &str, banner: Option<&str>) -> String {
    let script = format!(
        "{}<script src=\"/__aimsdoc/reload.js\" data-generation=\"{}\"></script>\n",
        banner.unwrap_or(""),
        escape(generation)
    );
    let at = html.rfind("</body>").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + script.len());
    out.push_str(&html[..at]);
    out.push_str(&script);
    out.push_str(&html[at..]);
    out
}

/// Inserts a document page's own findings `panel` right under its control facts (the list
/// `id="doc-facts"` of `document.html`), or at the start of `<main>` when the page has none.
pub(crate) fn inject_panel(html: &str, panel: &str) -> String {
    let after_facts = html.find("id=\"doc-facts\"").and_then(|at| html[at..].find("</ul>").map(|end| at + end + 5));
    let after_main = || html.find("<main").and_then(|at| html[at..].find('>').map(|end| at + end + 1));
    let Some(at) = after_facts.or_else(after_main) else {
        return html.to_string();
    };
    let mut out = String::with_capacity(html.len() + panel.len());
    out.push_str(&html[..at]);
    out.push_str(panel);
    out.push_str(&html[at..]);
    out
}

/// The overlay page for `diags` (errors first, then warnings; notices left out), with each
/// finding's source line from `line_of`.
pub(crate) fn page(diags: &[Diagnostic], line_of: &dyn Fn(&str, usize) -> Option<String>) -> String {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    let shown = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .chain(diags.iter().filter(|d| d.severity == Severity::Warning));
    let items: String = shown.take(200).map(|d| findings::item(d, line_of)).collect();
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let title = if errors == 0 {
        format!("No errors, {warnings} warning{}: check --strict will fail", s(warnings))
    } else {
        format!("{errors} error{} and {warnings} warning{} in the documents", s(errors), s(warnings))
    };
    shell(&title, "Fix them and save: this page reloads by itself.", &format!("<ol>\n{items}</ol>"))
}

/// The overlay page for a failure that stops the build (configuration or theme).
pub(crate) fn failure_page(message: &str) -> String {
    shell(
        "The site cannot be built",
        "Fix the problem below and save: this page reloads by itself.",
        &format!("<pre>{}</pre>", escape(message)),
    )
}

/// `/__aimsdoc/errors` while there are none.
pub(crate) fn clean_page() -> String {
    shell_with(
        "ok",
        "No errors",
        "The documents have no errors and no warnings: <code>aimsdoc check --strict</code> passes.",
        "<p><a href=\"/\">Dashboard</a></p>",
    )
}

/// A small 404 page (served pages reload when a build adds the missing page).
pub(crate) fn not_found(path: &str) -> String {
    shell("Not found", &format!("Nothing is published at {path}."), "<p><a href=\"/\">Dashboard</a></p>")
}

fn shell(title: &str, lead: &str, body: &str) -> String {
    shell_with("", title, &escape(lead), body)
}

/// The overlay page: `class` on `<body>` (`ok` shows the title in green), `lead` as HTML.
fn shell_with(class: &str, title: &str, lead: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n{CSP_META}\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t} · aimsdoc serve</title>\n<link rel=\"icon\" href=\"/__aimsdoc/favicon.svg\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"/__aimsdoc/overlay.css\">\n</head>\n<body class=\"aimsdoc-overlay {class}\">\n<main id=\"aimsdoc-overlay\">\n<h1>{t}</h1>\n<p class=\"lead\">{lead}</p>\n{body}\n</main>\n</body>\n</html>\n",
        t = escape(title)
    )
}

/// The same policy as the built pages' `base.html` (the overlay shows document text).
const CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'\">\n<meta name=\"referrer\" content=\"no-referrer\">";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::rules;
    use crate::yaml::Pos;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = inject("<html><body><p>a</p></body></html>", "s-2", None);
        assert_eq!(
            html,
            "<html><body><p>a</p><script src=\"/__aimsdoc/reload.js\" data-generation=\"s-2\"></script>\n</body></html>"
        );
        assert!(inject("no body", "1", None).ends_with("</script>\n"));
        let with_banner = inject("<body></body>", "1", Some("<aside>b</aside>"));
        assert!(with_banner.starts_with("<body><aside>b</aside><script"), "{with_banner}");
    }

    #[test]
    fn overlay_escapes_everything_from_documents() {
        let d = Diagnostic::new(rules::FM_SYNTAX, "documents/<x>.md", Pos { line: 3, column: 7 }, "bad `<script>`")
            .hint("fix & save");
        let html = page(&[d], &|_, _| Some("title: <b>".into()));
        assert!(html.contains("documents/&lt;x&gt;.md:3:7"), "{html}");
        assert!(html.contains("bad <code>&lt;script&gt;</code>"), "{html}");
        assert!(html.contains("    3 | title: &lt;b&gt;"), "{html}");
        assert!(html.contains("help: fix &amp; save"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'"), "{html}");
    }
}
