//! The development HTTP server: tiny_http with a small pool of worker threads, serving only files
//! under the output directory (see [`route`](super::route)), the reload script and event stream,
//! and the error overlay in place of every page while the tree is broken. Event streams get their
//! own threads (capped), so open browser tabs never occupy the pool.
//!
//! Requests whose `Host` is not a loopback name or the bound address get 421 (DNS rebinding),
//! and requests with more than [`MAX_HEADERS`] bytes of headers get 431. What tiny_http 0.12
//! does not let us cap: it reads a request's header lines with no size limit before handing the
//! request over (so 431 bounds our work, not its memory), sets no read timeout on connections
//! and gives no access to the socket to set one, and serves every connection on a thread of
//! its own growing pool (no connection cap). The server binds to loopback by default, where
//! only local programs can reach it; those limits would need a server of our own.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::live::{Live, Mode, Wait};
use super::overlay;
use super::route::{self, Found, Refused, Route};
use crate::failure::failure;

/// Worker threads answering ordinary requests.
pub(crate) const WORKERS: usize = 8;
/// Most event streams (open tabs) at once; more are refused with 503.
pub(crate) const MAX_STREAMS: usize = 64;
/// Most bytes of request headers (names and values) answered; more get 431.
pub(crate) const MAX_HEADERS: usize = 8 * 1024;
/// Interval of keep-alive comments on event streams (they also notice closed tabs).
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Interval of the connection nudge (see [`nudge`]).
const NUDGE: Duration = Duration::from_millis(100);

/// A running server.
pub(crate) struct Server {
    http: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
    addr: SocketAddr,
}

struct Shared {
    /// The bound address (the one `Host` value accepted besides loopback names).
    addr: SocketAddr,
    out: PathBuf,
    live: Arc<Live>,
    streams: AtomicUsize,
}

impl Server {
    /// Binds `addr` and starts the workers serving the canonical directory `out`.
    pub(crate) fn start(addr: SocketAddr, out: PathBuf, live: Arc<Live>) -> anyhow::Result<Server> {
        let http = tiny_http::Server::http(addr).map_err(|e| {
            failure!(
                help = "another program may use the port; try --port 0 for a free one",
                "cannot listen on {addr}: {e}"
            )
        })?;
        let addr = http.server_addr().to_ip().unwrap_or(addr);
        let http = Arc::new(http);
        let shared = Arc::new(Shared { addr, out, live, streams: AtomicUsize::new(0) });
        let mut workers: Vec<JoinHandle<()>> = (0..WORKERS)
            .map(|_| {
                let (http, shared) = (http.clone(), shared.clone());
                std::thread::spawn(move || work(&http, &shared))
            })
            .collect();
        let live = shared.live.clone();
        workers.push(std::thread::spawn(move || nudge(addr, &live)));
        Ok(Server { http, workers, addr })
    }

    /// The address actually bound (with the real port when 0 was asked for).
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting requests and waits for the workers (call after [`Live::stop`]).
    pub(crate) fn shutdown(self) {
        for _ in &self.workers {
            self.http.unblock();
        }
        for w in self.workers {
            // A worker that panicked has nothing left to hand back; shutting down goes on.
            let _ = w.join();
        }
    }
}

fn work(http: &tiny_http::Server, shared: &Arc<Shared>) {
    while !shared.live.is_stopping() {
        // A failed accept or a broken connection is one client's problem; keep serving. A
        // client that hangs up mid-response is its own problem too.
        if let Ok(Some(request)) = http.recv_timeout(Duration::from_millis(500)) {
            let _ = handle(request, shared);
        }
    }
}

