#!/usr/bin/env bash
# Full-build benchmark: generates synthetic corpora and times `aimsdoc build` on them.
#
#   bench/run.sh [N ...]            default: 1000 10000
#   RUNS=5 bench/run.sh 10000       counted runs per size (after one warm-up run)
#   BIN=path/to/aimsdoc bench/run.sh  time that binary instead of building one
#
# Prints, per N: median wall seconds, median CPU seconds (user+sys), peak RSS (MiB) and
# documents per second. Corpora come from bench/gen_corpus.py (a copy of the shared corpus
# generator, seed 42001, aimsdoc layout), so figures compare with Hugo/Zola/mdBook on the same
# documents. Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
runs=${RUNS:-5}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

if [ -n "${BIN:-}" ]; then
  bin=$BIN
else
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  bin="${CARGO_TARGET_DIR:-$repo/target}/release/aimsdoc"
fi
printf '| N | median wall (s) | median cpu (s) | peak RSS (MiB) | docs/s | pages |\n|---:|---:|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
  corpus="$scratch/corpus-$n"
  python3 "$here/gen_corpus.py" "$corpus" "$n" --seed 42001 --layout aimsdoc 2>/dev/null
  printf '[review]\nmax_review_interval = "100y"\n' >> "$corpus/aimsdoc.toml"
  out="$scratch/out-$n"
  # warm-up; a corpus the rules refuse would time a failed build, so stop there
  "$bin" build "$corpus" --out "$out" >/dev/null 2>&1 || { echo "aimsdoc build fails on the $n-document corpus: run aimsdoc check on it" >&2; exit 1; }
  : > "$scratch/times-$n"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %U %S %M' -a -o "$scratch/times-$n" "$bin" build "$corpus" --out "$out" >/dev/null 2>&1
  done
  pages=$(find "$out" -name '*.html' | wc -l)
  python3 - "$scratch/times-$n" "$n" "$pages" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
n, pages = int(sys.argv[2]), int(sys.argv[3])
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
print(f"| {n:,} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {n / wall:,.0f} | {pages:,} |")
PY
done
