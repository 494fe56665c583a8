//! `aimsdoc serve` on 127.0.0.1 with an ephemeral port: pages with the reload script, live
//! rebuilds after edits, the error overlay and banner, traversal attempts, many parallel
//! clients, incremental output equal to a fresh build, and a clean exit on Ctrl-C.
//! Every wait is bounded; every server is killed when its test ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{self, aimsdoc_process, copy_example, EXAMPLE_TODAY};

const WAIT: Duration = Duration::from_secs(60);

/// A running `aimsdoc serve` child process.
struct Serve {
    child: Child,
    addr: String,
    site: PathBuf,
    log: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    fn start(root: &Path, extra: &[&str]) -> Serve {
        let mut child = aimsdoc_process(EXAMPLE_TODAY)
            .arg("serve")
            .arg(root)
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start aimsdoc serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line.clone());
                sink.lock().expect("log").push(line);
            }
        });
        let (addr, site) = wait_for_ready(&rx, &log);
        Serve { child, addr, site, log }
    }

    fn get(&self, target: &str) -> Response {
        request(&self.addr, "GET", target)
    }

    fn log(&self) -> String {
        self.log.lock().expect("log").join("\n")
    }

    fn rebuilds(&self) -> usize {
        self.log.lock().expect("log").iter().filter(|l| l.starts_with("rebuilt in")).count()
    }

    /// Waits until at least one rebuild after `before` finished and no other followed for a bit.
    fn settle(&self, before: usize) {
        eventually(&format!("a rebuild after #{before}\n{}", self.log()), || self.rebuilds() > before);
        let mut seen = self.rebuilds();
        loop {
            std::thread::sleep(Duration::from_millis(400));
            let now = self.rebuilds();
            if now == seen {
                return;
            }
            seen = now;
        }
    }
}

impl Drop for Serve {
    /// Stops the server as Ctrl-C would (so it removes its temporary site), or kills it.
    fn drop(&mut self) {
        common::stop(&mut self.child);
    }
}

fn wait_for_ready(rx: &Receiver<String>, log: &Arc<Mutex<Vec<String>>>) -> (String, PathBuf) {
    let end = Instant::now() + WAIT;
    while let Ok(line) = rx.recv_timeout(end.saturating_duration_since(Instant::now())) {
        if let Some(rest) = line.strip_prefix("serving on http://") {
            let (addr, rest) = rest.split_once("/ (site in ").expect("serving line shape");
            return (addr.to_string(), PathBuf::from(rest.trim_end_matches(')')));
        }
    }
    panic!("server did not start:\n{}", log.lock().expect("log").join("\n"));
}

fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let end = Instant::now() + WAIT;
    while Instant::now() < end {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One raw HTTP/1.1 request, so targets reach the server exactly as written.
fn request(addr: &str, method: &str, target: &str) -> Response {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    write!(s, "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Response { status, headers: head.to_string(), body: body.to_string() }
}

/// The event stream a served page opens (as its reload script does): `since` is the generation
/// the page was served at.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(addr: &str, page: &str, since: &str) -> Events {
        let mut s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(WAIT)).expect("timeout");
        write!(s, "GET /__aimsdoc/events?since={since}&page={page} HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("send");
        Events(BufReader::new(s))
    }

    /// Opens the stream for `page` as served right now.
    fn for_page(server: &Serve, page: &str) -> Events {
        let response = server.get(page);
        let body = &response.body;
        let token = body
            .split("data-generation=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no reload script in {page}: {response:?}"))
            .to_string();
        Events::open(&server.addr, page, &token)
    }

    /// Whether a `reload` event arrives within `timeout`.
    fn reloads_within(&mut self, timeout: Duration) -> bool {
        self.0.get_ref().set_read_timeout(Some(timeout)).expect("timeout");
        let mut line = String::new();
        loop {
            line.clear();
            match self.0.read_line(&mut line) {
                Ok(0) | Err(_) => return false,
                Ok(_) if line.trim_end() == "event: reload" => return true,
                Ok(_) => {}
            }
        }
    }
}

fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("content");
    copy_example(&root);
    (tmp, root)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "`{from}` not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

const DRAFT: &str = "documents/05-operation/gdl-002-llm-red-team-testing.md";

#[test]
fn serves_the_site_and_reloads_after_an_edit() {
    let (_tmp, root) = example_copy();
    let server = Serve::start(&root, &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200, "{home:?}");
    assert_eq!(home.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(home.body.contains("<script src=\"/__aimsdoc/reload.js\" data-generation="), "script injected");
    let script = server.get("/__aimsdoc/reload.js");
    assert_eq!(script.status, 200);
    assert!(script.header("Content-Type").is_some_and(|t| t.starts_with("text/javascript")));
    assert!(script.body.contains("\"/__aimsdoc/events?since=\""), "{}", script.body);
    let on_disk = std::fs::read_to_string(server.site.join("index.html")).expect("built page");
    assert!(!on_disk.contains("reload.js"), "the script is only in served responses");
    assert!(server.site.starts_with(std::env::temp_dir().canonicalize().expect("tmp")), "{}", server.site.display());

    let mut edited = Events::for_page(&server, "/documents/GDL-002.html");
    let mut elsewhere = Events::for_page(&server, "/annex-a/A.2.2.html");
    let before = server.rebuilds();
    edit(&root.join(DRAFT), "## ", "Freshly edited paragraph zq81.\n\n## ");
    assert!(edited.reloads_within(WAIT), "the browser showing the edited page reloads");
    assert!(server.get("/documents/GDL-002.html").body.contains("Freshly edited paragraph zq81"));
    server.settle(before);
    assert!(!elsewhere.reloads_within(Duration::from_millis(500)), "a page the edit did not change stays");
    let stale = Events::open(&server.addr, "/annex-a/A.2.2.html", "from-an-earlier-run-1").reloads_within(WAIT);
    assert!(stale, "a page served by an earlier run reloads");
}

#[test]
fn broken_front_matter_shows_the_overlay_until_fixed() {
    let (_tmp, root) = example_copy();
    let server = Serve::start(&root, &[]);
    let path = root.join(DRAFT);
    edit(&path, "\nstatus: draft", "\nstatus: [draft");
    let overlay = || server.get("/register.html");
    eventually("the overlay", || overlay().body.contains("id=\"aimsdoc-overlay\""));
    let page = overlay().body;
    assert!(page.contains("error[FM004]"), "{page}");
    assert!(page.contains(&format!("{DRAFT}:")), "file:line shown: {page}");
    assert!(page.contains("reload.js"), "the overlay reloads itself");
    assert!(server.get("/assets/style.css").status == 200, "assets are still served");
    assert!(server.log().contains("error[FM004]"), "the terminal shows it too:\n{}", server.log());
    edit(&path, "\nstatus: [draft", "\nstatus: draft");
    eventually("the page back", || {
        let r = overlay();
        r.status == 200 && !r.body.contains("aimsdoc-overlay") && r.body.contains("GDL-002")
    });
}

#[test]
fn errors_that_still_render_put_a_banner_on_the_pages() {
    let (_tmp, root) = example_copy();
    let server = Serve::start(&root, &[]);
    edit(&root.join(DRAFT), "## ", "See [missing](doc:NOPE-404).\n\n## ");
    eventually("the banner", || server.get("/documents/GDL-002.html").body.contains("id=\"aimsdoc-errors\""));
    let page = server.get("/documents/GDL-002.html").body;
    assert!(page.contains("LK004") && page.contains(&format!("{DRAFT}:")), "{page}");
    assert!(page.contains("NOPE-404"), "the page itself is rendered with the edit");
    let all = server.get("/__aimsdoc/errors");
    assert!(all.body.contains("error[LK004]"), "{}", all.body);
}

#[test]
fn warnings_alone_say_check_strict_will_fail_and_the_page_shows_its_own_findings() {
    let (_tmp, root) = example_copy();
    let server = Serve::start(&root, &[]);
    let clean = server.get("/__aimsdoc/errors").body;
    assert!(clean.contains("class=\"aimsdoc-overlay ok\"") && clean.contains("<h1>No errors</h1>"), "{clean}");
    edit(&root.join(DRAFT), "owner: Chief Information Security Officer", "owner: TODO (owner)");
    eventually("the warnings banner", || server.get("/index.html").body.contains("id=\"aimsdoc-errors\""));
    let index = server.get("/index.html").body;
    assert!(index.contains("<strong>1 warning</strong>: <code>check --strict</code> will fail"), "{index}");
    assert!(!index.contains("aimsdoc-page-findings"), "only the document's own page shows its panel");
    let page = server.get("/documents/GDL-002.html").body;
    let panel = page.find("id=\"aimsdoc-page-findings\"").expect("the page's own findings");
    assert!(page.find("id=\"doc-facts\"").is_some_and(|facts| facts < panel), "under the control facts");
    assert!(page.contains("warning[ID012]</span><span class=\"field\">Owner</span>: "), "{page}");
    assert!(page.contains("<code>TODO (owner)</code>"), "backticks become code: {page}");
    let all = server.get("/__aimsdoc/errors").body;
    assert!(all.contains("<h1>No errors, 1 warning: check --strict will fail</h1>"), "{all}");
}

#[test]
fn nothing_outside_the_output_directory_is_served() {
    let (tmp, root) = example_copy();
    std::fs::write(tmp.path().join("secret.txt"), "top secret").expect("write");
    let server = Serve::start(&root, &[]);
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), server.site.join("leak.txt")).expect("symlink");
    std::os::unix::fs::symlink(tmp.path(), server.site.join("up")).expect("symlink");
    let long = format!("/{}", "a".repeat(3000));
    let attempts = [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/documents/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/%00index.html",
        "/index.html%00.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "http://evil.example/secret.txt",
        "/C:/Windows/win.ini",
        "/leak.txt",
        "/up/secret.txt",
        "/.aimsdoc-site",
        long.as_str(),
    ];
    for target in attempts {
        let r = server.get(target);
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert!(!r.body.contains("top secret") && !r.body.contains("root:"), "{target}");
    }
    methods_types_and_folders(&server);
}

