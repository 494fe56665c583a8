#!/usr/bin/env python3
"""Latency of `aimsdoc lsp` diagnostics after a keystroke.

    python3 bench/lsp_latency.py CORPUS [--runs 60] [--gap 0.3] [--bin target/release/aimsdoc]

CORPUS is a tree from `bench/gen_corpus.py DIR N --seed 42001 --layout aimsdoc` (plus
`max_review_interval = "100y"` as in bench/run.sh). The script starts `aimsdoc lsp --root CORPUS`
as an editor would (JSON-RPC over stdin/stdout, Content-Length framing), opens one document
(documents/policies/pol-00001.md), then RUNS times sends one keystroke as an incremental
`didChange`: a character typed at the end of the `status` value, then deleted again, so every
keystroke flips one finding (ID006, unknown status) and the server must publish. For each it
records:

  * keystroke -> diagnostics: from sending the change to reading the `publishDiagnostics` for
    the document, as the editor sees it; it includes the server's debounce (20 ms: the check
    waits until typing pauses);
  * check: the server's own figure for that check (its stderr log line), i.e. re-parsing the
    buffer, re-linking it (the graph is patched, not rebuilt: `graph::relink`), re-assessing and
    re-validating (a front matter edit such as this one re-runs every rule; a body edit only the
    rules of the documents it can affect) and publishing.

It prints p50/p95/min/max of both. Keystrokes are GAP seconds apart, longer than the debounce, so
each one is checked on its own. The server (the one process this script started) is shut down
with the protocol's shutdown/exit at the end.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import queue

DOC = os.path.join("documents", "policies", "pol-00001.md")
CHECKED = re.compile(r"checked \d+ changed file\(s\) in ([0-9.]+) ms \((\d+) documents\)")


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def reader(stream, out):
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                out.put(None)
                return
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        out.put((time.monotonic(), json.loads(stream.read(length))))


def stderr_reader(stream, out):
    for line in iter(stream.readline, b""):
        m = CHECKED.search(line.decode(errors="replace"))
        if m:
            out.put(float(m.group(1)))


def wait(messages, pred, timeout=120):
    end = time.monotonic() + timeout
    while True:
        item = messages.get(timeout=max(0.0, end - time.monotonic()))
        if item is None:
            sys.exit("the server stopped")
        if pred(item[1]):
            return item


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--gap", type=float, default=0.3)
    ap.add_argument("--bin", default=os.path.join("target", "release", "aimsdoc"))
    a = ap.parse_args()
    root = os.path.abspath(a.corpus)
    path = os.path.join(root, DOC)
    uri = "file://" + path
    text = open(path, encoding="utf-8").read()
    line_no = next(i for i, l in enumerate(text.split("\n")) if l.startswith("status:"))
    col = len(text.split("\n")[line_no])

    proc = subprocess.Popen([a.bin, "lsp", "--root", root], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    messages, checks = queue.Queue(), queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, messages), daemon=True).start()
    threading.Thread(target=stderr_reader, args=(proc.stderr, checks), daemon=True).start()
    started = time.monotonic()
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    wait(messages, lambda m: m.get("id") == 1)
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    # The loop answers requests only after the initial check: this one marks its end.
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
    wait(messages, lambda m: m.get("id") == 2)
    print(f"initial check: {time.monotonic() - started:.2f} s", file=sys.stderr)
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    time.sleep(1.0)
    while not checks.empty():
        checks.get()

    e2e, server = [], []
    for i in range(a.runs):
        typed = i % 2 == 0
        rng = {"start": {"line": line_no, "character": col}, "end": {"line": line_no, "character": col + (0 if typed else 1)}}
        change = {"range": rng, "text": "x" if typed else ""}
        t0 = time.monotonic()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": i + 2}, "contentChanges": [change]}})
        t1, msg = wait(messages, lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        has = any(d.get("code") == "ID006" for d in msg["params"]["diagnostics"])
        if has != typed:
            sys.exit(f"keystroke {i}: expected ID006 {'present' if typed else 'gone'}")
        e2e.append((t1 - t0) * 1000)
        server.append(checks.get(timeout=10))
        time.sleep(a.gap)

    send(proc, {"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
    wait(messages, lambda m: m.get("id") == 3)
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=30)
    for name, values in (("keystroke -> diagnostics (ms, incl. 20 ms debounce)", e2e), ("check (server, ms)", server)):
        print(f"{name}: p50 {statistics.median(values):.1f}  p95 {pct(values, 95):.1f}  min {min(values):.1f}  max {max(values):.1f}  (n={len(values)})")


if __name__ == "__main__":
    main()
