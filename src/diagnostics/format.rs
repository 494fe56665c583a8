//! Printing findings: `human` (rustc-style, with the offending source line), `json` (one array,
//! the schema README documents), `github` (workflow annotations) and `sarif` (SARIF 2.1.0).
//!
//! Messages, file names and source lines come from the pull request being checked: in `human`
//! and `github` output, control characters (an ESC that recolours or rewrites the CI log, a BEL,
//! a newline that fakes another finding) and bidirectional overrides are shown escaped
//! (`\u{1b}`), never raw. JSON and SARIF are escaped by serde.
//!
//! Why our own renderer and not `annotate-snippets` (0.12, evaluated for issue 10): it takes the
//! `-->` column from the span's offset in the text it is given, so a source line escaped as
//! above shows a wrong column, while unescaped it prints C1 controls such as the 8-bit CSI
//! U+009B raw to the terminal (it only replaces C0, DEL and bidi controls) and panics on a span
//! past the end of a line. A second location ("first used here") is a `:::` block this printer
//! can add in a few lines; revisit when the crate lets the caller give the column. Notes are
//! printed as rustc prints them, a `note:` line with its own `-->` location and snippet.

use std::borrow::Cow;
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
    pub line_of: &'a (dyn Fn(&str, usize) -> Option<String> + Sync),
    /// Use ANSI colours.
    pub color: bool,
}

/// Prints `diags` in `format`.
pub fn print(out: &mut dyn Write, diags: &[Diagnostic], format: Format, cx: &Context) -> io::Result<()> {
    // stderr is unbuffered: 100,000 findings were 800,000 write calls.
    let mut buffered = io::BufWriter::with_capacity(64 * 1024, out);
    print_to(&mut buffered, diags, format, cx)?;
    buffered.flush()
}

fn print_to(out: &mut dyn Write, diags: &[Diagnostic], format: Format, cx: &Context) -> io::Result<()> {
    match format {
        Format::Human => super::chunked::print(out, diags, |buf, chunk, _| human(buf, chunk, cx)),
        Format::Json => {
            super::chunked::json(out, diags)?;
            writeln!(out)
        }
        Format::Github => super::chunked::print(out, diags, |buf, chunk, _| github(buf, chunk, cx)),
        Format::Sarif => super::sarif::print(out, diags, cx),
    }
}

fn human(out: &mut dyn Write, diags: &[Diagnostic], cx: &Context) -> io::Result<()> {
    let paint = Paint { color: cx.color };
    for d in diags {
        let colour = match d.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Notice => "1;36",
        };
        let head = format!("{}[{}]", d.severity.as_str(), d.code);
        writeln!(out, "{}: {}", paint.on(colour, &head), paint.on("1", &visible(&d.message)))?;
        // One gutter for the finding and its notes, wide enough for every line number shown.
        let widest = d.notes.iter().map(|n| n.line).chain([d.line]).max().unwrap_or(d.line);
        let pad = " ".repeat(widest.to_string().len());
        let look = Look { colour, above: CONTEXT_ABOVE.contains(&d.code), width: d.width };
        snippet(out, cx, &paint, &pad, (&d.file, d.line, d.column), look)?;
        for n in &d.notes {
            writeln!(out, "{}: {}", paint.on("1;32", "note"), visible(&n.message))?;
            // A note at the finding's own place (one item of a list) needs no second snippet.
            if (n.file.as_str(), n.line, n.column) != (d.file.as_str(), d.line, d.column) {
                let look = Look { colour: "1;36", above: false, width: 0 };
                snippet(out, cx, &paint, &pad, (&n.file, n.line, n.column), look)?;
            }
        }
        if !d.hint.is_empty() {
            writeln!(out, "{pad} = {}: {}", paint.on("1", "help"), visible(&d.hint))?;
        }
        writeln!(out, "{pad} = {}: ISO/IEC 42001 {}", paint.on("1", "clause"), d.clause)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The one line that ends every run that checked a tree (check, build, approve, serve):
/// `6 documents checked: 0 errors, 3 warnings` (`, 2 notices` when there are any).
pub(crate) fn summary(documents: usize, c: Counts) -> String {
    let n = |count: usize, word: &str| format!("{count} {word}{}", if count == 1 { "" } else { "s" });
    let mut line =
        format!("{} checked: {}, {}", n(documents, "document"), n(c.errors, "error"), n(c.warnings, "warning"));
    if c.notices > 0 {
        line.push_str(&format!(", {}", n(c.notices, "notice")));
    }
    line
}

/// How a snippet is drawn: the caret's colour, whether the line above is shown, and how many
/// characters the caret covers (0: the token at the column).
struct Look<'a> {
    colour: &'a str,
    above: bool,
    width: usize,
}

