#!/usr/bin/env bash
# Evidence hashing benchmark: aimsdoc's streaming SHA-256 against GNU sha256sum on the same file.
#
#   bench/hash.sh                 1 GiB file, 5 counted runs each
#   SIZE_MIB=2048 RUNS=3 bench/hash.sh
#
# Builds a one-document tree whose only attachment is a SIZE_MIB file of random bytes, then
# times, with a warm page cache, `sha256sum FILE` and `aimsdoc verify SITE` (which hashes every
# file of the built site; the big file is >99.9% of the bytes), and records aimsdoc's peak RSS
# to show that memory does not grow with the file. Prints one Markdown table row per tool, and
# one for a whole `aimsdoc build` of that tree (the file is hashed, copied, and hashed again).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
size_mib=${SIZE_MIB:-1024}
runs=${RUNS:-5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$repo/target}/release/aimsdoc"
tree="$scratch/tree"
mkdir -p "$tree/documents" "$tree/evidence"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$tree/evidence/big.bin"
cat > "$tree/documents/rec.md" <<'DOC'
---
id: REC-001
title: Large evidence record
type: record
owner: Records Manager
version: "1.0"
status: draft
attachments: [big.bin]
record_date: 2026-01-08
retention: 7y
---
A record with one large attachment.
DOC
"$bin" build "$tree" --out "$scratch/site" >/dev/null 2>&1
file="$scratch/site/files/evidence/big.bin"
cat "$file" > /dev/null   # warm the page cache

measure() { # label, command...
  local label=$1; shift
  "$@" > /dev/null 2>&1   # warm-up
  : > "$scratch/times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -a -o "$scratch/times" "$@" > /dev/null 2>&1
  done
  python3 - "$scratch/times" "$size_mib" "$label" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
mib, label = int(sys.argv[2]), sys.argv[3]
wall = statistics.median(r[0] for r in rows)
rss = max(r[1] for r in rows) / 1024
print(f"| {label} | {mib:,} MiB | {wall:.2f} | {mib / wall:,.0f} | {rss:.1f} |")
PY
}

printf '| tool | file | median wall (s) | MiB/s | peak RSS (MiB) |\n|---|---:|---:|---:|---:|\n'
measure "sha256sum (GNU coreutils $(sha256sum --version | head -1 | awk '{print $NF}'))" sha256sum "$file"
measure "aimsdoc verify" "$bin" verify "$scratch/site"
# The whole build: hash the evidence, copy it into the site, hash the site for SHA256SUMS.
measure "aimsdoc build (hash + copy + SHA256SUMS)" "$bin" build "$tree" --out "$scratch/site"
