#!/usr/bin/env bash
# Starts `sinergi serve --demo` on a free local port over a fresh SQLite database, runs the
# SDK's tests against it (SINERGI_URL), and stops the server again.
#
#   sdk/python/test-against-demo.sh [SINERGI_BINARY] [pytest args...]
#
# SINERGI_BINARY defaults to target/debug/sinergi at the repository root. PYTHON selects the
# interpreter (default python3), which needs the packages of pyproject.toml and
# requirements-dev.txt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
binary="$(realpath "${1:-$here/../../target/debug/sinergi}")"
shift || true
python="${PYTHON:-python3}"

work="$(mktemp -d)"
chmod 700 "$work"
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"

(cd "$work" && exec env SINERGI_BIND="127.0.0.1:$port" \
  SINERGI_DATABASE_URL="sqlite://$work/sinergi.db" \
  "$binary" serve --demo) >"$work/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ready=""
for _ in $(seq 1 150); do
  if "$python" -c "import urllib.request as u; u.urlopen('$url/readyz', timeout=1)" 2>/dev/null; then
    ready=yes
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    cat "$work/server.log" >&2
    echo "test-against-demo: the server exited" >&2
    exit 1
  fi
  sleep 0.2
done
if [[ -z "$ready" ]]; then
  cat "$work/server.log" >&2
  echo "test-against-demo: the server was not ready within 30 s" >&2
  exit 1
fi

SINERGI_URL="$url" "$python" -m pytest "$here/tests" "$@"
