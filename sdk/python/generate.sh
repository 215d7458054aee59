#!/usr/bin/env bash
# Regenerates the package src/sinergi_api from the committed OpenAPI document.
#
#   sdk/python/generate.sh [SPEC] [OUT_DIR]
#
# SPEC defaults to openapi/openapi.json at the repository root, OUT_DIR to
# sdk/python/src/sinergi_api. The output is deterministic for one generator and ruff version,
# which is why both are checked against requirements-dev.txt first; check-drift.sh relies on it.
# PYTHON selects the interpreter (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
spec="${1:-$here/../../openapi/openapi.json}"
out="${2:-$here/src/sinergi_api}"
python="${PYTHON:-python3}"

pinned() { sed -nE "s/^$1==([^ ]+).*/\1/p" "$here/requirements-dev.txt"; }
want_gen="$(pinned openapi-python-client)"
want_ruff="$(pinned ruff)"
# The post hooks in generator-config.yaml call `ruff`: take the one installed beside the
# generator, whatever else is on PATH.
scripts="$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
export PATH="$scripts:$PATH"

have_gen="$("$python" -c 'import importlib.metadata as m; print(m.version("openapi-python-client"))' 2>/dev/null || true)"
have_ruff="$(ruff --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$have_gen" != "$want_gen" || "$have_ruff" != "$want_ruff" ]]; then
  echo "generate.sh: need openapi-python-client $want_gen and ruff $want_ruff," \
    "found ${have_gen:-none} and ${have_ruff:-none}" >&2
  echo "  install them with: $python -m pip install -r $here/requirements-dev.txt" >&2
  exit 2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# Generate beside, then swap: a failed run leaves the committed package untouched.
"$python" -m openapi_python_client generate \
  --path "$spec" \
  --config "$here/generator-config.yaml" \
  --meta none \
  --output-path "$tmp/sinergi_api" >"$tmp/generator.log" 2>&1 || {
  cat "$tmp/generator.log" >&2
  exit 1
}
# The generator reports operations and schemas it could not handle as warnings and skips
# them; a silently thinner client is worse than a failed run.
if grep -qiE "warning|error|unable|skipp" "$tmp/generator.log"; then
  cat "$tmp/generator.log" >&2
  echo "generate.sh: the generator skipped part of the document (see above)" >&2
  exit 1
fi
# PEP 561: the generated code is fully annotated.
: >"$tmp/sinergi_api/py.typed"

rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$tmp/sinergi_api" "$out"
echo "generated $out from $spec"
