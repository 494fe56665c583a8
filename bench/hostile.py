#!/usr/bin/env python3
"""Hostile-input benchmark (issue 9, item 11): small content trees a pull request could send
that used to cost minutes or hundreds of megabytes. Generates each case, runs `aimsdoc check`
or `build` on it under GNU time and prints a Markdown table: wall seconds, peak RSS, exit code
and output size.

    bench/hostile.py                 # every case, one run each
    RUNS=3 bench/hostile.py titles   # median of 3 runs, only the named cases
    BIN=/path/to/aimsdoc bench/hostile.py   # another binary (e.g. an older release)

Cases: headings (one document with 100,000 identical headings), related (2,000 documents with
50 unknown `related` ids each), code (a 1 MiB Rust code block), titles (50 documents with 50 KB
titles, all related to each other), caps (200 documents at the caps: 300-character titles,
each related to the 199 others). Needs python3 and GNU time (/usr/bin/time). Builds the
release binary first (under CARGO_TARGET_DIR when set).
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def doc(doc_id, title, extra="", body="Body.\n"):
    return (
        f"---\nid: {doc_id}\ntitle: {title}\ntype: policy\nowner: Chief AI Officer\n"
        f'version: "1.0"\nstatus: draft\n{extra}---\n{body}'
    )


def write(root, name, text):
    path = os.path.join(root, "documents", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def headings(root):
    write(root, "a.md", doc("POL-001", "Headings", body="## Same\n\n" * 100_000))


def related(root):
    for i in range(2_000):
        ids = ", ".join(f"ZZ-{i:04}-{j:02}" for j in range(50))
        write(root, f"p{i:04}.md", doc(f"POL-{i:04}", f"Policy {i}", f"related: [{ids}]\n"))


def code(root):
    line = "fn main() { let v: Vec<u8> = vec![1, 2, 3]; println!(\"{v:?}\"); }\n"
    block = line * (1024 * 1024 // len(line))
    write(root, "a.md", doc("POL-001", "Code", body=f"```rust\n{block}```\n"))


def all_related(root, n, title_len):
    ids = [f"POL-{i:04}" for i in range(n)]
    for i, doc_id in enumerate(ids):
        others = ", ".join(o for o in ids if o != doc_id)
        title = f"T{i} " + "x" * (title_len - len(f"T{i} "))
        write(root, f"{doc_id}.md", doc(doc_id, title, f"related: [{others}]\n"))


CASES = {
    # name: (generator, commands to time)
    "headings": (headings, ["build"]),
    "related": (related, ["check"]),
    "code": (code, ["build"]),
    "titles": (lambda r: all_related(r, 50, 50_000), ["check", "build"]),
    "caps": (lambda r: all_related(r, 200, 300), ["build"]),
}


def du(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total


def run(binary, command, root, out, scratch):
    shutil.rmtree(out, ignore_errors=True)
    args = [binary, command, root] + (["--out", out] if command == "build" else [])
    timing = os.path.join(scratch, "time.txt")
    env = dict(os.environ, AIMSDOC_TODAY="2026-06-01", NO_COLOR="1")
    proc = subprocess.run(
        ["/usr/bin/time", "-v", "-o", timing] + args,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    fields = {}
    for line in open(timing, encoding="utf-8"):
        key, _, value = line.strip().rpartition(": ")
        fields[key] = value
    wall = fields["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
    seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall)))
    rss = int(fields["Maximum resident set size (kbytes)"]) / 1024
    size = du(out) if os.path.isdir(out) else 0
    return seconds, rss, proc.returncode, size


def main():
    wanted = sys.argv[1:] or list(CASES)
    runs = int(os.environ.get("RUNS", "1"))
    binary = os.environ.get("BIN")
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
        binary = os.path.join(target, "release", "aimsdoc")
    print("| case | command | input (MiB) | wall (s) | peak RSS (MiB) | exit | output (MiB) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in wanted:
        generate, commands = CASES[name]
        with tempfile.TemporaryDirectory() as scratch:
            root = os.path.join(scratch, "content")
            generate(root)
            size_in = du(root) / 2**20
            out = os.path.join(scratch, "site")
            for command in commands:
                results = [run(binary, command, root, out, scratch) for _ in range(runs)]
                wall = statistics.median(r[0] for r in results)
                rss = max(r[1] for r in results)
                code, size = results[-1][2], results[-1][3]
                shown = f"{size / 2**20:.1f}" if command == "build" else "-"
                print(f"| {name} | {command} | {size_in:.1f} | {wall:.2f} | {rss:.0f} | {code} | {shown} |")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