/// Findings shown with the source line above theirs: in a YAML syntax error, that line is what
/// the reader compares the faulty one with.
const CONTEXT_ABOVE: &[&str] = &["FM004"];

/// The `-->` line and source line `line` without a caret, above the finding's own snippet.
fn context_line(
    out: &mut dyn Write,
    cx: &Context,
    paint: &Paint,
    pad: &str,
    file: &str,
    line: usize,
) -> io::Result<()> {
    let Some(text) = (cx.line_of)(file, line) else { return Ok(()) };
    let bar = paint.on("1;34", "|");
    let number = format!("{line:>width$}", width = pad.len());
    let shown: String = text.trim_end().chars().take(160).collect();
    writeln!(out, "{} {bar} {}", paint.on("1;34", &number), visible(&shown))
}

/// ANSI colouring, or none.
struct Paint {
    color: bool,
}

impl Paint {
    fn on(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The `--> file:line:column` line and, when the source line is known, the line with a caret
/// under the token at `column` (and, when `above`, the source line before it).
fn snippet(
    out: &mut dyn Write,
    cx: &Context,
    paint: &Paint,
    pad: &str,
    (file, line, column): (&str, usize, usize),
    Look { colour, above, width }: Look,
) -> io::Result<()> {
    let shown_file = visible(file);
    writeln!(out, "{pad}{} {}{shown_file}:{line}:{column}", paint.on("1;34", "-->"), visible(cx.display_root))?;
    let Some(text) = (cx.line_of)(file, line) else { return Ok(()) };
    let bar = paint.on("1;34", "|");
    // A window of the line that holds the column: from the start, or (far along a long line)
    // from [`SNIPPET_LEAD`] characters before it, marked by an ellipsis.
    let at = column.saturating_sub(1);
    let skip = if at + SNIPPET_LEAD > SNIPPET_CHARS { at - SNIPPET_LEAD } else { 0 };
    let raw: Vec<char> = text.trim_end().chars().skip(skip).take(SNIPPET_CHARS).collect();
    let caret_at = (at - skip).min(raw.len());
    // Widths on screen: an escaped character takes the width of its escape.
    let mut prefix = String::with_capacity(caret_at + 1);
    let lead = if skip > 0 { "\u{2026}" } else { "" };
    prefix.push_str(if skip > 0 { " " } else { "" });
    for &c in &raw[..caret_at] {
        if c == '\t' {
            prefix.push('\t');
        } else {
            prefix.extend(std::iter::repeat_n(' ', shown_width(c)));
        }
    }
    let shown: String = raw.iter().collect();
    let token = if width > 0 { width } else { token_width(&shown, caret_at) };
    let width: usize = raw[caret_at..].iter().take(token).map(|&c| shown_width(c)).sum();
    let number = format!("{line:>width$}", width = pad.len());
    writeln!(out, "{pad} {bar}")?;
    if above && line > 1 {
        context_line(out, cx, paint, pad, file, line - 1)?;
    }
    writeln!(out, "{} {bar} {lead}{}", paint.on("1;34", &number), visible(&shown))?;
    writeln!(out, "{pad} {bar} {prefix}{}", paint.on(colour, &"^".repeat(width.max(1))))
}

/// Characters of a line shown in a snippet.
const SNIPPET_CHARS: usize = 160;
/// Characters shown before the column when the window does not start at the line's start.
const SNIPPET_LEAD: usize = 40;

/// Whether `c` is shown escaped: C0 and C1 controls except tab, DEL, and the bidirectional
/// embeddings, overrides and isolates that can reorder what a reviewer sees.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`hidden`] character written as its Rust escape (`\u{1b}`, `\n`).
pub(crate) fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Columns `c` takes once made [`visible`].
fn shown_width(c: char) -> usize {
    if hidden(c) {
        c.escape_default().count()
    } else {
        1
    }
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
        let mut message = visible(&d.message).into_owned();
        if !d.hint.is_empty() {
            message.push_str(" (help: ");
            message.push_str(&visible(&d.hint));
            message.push(')');
        }
        for n in &d.notes {
            let at = format!("{}{}:{}:{}", cx.display_root, n.file, n.line, n.column);
            message.push_str(&format!(" (note: {}: {})", visible(&n.message), visible(&at)));
        }
        writeln!(
            out,
            "::{level} file={},line={},col={},title={}::{}",
            escape_property(&visible(&format!("{}{}", cx.display_root, d.file))),
            d.line,
            d.column,
            escape_property(&format!("{} ISO/IEC 42001 {}", d.code, d.clause)),
            escape_data(&message)
        )?;
    }
    Ok(())
}

/// The runner's escaping of a workflow command's message (`%`, CR, LF), as in
/// `@actions/core`'s `escapeData`; other controls are already [`visible`].
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value (`file=`, `title=`) also escapes `:` and `,` (`escapeProperty`).
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
    fn control_characters_from_documents_are_escaped() {
        let d = Diagnostic::new(rules::ID_BAD_ID, "documents/\u{1b}[2Ja.md", Pos { line: 1, column: 6 }, "bad\u{7}\n")
            .hint("fix \u{9b}31m it");
        let line_of = |_: &str, _: usize| Some("id: \u{1b}]0;X\u{7} POL\u{202e}".to_string());
        for format in [Format::Human, Format::Github] {
            let cx = Context { display_root: "", line_of: &line_of, color: false };
            let mut out = Vec::new();
            print(&mut out, std::slice::from_ref(&d), format, &cx).expect("writes");
            let text = String::from_utf8(out).expect("utf-8");
            assert!(!text.chars().any(|c| hidden(c) && c != '\n'), "{format:?}: {text:?}");
            assert!(text.contains("documents/\\u{1b}[2Ja.md"), "{text}");
            assert!(text.contains("bad\\u{7}\\n"), "{text}");
            assert!(text.contains("fix \\u{9b}31m it"), "{text}");
            assert_eq!(text.lines().count(), if format == Format::Human { 8 } else { 1 }, "{text}");
        }
    }

