#!/usr/bin/env python3
"""`aimsdoc serve` under load (issue 14, "Robustness"): CLIENTS concurrent keep-alive clients
for DURATION seconds against a preview of a large tree while documents are being edited.

    bench/gen_corpus.py /tmp/corpus 10000 --layout aimsdoc
    python3 bench/serve_load.py /tmp/corpus [--clients 200] [--duration 60] [--bin target/release/aimsdoc]

The script starts `aimsdoc serve CORPUS --port 0 --out OUT` (loopback only), waits for the
first build, then runs CLIENTS threads, each with one persistent HTTP/1.1 connection, asking
for random pages: document pages (a fifth of them the documents being edited), the home page,
the register and clause pages. Meanwhile an editor appends a paragraph to one of EDITED
documents every EDIT_GAP seconds, so the server re-renders while it serves.

It fails (exit 1) on any failed request: a connection error, a status other than 200, a body
shorter than its Content-Length, or an HTML page that does not end with `</html>` (a partially
written page). It prints requests/s, latency p50/p99/max (client side: Python threads, so the
figures include the load generator's own scheduling), and the server's RSS sampled every
second (first after warm-up, last, max). The edited documents are restored at the end and the
server (the one process group this script started) is stopped with SIGINT.
"""
import argparse
import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

EDITED = 50
EDIT_GAP = 0.2


def percentile(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def documents(corpus):
    """(path, id) of every document in the tree, sorted."""
    out = []
    for folder, _, names in os.walk(os.path.join(corpus, "documents")):
        for name in names:
            if name.endswith(".md"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    m = re.search(r"^id:\s*(\S+)", f.read(4096), re.M)
                if m:
                    out.append((path, m.group(1).strip("'\"")))
    return sorted(out)


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.failures = []

    def ok(self, seconds):
        with self.lock:
            self.latencies.append(seconds)

    def fail(self, what):
        with self.lock:
            self.failures.append(what)


def check_body(target, status, headers, body):
    """Why a response is a failure, or None."""
    if status != 200:
        return "%s: status %d" % (target, status)
    length = headers.get("content-length")
    if length is not None and int(length) != len(body):
        return "%s: %d of %s bytes" % (target, len(body), length)
    if target.endswith(".html") or target.endswith("/"):
        if not body.rstrip().endswith(b"</html>"):
            return "%s: a partial page (%d bytes, ends %r)" % (target, len(body), body[-40:])
    return None


def client(port, targets, hot, stop, stats, seed):
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        target = rnd.choice(hot) if rnd.random() < 0.2 else rnd.choice(targets)
        t0 = time.monotonic()
        try:
            conn.request("GET", target, headers={"Host": "127.0.0.1:%d" % port})
            resp = conn.getresponse()
            body = resp.read()
            headers = {k.lower(): v for k, v in resp.getheaders()}
        except Exception as e:  # noqa: BLE001 - every failure is counted, whatever it is
            stats.fail("%s: %s" % (target, e))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        why = check_body(target, resp.status, headers, body)
        if why:
            stats.fail(why)
        else:
            stats.ok(time.monotonic() - t0)
    conn.close()


def editor(docs, originals, stop, counter):
    i = 0
    while not stop.is_set():
        path = docs[i % len(docs)]
        with open(path, "ab") as f:
            f.write(b"\n\nEdited under load, pass %d.\n" % i)
        counter[0] += 1
        i += 1
        stop.wait(EDIT_GAP)


def start_server(a, out, log_path):
    log = open(log_path, "wb")
    cmd = [a.bin, "serve", a.corpus, "--port", "0", "--out", out]
    print("+", " ".join(cmd), file=sys.stderr)
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    end = time.monotonic() + a.timeout
    while True:
        text = open(log_path, "rb").read().decode("utf-8", "replace")
        m = re.search(r"serving on http://127\.0\.0\.1:(\d+)", text)
        if m:
            return proc, log, int(m.group(1))
        if time.monotonic() > end or proc.poll() is not None:
            raise SystemExit("initial build did not finish, see " + log_path)
        time.sleep(0.05)


def run_load(a, port, pid, targets, hot, edited):
    stats, stop, counter = Stats(), threading.Event(), [0]
    originals = {p: open(p, "rb").read() for p in edited}
    threads = [threading.Thread(target=client, args=(port, targets, hot, stop, stats, i)) for i in range(a.clients)]
    threads.append(threading.Thread(target=editor, args=(edited, originals, stop, counter)))
    rss = []
    t0 = time.monotonic()
    try:
        for t in threads:
            t.start()
        while time.monotonic() - t0 < a.duration:
            time.sleep(1)
            rss.append(rss_kib(pid))
        stop.set()
        for t in threads:
            t.join()
    finally:
        stop.set()
        for p, data in originals.items():
            with open(p, "wb") as f:
                f.write(data)
    return stats, rss, counter[0], time.monotonic() - t0


def report(stats, rss, edits, elapsed, a):
    n = len(stats.latencies)
    ms = [x * 1000 for x in stats.latencies]
    print("%d clients, %.0f s, %d edits: %d requests ok (%.0f/s), %d failed"
          % (a.clients, elapsed, edits, n, n / elapsed, len(stats.failures)))
    if ms:
        print("latency: p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (percentile(ms, 50), percentile(ms, 99), max(ms)))
    if len(rss) > 5:
        settled = rss[5:]
        print("server RSS: %d MiB after 5 s, %d MiB at the end, max %d MiB"
              % (settled[0] // 1024, settled[-1] // 1024, max(rss) // 1024))
    for f in stats.failures[:10]:
        print("  FAILED", f)
    return 1 if stats.failures or not ms else 0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "aimsdoc"))
    a = ap.parse_args()

    docs = documents(a.corpus)
    edited = [p for p, _ in docs[:EDITED]]
    hot = ["/documents/%s.html" % i for _, i in docs[:EDITED]]
    targets = ["/documents/%s.html" % i for _, i in docs] + ["/", "/register.html", "/clauses/7.5.html"]
    scratch = tempfile.mkdtemp(prefix="aimsdoc-serve-load-")
    log_path = os.path.join(scratch, "serve.log")
    proc, log, port = start_server(a, os.path.join(scratch, "site"), log_path)
    try:
        time.sleep(1)
        stats, rss, edits, elapsed = run_load(a, port, proc.pid, targets, hot, edited)
    finally:
        time.sleep(1)
        os.killpg(proc.pid, signal.SIGINT)  # only the server group this script started
        proc.wait()
        log.close()
    code = report(stats, rss, edits, elapsed, a)
    text = open(log_path, encoding="utf-8", errors="replace").read()
    print("server rebuilds during the run: %d" % len(re.findall(r"^rebuilt", text, re.M)))
    shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
