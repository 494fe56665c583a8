//! Printing findings: `human` (rustc-style, with the offending source line), `json` (one array,
//! the schema of DESIGN section 4), `github` (workflow annotations) and `sarif` (SARIF 2.1.0).

use std::io::{self, Write};

use super::{Counts, Diagnostic, Severity};

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text with source snippets (coloured on a terminal unless NO_COLOR is set).
    Human,
    /// One JSON array on stdout.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
    /// SARIF 2.1.0 (code-scanning dashboards), one log on stdout.
    Sarif,
}

/// What the printer needs besides the findings.
pub struct Context<'a> {
    /// Prefix that turns a content-root-relative path into one the user can open (the DIR
    /// argument as typed, e.g. `content-example/`), used by `human` and `github`.
    pub display_root: &'a str,
    /// Returns the text of line `n` (1-based) of a content-root-relative file.
    pub line_of: &'a dyn Fn(&str, usize) -> Option<String>,
    /// Use ANSI colours.
    pub color: bool,
}

/// Prints `diags` in `format`.
pub fn print(out: &mut dyn Write, diags: &[Diagnostic], format: Format, cx: &Context) -> io::Result<()> {
    match format {
        Format::Human => human(out, diags, cx),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, diags)?;
            writeln!(out)
        }
        Format::Github => github(out, diags, cx),
        Format::Sarif => super::sarif::print(out, diags, cx),
    }
}

fn human(out: &mut dyn Write, diags: &[Diagnostic], cx: &Context) -> io::Result<()> {
    let paint = |code: &str, text: &str| {
        if cx.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    for d in diags {
        let colour = match d.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Notice => "1;36",
        };
        let head = format!("{}[{}]", d.severity.as_str(), d.code);
        writeln!(out, "{}: {}", paint(colour, &head), paint("1", &d.message))?;
        let gutter = d.line.to_string().len();
        let pad = " ".repeat(gutter);
        writeln!(out, "{pad}{} {}{}:{}:{}", paint("1;34", "-->"), cx.display_root, d.file, d.line, d.column)?;
        if let Some(text) = (cx.line_of)(&d.file, d.line) {
            let bar = paint("1;34", "|");
            let shown: String = text.trim_end().chars().take(160).collect();
            let caret_at = d.column.saturating_sub(1).min(shown.chars().count());
            let prefix: String = shown.chars().take(caret_at).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let width = token_width(&shown, caret_at);
            writeln!(out, "{pad} {bar}")?;
            writeln!(out, "{} {bar} {}", paint("1;34", &d.line.to_string()), shown)?;
            writeln!(out, "{pad} {bar} {prefix}{}", paint(colour, &"^".repeat(width)))?;
        }
        if !d.hint.is_empty() {
            writeln!(out, "{pad} = {}: {}", paint("1", "help"), d.hint)?;
        }
        writeln!(out, "{pad} = {}: ISO/IEC 42001 {}", paint("1", "clause"), d.clause)?;
        writeln!(out)?;
    }
    let c = Counts::of(diags);
    if c.errors + c.warnings + c.notices > 0 {
        writeln!(out, "{} error(s), {} warning(s), {} notice(s)", c.errors, c.warnings, c.notices)?;
    }
    Ok(())
}

/// Width of the token starting at `start` (up to whitespace, `,`, `]` or end), at least 1.
fn token_width(line: &str, start: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(start).collect();
    let quoted = matches!(rest.first(), Some('"') | Some('\''));
    let n = if quoted {
        let q = rest[0];
        rest.iter().skip(1).position(|&c| c == q).map_or(rest.len(), |p| p + 2)
    } else {
        rest.iter().position(|c| c.is_whitespace() || matches!(c, ',' | ']' | '}' | ':' | ')')).unwrap_or(rest.len())
    };
    n.max(1)
}

fn github(out: &mut dyn Write, diags: &[Diagnostic], cx: &Context) -> io::Result<()> {
    for d in diags {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        };
        let mut message = d.message.clone();
        if !d.hint.is_empty() {
            message.push_str(" (help: ");
            message.push_str(&d.hint);
            message.push(')');
        }
        writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&format!("{}{}", cx.display_root, d.file)),
            d.line,
            d.column,
            escape_property(&format!("{} ISO/IEC 42001 {}", d.code, d.clause)),
            escape_data(&message)
        )?;
    }
    Ok(())
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::rules;
    use crate::yaml::Pos;

    fn sample() -> Vec<Diagnostic> {
        vec![Diagnostic::new(rules::ID_MISSING, "documents/a.md", Pos { line: 2, column: 1 }, "missing `owner`")
            .hint("add `owner: <role>`")]
    }

    fn render(format: Format) -> String {
        let line_of = |_: &str, n: usize| (n == 2).then(|| "id: POL-001".to_string());
        let cx = Context { display_root: "content/", line_of: &line_of, color: false };
        let mut out = Vec::new();
        print(&mut out, &sample(), format, &cx).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn human_shows_location_snippet_and_help() {
        let text = render(Format::Human);
        assert!(text.contains("error[ID001]: missing `owner`"), "{text}");
        assert!(text.contains("--> content/documents/a.md:2:1"), "{text}");
        assert!(text.contains("2 | id: POL-001"), "{text}");
        assert!(text.contains("  | ^^\n"), "{text}");
        assert!(text.contains("= help: add `owner: <role>`"), "{text}");
    }

    #[test]
    fn json_has_the_documented_fields() {
        let value: serde_json::Value = serde_json::from_str(&render(Format::Json)).expect("json");
        let first = &value[0];
        for key in ["code", "severity", "file", "line", "column", "message", "hint", "clause"] {
            assert!(first.get(key).is_some(), "{key}");
        }
        assert_eq!(first["file"], "documents/a.md");
        assert_eq!(first["severity"], "error");
    }

    #[test]
    fn github_escapes_properties() {
        let text = render(Format::Github);
        assert_eq!(
            text.trim(),
            "::error file=content/documents/a.md,line=2,col=1,title=ID001 ISO/IEC 42001 7.5.2::missing `owner` (help: add `owner%3A <role>`)".replace("owner%3A", "owner:")
        );
    }
}
