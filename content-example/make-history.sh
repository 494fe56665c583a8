#!/usr/bin/env bash
# make-history.sh DEST: replays the example's change history into a fresh git repository at DEST,
# so the portal's Versions tables, superseded version pages, redlines, `build --as-of` and
# `check --changed-since` have real commits to read.
#
# Every `history` entry of every document becomes one commit, dated on the entry's date and
# authored by its `by`: the document as it stood at that version (its `version`, the history up
# to that entry; an earlier version committed as approved on that date). The example records
# only what changed, not the earlier wording, so earlier versions carry today's text: their
# redlines show no changed words. A last commit brings every file to the example as it is now.
#
# Needs bash, awk and git. Writes nothing outside DEST (which must not exist yet).
#
#   content-example/make-history.sh /tmp/kestrel-aims
#   aimsdoc build /tmp/kestrel-aims --out /tmp/kestrel-portal
#   aimsdoc build /tmp/kestrel-aims --as-of 2026-06-30 --out /tmp/kestrel-june
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: make-history.sh DEST}
if [ -e "$dest" ]; then
  echo "make-history.sh: $dest exists; give a new folder" >&2
  exit 2
fi

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
git -C "$dest" init -q
git -C "$dest" config user.name "aimsdoc example"
git -C "$dest" config user.email "example@aimsdoc.invalid"
git -C "$dest" config commit.gpgsign false

commit() { # commit DATE AUTHOR MESSAGE
  local slug
  slug=$(printf '%s' "$2" | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '.' | sed 's/^\.//; s/\.$//')
  GIT_AUTHOR_NAME="$2" GIT_AUTHOR_EMAIL="${slug:-author}@example.invalid" \
    GIT_AUTHOR_DATE="$1T12:00:00+0000" GIT_COMMITTER_DATE="$1T12:00:00+0000" \
    git -C "$dest" commit -q --allow-empty -m "$3"
}

# The tree without documents or approvals first: configuration, evidence, README.
cd "$here"
first=$(grep -rh '^  - { version' documents | sed 's/^  - { version: "[^"]*", date: \([0-9-]*\),.*/\1/' | sort | head -1)
tar --exclude=./documents --exclude=./site --exclude=./approvals.lock --exclude=./make-history.sh -cf - . | tar -xf - -C "$dest"
git -C "$dest" add -A
commit "$first" "aimsdoc example" "Set up the AIMS content tree"

# One line per history entry: DATE <tab> VERSION <tab> BY <tab> FILE <tab> SUMMARY, oldest first.
events=$(find documents -name '*.md' | sort | while read -r f; do
  awk -v f="$f" '
    /^  - \{ version: / {
      match($0, /version: "[^"]*"/); v = substr($0, RSTART + 10, RLENGTH - 11)
      match($0, /, date: [0-9-]+/); d = substr($0, RSTART + 8, RLENGTH - 8)
      i = index($0, ", by: "); rest = substr($0, i + 6); j = index(rest, ", summary: ")
      b = substr(rest, 1, j - 1); s = substr(rest, j + 11); sub(/^"/, "", s); sub(/"? *\}$/, "", s)
      printf "%s\t%s\t%s\t%s\t%s\n", d, v, b, f, s
    }' "$f"
done | sort -t $'\t' -k1,1 -k4,4 -k2,2V)

# The document FILE as it stood at VERSION (approved on DATE unless it is today's version).
at_version() { # at_version FILE VERSION DATE
  local current
  current=$(awk '/^version:/ { v = $2; gsub(/"/, "", v); print v; exit }' "$1")
  awk -v v="$2" -v d="$3" -v cur="$([ "$2" = "$current" ] && echo 1 || echo 0)" '
    NR == 1 && /^---$/ { fm = 1; print; next }
    fm == 1 && /^---$/ { fm = 2; print; next }
    fm == 1 && block != "" && /^  / { if (block == "approval" && /^  date:/) { print "  date: " d; next } if (block == "drop") next; print; next }
    fm == 1 { block = "" }
    fm == 1 && /^history:/ { hist = 1; print; next }
    fm == 1 && hist && /^  - / { if (index($0, "version: \"" v "\"")) keep = 1; if (keep) print; next }
    fm == 1 && hist { hist = 0 }
    fm == 1 && /^version:/ { print "version: \"" v "\""; next }
    fm == 1 && cur == 0 && /^status:/ { print "status: approved"; next }
    fm == 1 && cur == 0 && /^effective:/ { print "effective: " d; next }
    fm == 1 && cur == 0 && /^approval:/ { block = "approval"; print; next }
    fm == 1 && cur == 0 && /^(obsolete|reviews):/ { block = "drop"; next }
    fm == 1 && cur == 0 && /^superseded_by:/ { next }
    { print }
  ' "$1"
}

while IFS=$'\t' read -r date version by file summary; do
  mkdir -p "$dest/$(dirname "$file")"
  at_version "$file" "$version" "$date" > "$dest/$file"
  git -C "$dest" add -- "$file"
  commit "$date" "$by" "$(basename "$file" .md) $version: $summary"
done <<< "$events"

# Today's state: every file as in the example, with the approvals ledger.
tar --exclude=./site --exclude=./make-history.sh -cf - . | tar -xf - -C "$dest"
git -C "$dest" add -A
commit "2026-11-27" "aimsdoc example" "Approvals ledger and reviews as of 2026-11-27"
echo "replayed $(printf '%s\n' "$events" | grep -c .) history entries into $dest ($(git -C "$dest" rev-list --count HEAD) commits)"
