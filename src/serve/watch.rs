//! Watching the content tree: notify reports file events on its own thread; each is classified
//! (configuration, theme, a document, anything else) or dropped (the output directory, hidden
//! files, editor scratch files, reads), and the build loop gathers them until the tree has been
//! quiet for a moment (debouncing), so one save is one rebuild. The moment is short once every
//! document named so far has seen the event that ends a save (written and closed, or renamed
//! into place): editors save in place (truncate, write, close), by writing a new file (vim and
//! emacs first rename the old one to a backup), or by renaming a finished temporary file over
//! it, and each of these ends with that event.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{RecursiveMode, Watcher};

/// How long the tree must be quiet before a rebuild starts while a save may be under way.
/// Editors save in a burst of events within a few milliseconds (write, close, rename); a short
/// window keeps the edit-to-page latency low, and a later event simply causes another rebuild.
pub(crate) const QUIET: Duration = Duration::from_millis(15);
/// How long the batch waits for more events once every document file named in it has seen the
/// event that ends a save ([`ends_save`]) and nothing else changed: the events of one save (and
/// of a command saving several files) arrive together.
pub(crate) const SETTLE: Duration = Duration::from_millis(2);
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

/// Whether an event kind ends a save of the file it names last: written and closed, or renamed
/// into place (notify reports a rename as `To` on the new name, then `Both` with the old name
/// and the new one; the old name is only moved away, as vim and emacs do before they write a
/// new file under it).
fn ends_save(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
    )
}

/// The message for the build loop about `event`, if it matters.
fn message(layout: &Layout, event: &notify::Event) -> Option<Msg> {
    if !relevant(&event.kind) {
        return None;
    }
    let mut changes = Changes::default();
    for path in &event.paths {
        if let Some(c) = layout.classify(path) {
            changes.merge(c);
        }
    }
    let last = event.paths.last().filter(|_| ends_save(&event.kind));
    let saved = last.and_then(|p| layout.classify(p)).and_then(|c| c.documents.into_iter().next());
    (!changes.is_empty()).then_some(Msg::Changed(changes, saved))
}

/// A message to the build loop.
pub(crate) enum Msg {
    /// Files changed; with the document file whose save the event ends, if it ends one.
    Changed(Changes, Option<String>),
    /// The watcher failed (e.g. out of inotify watches).
    Error(String),
    /// Ctrl-C or SIGTERM: stop.
    Stop,
}

/// Starts watching `layout.root` recursively; relevant changes are sent to `tx`.
pub(crate) fn start(layout: Layout, tx: Sender<Msg>) -> notify::Result<notify::RecommendedWatcher> {
    let root = layout.root.clone();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| match res {
        Ok(event) => {
            if let Some(msg) = message(&layout, &event) {
                // The receiver is gone only when serve is stopping.
                let _ = tx.send(msg);
            }
        }
        Err(e) => {
            // As above: no receiver, no one to tell.
            let _ = tx.send(Msg::Error(e.to_string()));
        }
    })?;
    watcher.watch(&root, RecursiveMode::Recursive)?;
    Ok(watcher)
}

/// The changes gathered for one rebuild, and whether a save may still be under way.
#[derive(Debug, Default)]
struct Batch {
    /// What changed.
    changes: Changes,
    /// Document files whose last event did not end a save.
    open: BTreeSet<String>,
    /// Something other than a document file changed.
    other: bool,
}

impl Batch {
    /// Adds the changes of one event, which ends the save of document file `saved`, if any.
    fn add(&mut self, changes: Changes, saved: Option<String>) {
        self.other |= changes.config || changes.theme || changes.rescan || changes.other;
        for doc in &changes.documents {
            match saved.as_ref() == Some(doc) {
                true => self.open.remove(doc),
                false => self.open.insert(doc.clone()),
            };
        }
        self.changes.merge(changes);
    }

    /// How long to wait for the next event before rebuilding.
    fn window(&self) -> Duration {
        match self.open.is_empty() && !self.other {
            true => SETTLE,
            false => QUIET,
        }
    }
}

