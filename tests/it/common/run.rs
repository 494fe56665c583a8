//! Running the real `aimsdoc` binary: one way to start it, with a pinned clock and a clean
//! environment, and the paths of the trees the tests run it on.
//!
//! ```ignore
//! let a = common::aimsdoc().arg("check").arg(common::fixture("many_problems")).assert().code(1);
//! let a = common::aimsdoc_on(EXAMPLE_TODAY).arg("check").arg(common::example()).assert().code(0);
//! common::build(root, &out).code(0);
//! assert!(common::stderr(&a).contains("..."));
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::assert::Assert;
use assert_cmd::Command;

/// The date fixture and temporary trees are judged against (`AIMSDOC_TODAY`).
pub(crate) const TODAY: &str = "2026-06-01";

/// The date the example tree (`content-example/`) is judged against: its reviews are current
/// on this day.
pub(crate) const EXAMPLE_TODAY: &str = "2026-11-27";

/// Any single run of the binary that takes longer than this has hung: the test fails (with the
/// output so far) instead of blocking the suite.
pub(crate) const HANG_GUARD: Duration = Duration::from_secs(120);

/// `aimsdoc`, judged against [`TODAY`]: see [`aimsdoc_on`].
pub(crate) fn aimsdoc() -> Command {
    aimsdoc_on(TODAY)
}

/// `aimsdoc` judged against `today` (`AIMSDOC_TODAY`), with `NO_COLOR` set, without
/// `SOURCE_DATE_EPOCH` and `AIMSDOC_OUTPUT_BUDGET` from the caller's environment, with git's
/// `GIT_CEILING_DIRECTORIES` at this repository (fixtures and the example inside it show no
/// history from aimsdoc's own commits), and stopped after [`HANG_GUARD`]. Tests add to it (`.env(..)`, `.timeout(..)`) where they need more.
pub(crate) fn aimsdoc_on(today: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aimsdoc"));
    cmd.env("AIMSDOC_TODAY", today)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("AIMSDOC_OUTPUT_BUDGET")
        .env("GIT_CEILING_DIRECTORIES", repo())
        .timeout(HANG_GUARD);
    cmd
}

/// The same environment as [`aimsdoc_on`] for a child the test drives itself (`aimsdoc serve`,
/// which runs until stopped): a plain [`std::process::Command`] that can be spawned.
pub(crate) fn aimsdoc_process(today: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_aimsdoc"));
    cmd.env("AIMSDOC_TODAY", today)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("AIMSDOC_OUTPUT_BUDGET")
        .env("GIT_CEILING_DIRECTORIES", repo());
    cmd
}

/// `aimsdoc build ROOT --out OUT`, judged against [`TODAY`]; the caller asserts the outcome.
pub(crate) fn build(root: &Path, out: &Path) -> Assert {
    build_on(TODAY, root, out)
}

/// `aimsdoc build ROOT --out OUT`, judged against `today`; the caller asserts the outcome.
pub(crate) fn build_on(today: &str, root: &Path, out: &Path) -> Assert {
    aimsdoc_on(today).arg("build").arg(root).arg("--out").arg(out).assert()
}

/// A site built into a fresh temporary folder (removed when dropped); it derefs to the site's
/// path, so `page(&site, "index.html")` and `site.join(..)` work.
pub(crate) struct Site {
    path: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Site {
    /// The site's folder.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for Site {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<std::ffi::OsStr> for Site {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.path.as_os_str()
    }
}

impl std::ops::Deref for Site {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

/// `aimsdoc build ROOT --out <fresh temporary folder> EXTRA...`, judged against `today`; the
/// build must succeed (exit 0).
pub(crate) fn build_site(today: &str, root: &Path, extra: &[&str]) -> Site {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("site");
    aimsdoc_on(today).arg("build").arg(root).arg("--out").arg(&path).args(extra).assert().code(0);
    Site { path, _tmp: tmp }
}

/// A fresh `aimsdoc init` tree, `<tmp>/aims` (judged against [`EXAMPLE_TODAY`]); keep the
/// `TempDir` alive as long as the tree is used.
pub(crate) fn starter() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("aims");
    aimsdoc_on(EXAMPLE_TODAY).arg("init").arg(&root).assert().code(0);
    (tmp, root)
}

/// What a run printed on stdout.
pub(crate) fn stdout(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// What a run printed on stderr.
pub(crate) fn stderr(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// What a run printed, stdout then stderr.
pub(crate) fn output_of(a: &Assert) -> String {
    stdout(a) + &stderr(a)
}

/// The repository's root (where `Cargo.toml` is).
pub(crate) fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example tree, `content-example/` (checked in place: never write into it).
pub(crate) fn example() -> PathBuf {
    repo().join("content-example")
}

/// The committed fixture tree `tests/fixtures/<case>` (checked in place: never write into it).
pub(crate) fn fixture(case: &str) -> PathBuf {
    let root = repo().join("tests").join("fixtures").join(case);
    assert!(root.is_dir(), "no fixture directory {}", root.display());
    root
}

/// The file `tests/data/<name>`.
pub(crate) fn data(name: &str) -> PathBuf {
    repo().join("tests").join("data").join(name)
}

/// `text` without what differs between machines and releases: `root` (a temporary content root
/// given as an absolute path) becomes `[root]`, the repository's path `[repo]`, and the package
/// version `[version]`.
pub(crate) fn redact(text: &str, root: Option<&Path>) -> String {
    let mut text = text.to_string();
    if let Some(root) = root {
        text = text.replace(&root.display().to_string(), "[root]");
    }
    text.replace(&repo().display().to_string(), "[repo]")
        .replace(&format!("\"{}\"", env!("CARGO_PKG_VERSION")), "\"[version]\"")
}

/// Stops a long-running `aimsdoc` (`serve`) as Ctrl-C would, so it removes its temporary site;
/// kills it if it has not stopped within 10 seconds.
pub(crate) fn stop(child: &mut std::process::Child) {
    let _ = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let end = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < end {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}
