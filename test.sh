#!/usr/bin/env bash
# The test command (README.md, "Quick start"; `.ci/run` calls it too): installs what the tests
# need when it is missing (Debian's chromium for the browser tests; the browser suite's npm
# packages), then runs the Rust unit, integration and CLI tests and the browser tests in headless
# Chromium. Extra arguments go to `cargo test` (e.g. `./test.sh rules`).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: chromium is missing; installing Debian's package (apt-get install -y chromium)" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "test.sh: not root and no sudo: install chromium yourself (apt-get install -y chromium)" >&2
      exit 1
    fi
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq chromium >/dev/null
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: npm is missing: install Node.js 18 or newer (apt-get install -y nodejs npm)" >&2
  exit 1
fi

cargo test --locked "$@"
npm --prefix tests/browser ci --no-audit --no-fund
npm --prefix tests/browser test
