#!/usr/bin/env python3
"""Incremental-rebuild latency of `aimsdoc serve` (the method of shared/bench/incremental.py,
used there for Hugo and Zola, adapted to aimsdoc).

    python3 bench/incremental.py CORPUS [--runs 30] [--gap 0.5] [--bin target/release/aimsdoc]

CORPUS is a tree from `bench/gen_corpus.py DIR N --layout aimsdoc`. The script starts
`aimsdoc serve CORPUS --port 0 --out OUT`, waits for the initial build, then RUNS times appends a
unique marker paragraph to one document (documents/policies/pol-00001.md) and polls (every
2 ms) that document's page on disk until the marker shows up. The figure is edit -> updated
HTML on disk, so it includes the file watcher's debounce window. It prints p50/p95/min/max and
the server's own "rebuilt in" lines, and (the server runs with AIMSDOC_TRACE=1) the median of
each traced phase of a rebuild (servers that do not trace print none). The edited document is restored at the end and the
server (the one process group this script started) is stopped with SIGINT, and its scratch
output folder removed (kept, and its log's path printed, with KEEP_LOG=1 in the environment).
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

DOC = os.path.join("documents", "policies", "pol-00001.md")
PAGE = os.path.join("documents", "POL-00001.html")


def wait_for(path, needle, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with open(path, "rb") as f:
                if needle in f.read():
                    return time.monotonic()
        except OSError:
            pass
        time.sleep(0.002)
    return None


def percentile(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * (len(xs) - 1))))
    return xs[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--gap", type=float, default=0.5, help="seconds between edits (let the rebuild finish)")
    ap.add_argument("--timeout", type=float, default=300)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "aimsdoc"))
    a = ap.parse_args()

    src = os.path.join(a.corpus, DOC)
    original = open(src, "rb").read()
    scratch = tempfile.mkdtemp(prefix="aimsdoc-incremental-")
    out = os.path.join(scratch, "site")
    log_path = os.path.join(scratch, "serve.log")
    log = open(log_path, "wb")
    cmd = [a.bin, "serve", a.corpus, "--port", "0", "--out", out]
    print("+", " ".join(cmd), file=sys.stderr)
    t0 = time.monotonic()
    env = dict(os.environ, AIMSDOC_TRACE="1")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env)
    results = []
    try:
        end = time.monotonic() + a.timeout
        while b"serving on" not in open(log_path, "rb").read():
            if time.monotonic() > end or proc.poll() is not None:
                raise SystemExit("initial build did not finish, see " + log_path)
            time.sleep(0.01)
        page = os.path.join(out, PAGE)
        if wait_for(page, b"</html>", a.timeout) is None:
            raise SystemExit("page not rendered, see " + log_path)
        print("initial build (start -> serving): %.2f s" % (time.monotonic() - t0))
        time.sleep(1)  # let the watcher settle
        for i in range(a.runs):
            marker = b"rebuildmarker%d%d" % (os.getpid(), i)
            t_edit = time.monotonic()
            with open(src, "ab") as f:
                f.write(b"\n\n" + marker + b"\n")
            t_done = wait_for(page, marker, a.timeout)
            if t_done is None:
                print("run %d: marker never appeared" % i)
                break
            results.append(t_done - t_edit)
            time.sleep(a.gap)
    finally:
        with open(src, "wb") as f:
            f.write(original)
        time.sleep(1)
        os.killpg(proc.pid, signal.SIGINT)  # only the server group this script started
        proc.wait()
        log.close()
    if results:
        ms = [r * 1000 for r in results]
        print("edit -> page on disk over %d runs: p50 %.1f ms, p95 %.1f ms (min %.1f, max %.1f, mean %.1f)"
              % (len(ms), percentile(ms, 50), percentile(ms, 95), min(ms), max(ms), statistics.mean(ms)))
    text = open(log_path, encoding="utf-8", errors="replace").read()
    rebuilt = [float(m) for m in re.findall(r"^rebuilt in (\d+) ms", text, re.M)]
    if rebuilt:
        print("server 'rebuilt in' (whole rebuild, all pages): p50 %.0f ms, p95 %.0f ms over %d rebuilds"
              % (percentile(rebuilt, 50), percentile(rebuilt, 95), len(rebuilt)))
    phases = {}
    for line in re.findall(r"^trace: (.*)$", text, re.M):
        for name, ms in re.findall(r"([a-z ]+?) ([0-9.]+) ms", line):
            phases.setdefault(name.strip(), []).append(float(ms))
    if phases:
        print("server phases, median ms: " + ", ".join("%s %.1f" % (k, statistics.median(v)) for k, v in phases.items()))
    for line in re.findall(r"^(?:built|rebuilt).*$", text, re.M)[:3]:
        print("  server:", line.strip())
    if os.environ.get("KEEP_LOG"):
        print("server log:", log_path)
    else:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
