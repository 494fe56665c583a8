//! The findings as the preview shows them, so that it tells the truth about CI: the banner at the
//! foot of every page (errors, and warnings that make `check --strict` fail, each folded behind
//! a one-line summary), the panel of a document page's own findings (each with the field it is
//! about, its source line, help and notes), and the items of the `/__aimsdoc/errors` page.
//! Everything from the documents is escaped; `backticked` words become `<code>` after escaping.

use std::collections::{BTreeMap, HashMap};

use super::overlay::escape;
use crate::diagnostics::{Diagnostic, Severity};

/// How many findings the foot banner lists per severity (the errors page lists them all).
const BANNER_ITEMS: usize = 8;

/// `text` escaped for HTML, with each pair of backticks turned into a `<code>` element.
pub(crate) fn rich(text: &str) -> String {
    let escaped = escape(text);
    let parts: Vec<&str> = escaped.split('`').collect();
    let mut out = String::with_capacity(escaped.len() + 16);
    for (k, part) in parts.iter().enumerate() {
        let opens_code = k % 2 == 1 && k + 1 < parts.len();
        let unpaired = k % 2 == 1 && !opens_code;
        match (opens_code, unpaired) {
            (true, _) => {
                out.push_str("<code>");
                out.push_str(part);
                out.push_str("</code>");
            }
            (_, true) => {
                out.push('`');
                out.push_str(part);
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// The front matter field a source line sets (`next_review: 2027-13-45` -> "Next review"), for
/// a line of the form `key: value` whose key is a plain identifier.
pub(crate) fn field_label(line: &str) -> Option<String> {
    let trimmed = line.trim_start().trim_start_matches("- ");
    let (key, _) = trimmed.split_once(':')?;
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !plain || !key.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let words = key.replace(['_', '-'], " ");
    let mut chars = words.chars();
    chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
}

/// One finding as a list item: severity and code, the field and message, where, the source
/// line, help and notes.
pub(crate) fn item(d: &Diagnostic, line_of: &dyn Fn(&str, usize) -> Option<String>) -> String {
    let source = line_of(&d.file, d.line);
    let field = source
        .as_deref()
        .and_then(field_label)
        .map(|f| format!("<span class=\"field\">{}</span>: ", escape(&f)))
        .unwrap_or_default();
    let snippet = source.map(|l| format!("<pre>{:>5} | {}</pre>", d.line, escape(l.trim_end()))).unwrap_or_default();
    let hint =
        if d.hint.is_empty() { String::new() } else { format!("<div class=\"hint\">help: {}</div>", rich(&d.hint)) };
    let notes: String = d
        .notes
        .iter()
        .map(|n| {
            format!(
                "<div class=\"note\">note: {} <span class=\"where\">{}:{}:{}</span></div>",
                rich(&n.message),
                escape(&n.file),
                n.line,
                n.column
            )
        })
        .collect();
    format!(
        "<li class=\"{sev}\"><div><span class=\"code\">{sev}[{code}]</span>{field}{msg}</div><div class=\"where\">{file}:{line}:{col}</div>{snippet}{hint}{notes}</li>\n",
        sev = d.severity.as_str(),
        code = escape(d.code),
        msg = rich(&d.message),
        file = escape(&d.file),
        line = d.line,
        col = d.column,
    )
}

fn of(diags: &[Diagnostic], severity: Severity) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.severity == severity).collect()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The banner at the foot of every served page while the tree has errors or warnings; `None`
/// when it has neither. Both groups start folded: the summary line says what matters.
pub(crate) fn banner(diags: &[Diagnostic]) -> Option<String> {
    let errors = of(diags, Severity::Error);
    let warnings = of(diags, Severity::Warning);
    if errors.is_empty() && warnings.is_empty() {
        return None;
    }
    let mut groups = String::new();
    if !errors.is_empty() {
        let summary = format!(
            "<strong>{} in the documents</strong>: this preview is not what <code>aimsdoc build</code> would publish",
            plural(errors.len(), "error")
        );
        groups.push_str(&group("errors", &summary, &errors));
    }
    if !warnings.is_empty() {
        let summary =
            format!("<strong>{}</strong>: <code>check --strict</code> will fail", plural(warnings.len(), "warning"));
        groups.push_str(&group("warnings", &summary, &warnings));
    }
    let role = if errors.is_empty() { "status" } else { "alert" };
    Some(format!(
        "<aside id=\"aimsdoc-errors\" class=\"{}\" role=\"{role}\" aria-label=\"Findings\"><link rel=\"stylesheet\" href=\"/__aimsdoc/overlay.css\">{groups}<p class=\"all\"><a href=\"/__aimsdoc/errors\">All findings, with source lines and help</a></p></aside>\n",
        if errors.is_empty() { "has-warnings" } else { "has-errors" }
    ))
}

fn group(kind: &str, summary: &str, list: &[&Diagnostic]) -> String {
    let mut items = String::new();
    for d in list.iter().take(BANNER_ITEMS) {
        let hint = if d.hint.is_empty() {
            String::new()
        } else {
            format!(" <span class=\"hint\">help: {}</span>", rich(&d.hint))
        };
        items.push_str(&format!(
            "<li><code>{}:{}:{}</code> {}[{}] {}{hint}</li>",
            escape(&d.file),
            d.line,
            d.column,
            d.severity.as_str(),
            escape(d.code),
            rich(&d.message)
        ));
    }
    if list.len() > BANNER_ITEMS {
        items.push_str(&format!("<li>and {} more</li>", list.len() - BANNER_ITEMS));
    }
    format!("<details class=\"aimsdoc-{kind}\"><summary>{summary}</summary><ul>{items}</ul></details>")
}

/// Per served document page (site path -> panel): the findings in its own source file, shown
/// open under the page's control facts.
pub(crate) fn page_panels(
    diags: &[Diagnostic],
    pages: &[(String, String)],
    line_of: &dyn Fn(&str, usize) -> Option<String>,
) -> BTreeMap<String, String> {
    // One pass over the findings, grouped by file (in their order), not one pass per page.
    let mut by_file: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in diags.iter().filter(|d| d.severity != Severity::Notice) {
        by_file.entry(d.file.as_str()).or_default().push(d);
    }
    let mut out = BTreeMap::new();
    for (source, site_path) in pages {
        let Some(mine) = by_file.get(source.as_str()) else { continue };
        let items: String = mine.iter().map(|d| item(d, line_of)).collect();
        let errors = mine.iter().filter(|d| d.severity == Severity::Error).count();
        let summary = format!(
            "{} and {} in <code>{}</code>{}",
            plural(errors, "error"),
            plural(mine.len() - errors, "warning"),
            escape(source),
            if errors == 0 { ": <code>check --strict</code> will fail" } else { "" }
        );
        out.insert(
            site_path.clone(),
            format!(
                "<section id=\"aimsdoc-page-findings\" class=\"aimsdoc-findings\" aria-label=\"Findings in this document\"><link rel=\"stylesheet\" href=\"/__aimsdoc/overlay.css\"><details open><summary>{summary}</summary><ol>\n{items}</ol></details></section>\n"
            ),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::rules;
    use crate::yaml::Pos;

    #[test]
    fn backticks_become_code_after_escaping() {
        assert_eq!(rich("use `owner` here"), "use <code>owner</code> here");
        assert_eq!(rich("`<script>` & `a`"), "<code>&lt;script&gt;</code> &amp; <code>a</code>");
        assert_eq!(rich("one ` only"), "one ` only");
        assert_eq!(rich("`a` and ` b"), "<code>a</code> and ` b");
    }

    #[test]
    fn fields_are_named_from_their_source_line() {
        assert_eq!(field_label("next_review: 2027-13-45").as_deref(), Some("Next review"));
        assert_eq!(field_label("  date: 2026-01-01").as_deref(), Some("Date"));
        assert_eq!(field_label("  - by: x").as_deref(), Some("By"));
        assert_eq!(field_label("Some prose: with a colon"), None);
        assert_eq!(field_label("no colon"), None);
        assert_eq!(field_label("<b>: x"), None);
    }

    fn finding(sev: Severity, file: &str) -> Diagnostic {
        let mut d =
            Diagnostic::new(rules::ID_BAD_DATE, file, Pos { line: 2, column: 14 }, "`2027-13-45` is not a date")
                .hint("write `YYYY-MM-DD`");
        d.severity = sev;
        d
    }

    #[test]
    fn warnings_alone_say_strict_will_fail_and_nothing_says_nothing() {
        assert_eq!(banner(&[]), None);
        let b = banner(&[finding(Severity::Warning, "a.md")]).expect("a banner");
        assert!(b.contains("1 warning</strong>: <code>check --strict</code> will fail"), "{b}");
        assert!(b.contains("help: write <code>YYYY-MM-DD</code>"), "{b}");
        assert!(b.contains("role=\"status\"") && !b.contains("error[") && !b.contains("errors in"), "{b}");
        let b = banner(&[finding(Severity::Error, "a.md"), finding(Severity::Warning, "a.md")]).expect("a banner");
        assert!(b.contains("1 error in the documents") && b.contains("1 warning</strong>"), "{b}");
        assert!(b.contains("<details class=\"aimsdoc-errors\"><summary>"), "folded: {b}");
    }

    #[test]
    fn a_document_page_gets_its_own_findings_with_the_field_marked() {
        let diags = [finding(Severity::Error, "documents/p.md"), finding(Severity::Error, "documents/other.md")];
        let pages = [("documents/p.md".to_string(), "documents/P-1.html".to_string())];
        let panels = page_panels(&diags, &pages, &|_, _| Some("next_review: 2027-13-45".into()));
        let panel = &panels["documents/P-1.html"];
        assert!(
            panel.contains("<span class=\"field\">Next review</span>: <code>2027-13-45</code> is not a date"),
            "{panel}"
        );
        assert!(panel.contains("1 error and 0 warnings in <code>documents/p.md</code>"), "{panel}");
        assert_eq!(panels.len(), 1);
    }
}
