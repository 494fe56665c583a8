//! The emit step: every file of a site, listed once ([`items`]: the pages and exports of the
//! artifact list, the content files the site copies, the theme's assets), produced in parallel
//! and handed to a [`Sink`]. A sealed build's sink is its staging folder
//! ([`Staging`](super::output::Staging): the manifest, `SHA256SUMS` and the atomic swap follow);
//! `serve`'s sink writes a file only when its bytes changed. Both go through [`emit`], so a page
//! added to the artifact list reaches the build and the preview alike.

use std::path::Path;

use anyhow::Context as _;
use rayon::prelude::*;

use super::artifacts::{self, Artifact};
use crate::render::RenderCx;

/// Where emitted files go. An implementation refuses site paths that leave its folder, never
/// writes through a link, and never writes onto a copied file's source.
pub(crate) trait Sink: Sync {
    /// Writes `bytes` at site path `rel`; returns whether the file on disk changed.
    fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<bool>;

    /// Copies the content file `source` (a canonical path inside the content root, whose
    /// SHA-256 the link stage recorded as `sha256`) to site path `rel`; returns whether the
    /// file on disk changed.
    fn copy(&self, source: &Path, rel: &str, sha256: &str) -> anyhow::Result<bool>;
}

/// One file of the site, before it is produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item<'a> {
    /// A page or export, rendered from the context.
    Artifact(Artifact),
    /// A content file the site links to (an attachment, a linked file), by content-relative
    /// path (a key of the graph's `files`).
    Copy(&'a str),
    /// A theme asset, by its name under `assets/`.
    Asset(&'a str),
}

impl Item<'_> {
    /// Path of the item relative to the site root.
    pub(crate) fn path(&self, cx: &RenderCx) -> String {
        match self {
            Item::Artifact(a) => a.path(cx),
            Item::Copy(rel) => crate::urls::site_path(rel),
            Item::Asset(name) => format!("assets/{name}"),
        }
    }
}

/// Every file of the site of `cx`, in a stable order: artifacts, copied files, theme assets.
pub(crate) fn items<'a>(cx: &RenderCx<'a>) -> Vec<Item<'a>> {
    let (graph, theme) = (cx.graph, cx.theme);
    let mut out: Vec<Item<'a>> = artifacts::all(cx).into_iter().map(Item::Artifact).collect();
    out.extend(graph.files.keys().map(|rel| Item::Copy(rel)));
    out.extend(theme.assets.keys().map(|name| Item::Asset(name)));
    out
}

/// What emitting one item did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Emitted {
    /// Its site path.
    pub path: String,
    /// Whether the sink changed the file on disk.
    pub changed: bool,
}

/// Produces every item of `list` into `sink`, in parallel; the results are in `list`'s order.
/// The first failure stops the step (a build's staging folder is then dropped, and the
/// previous site is untouched).
pub(crate) fn emit(cx: &RenderCx, list: &[Item], sink: &dyn Sink) -> anyhow::Result<Vec<Emitted>> {
    list.par_iter()
        .map(|item| {
            let path = item.path(cx);
            let changed = produce(cx, *item, &path, sink)?;
            Ok(Emitted { path, changed })
        })
        .collect()
}

fn produce(cx: &RenderCx, item: Item, path: &str, sink: &dyn Sink) -> anyhow::Result<bool> {
    match item {
        Item::Artifact(a) => sink.write(path, &a.render(cx)?),
        Item::Copy(rel) => {
            let unresolved = || format!("internal error: `{rel}` was never resolved");
            let info = cx.graph.files.get(rel).with_context(unresolved)?;
            // From the canonical path the graph checked to lie inside the content root.
            let source = cx.graph.sources.get(rel).with_context(unresolved)?;
            sink.copy(source, path, &info.sha256).with_context(|| format!("cannot copy `{rel}` into the site"))
        }
        Item::Asset(name) => {
            let bytes = cx.theme.assets.get(name).with_context(|| format!("internal error: no asset `{name}`"))?;
            sink.write(path, bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::config::Trust;
    use crate::render::Theme;
    use crate::site::{check, Options};

    /// Records what it is handed; refuses one path when asked to.
    #[derive(Default)]
    struct Recorder {
        seen: Mutex<Vec<(String, Vec<u8>)>>,
        refuse: Option<&'static str>,
    }

    impl Sink for Recorder {
        fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<bool> {
            anyhow::ensure!(self.refuse != Some(rel), "disk full");
            self.seen.lock().expect("lock").push((rel.to_string(), bytes.to_vec()));
            Ok(true)
        }

        fn copy(&self, source: &Path, rel: &str, _sha256: &str) -> anyhow::Result<bool> {
            self.write(rel, &std::fs::read(source)?)
        }
    }

    #[test]
    fn every_page_copy_and_asset_reaches_the_sink_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("documents")).expect("mkdir");
        std::fs::create_dir_all(root.join("evidence")).expect("mkdir");
        std::fs::write(root.join("evidence/e.csv"), "a,b\n").expect("write");
        std::fs::write(
            root.join("documents/a.md"),
            "---\nid: POL-001\ntitle: A\ntype: policy\nowner: O\nversion: \"1.0\"\nstatus: draft\nattachments:\n  - e.csv\n---\nBody.\n",
        )
        .expect("write");
        let opts = Options {
            root: root.to_path_buf(),
            strict: false,
            today: crate::content::types::parse_date("2026-06-01").expect("date"),
            trust: Trust::Trusted,
        };
        let checked = check(&opts).expect("check");
        let theme = Theme::load(root, &checked.config).expect("theme");
        let cx = checked.render_cx(&theme, "digest".into());
        let list = items(&cx);
        let sink = Recorder::default();
        let emitted = emit(&cx, &list, &sink).expect("emit");
        let mut seen: Vec<String> = sink.seen.lock().expect("lock").iter().map(|(p, _)| p.clone()).collect();
        seen.sort();
        let mut paths: Vec<String> = emitted.iter().map(|e| e.path.clone()).collect();
        paths.sort();
        assert_eq!(seen, paths, "one write per item");
        assert!(seen.windows(2).all(|w| w[0] != w[1]), "no path twice");
        for expected in
            ["documents/POL-001.html", "index.html", "register.csv", "assets/style.css", "files/evidence/e.csv"]
        {
            assert!(seen.iter().any(|p| p == expected), "{expected} missing from {seen:?}");
        }
        let failing = Recorder { refuse: Some("register.csv"), ..Recorder::default() };
        let err = emit(&cx, &list, &failing).expect_err("a failing sink stops the step");
        assert!(format!("{err:#}").contains("disk full"), "{err:#}");
    }
}
