#!/usr/bin/env bash
# What does token verification cost? One run, one release binary, one oha client:
#   A: GET /healthz         - unprotected, returns a tiny JSON body, no database
#   B: GET /v1/whoami       - the same kind of handler behind the Caller extractor
#                             (JWT check, client-enabled check, rate limit)
# Both requests carry the same Authorization header, so client and server handle the same
# bytes and the difference is what verification costs. The ratio B/A is the share of
# throughput that survives authentication.
#
#   bench/auth.sh [DURATION] [CONNECTIONS]        (defaults: 15s, 32)
# Needs oha (cargo install oha). Writes bench/results/auth.json.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15s}
connections=${2:-32}
command -v oha >/dev/null || { echo "oha is missing: cargo install oha"; exit 1; }

cargo build --release --quiet
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
# Rate limits far above what one client can send, so they do not cap the measurement.
(cd "$work" && SINERGI_BIND=127.0.0.1:0 SINERGI_LOG=warn SINERGI_RATE_PER_SECOND=1000000000.0 \
    SINERGI_RATE_BURST=1000000000 "$OLDPWD/target/release/sinergi" serve --demo >"$work/out" 2>&1) &
pid=$!
for _ in $(seq 1 120); do
    base=$(sed -n 's/^Sinergi demo is running at //p' "$work/out")
    [ -n "$base" ] && break
    sleep 0.5
done
[ -n "$base" ] || { cat "$work/out"; exit 1; }

token=$(curl -s -u demo-kemensos:demo-kemensos-DEMO-SECRET-not-for-production \
    -d grant_type=client_credentials "$base/oauth/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
curl -sf -H "Authorization: Bearer $token" "$base/v1/whoami" >/dev/null

run() { oha --no-tui --output-format json -z "$duration" -c "$connections" "$@"; }
auth=(-H "Authorization: Bearer $token")
run "${auth[@]}" "$base/healthz" >/dev/null   # warm-up
run "${auth[@]}" "$base/healthz" >"$work/a.json"
run "${auth[@]}" "$base/v1/whoami" >"$work/b.json"

mkdir -p bench/results
python3 - "$work/a.json" "$work/b.json" "$duration" "$connections" <<'PY' | tee bench/results/auth.json
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
def row(r):
    s = r["summary"]
    codes = r.get("statusCodeDistribution", {})
    return {"rps": round(s["requestsPerSec"]), "p50_ms": round(r["latencyPercentiles"]["p50"] * 1e3, 3),
            "p99_ms": round(r["latencyPercentiles"]["p99"] * 1e3, 3), "status": codes}
out = {"duration": sys.argv[3], "connections": int(sys.argv[4]),
       "unprotected_healthz": row(a), "protected_whoami": row(b)}
out["ratio_protected_to_unprotected"] = round(out["protected_whoami"]["rps"] / out["unprotected_healthz"]["rps"], 3)
print(json.dumps(out, indent=2))
PY