/// Opens and closes a connection to the server every [`NUDGE`]. tiny_http reads each
/// connection on a thread of its own pool, which hands a new connection to an idle thread by
/// count; when two connections arrive together and one idle thread takes a long-lived one (an
/// event stream, a browser's kept-alive connection), the other can wait in the pool's queue
/// until the next connection arrives. The nudge is that next connection, so no request waits
/// longer than this interval.
fn nudge(addr: SocketAddr, live: &Live) {
    let target = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => SocketAddr::from(([127, 0, 0, 1], addr.port())),
        ip if ip.is_unspecified() => SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, addr.port())),
        _ => addr,
    };
    while !live.is_stopping() {
        std::thread::sleep(NUDGE);
        // Only wakes a blocked accept; whether the connection succeeds does not matter.
        let _ = std::net::TcpStream::connect_timeout(&target, NUDGE);
    }
}

fn handle(request: Request, shared: &Arc<Shared>) -> std::io::Result<()> {
    let headers: usize = request.headers().iter().map(|h| h.field.as_str().as_str().len() + h.value.len()).sum();
    if headers > MAX_HEADERS {
        return request.respond(text(431, "request header fields too large\n"));
    }
    let host = request.headers().iter().find(|h| h.field.equiv("Host")).map(|h| h.value.as_str());
    if !route::host_allowed(host, shared.addr) {
        return request
            .respond(text(421, "misdirected request: open the preview at the address `aimsdoc serve` printed\n"));
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = add(text(405, "method not allowed\n"), "Allow", "GET, HEAD");
        return request.respond(response);
    }
    match route::parse(request.url()) {
        Err(Refused::BadRequest) => request.respond(text(400, "bad request\n")),
        Err(Refused::NotFound) => not_found(request, shared),
        Ok(Route::Internal(name)) => internal(request, &name, shared),
        Ok(Route::Site { segments, dir }) => site(request, &segments, dir, shared),
    }
}

fn internal(request: Request, name: &str, shared: &Arc<Shared>) -> std::io::Result<()> {
    match name {
        "reload.js" => {
            request.respond(bytes(200, overlay::RELOAD_JS.as_bytes().to_vec(), "text/javascript; charset=utf-8"))
        }
        "overlay.css" => {
            request.respond(bytes(200, overlay::OVERLAY_CSS.as_bytes().to_vec(), "text/css; charset=utf-8"))
        }
        "favicon.svg" => request.respond(bytes(200, overlay::FAVICON_SVG.to_vec(), "image/svg+xml")),
        "events" => events(request, shared),
        "errors" => {
            let (generation, mode) = shared.live.snapshot();
            let page = match mode {
                Mode::Banner { page, .. } | Mode::Blocked { page } => page.to_string(),
                Mode::Clean => overlay::clean_page(),
            };
            request.respond(html(200, &overlay::inject(&page, &generation, None)))
        }
        _ => request.respond(text(404, "not found\n")),
    }
}

fn site(request: Request, segments: &[String], dir: bool, shared: &Arc<Shared>) -> std::io::Result<()> {
    let (generation, mode) = shared.live.snapshot();
    let last = segments.last().map(String::as_str).unwrap_or("");
    let wants_html = dir || segments.is_empty() || last.ends_with(".html") || !last.contains('.');
    let site_path =
        if dir || segments.is_empty() { [segments, &["index.html".to_string()]].concat() } else { segments.to_vec() };
    let (banner, panel) = match &mode {
        Mode::Blocked { page } if wants_html => {
            return request.respond(html(200, &overlay::inject(page, &generation, None)));
        }
        Mode::Banner { banner, panels, .. } => {
            (Some(banner.as_str()), panels.get(&site_path.join("/")).map(String::as_str))
        }
        _ => (None, None),
    };
    match route::resolve(&shared.out, segments, dir) {
        Ok(Found::AddSlash) => {
            let target = format!(
                "/{}/",
                segments.iter().map(|s| crate::render::pages::encode_path(s)).collect::<Vec<_>>().join("/")
            );
            request.respond(add(text(301, "moved\n"), "Location", &target))
        }
        Ok(Found::File(path)) => file(request, &path, &generation, banner, panel),
        Err(_) => not_found(request, shared),
    }
}

