//! Lines already parsed by syntect on this thread: a grammar's parse of a line is a function of
//! the parser's state before it and the line's text, so a line met again in the same state
//! reuses the scope operations and the state after it instead of running the grammar's regexes
//! again. Documents of one organisation repeat the lines of their code and configuration
//! snippets, and the regexes are nearly all of highlighting's time.
//!
//! The parser's state between lines is a [`State`]: while lines are found in the memo it only
//! points at the parse that ended there, so a run of remembered lines copies no state; a state
//! is copied once a line has to be parsed.
//!
//! Bounded: at most [`LineMemo::LIMIT`] bytes (estimated) per thread and
//! [`LineMemo::STATES_PER_LINE`] states per line; past those, lines are parsed each time.

use std::borrow::Cow;
use std::cell::RefCell;
use std::mem::size_of;

use foldhash::fast::FixedState;
use hashbrown::HashMap;
use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxReference, SyntaxSet};

/// One scope operation at a byte offset of the line, as syntect's `parse_line` gives them.
pub(super) type Op = (usize, ScopeStackOp);

/// The parser's state between two lines of a block.
pub(super) enum State {
    /// The state after remembered parse `n`.
    After(usize),
    /// A state of its own (the start of a block, or after a line parsed past the memo's limit).
    Own(ParseState),
}

impl State {
    /// The state at the start of a block of `syntax`.
    pub(super) fn new(syntax: &SyntaxReference) -> State {
        State::Own(ParseState::new(syntax))
    }
}

/// A line's parse from one state.
struct Parsed {
    before: Before,
    ops: Vec<Op>,
    after: ParseState,
}

/// The state a remembered parse started from.
enum Before {
    /// The state after remembered parse `n` (not copied).
    After(usize),
    Own(ParseState),
}

/// The parses remembered on this thread, by line text.
pub(super) struct LineMemo {
    /// The numbers of each line text's parses in `parses`.
    lines: HashMap<String, Vec<usize>, FixedState>,
    parses: Vec<Parsed>,
    /// Estimated bytes remembered, at most `limit`.
    bytes: usize,
    limit: usize,
}

impl Default for LineMemo {
    fn default() -> Self {
        LineMemo { lines: HashMap::default(), parses: Vec::new(), bytes: 0, limit: Self::LIMIT }
    }
}

impl LineMemo {
    /// Estimated bytes remembered per thread.
    const LIMIT: usize = 8 << 20;
    /// Most states remembered for one line text.
    const STATES_PER_LINE: usize = 8;
    /// What one remembered state is counted as: `ParseState` does not show its size; a typical
    /// grammar's stack is a few levels of a few words each.
    const STATE_BYTES: usize = 512;

    /// Runs `f` with this thread's memo.
    pub(super) fn with<R>(f: impl FnOnce(&mut LineMemo) -> R) -> R {
        thread_local! {
            static MEMO: RefCell<LineMemo> = RefCell::default();
        }
        MEMO.with_borrow_mut(f)
    }

    /// The parse state `state` stands for.
    fn resolve<'a>(&'a self, state: &'a State) -> &'a ParseState {
        match state {
            State::After(n) => &self.parses[*n].after,
            State::Own(own) => own,
        }
    }

    /// The state remembered parse `parsed` started from.
    fn before<'a>(&'a self, parsed: &'a Parsed) -> &'a ParseState {
        match &parsed.before {
            Before::After(n) => &self.parses[*n].after,
            Before::Own(own) => own,
        }
    }

    /// The scope operations of `line` parsed from `state`, which is moved on past the line:
    /// what syntect's `ParseState::parse_line` returns and does.
    pub(super) fn parse_line(
        &mut self,
        state: &mut State,
        line: &str,
        ss: &SyntaxSet,
    ) -> Result<Cow<'_, [Op]>, ParsingError> {
        let parses = self.lines.get(line).map_or(&[][..], Vec::as_slice);
        let current = self.resolve(state);
        if let Some(&n) = parses.iter().find(|&&n| self.before(&self.parses[n]) == current) {
            *state = State::After(n);
            return Ok(Cow::Borrowed(&self.parses[n].ops));
        }
        let size = line.len() + 2 * Self::STATE_BYTES + size_of::<Parsed>();
        let remember = self.bytes + size <= self.limit && parses.len() < Self::STATES_PER_LINE;
        // `state` is given its new value below on every path; the placeholder is never read.
        let (mut parser, before) = match std::mem::replace(state, State::After(0)) {
            State::After(n) => (self.parses[n].after.clone(), remember.then_some(Before::After(n))),
            State::Own(own) => {
                let before = remember.then(|| Before::Own(own.clone()));
                (own, before)
            }
        };
        match (parser.parse_line(line, ss), before) {
            (Ok(ops), Some(before)) => {
                self.bytes += size + ops.len() * size_of::<Op>();
                let n = self.parses.len();
                self.parses.push(Parsed { before, ops, after: parser });
                self.lines.entry_ref(line).or_default().push(n);
                *state = State::After(n);
                Ok(Cow::Borrowed(&self.parses[n].ops))
            }
            (ops, _) => {
                *state = State::Own(parser);
                ops.map(Cow::Owned)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use syntect::util::LinesWithEndings;

    use super::super::syntaxes;
    use super::*;

    /// Code whose repeated lines are met in different states: inside and outside a docstring,
    /// a heredoc and a block scalar.
    const SNIPPETS: [(&str, &str); 3] = [
        ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\ndef f():\n    x = 1\n"),
        ("bash", "echo x = 1\ncat <<EOF\necho x = 1\nEOF\necho x = 1\n"),
        ("yaml", "a: 1\nb: |\n  a: 1\nc: 1\na: 1\n"),
    ];

    /// Parses every snippet twice through `memo`, checking each line's operations and the
    /// state after it against syntect's own parse of the same line from the same state.
    fn parse_all_against_syntect(memo: &mut LineMemo) {
        let ss = syntaxes();
        for _ in 0..2 {
            for (lang, code) in SNIPPETS {
                let syntax = ss.find_syntax_by_token(lang).expect("a default grammar");
                let (mut ours, mut theirs) = (State::new(syntax), ParseState::new(syntax));
                for line in LinesWithEndings::from(code) {
                    let ops = memo.parse_line(&mut ours, line, ss).expect("parses").into_owned();
                    assert_eq!(ops, theirs.parse_line(line, ss).expect("parses"), "{lang}: {line:?}");
                    assert!(*memo.resolve(&ours) == theirs, "{lang}: the state after {line:?}");
                }
            }
        }
    }

    #[test]
    fn a_line_is_parsed_as_syntect_parses_it_from_the_state_it_is_met_in() {
        let mut memo = LineMemo::default();
        parse_all_against_syntect(&mut memo);
        assert!(memo.lines["x = 1\n"].len() >= 2, "the same line in two states is two parses");
        assert!(memo.bytes > 0 && memo.bytes <= memo.limit);
    }

    #[test]
    fn past_its_limit_the_memo_parses_each_time() {
        let mut memo = LineMemo { limit: 0, ..LineMemo::default() };
        parse_all_against_syntect(&mut memo);
        assert!(memo.lines.is_empty());
        assert_eq!(memo.bytes, 0);
    }
}
