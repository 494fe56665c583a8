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
//! Kept for the life of its thread (`serve`'s rebuilds reuse it), and bounded: at most
//! [`LineMemo::LIMIT`] bytes per thread, [`LineMemo::STATES_PER_LINE`] states per line text,
//! and no state over [`LineMemo::MAX_STATE`]; past those, lines are parsed each time. A
//! state's size is measured, not assumed: syntect's context stack grows with nesting
//! (up to 100 levels, about 1 KB per ten brackets) and holds the text a level captured for a
//! back-reference, so one state ranges from under 200 bytes to hundreds of KB.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::mem::size_of;

use foldhash::fast::RandomState;
use hashbrown::HashMap;
use syntect::parsing::{ParseState, ParsingError, ScopeStackOp, SyntaxReference, SyntaxSet};

/// One scope operation at a byte offset of the line, as syntect's `parse_line` gives them.
pub(super) type Op = (usize, ScopeStackOp);

/// The parser's state between two lines of a block, and the state a remembered parse started
/// from.
pub(super) enum State {
    /// The state after remembered parse `n` (not copied).
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
    before: State,
    ops: Vec<Op>,
    after: ParseState,
}

/// The parses remembered on this thread, by line text.
pub(super) struct LineMemo {
    /// The numbers of each line text's parses in `parses`. Hashed with a per-process seed: the
    /// lines come from the content tree, and a fixed seed would let one choose lines that all
    /// collide. Only speed depends on the hashing, never output.
    lines: HashMap<String, Vec<usize>, RandomState>,
    parses: Vec<Parsed>,
    /// Bytes remembered (states measured by [`state_size`]), at most `limit`.
    bytes: usize,
    limit: usize,
}

impl Default for LineMemo {
    fn default() -> Self {
        LineMemo { lines: HashMap::default(), parses: Vec::new(), bytes: 0, limit: Self::LIMIT }
    }
}

impl LineMemo {
    /// Bytes remembered per thread (states counted by [`state_size`]).
    const LIMIT: usize = 8 << 20;
    /// Most states remembered for one line text.
    const STATES_PER_LINE: usize = 8;
    /// The largest state remembered, by [`state_size`]: the states of ordinary code take a few
    /// hundred bytes; this is some thirty levels of nesting.
    const MAX_STATE: usize = 4 << 10;

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
        if let Some(&n) = parses.iter().find(|&&n| self.resolve(&self.parses[n].before) == current) {
            *state = State::After(n);
            return Ok(Cow::Borrowed(&self.parses[n].ops));
        }
        let left = self.limit.saturating_sub(self.bytes);
        let room = parses.len() < Self::STATES_PER_LINE && line.len() + size_of::<Parsed>() < left;
        let cap = left.min(Self::MAX_STATE);
        // `state` is given its new value below on every path; the placeholder is never read.
        let (mut parser, before) = match std::mem::replace(state, State::After(0)) {
            State::After(n) => (self.parses[n].after.clone(), room.then_some((State::After(n), 0))),
            State::Own(own) => {
                let before = room.then(|| state_size(&own, cap)).flatten().map(|size| (State::Own(own.clone()), size));
                (own, before)
            }
        };
        let parsed = parser.parse_line(line, ss);
        let after_size = before.as_ref().and_then(|_| state_size(&parser, cap));
        match (parsed, before, after_size) {
            (Ok(ops), Some((before, before_size)), Some(after_size)) => {
                let size = line.len() + ops.len() * size_of::<Op>() + size_of::<Parsed>() + before_size + after_size;
                if size > left {
                    *state = State::Own(parser);
                    return Ok(Cow::Owned(ops));
                }
                self.bytes += size;
                let n = self.parses.len();
                self.parses.push(Parsed { before, ops, after: parser });
                self.lines.entry_ref(line).or_default().push(n);
                *state = State::After(n);
                Ok(Cow::Borrowed(&self.parses[n].ops))
            }
            (parsed, ..) => {
                *state = State::Own(parser);
                parsed.map(Cow::Owned)
            }
        }
    }
}

/// The length of `state`'s debug form, if at most `cap` (the writing stops past it): an upper
/// bound on the memory the state holds, within its vectors' spare capacity. Every context on
/// its stack is printed with both its numbers (16 bytes held, over 40 printed), and captured
/// text in full.
fn state_size(state: &ParseState, cap: usize) -> Option<usize> {
    struct Counter {
        len: usize,
        cap: usize,
    }
    impl fmt::Write for Counter {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.len += s.len();
            if self.len > self.cap {
                return Err(fmt::Error);
            }
            Ok(())
        }
    }
    let mut counter = Counter { len: 0, cap };
    write!(counter, "{state:?}").ok().map(|()| counter.len)
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

    #[test]
    fn what_the_memo_holds_is_bounded_by_the_states_measured() {
        // Every line opens ten brackets: the context stack, and so the state, grows line by line.
        let code: String = (0..200).map(|k| format!("f{} # {k}\n", "(".repeat(10))).collect();
        let ss = syntaxes();
        let syntax = ss.find_syntax_by_token("python").expect("a default grammar");
        let mut memo = LineMemo { limit: 1 << 20, ..LineMemo::default() };
        let (mut ours, mut theirs) = (State::new(syntax), ParseState::new(syntax));
        for line in LinesWithEndings::from(code.as_str()) {
            let ops = memo.parse_line(&mut ours, line, ss).expect("parses").into_owned();
            assert_eq!(ops, theirs.parse_line(line, ss).expect("parses"));
        }
        assert!(*memo.resolve(&ours) == theirs);
        // Measured here by the debug form in full, not by the code under test.
        let size = |state: &ParseState| format!("{state:?}").len();
        let held: usize = memo
            .parses
            .iter()
            .map(|p| match &p.before {
                State::Own(own) => size(own) + size(&p.after),
                State::After(_) => size(&p.after),
            })
            .sum();
        assert!(!memo.parses.is_empty(), "the shallow first lines are remembered");
        assert!(held <= memo.limit, "{held} bytes of states held, over the {} limit", memo.limit);
        assert!(memo.parses.iter().all(|p| size(&p.after) <= LineMemo::MAX_STATE));
    }
}