fn file(
    request: Request,
    path: &Path,
    generation: &str,
    banner: Option<&str>,
    panel: Option<&str>,
) -> std::io::Result<()> {
    let kind = route::content_type(path);
    if kind.starts_with("text/html") {
        return match std::fs::read(path) {
            Ok(bytes) => {
                let page = String::from_utf8_lossy(&bytes);
                let page = match panel {
                    Some(panel) => std::borrow::Cow::Owned(overlay::inject_panel(&page, panel)),
                    None => page,
                };
                request.respond(html(200, &overlay::inject(&page, generation, banner)))
            }
            Err(_) => request.respond(text(404, "not found\n")),
        };
    }
    match std::fs::File::open(path) {
        Ok(f) => request.respond(with_common(Response::from_file(f), kind)),
        Err(_) => request.respond(text(404, "not found\n")),
    }
}

fn not_found(request: Request, shared: &Arc<Shared>) -> std::io::Result<()> {
    let (generation, _) = shared.live.snapshot();
    let page = overlay::not_found(request.url().split('?').next().unwrap_or(""));
    request.respond(html(404, &overlay::inject(&page, &generation, None)))
}

/// `/__aimsdoc/events?since=TOKEN&page=PATH`: a server-sent event stream that says `reload`
/// when a build changed the page at PATH after the generation TOKEN it was served at.
fn events(request: Request, shared: &Arc<Shared>) -> std::io::Result<()> {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return request.respond(text(503, "too many open event streams\n"));
    }
    let since = route::query_param(request.url(), "since").unwrap_or_default();
    let page = route::query_param(request.url(), "page").and_then(|p| route::site_path(&p));
    let shared = shared.clone();
    std::thread::spawn(move || {
        // A reader that goes away ends its stream; nothing to report.
        let _ = stream(request, &shared.live, since, page);
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    });
    Ok(())
}

fn stream(request: Request, live: &Live, since: String, page: Option<String>) -> std::io::Result<()> {
    let mut w = request.into_writer();
    // Written by hand: tiny_http would otherwise use chunked encoding, which some browsers
    // refuse for event streams.
    write!(w, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\n")?;
    write!(w, "retry: 1000\n\n")?;
    w.flush()?;
    // Without a page, any new build counts.
    let changed =
        |since: &str| page.as_deref().map_or_else(|| live.snapshot().0 != since, |p| live.page_changed(since, p));
    let (mut seen, _) = live.snapshot();
    if !since.is_empty() && changed(&since) {
        write!(w, "event: reload\ndata: {seen}\n\n")?;
        return w.flush();
    }
    loop {
        match live.wait(&seen, KEEP_ALIVE) {
            Wait::Changed(token) => {
                if changed(&seen) {
                    write!(w, "event: reload\ndata: {token}\n\n")?;
                }
                seen = token;
            }
            Wait::Timeout => write!(w, ": keep-alive\n\n")?,
            Wait::Stopped => return Ok(()),
        }
        w.flush()?;
    }
}

/// Adds a header; names and values here are fixed ASCII or percent-encoded, never raw input.
fn add<R: std::io::Read>(response: Response<R>, name: &str, value: &str) -> Response<R> {
    match Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        Ok(h) => response.with_header(h),
        Err(()) => response,
    }
}

fn with_common<R: std::io::Read>(response: Response<R>, kind: &str) -> Response<R> {
    let response = add(response, "Content-Type", kind);
    let response = add(response, "Cache-Control", "no-store");
    add(response, "X-Content-Type-Options", "nosniff")
}

fn bytes(status: u16, body: Vec<u8>, kind: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_common(Response::from_data(body), kind).with_status_code(StatusCode(status))
}

fn html(status: u16, page: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    bytes(status, page.as_bytes().to_vec(), "text/html; charset=utf-8")
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    bytes(status, body.as_bytes().to_vec(), "text/plain; charset=utf-8")
}
