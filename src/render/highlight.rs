//! Syntax highlighting with syntect: code becomes `<span class="hl-...">` markup and the
//! colours live in a generated stylesheet (light and dark), so pages need no inline styles.
//!
//! Highlighting is slow on some grammars (about 25 KB/s on Rust code), so a pull request could
//! make CI spend hours on one big code block. Past a size budget per block and per document,
//! and for very long lines, code is shown as plain escaped text instead.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use anyhow::Context as _;
use syntect::highlighting::ThemeSet;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::markdown::escape_attr;
use line_memo::LineMemo;

mod line_memo;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Largest code block highlighted (bytes); a bigger one is plain text.
pub(crate) const MAX_BLOCK: usize = 64 * 1024;
/// Most code highlighted in one document (bytes); later blocks are plain text.
pub(crate) const MAX_DOCUMENT: usize = 512 * 1024;
/// Longest line highlighted (bytes): syntect's regexes rescan long lines (minified code), which
/// costs far more per byte than ordinary source.
pub(crate) const MAX_LINE: usize = 4 * 1024;

/// What is left of one document's highlighting budget.
#[derive(Debug)]
pub(crate) struct Budget {
    left: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { left: MAX_DOCUMENT }
    }
}

impl Budget {
    /// Takes `len` bytes from the budget if the block is small enough and they are left.
    fn take(&mut self, code: &str) -> bool {
        let fits =
            code.len() <= MAX_BLOCK && code.len() <= self.left && code.split('\n').all(|line| line.len() <= MAX_LINE);
        if fits {
            self.left -= code.len();
        }
        fits
    }
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A highlighted `<pre><code>` block; unknown languages, and code past the `budget`, are
/// escaped plain text.
pub(crate) fn code_block(code: &str, lang: &str, budget: &mut Budget) -> String {
    let ss = syntaxes();
    let lang_attr = escape_attr(lang);
    let plain = || format!("<pre class=\"code\"><code data-lang=\"{lang_attr}\">{}</code></pre>\n", escape_attr(code));
    let syntax = (!lang.is_empty()).then(|| ss.find_syntax_by_token(lang)).flatten();
    let Some(syntax) = syntax else {
        return plain();
    };
    if !budget.take(code) {
        return plain();
    }
    if let Some(html) = Memo::get(lang, code) {
        return html;
    }
    let Some(spans) = classed_spans(code, ParseState::new(syntax), ss) else {
        return plain();
    };
    let html = format!("<pre class=\"code\"><code data-lang=\"{lang_attr}\">{spans}</code></pre>\n");
    Memo::put(lang, code, &html);
    html
}

/// `code` as syntect's classed `<span>`s, line by line from `state` (what syntect's
/// `ClassedHTMLGenerator` writes), each line parsed through this thread's [`LineMemo`]; `None`
/// if the grammar fails on it.
fn classed_spans(code: &str, mut state: ParseState, ss: &SyntaxSet) -> Option<String> {
    let mut scopes = ScopeStack::new();
    let mut open_spans = 0isize;
    let mut html = String::with_capacity(code.len() * 4);
    LineMemo::with(|memo| {
        for line in LinesWithEndings::from(code) {
            let ops = memo.parse_line(&mut state, line, ss).ok()?;
            let (spans, delta) = line_tokens_to_classed_spans(line, &ops, STYLE, &mut scopes).ok()?;
            open_spans += delta;
            html.push_str(&spans);
        }
        Some(())
    })?;
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// Blocks already highlighted in this process, by language and code: the superseded versions
/// of a document repeat its code blocks, and highlighting is the slow part of rendering them.
/// Highlighting is a function of the two (the budget is taken before the memo is asked), so a
/// remembered block is the same bytes. Holds at most [`Memo::LIMIT`] bytes; past that, blocks
/// are highlighted each time.
struct Memo {
    blocks: HashMap<(String, String), String>,
    bytes: usize,
}

impl Memo {
    const LIMIT: usize = 16 << 20;

    fn lock() -> MutexGuard<'static, Memo> {
        static MEMO: OnceLock<Mutex<Memo>> = OnceLock::new();
        let memo = MEMO.get_or_init(|| Mutex::new(Memo { blocks: HashMap::new(), bytes: 0 }));
        memo.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn get(lang: &str, code: &str) -> Option<String> {
        Memo::lock().blocks.get(&(lang.to_string(), code.to_string())).cloned()
    }

    fn put(lang: &str, code: &str, html: &str) {
        let size = lang.len() + code.len() + html.len();
        let mut memo = Memo::lock();
        if memo.bytes + size <= Memo::LIMIT {
            memo.bytes += size;
            memo.blocks.insert((lang.to_string(), code.to_string()), html.to_string());
        }
    }
}

/// The highlighting stylesheet: a light theme, and a dark one under `prefers-color-scheme`.
pub(crate) fn stylesheet() -> anyhow::Result<String> {
    let themes = ThemeSet::load_defaults();
    // Both themes ship inside syntect: a failure here is a bug, reported rather than shipped as
    // an empty stylesheet.
    let css = |name: &str| {
        let theme = themes.themes.get(name).with_context(|| format!("internal error: no syntect theme `{name}`"))?;
        css_for_theme_with_class_style(theme, STYLE)
            .with_context(|| format!("internal error: cannot write the stylesheet of syntect theme `{name}`"))
    };
    Ok(format!(
        "/* Generated by aimsdoc from syntect themes. */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        css("InspiredGitHub")?,
        css("base16-ocean.dark")?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust_lines(bytes: usize) -> String {
        let line = "fn main() { let x: u32 = 42; println!(\"{x}\"); }\n";
        line.repeat(bytes / line.len() + 1)
    }

    #[test]
    fn blocks_are_the_markup_syntect_writes_for_them() {
        let ss = syntaxes();
        let blocks = [
            ("python", "def f(x):\n    \"\"\"Doc <x> & y.\"\"\"\n    return x\n\"\"\"\nreturn x\n"),
            ("yaml", "risk:\n  owner: \"Chief AI Officer\"\n  notes: |\n    risk: <b>\n"),
            ("bash", "cat <<EOF\nrisk: 1\nEOF\necho \"$HOME\" # done\n"),
            ("sql", "SELECT 'a' -- x\nFROM t /* open\nSELECT 1 */\nSELECT 1;\n"),
        ];
        // Twice: the second time every line comes from the line memo.
        for _ in 0..2 {
            for (lang, code) in blocks {
                let syntax = ss.find_syntax_by_token(lang).expect("a default grammar");
                let mut syntect = syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
                for line in LinesWithEndings::from(code) {
                    syntect.parse_html_for_line_which_includes_newline(line).expect("parses");
                }
                assert_eq!(classed_spans(code, ParseState::new(syntax), ss).as_deref(), Some(&*syntect.finalize()));
            }
        }
    }

    #[test]
    fn small_blocks_are_highlighted() {
        let html = code_block("fn main() {}\n", "rust", &mut Budget::default());
        assert!(html.contains("class=\"hl-"), "{html}");
    }

    #[test]
    fn a_remembered_block_is_the_same_and_still_takes_the_budget() {
        let code = "fn remembered() -> u8 { 7 }\n";
        let first = code_block(code, "rust", &mut Budget::default());
        assert!(first.contains("class=\"hl-"), "{first}");
        assert_eq!(code_block(code, "rust", &mut Budget::default()), first);
        assert!(!code_block(code, "python", &mut Budget::default()).contains("data-lang=\"rust\""));
        let mut spent = Budget { left: code.len() - 1 };
        assert!(!code_block(code, "rust", &mut spent).contains("<span"), "the budget is taken before the memo");
    }

    #[test]
    fn a_block_past_the_budget_is_plain_escaped_text() {
        let code = "let a = 1;\n".repeat(MAX_BLOCK / 11 + 1) + "<script>\n";
        let html = code_block(&code, "rust", &mut Budget::default());
        assert!(!html.contains("<span"), "highlighted a block over MAX_BLOCK");
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(!html.contains("style="));
    }

    #[test]
    fn a_long_line_is_not_highlighted() {
        let code = format!("let x = \"{}\";\n", "a".repeat(MAX_LINE));
        let html = code_block(&code, "rust", &mut Budget::default());
        assert!(!html.contains("<span"));
    }

    #[test]
    fn the_document_budget_runs_out() {
        // A small budget keeps the test fast in debug builds; `take` is the same code.
        let block = rust_lines(1000);
        let mut budget = Budget { left: 3 * block.len() + 10 };
        let highlighted = (0..5).filter(|_| code_block(&block, "rust", &mut budget).contains("<span")).count();
        assert_eq!(highlighted, 3);
        assert!(Budget::default().left >= MAX_BLOCK);
    }
}
