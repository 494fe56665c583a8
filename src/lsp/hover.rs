//! Hover: what a clause, control, NIST id or document id under the cursor is. For a document:
//! its title, type, status as the assessment judges it, version, owner, next review, file and
//! the first paragraph of its body; for a catalog entry: its title and our one-line summary.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::resolve::{self, Target};
use super::text;
use super::workspace::Workspace;
use crate::content::Document;

/// The hover at byte `offset` of `source`.
pub(crate) fn hover(source: &str, offset: usize, ws: &Workspace) -> Option<Hover> {
    let (target, start, end) = resolve::at(source, offset, ws)?;
    let value = match target {
        Target::Document(i) => document(i, ws),
        Target::Catalog(e) => format!("**{} {}** (ISO/IEC 42001)\n\n{}", e.id, e.title, e.summary),
        Target::Nist(n) => format!("**{} {}** (NIST AI RMF 1.0)\n\n{}", n.id, n.short_title, n.statement),
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value }),
        range: Some(text::range(source, start, end)),
    })
}

fn document(i: usize, ws: &Workspace) -> String {
    let checked = ws.checked();
    let d = &checked.tree.documents[i];
    let currency = checked.assessment.currency[i].label(d);
    let mut out = format!(
        "**{} {}**\n\n{} · {} · version {} · owner {}",
        d.id.value,
        escape(&d.title.value),
        d.doc_type.value,
        currency,
        d.version_text(),
        escape(&d.owner.value)
    );
    if let Some(next) = &d.next_review {
        out.push_str(&format!(" · next review {}", next.value));
    }
    out.push_str(&format!("\n\n`{}`", d.path));
    if let Some(summary) = summary(d) {
        out.push_str("\n\n");
        out.push_str(&escape(&summary));
    }
    out
}

/// The first paragraph of the body that is not a heading, shortened to 240 characters.
fn summary(d: &Document) -> Option<String> {
    let para = d.body.split("\n\n").map(str::trim).find(|p| !p.is_empty() && !p.starts_with('#'))?;
    let flat = para.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match flat.char_indices().nth(240) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    })
}

/// Text from the tree shown as Markdown: markup characters are shown, not interpreted.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>#|!".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_in_titles_is_shown_not_interpreted() {
        assert_eq!(super::escape("a *b* [c](x) <img>"), "a \\*b\\* \\[c\\](x) \\<img\\>");
    }
}
