//! Redlines: a word-level comparison of two versions of a document, on the rendered text.
//! Each body is reduced to its blocks (headings, paragraphs, list items, table rows, code), the
//! block sequences are diffed, and blocks that were replaced are diffed word by word. Output is
//! plain HTML with `<ins>` and `<del>`, each carrying visually hidden "inserted:" / "deleted:"
//! text for screen readers and in print, so a change is never told by colour alone; no inline
//! style or script (CSP-clean). Everything from the documents is escaped.

use std::fmt::Write as _;

use pulldown_cmark::{Event, Tag, TagEnd};
use similar::{capture_diff_slices, utils::diff_words, Algorithm, ChangeTag, DiffOp};

use super::markdown::escape_attr;

/// The shape a block is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Heading(u8),
    Paragraph,
    Item,
    Row,
    Code,
}

/// One block of rendered text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Block {
    kind: Kind,
    text: String,
}

/// What a redline found, besides its HTML.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Blocks inserted or changed.
    pub inserted: usize,
    /// Blocks deleted or changed.
    pub deleted: usize,
}

/// The redline from Markdown body `old` to `new`, as HTML, with what changed.
#[cfg(test)]
pub(crate) fn redline(old: &str, new: &str) -> (String, Counts) {
    diff(&blocks(old), &blocks(new))
}

/// The redline from the blocks `a` of one version to the blocks `b` of the next (see
/// [`blocks_of`]), as HTML, with what changed.
pub(crate) fn diff(a: &[Block], b: &[Block]) -> (String, Counts) {
    let mut out = String::new();
    let mut counts = Counts::default();
    for op in capture_diff_slices(Algorithm::Myers, a, b) {
        match op {
            DiffOp::Equal { new_index, len, .. } => {
                b[new_index..new_index + len].iter().for_each(|x| plain(&mut out, x))
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                counts.deleted += old_len;
                a[old_index..old_index + old_len].iter().for_each(|x| whole(&mut out, x, Change::Deleted));
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                counts.inserted += new_len;
                b[new_index..new_index + new_len].iter().for_each(|x| whole(&mut out, x, Change::Inserted));
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                counts.deleted += old_len;
                counts.inserted += new_len;
                replace(&mut out, &a[old_index..old_index + old_len], &b[new_index..new_index + new_len]);
            }
        }
    }
    (out, counts)
}

