//! `aimsdoc serve`: build once, serve the site on loopback, watch the content tree, rebuild
//! incrementally on every save and reload open pages. A content error never stops the server:
//! the terminal prints the findings and every page shows them as an overlay until they are
//! fixed. The site is written to a private temporary folder (or `--out`), never into the
//! output of `aimsdoc build`, and the reload script exists only in served responses.

mod findings;
mod fingerprint;
pub(crate) mod http;
pub(crate) mod incremental;
#[cfg(test)]
pub(crate) mod incremental_tests;
pub(crate) mod live;
pub(crate) mod overlay;
mod patch;
pub(crate) mod route;
pub(crate) mod session;
mod sink;
pub(crate) mod trace;
pub(crate) mod watch;

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use anyhow::Context as _;

use crate::config::{Config, Trust};
use crate::content::types::Date;
use crate::diagnostics::{self, format::Context as PrintContext, Counts, Diagnostic, Format, Severity};
use crate::site::Options;
use live::{Live, Mode};
use session::{Outcome, Session};
use watch::{Changes, Layout, Msg};

/// Options of `aimsdoc serve`.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    /// Content root.
    pub root: PathBuf,
    /// Address to bind (loopback unless asked otherwise).
    pub bind: IpAddr,
    /// Port (0 picks a free one).
    pub port: u16,
    /// Open the site in a browser once it is up.
    pub open: bool,
    /// Output directory (default: a private temporary folder, removed on exit).
    pub out: Option<PathBuf>,
    /// The date reviews are judged against at start.
    pub today: Date,
}

/// Runs the server until Ctrl-C (or SIGTERM); returns the exit code.
pub(crate) fn run(o: ServeOptions) -> anyhow::Result<i32> {
    let config = Config::load(&o.root, Trust::Trusted)?;
    let (temp, out) = output_folder(&o, &config)?;
    // Watch before the first build, so an edit made while it runs is not missed.
    let (rx, watcher) = watch_tree(&o.root, &out, &config)?;
    // Bind before the first build, so a busy port fails at once.
    let live = Live::new(format!("{:x}{:x}", std::process::id(), nanos()));
    let server = http::Server::start(SocketAddr::new(o.bind, o.port), out.clone(), live.clone())?;

    let opts = Options { root: o.root.clone(), strict: false, today: o.today, trust: Trust::Trusted };
    let (mut session, outcome) = Session::start(opts, out.clone())?;
    let printer = Printer::new(&o.root);
    printer.initial(&session, &outcome);
    let shown = mode_of(&session);
    live.publish(shown.clone());
    announce(&o, &format!("http://{}/", server.addr()), &out);
    rebuild_on_changes(&rx, &mut session, &live, shown, &printer, &config, o.today);
    live.stop();
    drop(watcher);
    server.shutdown();
    drop(temp);
    eprintln!("stopped");
    Ok(crate::exit::OK)
}

/// The output folder, prepared: `--out`, or a private temporary folder (mode 0700, random
/// name, created exclusively) that is removed on exit when the returned handle is dropped.
fn output_folder(o: &ServeOptions, config: &Config) -> anyhow::Result<(Option<tempfile::TempDir>, PathBuf)> {
    let temp = match o.out {
        Some(_) => None,
        None => Some(
            tempfile::Builder::new().prefix("aimsdoc-serve-").tempdir().context("cannot create a temporary folder")?,
        ),
    };
    let out_arg =
        o.out.clone().or_else(|| temp.as_ref().map(|t| t.path().join("site"))).context("no output directory")?;
    let out = session::prepare_out(&out_arg, &o.root, config)?;
    Ok((temp, out))
}

/// Starts watching the content tree (and Ctrl-C): both arrive as messages on the receiver;
/// watching stops when the watcher is dropped.
fn watch_tree(
    root: &Path,
    out: &Path,
    config: &Config,
) -> anyhow::Result<(mpsc::Receiver<Msg>, notify::RecommendedWatcher)> {
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        // The receiver is gone only when serve is already stopping.
        let _ = stop.send(Msg::Stop);
    })
    .context("cannot install the Ctrl-C handler")?;
    let layout = Layout {
        root: root.canonicalize().with_context(|| format!("cannot open `{}`", root.display()))?,
        out: out.to_path_buf(),
        documents: config.paths.documents.clone(),
        theme: config.paths.theme.clone(),
    };
    let watcher = watch::start(layout, tx).context("cannot watch the content tree for changes")?;
    Ok((rx, watcher))
}

/// Tells the terminal where the site is served (and warns about a non-loopback bind); opens a
/// browser when asked.
fn announce(o: &ServeOptions, url: &str, out: &Path) {
    if let Some(warning) = bind_warning(o.bind) {
        eprintln!("{warning}");
    }
    eprintln!("listening for changes in {}; press Ctrl-C to stop", o.root.display());
    eprintln!("serving on {url} (site in {})", out.display());
    if o.open {
        open_browser(url);
    }
}

