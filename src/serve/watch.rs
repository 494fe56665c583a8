//! Watching the content tree: notify reports file events on its own thread; each is classified
//! (configuration, theme, a document, anything else) or dropped (the output directory, hidden
//! files, editor scratch files, reads), and the build loop gathers them until the tree has been
//! quiet for a moment (debouncing), so one save is one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};

/// How long the tree must be quiet before a rebuild starts. Editors save in a burst of events
/// within a few milliseconds (write, close, rename); a short window keeps the edit-to-page
/// latency low, and a later event simply causes another rebuild.
pub(crate) const QUIET: Duration = Duration::from_millis(15);
/// The longest a rebuild waits for the tree to become quiet.
pub(crate) const MAX_WAIT: Duration = Duration::from_millis(100);

/// What changed since the last rebuild.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Changes {
    /// `aimsdoc.toml`.
    pub config: bool,
    /// Something under the theme folder.
    pub theme: bool,
    /// Something that changes which files are documents (`.gitignore`): re-read them all.
    pub rescan: bool,
    /// Document files (content-relative paths).
    pub documents: BTreeSet<String>,
    /// Anything else in the content tree (evidence, linked files, folders, the ledger).
    pub other: bool,
}

impl Changes {
    /// Whether nothing relevant changed.
    pub(crate) fn is_empty(&self) -> bool {
        !self.config && !self.theme && !self.rescan && !self.other && self.documents.is_empty()
    }

    /// Adds `other` to these changes.
    pub(crate) fn merge(&mut self, other: Changes) {
        self.config |= other.config;
        self.theme |= other.theme;
        self.rescan |= other.rescan;
        self.other |= other.other;
        self.documents.extend(other.documents);
    }
}

/// Where things are, to classify event paths.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// Canonical content root.
    pub root: PathBuf,
    /// Canonical output directory (ignored).
    pub out: PathBuf,
    /// Documents folder, content-relative.
    pub documents: String,
    /// Theme folder, content-relative.
    pub theme: String,
}

impl Layout {
    /// What an event on `path` changes, or `None` for events to ignore.
    pub(crate) fn classify(&self, path: &Path) -> Option<Changes> {
        if path.starts_with(&self.out) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        let mut c = Changes::default();
        if name == ".gitignore" {
            c.rescan = true;
        } else if rel.is_empty() || rel.split('/').any(|part| part.starts_with('.')) || is_scratch(name) {
            return None;
        } else if rel == crate::config::FILE_NAME {
            c.config = true;
        } else if under(&rel, &self.theme) {
            c.theme = true;
        } else if under(&rel, &self.documents) && name.to_ascii_lowercase().ends_with(".md") {
            c.documents.insert(rel);
        } else {
            c.other = true;
        }
        Some(c)
    }
}

fn under(rel: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    rel == dir || rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// Editor backup and swap files.
fn is_scratch(name: &str) -> bool {
    name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx") || name == "4913" || name.starts_with("#")
}

/// Whether an event kind can change content (reads and metadata changes cannot; reacting to
/// them would make every rebuild, which reads files, trigger the next one).
fn relevant(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        _ => false,
    }
}

/// A message to the build loop.
pub(crate) enum Msg {
    /// Files changed.
    Changed(Changes),
    /// The watcher failed (e.g. out of inotify watches).
    Error(String),
    /// Ctrl-C or SIGTERM: stop.
    Stop,
}

/// Starts watching `layout.root` recursively; relevant changes are sent to `tx`.
pub(crate) fn start(layout: Layout, tx: Sender<Msg>) -> notify::Result<notify::RecommendedWatcher> {
    let root = layout.root.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
        Ok(event) if relevant(&event.kind) => {
            let mut changes = Changes::default();
            for path in &event.paths {
                if let Some(c) = layout.classify(path) {
                    changes.merge(c);
                }
            }
            if !changes.is_empty() {
                // The receiver is gone only when serve is stopping.
                let _ = tx.send(Msg::Changed(changes));
            }
        }
        Ok(_) => {}
        Err(e) => {
            // As above: no receiver, no one to tell.
            let _ = tx.send(Msg::Error(e.to_string()));
        }
    })?;
    watcher.watch(&root, RecursiveMode::Recursive)?;
    Ok(watcher)
}

/// Waits for the next change and gathers the events that follow it until the tree is quiet.
/// Returns `None` when the loop should stop.
pub(crate) fn next_batch(rx: &Receiver<Msg>, mut on_error: impl FnMut(String)) -> Option<Changes> {
    let mut changes = loop {
        match rx.recv() {
            Ok(Msg::Changed(c)) => break c,
            Ok(Msg::Error(e)) => on_error(e),
            Ok(Msg::Stop) | Err(_) => return None,
        }
    };
    let deadline = Instant::now() + MAX_WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Some(changes);
        }
        match rx.recv_timeout(QUIET.min(left)) {
            Ok(Msg::Changed(c)) => changes.merge(c),
            Ok(Msg::Error(e)) => on_error(e),
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => return Some(changes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: PathBuf::from("/c"),
            out: PathBuf::from("/c/site"),
            documents: "documents".into(),
            theme: "theme".into(),
        }
    }

    #[track_caller]
    fn case(path: &str, expected: Option<&str>) {
        let got = layout().classify(Path::new(path)).map(|c| {
            if c.config {
                "config".to_string()
            } else if c.theme {
                "theme".into()
            } else if c.rescan {
                "rescan".into()
            } else if let Some(d) = c.documents.first() {
                d.clone()
            } else {
                "other".into()
            }
        });
        assert_eq!(got.as_deref(), expected, "{path}");
    }

    #[test]
    fn events_are_classified_by_where_they_happen() {
        case("/c/aimsdoc.toml", Some("config"));
        case("/c/theme/templates/base.html", Some("theme"));
        case("/c/documents/a/pol.md", Some("documents/a/pol.md"));
        case("/c/documents/a", Some("other"));
        case("/c/evidence/x.csv", Some("other"));
        case("/c/.gitignore", Some("rescan"));
        case("/c/site/index.html", None);
        case("/c/documents/.pol.md.swp", None);
        case("/c/documents/pol.md~", None);
        case("/c/.git/index", None);
        case("/elsewhere/x.md", None);
    }

    #[test]
    fn batches_end_when_the_tree_is_quiet() {
        let (tx, rx) = std::sync::mpsc::channel();
        let doc = |p: &str| Msg::Changed(Changes { documents: [p.to_string()].into(), ..Changes::default() });
        tx.send(doc("a.md")).expect("send");
        tx.send(doc("b.md")).expect("send");
        let batch = next_batch(&rx, |_| {}).expect("batch");
        assert_eq!(batch.documents.len(), 2);
        tx.send(Msg::Stop).expect("send");
        assert!(next_batch(&rx, |_| {}).is_none());
    }
}
