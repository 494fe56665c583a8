//! A fast path for body links. Nearly every body is written in a plain subset of Markdown:
//! headings, paragraphs, lists and tables, fenced code at the left margin, and links and images
//! of the one-line form `[text](dest)`. For such a body the links are found by one scan of its
//! lines, without a CommonMark parse (the parse was a quarter of `check`'s CPU at 100,000
//! documents). Everything else is declined to [`super::links::extract_parsed`]: code spans, HTML
//! and autolinks (`<`), escapes, tabs, `~~~` fences, indented lines before a bracket (they may
//! be code), any bracket that is not such a link (reference links, definitions, footnotes, task
//! markers), and links whose text or destination holds anything the parser would treat
//! specially (spaces, parentheses, entities, pipes, braces), and links on a line with more
//! table cells than a table there may have columns (the parser drops those cells, links and
//! all). So wherever this scan answers, it finds exactly what pulldown-cmark finds:
//! `links_fast_tests.rs` checks that on fixed shapes and generated bodies.

use super::links::{classify, BodyLink};
use crate::yaml::Pos;

/// The links of `body` (which starts on file line `body_line`), or `None` when the body is not
/// in the plain subset and needs the full parse.
pub(crate) fn extract(body: &str, body_line: usize) -> Option<Vec<BodyLink>> {
    let mut out = Vec::new();
    let mut fence: Option<usize> = None;
    let mut columns = TableColumns::default();
    for (i, line) in crate::util::split_lines(body).enumerate() {
        let in_code = fence.is_some() || line.starts_with("```");
        if in_code && line.bytes().any(|b| matches!(b, b'\r' | b'\0' | b'\t')) {
            return None;
        }
        if let Some(open) = fence {
            if closes_fence(line, open) {
                fence = None;
            }
            continue;
        }
        if in_code {
            fence = Some(open_fence(line)?);
            continue;
        }
        let before = out.len();
        scan_line(line, body_line + i, &mut out)?;
        if !columns.keeps_every_cell(line, out.len() > before) {
            return None;
        }
    }
    Some(out)
}

/// What the scan knows of tables: a row's cells past its table's column count are dropped,
/// links and all, so a line with links and more cells than any table could have here is left
/// to the parser. Tables are not tracked exactly: `fewest` is the fewest cells of any line
/// since the last blank one that could be a table's delimiter row (a table holds no blank
/// line, so its own delimiter row is among them and it has at least that many columns).
#[derive(Default)]
struct TableColumns {
    fewest: Option<usize>,
}

impl TableColumns {
    /// Takes in the next line outside code; false when it has links (`linked`) and more cells
    /// than a table here may have columns.
    fn keeps_every_cell(&mut self, line: &str, linked: bool) -> bool {
        // Blank for the parser: spaces only (a tab is declined; other white space is text).
        if line.bytes().all(|b| b == b' ') {
            self.fewest = None;
            return true;
        }
        // Whether a leading `>`, `-` or `1.` is a container or the row's own text is for the
        // parser to say: every reading counts, the one with the fewest columns for a delimiter
        // row and the one with the most cells for a row.
        // Most lines have no pipe: then every reading is one cell.
        let piped = memchr::memchr(b'|', line.as_bytes()).is_some();
        let mut most = 0;
        for inner in readings(line) {
            let cells = if piped { cells(inner) } else { 1 };
            if inner.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ')) && inner.contains('-') {
                self.fewest = Some(self.fewest.map_or(cells, |n| n.min(cells)));
            }
            most = most.max(cells);
        }
        !linked || self.fewest.is_none_or(|n| most <= n)
    }
}

/// `line` without its outer spaces, then without each block quote or list marker it starts
/// with in turn. Only ASCII spaces are trimmed: any other white space is text to the parser,
/// and a cell of its own.
fn readings(line: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(line.trim_matches(' '));
    std::iter::from_fn(move || {
        let current = next?;
        let digits = current.bytes().take_while(u8::is_ascii_digit).count();
        let marker = match current.as_bytes() {
            [b'>', ..] => Some(1),
            [b'-' | b'*' | b'+', b' ', ..] => Some(2),
            _ if (1..=9).contains(&digits)
                && matches!(current.as_bytes().get(digits..digits + 2), Some([b'.' | b')', b' '])) =>
            {
                Some(digits + 2)
            }
            _ => None,
        };
        next = marker.map(|m| current[m..].trim_matches(' '));
        Some(current)
    })
}

/// How many cells `row` (one of the [`readings`] of a line) has as a table row: pipes separate them,
/// one leading and one trailing pipe aside (the scan declines escaped pipes and code spans).
fn cells(row: &str) -> usize {
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = row.strip_suffix('|').unwrap_or(row);
    1 + memchr::memchr_iter(b'|', row.as_bytes()).count()
}

/// Bytes a line outside code is stopped at: brackets (links), braces (heading attributes), `~`
/// (a `~~~` fence), and everything the scan declines: a backtick, backslash or `<`, and CR, NUL
/// and tab anywhere (a CR ends a line, a tab indents, for the parser).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"[]{}~`\\<\r\0\t";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

pub(super) fn special(b: u8) -> bool {
    SPECIAL[usize::from(b)]
}

/// The index of the first [`SPECIAL`] byte of `bytes` at or after `from`. Prose is skipped eight
/// bytes at a time by [`may_hold_special`], then the word it stops at is searched exactly.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    crate::words::find(bytes, from, may_hold_special, special)
}

