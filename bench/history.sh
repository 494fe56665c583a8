#!/usr/bin/env bash
# History benchmark: what reading the documents' git history costs.
#
#   bench/history.sh [N] [VERSIONS]     default: 1000 documents, 10 versions each
#   RUNS=5 bench/history.sh 1000 10     counted runs per mode (after one warm-up run)
#   BIN=target/debug/aimsdoc bench/history.sh   time this binary instead of a release build
#   CORPUS=/dev/shm/hist bench/history.sh       keep the repository there (reused when it exists)
#
# Generates the benchmark corpus (bench/gen_corpus.py, seed 42001), commits it into a fresh git
# repository VERSIONS times: VERSIONS-1 earlier versions of every document (version 0.K, status
# approved, one sentence more in the body each time), then the corpus as generated. So every
# document has VERSIONS versions and VERSIONS-1 superseded approved ones, each with a page and a
# redline. Times, with and without `--no-history`, `aimsdoc check` (history read, nothing
# rendered) and `aimsdoc build` (history read, plus a page and a redline per superseded version).
# Prints one Markdown table row per mode: median wall, median cpu (user + sys), peak RSS, pages.
# Needs python3, git and GNU time (/usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
n=${1:-1000}
versions=${2:-10}
runs=${RUNS:-5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
fi
bin="${BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/aimsdoc}"
corpus="${CORPUS:-$scratch/corpus}"
if [ -d "$corpus/.git" ]; then
  echo "reusing $corpus"
else
python3 "$here/gen_corpus.py" "$scratch/final" "$n" --seed 42001 --layout aimsdoc 2>/dev/null
printf '[review]\nmax_review_interval = "100y"\n' >> "$scratch/final/aimsdoc.toml"

mkdir -p "$corpus"
git -C "$corpus" init -q
git -C "$corpus" config user.name bench
git -C "$corpus" config user.email bench@example.invalid
git -C "$corpus" config commit.gpgsign false
for k in $(seq 1 $((versions - 1))); do
  rm -rf "${corpus:?}/documents"
  cp -R "$scratch/final/." "$corpus/"
  python3 - "$corpus/documents" "$k" <<'PY'
import os, re, sys
root, k = sys.argv[1], int(sys.argv[2])
for folder, _, files in os.walk(root):
    for name in files:
        path = os.path.join(folder, name)
        text = open(path, encoding="utf-8").read()
        text = re.sub(r'^version: .*$', 'version: "0.%d"' % k, text, count=1, flags=re.M)
        text = re.sub(r'^status: .*$', 'status: approved', text, count=1, flags=re.M)
        text += "".join("\nRevision %d of this text adds this sentence.\n" % j for j in range(1, k + 1))
        open(path, "w", encoding="utf-8").write(text)
PY
  git -C "$corpus" add -A
  GIT_AUTHOR_DATE="2026-0$(( (k % 9) + 1 ))-01T12:00:00+0000" GIT_COMMITTER_DATE="2026-0$(( (k % 9) + 1 ))-01T12:00:00+0000" \
    git -C "$corpus" commit -q -m "version 0.$k of every document"
done
rm -rf "${corpus:?}/documents"
cp -R "$scratch/final/." "$corpus/"
git -C "$corpus" add -A
git -C "$corpus" commit -q -m "the corpus as generated"
fi

time_mode() { # time_mode LABEL ARGS...
  local label=$1; shift
  local out="$scratch/out"
  "$bin" "$@" >/dev/null 2>&1 || { echo "aimsdoc $* fails on the corpus" >&2; exit 1; }
  : > "$scratch/times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %S %M' -a -o "$scratch/times" "$bin" "$@" >/dev/null 2>&1
  done
  local pages=0
  [ -d "$out" ] && pages=$(find "$out" -name '*.html' | wc -l)
  python3 - "$scratch/times" "$label" "$pages" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
print(f"| {sys.argv[2]} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {int(sys.argv[3]):,} |")
PY
  rm -rf "$out"
}

echo "$n documents, $versions versions each ($(git -C "$corpus" rev-list --count HEAD) commits)"
printf '| mode | median wall (s) | median cpu (s) | peak RSS (MiB) | pages |\n|---|---:|---:|---:|---:|\n'
time_mode "check --no-history" check "$corpus" --no-history
time_mode "check (history read)" check "$corpus"
time_mode "build --no-history" build "$corpus" --no-history --out "$scratch/out"
time_mode "build (history, old pages, redlines)" build "$corpus" --out "$scratch/out"