/// The watch loop: each batch of changes is one incremental rebuild; browsers are told which
/// pages changed as soon as they are written, and about any change of how findings are shown.
fn rebuild_on_changes(
    rx: &mpsc::Receiver<Msg>,
    session: &mut Session,
    live: &Live,
    mut shown: Mode,
    printer: &Printer,
    started_with: &Config,
    today: Date,
) {
    while let Some(changes) = watch::next_batch(rx, |e| eprintln!("warning: file watcher: {e}")) {
        let today = crate::clock::today().unwrap_or(today);
        // While every page shows the overlay, only a change of mode matters to browsers.
        let blocked = matches!(shown, Mode::Blocked { .. });
        let mut notify = |pages| {
            if !blocked {
                live.touch(pages);
            }
        };
        match session.rebuild(&changes, today, &mut notify) {
            Ok(outcome) => {
                printer.rebuilt(session, &outcome, &changes);
                let paths = &session.config().paths;
                if changes.config
                    && (paths.documents != started_with.paths.documents || paths.theme != started_with.paths.theme)
                {
                    eprintln!("note: [paths] changed: restart `aimsdoc serve` to watch the new folders");
                }
                let mode = mode_of(session);
                if mode != shown || outcome.assets_changed {
                    live.publish(mode.clone());
                    shown = mode;
                }
            }
            Err(e) => eprintln!("error: rebuild failed: {}", crate::failure::report(&e)),
        }
    }
}

/// The warning printed when the server is reachable from other machines.
pub(crate) fn bind_warning(bind: IpAddr) -> Option<String> {
    (!bind.is_loopback()).then(|| {
        format!(
            "WARNING: binding {bind} makes this unpublished preview (drafts, restricted documents, findings) \
             reachable from other machines on the network; use --bind 127.0.0.1 unless that is intended"
        )
    })
}

/// How pages show the session's current findings.
fn mode_of(session: &Session) -> Mode {
    if let Some(failure) = session.failure() {
        return Mode::Blocked { page: Arc::new(overlay::failure_page(failure)) };
    }
    let Some(banner) = findings::banner(session.diagnostics()) else {
        return Mode::Clean;
    };
    let line_of = |file: &str, n: usize| session.line_of(file, n);
    let page = Arc::new(overlay::page(session.diagnostics(), &line_of));
    if session.has_errors() && session.is_blocked() {
        Mode::Blocked { page }
    } else {
        let panels = findings::page_panels(session.diagnostics(), &session.document_pages(), &line_of);
        Mode::Banner { banner: Arc::new(banner), panels: Arc::new(panels), page }
    }
}

/// Terminal output: findings as `check` prints them, and one line per rebuild.
struct Printer {
    display_root: String,
    color: bool,
}

impl Printer {
    fn new(root: &Path) -> Printer {
        Printer {
            display_root: diagnostics::display_root(root),
            color: diagnostics::use_color(std::io::stderr().is_terminal()),
        }
    }

    fn initial(&self, session: &Session, outcome: &Outcome) {
        self.findings(session, session.diagnostics().iter().collect());
        eprintln!(
            "built {} documents in {} ms ({} files written){}",
            session.documents(),
            outcome.millis,
            outcome.written,
            self.state(session)
        );
    }

    fn rebuilt(&self, session: &Session, outcome: &Outcome, changes: &Changes) {
        // Errors anywhere block the site; warnings are shown for the files just edited.
        let shown: Vec<&Diagnostic> = session
            .diagnostics()
            .iter()
            .filter(|d| d.severity == Severity::Error || changes.documents.contains(&d.file))
            .collect();
        self.findings(session, shown);
        eprintln!(
            "rebuilt in {} ms: {} read, {} rendered, {} written, {} removed{}",
            outcome.millis,
            outcome.read,
            outcome.rendered,
            outcome.written,
            outcome.removed,
            self.state(session)
        );
    }

    fn state(&self, session: &Session) -> String {
        if let Some(failure) = session.failure() {
            return format!("\nerror: {failure}\nthe browser shows this until it is fixed");
        }
        let summary = diagnostics::format::summary(session.documents(), Counts::of(session.diagnostics()));
        let effect = if session.is_blocked() {
            ": the site cannot be rendered; pages show the errors until they are fixed"
        } else if session.has_errors() {
            ": pages carry an error banner until they are fixed"
        } else {
            ""
        };
        format!("\n{summary}{effect}")
    }

    fn findings(&self, session: &Session, diags: Vec<&Diagnostic>) {
        let owned: Vec<Diagnostic> = diags.into_iter().take(50).cloned().collect();
        if owned.is_empty() {
            return;
        }
        let line_of = |file: &str, n: usize| session.line_of(file, n);
        let cx = PrintContext { display_root: &self.display_root, line_of: &line_of, color: self.color };
        // A console that cannot be written to has no one reading it.
        let _ = diagnostics::print(&mut std::io::stderr().lock(), &owned, Format::Human, &cx);
    }
}

fn nanos() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(opener.0).args(&opener.1).spawn().is_err() {
        eprintln!("note: could not open a browser; open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::bind_warning;

    #[test]
    fn only_loopback_binds_are_quiet() {
        assert!(bind_warning("127.0.0.1".parse().expect("ip")).is_none());
        assert!(bind_warning("::1".parse().expect("ip")).is_none());
        assert!(bind_warning("0.0.0.0".parse().expect("ip")).is_some_and(|w| w.starts_with("WARNING")));
        assert!(bind_warning("192.168.1.5".parse().expect("ip")).is_some());
    }
}
