//! Positions and addresses between aimsdoc and the protocol. aimsdoc counts lines from 1 and
//! columns in characters from 1 ([`Pos`]); LSP counts both from 0, and columns in UTF-16 code
//! units (the one encoding every client supports). File URIs become paths and back.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::yaml::Pos;

/// Line `line0` (0-based) of `text`, without its line end.
pub(crate) fn line(text: &str, line0: usize) -> Option<&str> {
    text.split('\n').nth(line0).map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// The UTF-16 length of the first `chars` characters of `line` (all of it when shorter).
fn utf16_of_chars(line: &str, chars: usize) -> u32 {
    line.chars().take(chars).map(char::len_utf16).sum::<usize>() as u32
}

/// The protocol position of aimsdoc's `pos` in `text` (`None` when the file's text is not at
/// hand, e.g. `aimsdoc.toml`: the column is then taken as written).
pub(crate) fn to_lsp(text: Option<&str>, pos: Pos) -> Position {
    let line0 = pos.line.saturating_sub(1);
    let col0 = pos.column.saturating_sub(1);
    let character = match text.and_then(|t| line(t, line0)) {
        Some(l) => utf16_of_chars(l, col0),
        None => col0 as u32,
    };
    Position { line: line0 as u32, character }
}

/// The byte offset in `text` of the protocol position `pos` (clamped to its line and to the text).
pub(crate) fn offset(text: &str, pos: Position) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let end = rest.find('\n').map_or(rest.len(), |i| i);
    let line = rest[..end].strip_suffix('\r').unwrap_or(&rest[..end]);
    let mut units = 0u32;
    for (i, c) in line.char_indices() {
        if units >= pos.character {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    start + line.len()
}

/// The protocol position of byte `offset` of `text` (a char boundary).
pub(crate) fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[line_start..].chars().map(char::len_utf16).sum::<usize>() as u32;
    Position { line, character }
}

/// The protocol range of bytes `start..end` of `text`.
pub(crate) fn range(text: &str, start: usize, end: usize) -> Range {
    Range { start: position(text, start), end: position(text, end) }
}

/// The local path a `file:` URI names.
pub(crate) fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of an absolute `path`.
pub(crate) fn path_to_uri(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(text: &str, pos: Pos, expected: (u32, u32)) {
        let p = to_lsp(Some(text), pos);
        assert_eq!((p.line, p.character), expected);
    }

    #[test]
    fn character_columns_become_utf16_units() {
        case("ab\ncd", Pos { line: 2, column: 2 }, (1, 1));
        // `é` is one unit, `𝄞` (outside the BMP) two.
        case("x\ntitle: é𝄞 z", Pos { line: 2, column: 11 }, (1, 11));
        case("a\r\nb", Pos { line: 2, column: 1 }, (1, 0));
        assert_eq!(to_lsp(None, Pos { line: 3, column: 4 }), Position { line: 2, character: 3 });
    }

    #[test]
    fn offsets_and_positions_round_trip() {
        let text = "---\ntitle: 𝄞é\r\nnext\n";
        for at in [0, 4, 11, 15, 17, 19, 21, text.len()] {
            assert!(text.is_char_boundary(at));
            assert_eq!(offset(text, position(text, at)), at, "offset {at}");
        }
        assert_eq!(offset(text, Position { line: 1, character: 99 }), 17, "clamped to the line, before its CR");
        assert_eq!(offset(text, Position { line: 9, character: 0 }), text.len());
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a b/ü.md");
        let uri = path_to_uri(path).expect("uri");
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%C3%BC.md");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
    }
}