/// HEAD, POST, content types, folder redirects and a missing page.
fn methods_types_and_folders(server: &Serve) {
    let head = request(&server.addr, "HEAD", "/register.csv");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert!(head.header("Content-Length").is_some_and(|n| n != "0"), "{head:?}");
    assert_eq!(head.header("Content-Type"), Some("text/csv; charset=utf-8"));
    assert_eq!(request(&server.addr, "POST", "/").status, 405);
    assert_eq!(server.get("/register.json").header("Content-Type"), Some("application/json"));
    assert_eq!(server.get("/assets/style.css").header("Content-Type"), Some("text/css; charset=utf-8"));
    let moved = server.get("/clauses");
    assert_eq!((moved.status, moved.header("Location")), (301, Some("/clauses/")));
    let index = server.get("/clauses/");
    assert!(index.status == 200 && index.body.contains("<html"), "directories serve index.html");
    assert_eq!(server.get("/no-such-page.html").status, 404);
}

#[test]
fn many_parallel_clients_do_not_stall_the_watcher() {
    let (_tmp, root) = example_copy();
    let server = Serve::start(&root, &[]);
    let streams: Vec<Events> = (0..12).map(|_| Events::for_page(&server, "/documents/GDL-002.html")).collect();
    let addr = server.addr.clone();
    let clients: Vec<_> = (0..60)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let target = ["/", "/register.html", "/assets/style.css", "/documents/POL-001.html"][i % 4];
                (0..3).map(|_| request(&addr, "GET", target).status).collect::<Vec<_>>()
            })
        })
        .collect();
    edit(&root.join(DRAFT), "## ", "Edited under load k7.\n\n## ");
    let started = Instant::now();
    eventually("the edit under load", || server.get("/documents/GDL-002.html").body.contains("Edited under load k7"));
    for c in clients {
        assert!(c.join().expect("client").iter().all(|&s| s == 200));
    }
    assert!(started.elapsed() < WAIT);
    for mut s in streams {
        assert!(s.reloads_within(WAIT), "every open tab hears about it");
    }
}

