//! A superseded version's body, prepared once per build for the three pages that show it: its
//! own page (the committed file parsed as a document, the body rendered with its table of
//! contents) and the redlines from it and into it (its blocks, see `redline`). The rendered
//! HTML and the blocks come from one Markdown parse. Each prepared body is dropped once the
//! pages that need it have taken it, so a build holds only the few being rendered; a page
//! asked for again (the preview re-rendering one) prepares it again, which gives the same bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::markdown::{self, Rendered};
use super::pages::RenderCx;
use super::redline::{self, Block};
use super::versions;
use crate::content::{frontmatter, load, Document};
use crate::provenance::Snapshot;

/// What the pages of one superseded version share.
#[derive(Debug)]
pub(crate) struct OldBody {
    /// The committed file as a document (`None` when it no longer parses as one).
    pub then: Option<Document>,
    /// The body as its page shows it.
    pub rendered: Rendered,
    /// The body's blocks, as its redlines compare them.
    pub blocks: Vec<Block>,
}

/// The prepared bodies of one build, by (document, superseded version).
#[derive(Debug, Default)]
pub(crate) struct Cache {
    slots: Mutex<HashMap<(usize, usize), Slot>>,
}

#[derive(Debug, Default)]
struct Slot {
    cell: Arc<OnceLock<Arc<OldBody>>>,
    taken: usize,
}

impl Cache {
    /// The body at `key`, prepared by `make` on first use; forgotten after its `uses`th use.
    fn get(&self, key: (usize, usize), uses: usize, make: impl FnOnce() -> OldBody) -> Arc<OldBody> {
        let cell = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            let slot = slots.entry(key).or_default();
            slot.taken += 1;
            let cell = Arc::clone(&slot.cell);
            if slot.taken >= uses {
                slots.remove(&key);
            }
            cell
        };
        Arc::clone(cell.get_or_init(|| Arc::new(make())))
    }

    /// How many prepared bodies are held (for tests).
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).len()
    }
}

/// The prepared body of document `i`'s `k`th superseded version (oldest first).
pub(crate) fn get(cx: &RenderCx, i: usize, k: usize) -> anyhow::Result<Arc<OldBody>> {
    let id = cx.tree.documents[i].id.value.as_str();
    let old = versions::superseded(cx, i);
    let v = old.get(k).ok_or_else(|| anyhow::anyhow!("no superseded version {k} of {id}"))?;
    let snap = v.approved.as_ref().ok_or_else(|| anyhow::anyhow!("version {} was never approved", v.version))?;
    // Its page and the redline from it; all but the oldest also the redline into it.
    let uses = if k == 0 { 2 } else { 3 };
    Ok(cx.shared.old_bodies.get((i, k), uses, || prepare(cx, snap)))
}

fn prepare(cx: &RenderCx, snap: &Snapshot) -> OldBody {
    let then = load::parse_document(&snap.path, &snap.text, cx.config);
    let body = then.as_ref().map(|t| t.body.as_str()).unwrap_or_else(|| body_of(&snap.text));
    let hrefs: Vec<String> = then
        .as_ref()
        .map(|t| t.links.iter().map(|l| super::version_page::old_href(cx, &t.path, l)).collect())
        .unwrap_or_default();
    let events = markdown::events(body);
    let rendered = markdown::render_events(&events, body.len(), &hrefs, cx.config.documents.allow_raw_html);
    let blocks = redline::blocks_of(&events);
    OldBody { then, rendered, blocks }
}

/// The Markdown body of a committed file (empty when it has no front matter to split off).
pub(crate) fn body_of(text: &str) -> &str {
    frontmatter::split(text).map(|s| s.body).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> OldBody {
        OldBody { then: None, rendered: Rendered { html: text.into(), toc: Vec::new() }, blocks: Vec::new() }
    }

    #[test]
    fn a_body_is_prepared_once_and_forgotten_after_its_last_use() {
        let cache = Cache::default();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let make = || {
            made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            body("x")
        };
        let a = cache.get((0, 1), 3, make);
        let b = cache.get((0, 1), 3, make);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(cache.held(), 1);
        let c = cache.get((0, 1), 3, make);
        assert!(Arc::ptr_eq(&a, &c));
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
        assert_eq!(cache.held(), 0, "forgotten after its third use");
        let d = cache.get((0, 1), 3, make);
        assert_eq!(d.rendered.html, "x");
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 2, "asked for again: prepared again");
    }
}