/// False only when none of the eight bytes of `word` is [`SPECIAL`]; true also for a few
/// bytes that are not (`@`, `^`, `_`, `|`, DEL, 0x1C and the other controls below 0x0E), which
/// only costs an exact look at that word. Setting bit 5 folds `[`, `\` and `]` onto `{`, `|`
/// and `}`; setting bits 0 and 1 then folds `|`, `}` and `~` together; `` ` `` and `<` are
/// compared as they are (bit 5 is already set in both), and the controls are the bytes below
/// 0x0E. Bytes above 0x7F (all of a non-ASCII character's) never match.
pub(super) fn may_hold_special(word: u64) -> bool {
    use crate::words::{bytes_below, splat, zero_bytes};
    let folded = word | splat(0x20);
    bytes_below(word, 0x0e)
        | zero_bytes((folded | splat(0x03)) ^ splat(0x7f))
        | zero_bytes(folded ^ splat(b'{'))
        | zero_bytes(folded ^ splat(b'`'))
        | zero_bytes(folded ^ splat(b'<'))
        != 0
}

/// The length of the backtick fence `line` opens (at the left margin, so at the top level:
/// a fence interrupts any paragraph and ends any list), or `None` when its info string holds a
/// backtick (then it is a code span, not a fence).
fn open_fence(line: &str) -> Option<usize> {
    let ticks = line.bytes().take_while(|&b| b == b'`').count();
    (!line[ticks..].contains('`')).then_some(ticks)
}

/// Whether `line` closes a backtick fence of `open` ticks: up to three spaces, at least as many
/// backticks, then only spaces.
fn closes_fence(line: &str, open: usize) -> bool {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let rest = &line[indent..];
    let ticks = rest.bytes().take_while(|&b| b == b'`').count();
    indent <= 3 && ticks >= open && rest[ticks..].bytes().all(|b| b == b' ')
}

/// Appends the links of one line outside code to `out`; `None` when the line needs the parser.
/// One pass over the line, stopping only at [`SPECIAL`] bytes.
fn scan_line(line: &str, file_line: usize, out: &mut Vec<BodyLink>) -> Option<()> {
    let bytes = line.as_bytes();
    let mut from = 0;
    let (mut found, mut braces) = (false, false);
    let mut columns = Columns::default();
    while let Some(at) = next_special(bytes, from) {
        from = at + 1;
        match bytes[at] {
            // Four spaces before the first bracket: indented code, or code in a list item or
            // quote; the parser decides.
            b'[' if found || !line[..at].contains("    ") => {
                let (link, end) = simple_link(line, at, file_line, &mut columns)?;
                out.push(link);
                found = true;
                from = end;
            }
            b'{' | b'}' => braces = true,
            b'~' if !bytes[at..].starts_with(b"~~~") => {}
            _ => return None,
        }
    }
    // `{...}` ends a heading with attributes, which may swallow a link.
    (!(found && braces)).then_some(())
}

/// The link or image whose `[` is at byte `open` of `line`, and the byte after its `)`; `None`
/// unless it is `[text](dest)` with plain text and a plain destination.
fn simple_link(line: &str, open: usize, file_line: usize, columns: &mut Columns) -> Option<(BodyLink, usize)> {
    let close = open + 1 + line[open + 1..].find(']')?;
    let text = &line[open + 1..close];
    let dest_start = close + 2;
    if line.as_bytes().get(close + 1) != Some(&b'(') || !plain_text(text) {
        return None;
    }
    let dest_end = dest_start + line[dest_start..].find(')')?;
    let dest = &line[dest_start..dest_end];
    if !plain_destination(dest) {
        return None;
    }
    let image = open > 0 && line.as_bytes()[open - 1] == b'!';
    let start = if image { open - 1 } else { open };
    let link = BodyLink {
        raw: dest.to_string(),
        target: classify(dest),
        pos: Pos { line: file_line, column: columns.at(line, start) },
        width: line[start..=dest_end].chars().count(),
        text: if image { String::new() } else { text.trim().to_string() },
    };
    Some((link, dest_end + 1))
}

/// Character columns of byte offsets in one line, asked in increasing order: counted on from
/// the last offset asked, so a line of a million links is counted once, not once per link.
#[derive(Default)]
struct Columns {
    /// Byte offset counted up to.
    offset: usize,
    /// Characters before `offset`.
    chars: usize,
}

impl Columns {
    /// 1-based character column of byte `offset` of `line` (a character boundary at or after
    /// the last offset asked).
    fn at(&mut self, line: &str, offset: usize) -> usize {
        self.chars += line[self.offset..offset].chars().count();
        self.offset = offset;
        self.chars + 1
    }
}

/// Link text the scan may take as is: not empty, no brackets (nesting, footnotes), not a task
/// marker, nothing a table cell, an entity or a heading's attributes would change.
fn plain_text(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('^')
        && !matches!(text, " " | "x" | "X")
        && !text.bytes().any(|b| special(b) || matches!(b, b'|' | b'&'))
}

/// A destination the parser takes literally: not empty, no whitespace or control characters
/// (titles, `<...>` forms), no parentheses, quotes, entities, escapes or brackets.
fn plain_destination(dest: &str) -> bool {
    !dest.is_empty()
        && !dest.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '(' | ')' | '<' | '>' | '"' | '\'' | '&' | '|' | '{' | '}' | '[' | ']' | '\\' | '`')
        })
}