    #[test]
    fn the_caret_stays_under_the_token_after_escapes() {
        let d = Diagnostic::new(rules::ID_BAD_ID, "a.md", Pos { line: 1, column: 5 }, "m");
        let line_of = |_: &str, _: usize| Some("i\u{1b}: POL x".to_string());
        let cx = Context { display_root: "", line_of: &line_of, color: false };
        let mut out = Vec::new();
        print(&mut out, &[d], Format::Human, &cx).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        let source = lines[3].find("POL").expect("source line");
        assert_eq!(lines[4].find('^'), Some(source), "{text}");
        assert_eq!(lines[4].matches('^').count(), 3, "{text}");
    }

    #[test]
    fn far_along_a_long_line_the_snippet_shows_the_column() {
        let line = format!("{}[a](b) [c](gone)", "word ".repeat(100_000));
        let column = line.find("[c]").expect("link") + 1;
        let d = Diagnostic::new(rules::ID_BAD_ID, "a.md", Pos { line: 1, column }, "m");
        let line_of = |_: &str, _: usize| Some(line.clone());
        let cx = Context { display_root: "", line_of: &line_of, color: false };
        let mut out = Vec::new();
        print(&mut out, &[d], Format::Human, &cx).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[3].contains("| \u{2026}"), "{text}");
        assert!(lines[3].chars().count() < 200, "{text}");
        // On screen (characters, not bytes: the ellipsis is one character of three bytes).
        let column_of = |line: &str, byte: usize| line[..byte].chars().count();
        let source = lines[3].find("[c](gone)").expect("the link is in the window");
        let caret = lines[4].find('^').expect("caret");
        assert_eq!(column_of(lines[4], caret), column_of(lines[3], source), "{text}");
    }

    fn with_note() -> Vec<Diagnostic> {
        vec![Diagnostic::new(
            rules::ID_DUPLICATE,
            "documents/b.md",
            Pos { line: 2, column: 5 },
            "id `POL-001` is already used",
        )
        .hint("give it its own id")
        .note("documents/a.md", Pos { line: 12, column: 5 }, "first used here")]
    }

    fn print_notes(format: Format) -> String {
        let line_of = |f: &str, n: usize| match (f, n) {
            ("documents/a.md", 12) => Some("id: POL-001".to_string()),
            ("documents/b.md", 2) => Some("id: POL-001".to_string()),
            _ => None,
        };
        let cx = Context { display_root: "content/", line_of: &line_of, color: false };
        let mut out = Vec::new();
        print(&mut out, &with_note(), format, &cx).expect("writes");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn human_prints_notes_with_their_own_location_and_snippet() {
        let text = print_notes(Format::Human);
        let expected = "error[ID003]: id `POL-001` is already used
  --> content/documents/b.md:2:5
   |
 2 | id: POL-001
   |     ^^^^^^^
note: first used here
  --> content/documents/a.md:12:5
   |
12 | id: POL-001
   |     ^^^^^^^
   = help: give it its own id
";
        assert!(text.starts_with(expected), "{text}");
    }

    #[test]
    fn notes_reach_json_and_github() {
        let value: serde_json::Value = serde_json::from_str(&print_notes(Format::Json)).expect("json");
        let note = &value[0]["notes"][0];
        assert_eq!(note["file"], "documents/a.md");
        assert_eq!((note["line"].as_u64(), note["column"].as_u64()), (Some(12), Some(5)));
        assert_eq!(note["message"], "first used here");
        let github = print_notes(Format::Github);
        assert!(github.contains("(note: first used here: content/documents/a.md:12:5)"), "{github}");
        assert_eq!(github.lines().count(), 1, "{github}");
    }

    #[test]
    fn the_summary_line_counts_in_words() {
        let c = |errors, warnings, notices| Counts { errors, warnings, notices };
        assert_eq!(summary(6, c(0, 3, 0)), "6 documents checked: 0 errors, 3 warnings");
        assert_eq!(summary(1, c(1, 1, 2)), "1 document checked: 1 error, 1 warning, 2 notices");
    }

    #[test]
    fn a_note_at_the_finding_s_place_has_no_second_snippet_and_fm004_shows_the_line_above() {
        let d = Diagnostic::new(rules::FM_SYNTAX, "a.md", Pos { line: 2, column: 1 }, "line 2 has no `:`").note(
            "a.md",
            Pos { line: 2, column: 1 },
            "one item",
        );
        let line_of = |_: &str, n: usize| Some(format!("line {n}"));
        let cx = Context { display_root: "", line_of: &line_of, color: false };
        let mut out = Vec::new();
        print(&mut out, &[d], Format::Human, &cx).expect("writes");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains(" |\n1 | line 1\n2 | line 2\n  | ^^^^\nnote: one item\n  = clause"), "{text}");
    }

    #[test]
    fn json_has_the_documented_fields() {
        let value: serde_json::Value = serde_json::from_str(&render(Format::Json)).expect("json");
        let first = &value[0];
        for key in ["code", "severity", "file", "line", "column", "message", "hint", "clause", "notes"] {
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
