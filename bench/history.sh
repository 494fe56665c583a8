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
# Runs each pair of modes alternately (A, B, A, B, ...) so that other load falls on both alike.
# Prints one Markdown table row per mode: median wall, median cpu (user + sys), peak RSS, pages.
# Paths must not contain spaces (the modes' arguments are split on them).
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

# One timed run of aimsdoc, appended to file $1 as "wall user sys maxrss_kb".
timed() {
  local file=$1; shift
  /usr/bin/time -f '%e %U %S %M' -a -o "$file" "$bin" "$@" >/dev/null 2>&1
}

# pair LABEL_A LABEL_B "ARGS_A" "ARGS_B": RUNS alternating runs (A, B, A, B, ...) after one
# warm-up of each, so that load from other processes falls on both modes alike; one row each.
pair() {
  local label_a=$1 label_b=$2 args_a=$3 args_b=$4 out="$scratch/out"
  # shellcheck disable=SC2086
  "$bin" $args_a >/dev/null 2>&1 || { echo "aimsdoc $args_a fails on the corpus" >&2; exit 1; }
  # shellcheck disable=SC2086
  "$bin" $args_b >/dev/null 2>&1 || { echo "aimsdoc $args_b fails on the corpus" >&2; exit 1; }
  : > "$scratch/a"; : > "$scratch/b"
  for _ in $(seq "$runs"); do
    rm -rf "$out"
    # shellcheck disable=SC2086
    timed "$scratch/a" $args_a
    local pages_a=0; [ -d "$out" ] && pages_a=$(find "$out" -name '*.html' | wc -l)
    rm -rf "$out"
    # shellcheck disable=SC2086
    timed "$scratch/b" $args_b
    local pages_b=0; [ -d "$out" ] && pages_b=$(find "$out" -name '*.html' | wc -l)
  done
  rm -rf "$out"
  row "$scratch/a" "$label_a" "$pages_a"
  row "$scratch/b" "$label_b" "$pages_b"
}

row() { # row TIMES LABEL PAGES
  python3 - "$@" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
print(f"| {sys.argv[2]} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {int(sys.argv[3]):,} |")
PY
}

echo "$n documents, $versions versions each ($(git -C "$corpus" rev-list --count HEAD) commits), $runs paired runs"
printf '| mode | median wall (s) | median cpu (s) | peak RSS (MiB) | pages |\n|---|---:|---:|---:|---:|\n'
pair "check --no-history" "check (history read)" "check $corpus --no-history" "check $corpus"
pair "build --no-history" "build (history, old pages, redlines)" \
  "build $corpus --no-history --out $scratch/out" "build $corpus --out $scratch/out"
