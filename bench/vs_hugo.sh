#!/usr/bin/env bash
# Paired full-build benchmark: aimsdoc against Hugo on the same generated documents, alternating
# runs so both see the same machine load.
#
#   bench/vs_hugo.sh [N]                   default N = 10000
#   PAIRS=5 BIN=path/to/aimsdoc OUT=/dev/shm bench/vs_hugo.sh 10000
#
# Hugo is Debian's package (`apt-get install -y hugo`, v0.111.3 on bookworm) with the site in
# bench/hugo-site/ (a copy of the shared anchors' Hugo site: Goldmark, Chroma highlighting, a page
# per document printing every field and the source's SHA-256, the register on the home page,
# section, clause and tag pages). Both corpora come from bench/gen_corpus.py, seed 42001, one
# with `--layout aimsdoc`, one with `--layout hugo`: the same documents in each tool's layout.
#
# One warm-up run each, then PAIRS pairs (aimsdoc, Hugo). Hugo writes into one output folder
# without cleaning it, as in the anchors; aimsdoc builds a fresh site and swaps it in. Output
# goes to OUT (tmpfs by default: on the shared ext4 disk, the system time of re-creating 10,000
# files after deleting as many varies by seconds between runs). Prints each run, then the medians
# and the median of the per-pair wall ratios. Needs python3, GNU time (/usr/bin/time) and hugo.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
n=${1:-10000}
pairs=${PAIRS:-5}
out_root=${OUT:-/dev/shm}
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install -y hugo)" >&2; exit 1; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  BIN="${CARGO_TARGET_DIR:-$repo/target}/release/aimsdoc"
fi
scratch=$(mktemp -d "$out_root/aimsdoc-vs-hugo.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

python3 "$here/gen_corpus.py" "$scratch/aimsdoc" "$n" --seed 42001 --layout aimsdoc >/dev/null 2>&1
grep -q max_review_interval "$scratch/aimsdoc/aimsdoc.toml" ||
  printf '[review]\nmax_review_interval = "100y"\n' >>"$scratch/aimsdoc/aimsdoc.toml"
cp -R "$here/hugo-site/." "$scratch/hugo/"
python3 "$here/gen_corpus.py" "$scratch/hugo" "$n" --seed 42001 --layout hugo >/dev/null 2>&1

aimsdoc=("$BIN" build "$scratch/aimsdoc" --out "$scratch/site-aimsdoc")
hugo_build=(hugo --quiet -s "$scratch/hugo" -d "$scratch/site-hugo")
timed() { # timed LABEL CMD: appends "LABEL wall user sys maxrss_kib"
  /usr/bin/time -f "$1 %e %U %S %M" -a -o "$scratch/times" "${@:2}" >/dev/null 2>&1 ||
    { echo "$1 failed: run it by hand on $scratch" >&2; trap - EXIT; exit 1; }
}

"${aimsdoc[@]}" >/dev/null 2>&1 || { echo "aimsdoc build fails on the corpus: run aimsdoc check on it" >&2; exit 1; }
"${hugo_build[@]}" >/dev/null 2>&1
for _ in $(seq "$pairs"); do
  timed aimsdoc "${aimsdoc[@]}"
  timed hugo "${hugo_build[@]}"
done
cat "$scratch/times"
python3 - "$scratch/times" "$n" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for tool, *nums in rows:
    by.setdefault(tool, []).append(list(map(float, nums)))
print(f"\n| tool (N = {int(sys.argv[2]):,}) | median wall (s) | median user (s) | median sys (s) | peak RSS (MiB) |")
print("|---|---:|---:|---:|---:|")
for tool, rs in by.items():
    med = lambda k: statistics.median(r[k] for r in rs)
    print(f"| {tool} | {med(0):.2f} | {med(1):.2f} | {med(2):.2f} | {max(r[3] for r in rs) / 1024:.0f} |")
ratios = [a[0] / h[0] for a, h in zip(by["aimsdoc"], by["hugo"])]
print(f"\naimsdoc / Hugo wall, per pair: {', '.join(f'{r:.3f}' for r in ratios)}; median {statistics.median(ratios):.3f}")
PY
