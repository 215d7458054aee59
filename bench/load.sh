#!/usr/bin/env bash
# Sustained mixed load on PostgreSQL with auditing on: does the exchange hold a nightly sync
# beside its readers, with no error? One release binary, `serve --demo` on a fresh database,
# then examples/bench_load.rs for SECONDS with CONNECTIONS workers, each drawing at random:
# 60 % search by NIK, 20 % read by id (80 % reads), 15 % single publish, 5 % batch of 100.
# Reports per operation throughput, p50/p99/p99.9/max latency and errors (any unexpected
# status), the service's peak RSS, that every audit entry reached the tree, and plots the
# latency distributions.
#   bench/load.sh [SECONDS] [CONNECTIONS]        (defaults: 60, 64)
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), psql, python3. Writes
# bench/results/load.json and docs/load-latency.svg. Creates and drops the database
# sinergi_bench_load (kept with KEEP_DATABASES=1).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
connections=${2:-64}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
if ! pg_isready -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
fi
cargo build --release --quiet --bin sinergi --example bench_load
bin=$PWD/target/release/sinergi
work=$(mktemp -d)
pid=
trap 'set +e; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
sql() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
db=sinergi_bench_load
sql -d postgres -c "DROP DATABASE IF EXISTS $db"
sql -d postgres -c "CREATE DATABASE $db"
kek=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
(cd "$work" && exec env SINERGI_DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db" \
    SINERGI_KEY_ENCRYPTION_KEY="$kek" SINERGI_BIND=127.0.0.1:0 SINERGI_LOG=warn \
    SINERGI_RATE_PER_SECOND=1000000000.0 SINERGI_RATE_BURST=1000000000 \
    "$bin" serve --demo >"$work/out" 2>&1) &
pid=$!
base=
for _ in $(seq 1 240); do
    base=$(sed -n 's/^Sinergi demo is running at //p' "$work/out")
    [ -n "$base" ] && break
    sleep 0.5
done
[ -n "$base" ] || { cat "$work/out"; exit 1; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
target/release/examples/bench_load "$base" "$seconds" "$connections" "$work/load.json" docs/load-latency.svg >/dev/null
hwm=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$pid/status")
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
entries=$(sql -d $db -c "SELECT count(*) FROM audit_entries")
queued=$(sql -d $db -c "SELECT count(*) FROM audit_queue")
[ -n "${KEEP_DATABASES:-}" ] || sql -d postgres -c "DROP DATABASE $db"
mkdir -p bench/results
python3 - "$work/load.json" <<PY | tee bench/results/load.json
import json, subprocess, sys
out = json.load(open(sys.argv[1]))
out = {
    "date": subprocess.run(["date", "-u", "+%Y-%m-%dT%H:%M:%SZ"], capture_output=True, text=True).stdout.strip(),
    "commit": "$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src migrations 2>/dev/null || echo ' + uncommitted changes')",
    "machine": "2 cores; the load generator and the service share them",
    "load_average_before": "$load_before",
    **out,
    "service_peak_rss_kib": int("$hwm".split()[0]),
    "audit": {"entries_in_tree_after_stop": int("$entries"), "still_queued": int("$queued")},
}
print(json.dumps(out, indent=2))
PY