/// Waits for the next change and gathers the events that follow it until the tree is quiet.
/// Returns `None` when the loop should stop.
pub(crate) fn next_batch(rx: &Receiver<Msg>, mut on_error: impl FnMut(String)) -> Option<Changes> {
    let mut batch = Batch::default();
    loop {
        match rx.recv() {
            Ok(Msg::Changed(c, saved)) => break batch.add(c, saved),
            Ok(Msg::Error(e)) => on_error(e),
            Ok(Msg::Stop) | Err(_) => return None,
        }
    }
    let deadline = Instant::now() + MAX_WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Some(batch.changes);
        }
        match rx.recv_timeout(batch.window().min(left)) {
            Ok(Msg::Changed(c, saved)) => batch.add(c, saved),
            Ok(Msg::Error(e)) => on_error(e),
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => return Some(batch.changes),
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
        let doc = |p: &str| Msg::Changed(Changes { documents: [p.to_string()].into(), ..Changes::default() }, None);
        tx.send(doc("a.md")).expect("send");
        tx.send(doc("b.md")).expect("send");
        let batch = next_batch(&rx, |_| {}).expect("batch");
        assert_eq!(batch.documents.len(), 2);
        tx.send(Msg::Stop).expect("send");
        assert!(next_batch(&rx, |_| {}).is_none());
    }

    fn event(kind: EventKind, paths: &[&str]) -> notify::Event {
        paths.iter().fold(notify::Event::new(kind), |e, p| e.add_path(PathBuf::from(p)))
    }

    /// The window the build loop waits after each event of `events` (`None`: the event is
    /// dropped), gathering them into one batch as `next_batch` does.
    fn windows(events: &[notify::Event]) -> (Vec<Option<Duration>>, Changes) {
        let mut batch = Batch::default();
        let mut out = Vec::new();
        for e in events {
            out.push(message(&layout(), e).map(|msg| match msg {
                Msg::Changed(c, saved) => {
                    batch.add(c, saved);
                    batch.window()
                }
                _ => unreachable!("only changes"),
            }));
        }
        (out, batch.changes)
    }

    const POL: &str = "/c/documents/pol.md";
    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
    const CLOSE: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));
    const CREATE: EventKind = EventKind::Create(notify::event::CreateKind::File);
    const REMOVE: EventKind = EventKind::Remove(notify::event::RemoveKind::File);
    const FROM: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::From));
    const TO: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::To));
    const BOTH: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::Both));

    #[test]
    fn a_save_in_place_settles_once_the_file_is_closed() {
        // Truncate, write, close (VS Code, a shell redirection, appending).
        let (w, changes) = windows(&[event(WRITE, &[POL]), event(WRITE, &[POL]), event(CLOSE, &[POL])]);
        assert_eq!(w, [Some(QUIET), Some(QUIET), Some(SETTLE)]);
        assert_eq!(changes.documents, BTreeSet::from(["documents/pol.md".to_string()]));
    }

    #[test]
    fn a_temporary_file_renamed_into_place_settles_at_the_rename() {
        let tmp = "/c/documents/.pol.md.tmp1234";
        let events = [
            event(CREATE, &[tmp]),
            event(WRITE, &[tmp]),
            event(CLOSE, &[tmp]),
            event(FROM, &[tmp]),
            event(TO, &[POL]),
            event(BOTH, &[tmp, POL]),
        ];
        let (w, changes) = windows(&events);
        assert_eq!(w, [None, None, None, None, Some(SETTLE), Some(SETTLE)]);
        assert!(!changes.other && changes.documents.len() == 1, "{changes:?}");
    }

    #[test]
    fn a_file_moved_to_a_backup_stays_open_until_the_new_one_is_closed() {
        // vim and emacs: a probe file, the old file renamed to `pol.md~`, a new `pol.md`
        // written and closed, the backup removed. Settling after the rename would rebuild a
        // tree without the document, then again with it.
        let backup = "/c/documents/pol.md~";
        let events = [
            event(CREATE, &["/c/documents/4913"]),
            event(REMOVE, &["/c/documents/4913"]),
            event(FROM, &[POL]),
            event(TO, &[backup]),
            event(BOTH, &[POL, backup]),
            event(CREATE, &[POL]),
            event(WRITE, &[POL]),
            event(CLOSE, &[POL]),
            event(REMOVE, &[backup]),
        ];
        let (w, _) = windows(&events);
        let q = Some(QUIET);
        assert_eq!(w, [None, None, q, None, q, q, q, Some(SETTLE), None]);
    }

    #[test]
    fn anything_but_a_finished_document_waits_the_whole_window() {
        let (w, _) = windows(&[event(CLOSE, &["/c/evidence/x.csv"]), event(CLOSE, &[POL])]);
        assert_eq!(w, [Some(QUIET), Some(QUIET)], "evidence may be part of the same change");
        let (w, _) = windows(&[event(REMOVE, &[POL])]);
        assert_eq!(w, [Some(QUIET)], "a removal may be the start of a save");
        let (w, _) = windows(&[
            event(FROM, &["/c/documents/a.md"]),
            event(TO, &[POL]),
            event(BOTH, &["/c/documents/a.md", POL]),
        ]);
        assert_eq!(w, [Some(QUIET), Some(QUIET), Some(QUIET)], "a renamed document leaves its old name open");
    }

    /// The messages a real save makes, until the tree has been quiet for half a second.
    fn saved_with(save: impl FnOnce(&Path)) -> Vec<Option<String>> {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("documents")).expect("mkdir");
        let doc = root.join("documents/pol.md");
        std::fs::write(&doc, "old\n").expect("write");
        let layout =
            Layout { root: root.clone(), out: root.join("site"), documents: "documents".into(), theme: "theme".into() };
        let (tx, rx) = std::sync::mpsc::channel();
        let watcher = start(layout, tx).expect("watch");
        save(&doc);
        let mut saved = Vec::new();
        while let Ok(msg) = rx.recv_timeout(Duration::from_millis(500)) {
            if let Msg::Changed(c, s) = msg {
                assert!(!c.other && !c.config, "{c:?}");
                saved.push(s);
            }
        }
        drop(watcher);
        saved
    }

    #[test]
    fn real_saves_end_with_the_event_that_ends_them() {
        let pol = Some("documents/pol.md".to_string());
        let in_place = saved_with(|doc| std::fs::write(doc, "new\n").expect("write"));
        assert_eq!(in_place.last(), Some(&pol), "{in_place:?}");
        assert_eq!(in_place.iter().filter(|s| s.is_some()).count(), 1, "{in_place:?}");
        let renamed = saved_with(|doc| {
            let tmp = doc.with_file_name(".pol.md.tmp");
            std::fs::write(&tmp, "new\n").expect("write");
            std::fs::rename(&tmp, doc).expect("rename");
        });
        assert!(renamed.last() == Some(&pol) && renamed.iter().all(|s| s == &pol), "{renamed:?}");
        let backup = saved_with(|doc| {
            std::fs::rename(doc, doc.with_file_name("pol.md~")).expect("backup");
            std::fs::write(doc, "new\n").expect("write");
            std::fs::remove_file(doc.with_file_name("pol.md~")).expect("rm");
        });
        assert_eq!(backup.last(), Some(&pol), "{backup:?}");
        assert_eq!(backup.iter().filter(|s| s.is_some()).count(), 1, "{backup:?}");
    }
}
