#!/usr/bin/env bash
# Installs the npm packages the tests use (playwright-core for the browser test), once per lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in tests/e2e; do
  [[ -f "$dir/package-lock.json" ]] || continue
  stamp="$dir/node_modules/.installed-lock"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done
