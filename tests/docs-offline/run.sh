#!/usr/bin/env bash
# Starts the demo server from the built binary on a throw-away SQLite database and checks in
# headless Chromium that /docs renders with no request leaving 127.0.0.1.
#   tests/docs-offline/run.sh [BINARY] [SCREENSHOT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=$(realpath "${1:-$here/../../target/debug/sinergi}")
screenshot=$(realpath -m "${2:-$(mktemp -d)/docs.png}")
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

(cd "$here" && npm ci --silent --no-audit --no-fund)
(cd "$work" && SINERGI_BIND=127.0.0.1:0 SINERGI_LOG=warn exec "$binary" serve --demo >"$work/out" 2>&1) &
pid=$!
for _ in $(seq 1 120); do
    base=$(sed -n 's/^Sinergi demo is running at //p' "$work/out")
    [ -n "$base" ] && break
    sleep 0.5
done
[ -n "$base" ] || { cat "$work/out"; echo "the demo server did not start"; exit 1; }
node "$here/check.mjs" "$base" "$screenshot"
echo "screenshot: $screenshot"
