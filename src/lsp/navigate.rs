//! Go to definition (a document id, in front matter or in a `doc:` link, leads to that
//! document's `id`) and find references (who relies on a document: every `related`,
//! `supersedes` and `superseded_by` naming it and every `doc:` link to it, which is what an author
//! checks before withdrawing it).

use lsp_types::{Location, Range};

use super::resolve::{self, Target};
use super::text;
use super::workspace::Workspace;
use crate::content::links::LinkTarget;
use crate::content::Document;
use crate::yaml::Pos;

/// Where the document named at byte `offset` of `source` is defined.
pub(crate) fn definition(source: &str, offset: usize, ws: &Workspace) -> Option<Location> {
    match resolve::at(source, offset, ws)? {
        (Target::Document(i), ..) => {
            let d = &ws.checked().tree.documents[i];
            location(ws, &d.path, d.id.pos, d.id.value.as_str())
        }
        _ => None,
    }
}

/// Every place that names the document at byte `offset` of `source` (the document of the file
/// itself when the cursor is on no document id), its own `id` too when `declaration`.
pub(crate) fn references(source: &str, rel: &str, offset: usize, declaration: bool, ws: &Workspace) -> Vec<Location> {
    let checked = ws.checked();
    let target = match resolve::at(source, offset, ws) {
        Some((Target::Document(i), ..)) => Some(i),
        _ => checked.graph.by_path.get(rel).copied(),
    };
    let Some(i) = target else { return Vec::new() };
    let id = checked.tree.documents[i].id.value.as_str();
    let mut out = Vec::new();
    if declaration {
        let d = &checked.tree.documents[i];
        out.extend(location(ws, &d.path, d.id.pos, id));
    }
    for d in &checked.tree.documents {
        for pos in mentions(d, id) {
            out.extend(location(ws, &d.path, pos, id));
        }
    }
    out
}

/// Where `d` names document `id`: front matter references, then body links.
fn mentions(d: &Document, id: &str) -> Vec<Pos> {
    let fields = d.related.iter().chain(&d.supersedes).chain(&d.superseded_by);
    let mut out: Vec<Pos> = fields.filter(|r| r.value.as_str() == id).map(|r| r.pos).collect();
    out.extend(
        d.links
            .iter()
            .filter(|l| matches!(&l.target, LinkTarget::Doc { id: target, .. } if target == id))
            .map(|l| l.pos),
    );
    out
}

/// The location of `id` written at or after `pos` on its line in file `rel` (the whole id when
/// found, else the position itself: a link's position is its opening bracket).
fn location(ws: &Workspace, rel: &str, pos: Pos, id: &str) -> Option<Location> {
    let uri = text::path_to_uri(&ws.root().join(rel))?;
    let source = ws.text(rel);
    let source = source.as_deref();
    let start = text::to_lsp(source, pos);
    let range = source
        .and_then(|s| {
            let from = text::offset(s, start);
            let line_end = s[from..].find('\n').map_or(s.len(), |e| from + e);
            let at = s[from..line_end].find(id)? + from;
            Some(text::range(s, at, at + id.len()))
        })
        .unwrap_or(Range { start, end: start });
    Some(Location { uri, range })
}
