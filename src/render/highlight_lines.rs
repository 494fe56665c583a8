//! Highlighting a code block line by line with a memo of parsed lines: syntect's parse of one
//! line is a function of the parser's state before it and the line's text, and most of the time
//! of highlighting goes there (its regexes). Documents repeat lines (the same query, the same
//! shebang, the same closing brace in many procedures), so each (state, line) pair is parsed
//! once per process and its scope operations and following state are reused; the markup is then
//! made exactly as syntect's `ClassedHTMLGenerator` makes it, so a remembered line gives the
//! same bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use syntect::html::{line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, ScopeStackOp, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The scope operations of one parsed line.
type Ops = Arc<[(usize, ScopeStackOp)]>;

/// `code` as `<span class="...">` markup in `style` (syntect's `ClassedHTMLGenerator`, with
/// parsed lines remembered); `None` when syntect fails on it.
pub(crate) fn classed_html(code: &str, syntax: &SyntaxReference, ss: &SyntaxSet, style: ClassStyle) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut open_spans: isize = 0;
    let mut html = String::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        let ops = parse(&mut state, line, ss)?;
        let (formatted, delta) = line_tokens_to_classed_spans(line, &ops, style, &mut scopes).ok()?;
        open_spans += delta;
        html.push_str(&formatted);
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// Parses `line` from `state` (advancing it): remembered, or parsed now and remembered.
fn parse(state: &mut ParseState, line: &str, ss: &SyntaxSet) -> Option<Ops> {
    if let Some((ops, after)) = Memo::get(line, state) {
        *state = after;
        return Some(ops);
    }
    let before = state.clone();
    let ops: Ops = state.parse_line(line, ss).ok()?.into();
    Memo::put(line, before, Arc::clone(&ops), state.clone());
    Some(ops)
}

/// Parsed lines by text: for each, the states it was parsed from, with its operations and the
/// state after it. Bounded by an estimate of its size ([`Memo::LIMIT`]) and by how many states
/// one line is remembered from ([`Memo::STATES`]); past either, lines are parsed each time.
struct Memo {
    lines: HashMap<String, Vec<Parsed>>,
    bytes: usize,
}

struct Parsed {
    before: ParseState,
    ops: Ops,
    after: ParseState,
}

impl Memo {
    const LIMIT: usize = 16 << 20;
    const STATES: usize = 8;
    /// A rough size of a remembered state and of one operation, for the bound.
    const STATE_BYTES: usize = 256;
    const OP_BYTES: usize = 48;

    fn lock() -> MutexGuard<'static, Memo> {
        static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
        let memo = MEMO.get_or_init(|| Mutex::new(Memo { lines: HashMap::new(), bytes: 0 }));
        memo.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn get(line: &str, state: &ParseState) -> Option<(Ops, ParseState)> {
        let memo = Memo::lock();
        let parsed = memo.lines.get(line)?.iter().find(|p| p.before == *state)?;
        Some((Arc::clone(&parsed.ops), parsed.after.clone()))
    }

    fn put(line: &str, before: ParseState, ops: Ops, after: ParseState) {
        let size = line.len() + 2 * Memo::STATE_BYTES + ops.len() * Memo::OP_BYTES;
        let mut memo = Memo::lock();
        if memo.bytes + size > Memo::LIMIT {
            return;
        }
        let known = memo.lines.entry(line.to_string()).or_default();
        if known.len() < Memo::STATES && !known.iter().any(|p| p.before == before) {
            known.push(Parsed { before, ops, after });
            memo.bytes += size;
        }
    }
}

#[cfg(test)]
mod tests {
    use syntect::html::ClassedHTMLGenerator;

    use super::*;

    const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

    fn fresh(code: &str, syntax: &SyntaxReference, ss: &SyntaxSet) -> String {
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line).expect("parses");
        }
        gen.finalize()
    }

    #[test]
    fn remembered_lines_give_syntects_own_markup_in_every_state() {
        let ss = SyntaxSet::load_defaults_newlines();
        let python = ss.find_syntax_by_token("python").expect("python");
        // The same line text outside and inside a string: a memo keyed by text alone would
        // colour the second like the first.
        let blocks = [
            "x = 1\nprint(x)\n",
            "s = \"\"\"\nx = 1\nprint(x)\n\"\"\"\nx = 1\n",
            "def f(a: int) -> int:\n    \"\"\"Doc.\"\"\"\n    return a\n\nx = 1\n",
            "x = 1\nprint(x)\n",
            "unterminated = \"\"\"\nx = 1",
        ];
        for _ in 0..2 {
            for code in blocks {
                assert_eq!(classed_html(code, python, &ss, STYLE).as_deref(), Some(fresh(code, python, &ss).as_str()));
            }
        }
        let sql = ss.find_syntax_by_token("sql").expect("sql");
        let code = "SELECT a -- x = 1\nFROM t /* x = 1\nx = 1 */ WHERE b = 'x = 1';\n";
        assert_eq!(classed_html(code, sql, &ss, STYLE).as_deref(), Some(fresh(code, sql, &ss).as_str()));
    }
}