/// Blocks replaced by blocks: paired in order and diffed word by word where they keep their
/// shape, the rest shown whole.
fn replace(out: &mut String, old: &[Block], new: &[Block]) {
    for k in 0..old.len().max(new.len()) {
        match (old.get(k), new.get(k)) {
            (Some(a), Some(b)) if a.kind == b.kind => words(out, a, b),
            (a, b) => {
                a.into_iter().for_each(|x| whole(out, x, Change::Deleted));
                b.into_iter().for_each(|x| whole(out, x, Change::Inserted));
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Change {
    Inserted,
    Deleted,
}

/// The opening and closing tags of a block of `kind`.
fn tags(kind: Kind) -> (String, String) {
    match kind {
        Kind::Heading(level) => {
            let level = level.clamp(2, 6);
            (format!("<h{level} class=\"redline-block\">"), format!("</h{level}>\n"))
        }
        Kind::Paragraph => ("<p class=\"redline-block\">".into(), "</p>\n".into()),
        Kind::Item => ("<p class=\"redline-block redline-item\">".into(), "</p>\n".into()),
        Kind::Row => ("<p class=\"redline-block redline-row\">".into(), "</p>\n".into()),
        Kind::Code => ("<pre class=\"redline-block\"><code>".into(), "</code></pre>\n".into()),
    }
}

fn plain(out: &mut String, b: &Block) {
    let (open, close) = tags(b.kind);
    let _ = write!(out, "{open}{}{close}", escape_attr(&b.text));
}

fn whole(out: &mut String, b: &Block, change: Change) {
    let (open, close) = tags(b.kind);
    let _ = write!(out, "{open}{}{close}", marked(&b.text, change));
}

fn words(out: &mut String, a: &Block, b: &Block) {
    let (open, close) = tags(b.kind);
    out.push_str(&open);
    for (tag, text) in diff_words(Algorithm::Myers, a.text.as_str(), b.text.as_str()) {
        match tag {
            ChangeTag::Equal => out.push_str(&escape_attr(text)),
            ChangeTag::Insert => out.push_str(&marked(text, Change::Inserted)),
            ChangeTag::Delete => out.push_str(&marked(text, Change::Deleted)),
        }
    }
    out.push_str(&close);
}

/// `text` inside `<ins>` or `<del>`, announced in words (surrounding spaces stay outside).
fn marked(text: &str, change: Change) -> String {
    let (tag, word) = match change {
        Change::Inserted => ("ins", "inserted"),
        Change::Deleted => ("del", "deleted"),
    };
    let words = text.trim();
    if words.is_empty() {
        return escape_attr(text);
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!(
        "{lead}<{tag}><span class=\"visually-hidden redline-said\">[{word}: </span>{}<span class=\"visually-hidden redline-said\">]</span></{tag}>{trail}",
        escape_attr(words)
    )
}

/// The blocks of a Markdown body, in order, with their rendered text.
pub(crate) fn blocks(body: &str) -> Vec<Block> {
    crate::content::large::with_parser(body, |parser| blocks_of(&parser.collect::<Vec<_>>()))
}

/// The blocks of a body from its Markdown events (parsed once for its page and its redlines,
/// see `render::old_body`).
pub(crate) fn blocks_of(events: &[Event]) -> Vec<Block> {
    let mut w = Blocks::default();
    for event in events {
        w.event(event);
    }
    w.flush(Kind::Paragraph);
    w.out
}

#[derive(Default)]
struct Blocks {
    out: Vec<Block>,
    buf: String,
    items: usize,
    code: bool,
}

impl Blocks {
    fn event(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::Item) => {
                self.flush(Kind::Item);
                self.items += 1;
            }
            Event::End(TagEnd::Item) => {
                self.flush(Kind::Item);
                self.items = self.items.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableHead | Tag::TableRow) => {
                self.flush(self.leaf())
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush(self.leaf());
                self.code = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                self.flush(Kind::Code);
                self.code = false;
            }
            Event::End(TagEnd::Heading(level)) => self.flush(Kind::Heading(*level as u8)),
            Event::End(TagEnd::Paragraph) => self.flush(self.leaf()),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => self.flush(Kind::Row),
            Event::End(TagEnd::TableCell) => self.buf.push_str(" | "),
            Event::Text(t) | Event::Code(t) => self.buf.push_str(t),
            Event::SoftBreak | Event::HardBreak => self.buf.push(if self.code { '\n' } else { ' ' }),
            _ => {}
        }
    }

    /// The kind of a paragraph here: a list item's text inside a list.
    fn leaf(&self) -> Kind {
        if self.items > 0 {
            Kind::Item
        } else {
            Kind::Paragraph
        }
    }

    fn flush(&mut self, kind: Kind) {
        let text = if kind == Kind::Code { self.buf.trim_end().to_string() } else { words_of(&self.buf) };
        self.buf.clear();
        if !text.is_empty() {
            self.out.push(Block { kind, text });
        }
    }
}

/// The words of `text` joined by single spaces, without a trailing table-cell bar.
fn words_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let keep = out.trim_end_matches(" |").len();
    out.truncate(keep);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_is_deleted_and_inserted_with_words_for_screen_readers() {
        let (html, counts) = redline("## Scope\n\nAll staff use AI.\n", "## Scope\n\nAll contractors use AI.\n");
        assert!(html.contains("<h2 class=\"redline-block\">Scope</h2>"), "{html}");
        assert!(html.contains("<del><span class=\"visually-hidden redline-said\">[deleted: </span>staff"), "{html}");
        assert!(
            html.contains("<ins><span class=\"visually-hidden redline-said\">[inserted: </span>contractors"),
            "{html}"
        );
        assert_eq!(counts, Counts { inserted: 1, deleted: 1 });
    }

    #[test]
    fn added_and_removed_blocks_are_shown_whole_and_text_is_escaped() {
        let (html, counts) = redline("- one\n- <b>two</b>\n", "- one\n\nNew <script>x</script> para.\n");
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("redline-item\">one</p>"), "{html}");
        assert!(counts.inserted >= 1 && counts.deleted >= 1, "{counts:?}");
    }

    #[test]
    fn words_are_joined_by_one_space_without_the_last_cell_bar() {
        assert_eq!(words_of("  a \n b\t| c | "), "a b | c");
        assert_eq!(words_of(" | "), "|", "as before: only a bar after a word is dropped");
        assert_eq!(words_of(""), "");
    }

    #[test]
    fn identical_bodies_have_no_marks() {
        let (html, counts) =
            redline("Text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "Text.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(counts, Counts::default());
        assert!(!html.contains("<ins>") && !html.contains("<del>"), "{html}");
        assert!(html.contains("redline-row\">1 | 2</p>"), "{html}");
    }
}
