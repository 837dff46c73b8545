#!/usr/bin/env bash
# Installs the npm packages of each folder given (default: all of them), once per lock file: playwright-core for
# the browser tests (tests/e2e), esbuild and typescript for the TypeScript SDK (sdk/js).
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in ${*:-tests/e2e sdk/js}; do
  [[ -f "$dir/package-lock.json" ]] || continue
  stamp="$dir/node_modules/.installed-lock"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done
