#!/usr/bin/env bash
# Old against new on one machine that others share: alternating paired runs of two aimsdoc
# binaries on the same generated corpus, compared by the median of the per-pair ratios (a pair
# runs back to back, so slow drift in the machine's speed cancels out), and whether both build
# the same site.
#
#   bench/ab.sh OLD_BIN NEW_BIN [N]        default N = 10000
#   PAIRS=10 CMD=check bench/ab.sh old new 100000
#   CORPUS=/dev/shm/c10k bench/ab.sh old new   reuse a corpus (gen_corpus.py's aimsdoc layout)
#
# CMD is `build` (default) or `check`. Pairs alternate which binary runs first (ABBA), so neither
# always runs on a warmer cache. Prints each run, then per binary the median wall and CPU
# (user + sys) seconds with their range and the peak RSS, then the medians of new/old per pair.
# For `build`, it also compares the two sites byte for byte (only the random `.aimsdoc-site`
# token may differ) and fails if anything else does. Output goes under OUT (tmpfs by default).
# Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
default_n=10000 scratch_name=aimsdoc-ab
# shellcheck source=compare_setup.sh
source "$here/compare_setup.sh"
pairs=${PAIRS:-8}

run() { # run LABEL BIN: appends "LABEL wall user sys maxrss_kib"
  local args=("$cmd" "$corpus")
  [ "$cmd" = build ] && args+=(--out "$scratch/site-$1")
  /usr/bin/time -f "$1 %e %U %S %M" -a -o "$scratch/times" "$2" "${args[@]}" >/dev/null 2>&1 ||
    [ "$cmd" = check ] || { echo "$1 failed: $2 ${args[*]}" >&2; exit 1; }
}

run old "$old"
run new "$new"
: >"$scratch/times"
for k in $(seq "$pairs"); do
  if [ $((k % 2)) -eq 1 ]; then run old "$old"; run new "$new"; else run new "$new"; run old "$old"; fi
done
cat "$scratch/times"
python3 - "$scratch/times" <<'PY'
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {"old": [], "new": []}
for label, wall, user, sys_, rss in rows:
    by[label].append((float(wall), float(user) + float(sys_), int(rss) / 1024))
print("\n| binary | median wall (s) | wall range | median CPU (s) | CPU range | peak RSS (MiB) |")
print("|---|---:|---:|---:|---:|---:|")
for label, rs in by.items():
    w, c = [r[0] for r in rs], [r[1] for r in rs]
    print(f"| {label} | {st.median(w):.2f} | {min(w):.2f}-{max(w):.2f} | {st.median(c):.2f} | "
          f"{min(c):.2f}-{max(c):.2f} | {max(r[2] for r in rs):.0f} |")
pairs = list(zip(by["old"], by["new"]))
wall = st.median(n[0] / o[0] for o, n in pairs)
cpu = st.median(n[1] / o[1] for o, n in pairs)
print(f"\nnew / old per pair, median of {len(pairs)}: wall {wall:.3f}, CPU {cpu:.3f}")
PY
if [ "$cmd" = build ]; then
  if diff -r -x .aimsdoc-site "$scratch/site-old" "$scratch/site-new" >/dev/null; then
    echo "sites: identical (apart from .aimsdoc-site)"
  else
    echo "sites differ: diff -r -x .aimsdoc-site the two builds to see how" >&2
    exit 1
  fi
fi
