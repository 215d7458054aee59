#!/usr/bin/env bash
# Starts the demo server from the built binary on a throw-away SQLite database and drives
# the console in headless Chromium as each demo person (check.mjs), after the unit tests of
# the Audit page's verifier (audit-verify.test.mjs).
#   tests/console/run.sh [BINARY] [SCREENSHOT_DIR]
# The screenshots go to a temporary directory unless one is given; to regenerate the
# documentation's: tests/console/run.sh target/debug/sinergi docs/console
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=$(realpath "${1:-$here/../../target/debug/sinergi}")
shots=$(realpath -m "${2:-$(mktemp -d)}")
mkdir -p "$shots"
work=$(mktemp -d)
pid=
# The server is stopped and waited for before its database is removed.
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

(cd "$here" && npm ci --silent --no-audit --no-fund)
node --test --test-reporter=dot "$here/audit-verify.test.mjs"

(cd "$work" && SINERGI_BIND=127.0.0.1:0 SINERGI_LOG=warn exec "$binary" serve --demo >"$work/out" 2>&1) &
pid=$!
base=
for _ in $(seq 1 120); do
    base=$(sed -n 's/^Sinergi demo is running at //p' "$work/out")
    [ -n "$base" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
done
[ -n "$base" ] || { cat "$work/out"; echo "the demo server did not start"; exit 1; }
node "$here/check.mjs" "$base" "$shots" || {
    echo "--- the server's warnings and errors:"
    grep -E '"level":"(WARN|ERROR)"|panicked' "$work/out" | tail -n 20 || true
    exit 1
}
echo "screenshots: $shots"
