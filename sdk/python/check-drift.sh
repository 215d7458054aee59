#!/usr/bin/env bash
# Fails when the committed src/sinergi_api differs from what the current
# openapi/openapi.json generates: run generate.sh and commit the result.
#
#   sdk/python/check-drift.sh [SPEC]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
spec="${1:-$here/../../openapi/openapi.json}"
committed="$here/src/sinergi_api"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/generate.sh" "$spec" "$tmp/sinergi_api" >/dev/null

# Bytecode caches are not part of the generated code.
exclude=(--exclude=__pycache__ --exclude='*.pyc')
if diff -r -q "${exclude[@]}" "$committed" "$tmp/sinergi_api" >"$tmp/summary"; then
  echo "check-drift: src/sinergi_api matches $spec"
  exit 0
fi
echo "check-drift: src/sinergi_api is out of date with $spec" >&2
sed -e "s|$tmp/sinergi_api|<generated>|g" -e "s|$committed|src/sinergi_api|g" "$tmp/summary" >&2
echo "--- diff (first 200 lines) ---" >&2
diff -r -u "${exclude[@]}" "$committed" "$tmp/sinergi_api" |
  sed -e "s|$tmp/sinergi_api|<generated>|g" -e "s|$committed|src/sinergi_api|g" | head -n 200 >&2 || true
echo "fix: sdk/python/generate.sh, then commit sdk/python/src/sinergi_api" >&2
exit 1
