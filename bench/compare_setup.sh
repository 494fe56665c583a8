# Sourced by the old-against-new scripts (ab.sh, instructions.sh) after they set `here` (their
# folder), `default_n` and `scratch_name`: reads OLD_BIN NEW_BIN [N] and CMD, checks that both
# binaries run, makes the scratch folder under OUT (tmpfs by default; removed on exit), and sets
# `corpus`: CORPUS when given, else a fresh generated corpus of N documents (seed 42001,
# `--layout aimsdoc`, review interval 100y for the generator's review dates in 2099).
old=$1 new=$2 n=${3:-$default_n}
cmd=${CMD:-build}
case $cmd in build | check) ;; *) echo "CMD must be build or check" >&2; exit 2 ;; esac
for bin in "$old" "$new"; do [ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }; done
scratch=$(mktemp -d "${OUT:-/dev/shm}/$scratch_name.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

corpus=${CORPUS:-}
if [ -z "$corpus" ]; then
  corpus=$scratch/corpus
  python3 "$here/gen_corpus.py" "$corpus" "$n" --seed 42001 --layout aimsdoc >/dev/null 2>&1
  printf '[review]\nmax_review_interval = "100y"\n' >>"$corpus/aimsdoc.toml"
fi
export AIMSDOC_TODAY=${AIMSDOC_TODAY:-2026-11-29}
