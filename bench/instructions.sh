#!/usr/bin/env bash
# Old against new by instructions executed, not seconds: each binary builds (or checks) the same
# generated corpus once under valgrind's cachegrind, which counts every instruction. The count
# does not move with the machine's load, so a change of 1% shows in one run where timing needs
# dozens of pairs (bench/ab.sh). It is a proxy: it does not see cache misses, the kernel's work
# (file creation, page faults) or the second core, so confirm a real gain with ab.sh.
#
#   bench/instructions.sh OLD_BIN NEW_BIN [N]     default N = 2000 (about 2 minutes a binary)
#   CMD=check CORPUS=/dev/shm/c2k bench/instructions.sh old new
#
# SHA-256 is reported apart: under valgrind the CPU's SHA extensions are hidden, so sha2 falls
# back to its portable assembly, which then costs 40% of the instructions instead of the 3% of
# the time it takes natively. Prints, per binary, all instructions and those outside SHA-256,
# then new/old for both. Needs python3, valgrind and cg_annotate (Debian's valgrind package).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 2 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install -y valgrind)" >&2; exit 1; }
default_n=2000 scratch_name=aimsdoc-instr
# shellcheck source=compare_setup.sh
source "$here/compare_setup.sh"

count() { # count LABEL BIN: prints "LABEL total outside_sha256"
  local args=("$cmd" "$corpus")
  [ "$cmd" = build ] && args+=(--out "$scratch/site-$1")
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$scratch/$1.cg" \
    "$2" "${args[@]}" >/dev/null 2>"$scratch/$1.log" ||
    [ "$cmd" = check ] || { echo "$1 failed: $2 ${args[*]} (see $scratch/$1.log)" >&2; trap - EXIT; exit 1; }
  cg_annotate "$scratch/$1.cg" 2>/dev/null | python3 -c '
import re, sys
label = sys.argv[1]
total = sha = 0
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)", line)
    if not m:
        continue
    n, what = int(m.group(1).replace(",", "")), m.group(2)
    if what.startswith("PROGRAM TOTALS"):
        total = n
    elif "sha256" in what.lower() or "sha2-asm" in what or "sha2::" in what:
        sha += n
print(label, total, total - sha)
' "$1"
}

# Counted in this shell, not in a pipeline's subshell: a failing count must keep the scratch folder.
count old "$old" >"$scratch/counts"
count new "$new" >>"$scratch/counts"
python3 -c '
import sys
rows = {l.split()[0]: list(map(int, l.split()[1:])) for l in sys.stdin if l.strip()}
(o_all, o_rest), (n_all, n_rest) = rows["old"], rows["new"]
print("| binary | instructions | outside SHA-256 |")
print("|---|---:|---:|")
for name, (a, r) in (("old", rows["old"]), ("new", rows["new"])):
    print(f"| {name} | {a:,} | {r:,} |")
print(f"\nnew / old: all {n_all / o_all:.4f}, outside SHA-256 {n_rest / o_rest:.4f}")
' <"$scratch/counts"