#[test]
fn incremental_rebuilds_write_what_a_fresh_start_writes() {
    let (tmp, root) = example_copy();
    let out = tmp.path().join("incremental");
    let server = Serve::start(&root, &["--out", out.to_str().expect("utf-8")]);
    for step in edits(&root) {
        let before = server.rebuilds();
        step();
        server.settle(before);
    }
    let fresh_out = tmp.path().join("fresh");
    let fresh = Serve::start(&root, &["--out", fresh_out.to_str().expect("utf-8")]);
    let (a, b) = (tree(&server.site), tree(&fresh.site));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "same files");
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{path} differs between the incremental and the fresh site");
    }
    assert!(!a.iter().any(|(p, _)| p == "documents/GDL-009.html" || p == "documents/GDL-010.html"));
    assert!(server.log().contains("removed"), "{}", server.log());
}

/// A body edit, a title that other pages list, a clause moved, a new document that links to
/// another, a renamed id, a removed document, a changed attachment.
fn edits(root: &Path) -> Vec<Box<dyn Fn() + '_>> {
    vec![
        Box::new(|| edit(&root.join(DRAFT), "## ", "A new paragraph.\n\n## ")),
        Box::new(|| {
            edit(&root.join("documents/04-support/prc-004-document-control-procedure.md"), "title: ", "title: Renamed ")
        }),
        Box::new(|| edit(&root.join(DRAFT), "clauses: [", "clauses: [\"7.3\", ")),
        Box::new(|| {
            std::fs::write(
                root.join("documents/05-operation/gdl-009-new.md"),
                "---\nid: GDL-009\ntitle: Brand New\ntype: guideline\nowner: Head of Quality\nversion: \"0.1\"\nstatus: draft\nclauses: [\"7.4\"]\nrelated: [GDL-002]\n---\nSee [red teaming](doc:GDL-002).\n",
            )
            .expect("write")
        }),
        Box::new(|| edit(&root.join("documents/05-operation/gdl-009-new.md"), "id: GDL-009", "id: GDL-010")),
        Box::new(|| std::fs::remove_file(root.join("documents/05-operation/gdl-009-new.md")).expect("rm")),
        Box::new(|| {
            let evidence = root.join("evidence/training");
            let file = std::fs::read_dir(&evidence).expect("evidence").flatten().next().expect("a file").path();
            let mut text = std::fs::read(&file).expect("read");
            text.extend_from_slice(b"\n");
            std::fs::write(file, text).expect("write");
        }),
    ]
}

/// Every file under `dir` (sorted, relative paths) with its bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.ends_with(".aimsdoc-site") {
                // (the marker's token is random per output folder)
                let rel = path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn ctrl_c_stops_cleanly_and_removes_the_temporary_site() {
    let (_tmp, root) = example_copy();
    let mut server = Serve::start(&root, &[]);
    let temp = server.site.parent().expect("private temp folder").to_path_buf();
    assert!(temp.is_dir());
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().expect("kill");
    assert!(status.success());
    let end = Instant::now() + WAIT;
    let code = loop {
        if let Some(s) = server.child.try_wait().expect("wait") {
            break s.code();
        }
        assert!(Instant::now() < end, "did not stop");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0), "{}", server.log());
    assert!(!temp.exists(), "{} left behind", temp.display());
    eventually("the goodbye line", || server.log().contains("stopped"));
}
