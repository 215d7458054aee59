#!/usr/bin/env bash
# What do publishing and searching records cost, against what PostgreSQL does with the same
# rows and the same SQL? One run, one release binary, one PostgreSQL:
#   (a) publish COUNT graduations (the demo generator, seed 1) through POST /v1/graduations/batch,
#       1,000 per request, one request after another; then insert the same rows into a fresh
#       copy of the same database with psql: per 1,000 records one transaction of multi-row
#       INSERTs (1,000 rows each) into records, record_versions and record_niks.
#       Ratio = API rows/s / raw rows/s.
#   (b) oha, CONNECTIONS connections for DURATION: GET /v1/graduations?nik=... over random
#       existing NIKs; then pgbench, the same number of clients and time, running the SQL the
#       service runs for that search (see the comment above the pgbench part) over random
#       existing NIKs, and once more with only the look-up that picks the NIK.
#       Ratio = oha requests/s / pgbench transactions/s. Every API request is audited (an
#       entry durable before its response), so pgbench runs a third time with one more
#       statement per transaction: an INSERT into audit_queue of an entry of the average
#       size the run recorded. Ratio = oha requests/s / that pgbench's transactions/s.
#   (c) the cost of data-sharing agreements: the same NIK searches as (b), for DURATION each,
#       as KEMENSOS (its own records: no agreement involved), then as KEMENDES reading
#       KEMENSOS's records under the demo agreement (Sinergi-Purpose PEMBERDAYAAN_EKONOMI:
#       the agreement decided, the records projected to its fields), then as KEMENSOS again.
#       Ratio = cross-agency requests/s / the mean of the two own-agency runs.
#   and the service's peak RSS (VmHWM) after each part, who used the CPU (bench/cputime.py), and
#   the audit queue's depth twice a second throughout: how deep it got while publishing, how
#   long the sequencer took to integrate what was left once the last batch answered, and
#   whether it grew during the searches.
#   bench/records.sh [COUNT] [DURATION] [CONNECTIONS]        (defaults: 100000, 15s, 32)
# Environment, for experiments: BENCH_SERVICE_BIN=path runs another build of the service;
# PLAN_CACHE_MODE=force_custom_plan sets that PostgreSQL option on the API's database (see
# docs/PERFORMANCE.md for why); PGSSLMODE=disable connects the service, psql and pgbench alike
# without TLS (by default libpq prefers TLS, and the Debian PostgreSQL offers it).
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), psql, pgbench, oha
# (cargo install oha), python3. Writes bench/results/records.json. Creates the databases
# sinergi_bench_tpl, sinergi_bench_api and sinergi_bench_raw (dropping any left over) and drops
# them at the end unless KEEP_DATABASES=1.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-100000}
duration=${2:-15s}
connections=${3:-32}
seconds=${duration%s}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
PATH="$PATH:$HOME/.cargo/bin"
for tool in oha psql pgbench python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (oha: cargo install oha)"; exit 1; }
done
if ! pg_isready -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
fi

cargo build --release --quiet --bin sinergi --example bench_records
bin=${BENCH_SERVICE_BIN:-$PWD/target/release/sinergi}
work=$(mktemp -d)
pid=
trap 'set +e; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
log() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

log "generating $count graduations"
target/release/examples/bench_records "$work/gen" "$count" 1 1000

# A demo database (agencies, programs, clients, signing key), then two identical copies.
kek=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
for db in sinergi_bench_api sinergi_bench_raw sinergi_bench_tpl; do
    sql -d postgres -c "DROP DATABASE IF EXISTS $db"
done
sql -d postgres -c "CREATE DATABASE sinergi_bench_tpl"
start() { # start DATABASE: runs serve --demo in the background, sets $pid and $base
    : >"$work/out"
    (cd "$work" && exec env SINERGI_DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$1${PGSSLMODE:+?sslmode=$PGSSLMODE}" \
        SINERGI_KEY_ENCRYPTION_KEY="$kek" SINERGI_BIND=127.0.0.1:0 SINERGI_LOG=warn \
        SINERGI_RATE_PER_SECOND=1000000000.0 SINERGI_RATE_BURST=1000000000 \
        "$bin" serve --demo >"$work/out" 2>&1) &
    pid=$!
    base=
    for _ in $(seq 1 240); do
        base=$(sed -n 's/^Sinergi demo is running at //p' "$work/out")
        [ -n "$base" ] && return
        sleep 0.5
    done
    cat "$work/out"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
start sinergi_bench_tpl
stop
sql -d postgres -c "CREATE DATABASE sinergi_bench_api TEMPLATE sinergi_bench_tpl"
sql -d postgres -c "CREATE DATABASE sinergi_bench_raw TEMPLATE sinergi_bench_tpl"
if [ -n "${PLAN_CACHE_MODE:-}" ]; then
    sql -d postgres -c "ALTER DATABASE sinergi_bench_api SET plan_cache_mode = $PLAN_CACHE_MODE"
fi
rows_before=$(sql -d sinergi_bench_api -c "SELECT count(*) FROM records")

start sinergi_bench_api
# The audit queue's depth twice a second from here to the end (one psql session, \watch).
echo "SELECT extract(epoch FROM clock_timestamp()), count(*) FROM audit_queue \\watch 0.5" |
    psql -X -q -At -F ' ' -d sinergi_bench_api >"$work/queue.txt" 2>/dev/null &
watcher=$!
# set +e: a helper already gone must not turn a finished run into a failed one.
trap 'set +e; [ -n "$pid" ] && kill "$pid" 2>/dev/null; kill "$watcher" 2>/dev/null; rm -rf "$work"' EXIT
token() { # token [CLIENT]: a token of a demo client (default demo-kemensos)
    local client=${1:-demo-kemensos}
    curl -s -u "$client:$client-DEMO-SECRET-not-for-production" \
        -d grant_type=client_credentials "$base/oauth/token" |
        sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
hwm() { sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$pid/status"; }

# (a) Publishing through the API: one batch after another, every answer kept to check it.
sql -d sinergi_bench_api -c CHECKPOINT
load_publish=$(load)
log "publishing through the API (load $load_publish)"
tok=$(token)
t0=$(now)
for f in "$work"/gen/api/*.json; do
    code=$(curl -s -o "$work/resp.json" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $tok" \
        -H 'Content-Type: application/json' --data-binary @"$f" "$base/v1/graduations/batch")
    echo "${code#* }" >>"$work/batch_seconds.txt"
    code=${code% *}
    [ "$code" = 200 ] || { echo "batch $f answered $code"; head -c 2000 "$work/resp.json"; exit 1; }
    grep -o '"result":"[a-z]*"' "$work/resp.json" | sort | uniq -c >>"$work/results.txt"
done
t1=$(now)
hwm_publish=$(hwm)
# The publish phase's entries integrated: wait (at most 10 minutes) for an empty queue.
for _ in $(seq 1 6000); do
    [ "$(sql -d sinergi_bench_api -c "SELECT count(*) FROM audit_queue")" = 0 ] && break
    sleep 0.1
done
t_drained=$(now)
api_rows=$(sql -d sinergi_bench_api -c "SELECT count(*) FROM records WHERE source_record_id LIKE 'BENCH-%'")

# (a) The same rows with plain multi-row INSERTs, over one psql connection, with the API's
# database vacuumed first so that its autovacuum does not run meanwhile.
sql -d sinergi_bench_api -c "VACUUM ANALYZE"
sql -d sinergi_bench_raw -c CHECKPOINT
load_raw=$(load)
log "inserting the same rows with psql (load $load_raw)"
t2=$(now)
psql -X -q -d sinergi_bench_raw -f "$work/gen/raw.sql" >/dev/null
t3=$(now)
raw_rows=$(sql -d sinergi_bench_raw -c "SELECT count(*) FROM records WHERE source_record_id LIKE 'BENCH-%'")
# Nothing may run behind the searches: no autovacuum of the copy, no pending checkpoint.
sql -d postgres -c "DROP DATABASE sinergi_bench_raw"
sql -d sinergi_bench_api -c CHECKPOINT

# (b) Searching by NIK: random existing NIKs, a fixed shuffle so runs are comparable.
python3 - "$work/gen/niks.txt" "$work/urls.txt" "$work/niks.csv" "$base" <<'PY'
import random, sys
niks = open(sys.argv[1]).read().split()
random.Random(1).shuffle(niks)
with open(sys.argv[2], "w") as urls:
    for nik in niks[:50000]:
        urls.write(f"{sys.argv[4]}/v1/graduations?nik={nik}\n")
with open(sys.argv[3], "w") as csv:
    for i, nik in enumerate(niks, 1):
        csv.write(f"{i},{nik}\n")
PY
nik_count=$(wc -l <"$work/niks.csv")
sample=$(sed -n 1p "$work/urls.txt")
tok=$(token)
curl -sf -H "Authorization: Bearer $tok" "$sample" | grep -q '"household"' ||
    { echo "a search found nothing: $sample"; exit 1; }
search() { # search SECONDS OUT: oha over the URL list, printing oha's own CPU seconds
    python3 bench/cputime.py run "$2" oha --no-tui --output-format json -z "$1" \
        -c "$connections" -H "Authorization: Bearer $tok" --urls-from-file "$work/urls.txt"
}
load_oha=$(load)
log "searching through the API (load $load_oha)"
search 5s /dev/null >/dev/null                                           # warm-up
cpu_oha_0=$(python3 bench/cputime.py snap sinergi_bench_api "$pid")
t_search0=$(now)
cpu_oha_client=$(search "$duration" "$work/oha.json")
t_search1=$(now)
cpu_oha_1=$(python3 bench/cputime.py snap sinergi_bench_api "$pid")
hwm_end=$(hwm)

# (c) Own records, another agency's under an agreement, own records again.
tok_kemensos=$tok
tok_kemendes=$(token demo-kemendes)
purpose='Sinergi-Purpose: PEMBERDAYAAN_EKONOMI: bench'
curl -sf -H "Authorization: Bearer $tok_kemendes" -H "$purpose" "$sample" | grep -q '"subject_ref"\|"head_nik"' ||
    { echo "a cross-agency search found nothing: $sample"; exit 1; }
# The answer is projected: the agreement leaves the members' NIKs out.
curl -sf -H "Authorization: Bearer $tok_kemendes" -H "$purpose" "$sample" | grep -q '"member_niks"' &&
    { echo "a cross-agency search was not projected: $sample"; exit 1; }
across() { # across TOKEN OUT [HEADER]: oha over the URL list for DURATION
    oha --no-tui --output-format json -z "$duration" -c "$connections" \
        -H "Authorization: Bearer $1" ${3:+-H "$3"} --urls-from-file "$work/urls.txt" >"$2"
}
load_agreements=$(load)
log "searching own records, another agency's under an agreement, own again (load $load_agreements)"
across "$tok_kemendes" /dev/null "$purpose"                                   # warm-up
across "$tok_kemensos" "$work/own1.json"
across "$tok_kemendes" "$work/cross.json" "$purpose"
across "$tok_kemensos" "$work/own2.json"
stop
kill "$watcher" 2>/dev/null || true
# Every search left an entry; the sequencer moved them all into the tree before stopping.
audit_entries=$(sql -d sinergi_bench_api -c "SELECT count(*) FROM audit_entries")
audit_queued=$(sql -d sinergi_bench_api -c "SELECT count(*) FROM audit_queue")
audit_entry_bytes=$(sql -d sinergi_bench_api -c \
    "SELECT round(avg(length(entry))) FROM audit_entries WHERE route = '/v1/graduations'")

# The SQL of src/db/records.rs `search` for ?nik=N (default limit 100, +1), exactly as the
# service sends it: diesel prepares it once per connection (__diesel_stmt_N) and binds
# kind, nik, retracted and limit (seen with log_statement = 'all'); hence -M prepared with
# the same four parameters. pgbench cannot pick a random string by itself, so each
# transaction first looks a random NIK up in a numbered copy of the list (\gset): that is
# one more primary-key query per transaction, measured on its own in a second run
# (lookup.sql) so its share can be taken out. (The service too makes two round trips per
# search: the pool checks every connection it hands out with SELECT 1.)
sql -d sinergi_bench_api -c "CREATE TABLE bench_niks (i integer PRIMARY KEY, nik text NOT NULL)"
sql -d sinergi_bench_api -c "\\copy bench_niks FROM '$work/niks.csv' WITH (FORMAT csv)"
sql -d sinergi_bench_api -c "VACUUM ANALYZE bench_niks"
cat >"$work/search.sql" <<'SQL'
\set i random(1, :niks)
SELECT nik FROM bench_niks WHERE i = :i \gset
SELECT "records"."id", "records"."publisher", "records"."source_record_id", "records"."content", "records"."content_hash", "records"."version", "records"."created_at", "records"."updated_at", "records"."retracted", "records"."retraction_reason" FROM "records" WHERE ((("records"."kind" = :kind) AND ("records"."id" = ANY(SELECT "record_niks"."record_id" FROM "record_niks" WHERE ("record_niks"."nik" = :nik)))) AND ("records"."retracted" = :retracted)) ORDER BY "records"."id" LIMIT :lim
SQL
cat >"$work/lookup.sql" <<'SQL'
\set i random(1, :niks)
SELECT nik FROM bench_niks WHERE i = :i \gset
SQL
# The search and one audit entry per search, each statement its own commit: what the
# database does for a durable entry per request without group commit.
# (pgbench ends a statement at a semicolon, so the search gets one before the next.)
{ sed 's/LIMIT :lim$/LIMIT :lim;/' "$work/search.sql"
  echo "INSERT INTO audit_queue (entry) VALUES (repeat('x', :entry_bytes));"; } >"$work/audited.sql"
bench() { # bench SCRIPT PREFIX; pgbench's own CPU seconds go to PREFIX.cpu
    (cd "$work" && python3 "$OLDPWD/bench/cputime.py" run "$2.out" pgbench -n -M prepared \
        -c "$connections" -j 2 -T "$seconds" \
        -D niks="$nik_count" -D kind=graduation -D retracted=f -D lim=101 \
        -D entry_bytes="$audit_entry_bytes" \
        -f "$1" -l --log-prefix="$2" sinergi_bench_api >"$2.cpu" 2>"$2.err") ||
        { cat "$work/$2.out" "$work/$2.err"; exit 1; }
    # Per-transaction log: the third column is the transaction's latency in microseconds.
    cat "$work/$2".[0-9]* | awk '{print $3}' >"$work/$2.latencies"
}
load_pgbench=$(load)
log "pgbench: look-up + search (load $load_pgbench)"
cpu_pg_0=$(python3 bench/cputime.py snap sinergi_bench_api)
bench search.sql pgsearch
cpu_pg_1=$(python3 bench/cputime.py snap sinergi_bench_api)
load_lookup=$(load)
log "pgbench: look-up only (load $load_lookup)"
bench lookup.sql pglookup
load_audited=$(load)
log "pgbench: look-up + search + audit insert (load $load_audited)"
bench audited.sql pgaudited
[ -n "${KEEP_DATABASES:-}" ] || for db in sinergi_bench_api sinergi_bench_tpl; do
    sql -d postgres -c "DROP DATABASE $db"
done

mkdir -p bench/results
python3 - "$work" <<PY | tee bench/results/records.json
import json, subprocess, sys
work = sys.argv[1]
count, seconds = $count, $seconds
publish_s = $t1 - $t0
raw_s = $t3 - $t2
batch_s = [float(x) for x in open(f"{work}/batch_seconds.txt").read().split()]
ten = lambda xs: round(sum(xs) / len(xs), 3)
results = {}
for line in open(f"{work}/results.txt"):
    n, r = line.split()
    r = r.split('"')[3]
    results[r] = results.get(r, 0) + int(n)
def cpu_delta(a, b):
    a, b = json.loads(a), json.loads(b)
    return {k: round(b[k] - a[k], 2) for k in a}
oha_cpu = cpu_delta('$cpu_oha_0', '$cpu_oha_1')
oha_cpu["oha"] = float("$cpu_oha_client")
oha_cpu["everything_else"] = round(oha_cpu["machine_busy"] - oha_cpu["service"] - oha_cpu["postgres"] - oha_cpu["oha"], 2)
pg_cpu = cpu_delta('$cpu_pg_0', '$cpu_pg_1')
del pg_cpu["postgres"]  # pgbench's backends exit before the second snapshot
pg_cpu["pgbench"] = float(open(f"{work}/pgsearch.cpu").read())
pg_cpu["postgres_and_everything_else"] = round(pg_cpu["machine_busy"] - pg_cpu["pgbench"], 2)
o = json.load(open(f"{work}/oha.json"))
s = o["summary"]
def pgbench(prefix):
    text = open(f"{work}/{prefix}.out").read()
    tps = float(text.split("tps = ")[1].split()[0])
    lat = sorted(int(x) for x in open(f"{work}/{prefix}.latencies").read().split())
    return tps, lat
tps, lat = pgbench("pgsearch")
lookup_tps, _ = pgbench("pglookup")
audited_tps, audited_lat = pgbench("pgaudited")
# Per-transaction times add up: what the search alone would sustain without the look-up.
search_only = 1 / (1 / tps - 1 / lookup_tps)
pct = lambda xs, p: round(xs[min(len(xs) - 1, int(len(xs) * p))] / 1e3, 3)
# The queue's depth over time: [epoch seconds, entries] twice a second.
queue = [(float(t), int(n)) for t, n in (l.split() for l in open(f"{work}/queue.txt") if l.strip())]
def depth(t0, t1):
    return [n for t, n in queue if t0 <= t < t1] or [0]
during_search = depth($t_search0, $t_search1)
def kib(text):
    return int(text.split()[0])
out = {
    "date": subprocess.run(["date", "-u", "+%Y-%m-%dT%H:%M:%SZ"], capture_output=True, text=True).stdout.strip(),
    "machine": "2 cores; load generators (curl/psql, oha, pgbench) and the service share them",
    "postgresql": subprocess.run(["psql", "-XAtc", "SHOW server_version", "postgres"], capture_output=True, text=True).stdout.strip(),
    "records_before": int("$rows_before"),
    "commit": "$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src migrations 2>/dev/null || echo ' + uncommitted changes')",
    "service": "${BENCH_SERVICE_BIN:-target/release/sinergi}", "plan_cache_mode": "${PLAN_CACHE_MODE:-default (auto)}",
    "sslmode": "${PGSSLMODE:-default (prefer: TLS)}",
    "publish": {
        "count": count, "batch": 1000,
        "load_average_before": "$load_publish",
        "api": {"seconds": round(publish_s, 2), "rows_per_s": round(count / publish_s),
                "results": results, "rows_stored": int("$api_rows"),
                "first_10_batches_mean_s": ten(batch_s[:10]), "last_10_batches_mean_s": ten(batch_s[-10:]),
                "batch_seconds": [round(x, 3) for x in batch_s]},
        "raw_insert": {"load_average_before": "$load_raw", "seconds": round(raw_s, 2),
                       "rows_per_s": round(count / raw_s), "rows_stored": int("$raw_rows")},
        "ratio_api_to_raw": round(raw_s / publish_s, 3),
        "service_peak_rss_kib": kib("$hwm_publish"),
        "audit_queue": {"deepest_while_publishing": max(depth($t0, $t1)),
                        "entries_when_the_last_batch_answered": depth($t1 - 0.5, $t1 + 0.5)[-1],
                        "seconds_until_empty_after_the_last_batch": round($t_drained - $t1, 2)},
    },
    "search_by_nik": {
        "duration": "$duration", "connections": $connections, "distinct_niks": int("$nik_count"),
        "api": {"load_average_before": "$load_oha", "rps": round(s["requestsPerSec"]),
                "p50_ms": round(o["latencyPercentiles"]["p50"] * 1e3, 3),
                "p99_ms": round(o["latencyPercentiles"]["p99"] * 1e3, 3),
                "status": o.get("statusCodeDistribution", {}),
                "cpu_seconds": oha_cpu,
                "cpu_us_per_request": {k: round(v * 1e6 / sum(o["statusCodeDistribution"].values()))
                                       for k, v in oha_cpu.items()}},
        "pgbench": {"load_average_before": "$load_pgbench", "tps": round(tps),
                    "p50_ms": pct(lat, 0.50), "p99_ms": pct(lat, 0.99),
                    "transaction": "a primary-key look-up of a random NIK (gset), then the search",
                    "cpu_seconds": pg_cpu,
                    "cpu_us_per_transaction": {k: round(v * 1e6 / (tps * float(seconds))) for k, v in pg_cpu.items()},
                    "lookup_only_tps": round(lookup_tps),
                    "search_only_tps_estimate": round(search_only)},
        "service_peak_rss_kib": kib("$hwm_end"),
        "audit": {"queue_depth_during_search": {"first": during_search[0], "deepest": max(during_search),
                                                "last": during_search[-1], "every_half_second": during_search},
                  "entries_in_tree_after_stop": int("$audit_entries"),
                  "entries_still_queued": int("$audit_queued"),
                  "search_entry_mean_bytes": int("$audit_entry_bytes")},
        "pgbench_with_audit_insert": {
            "load_average_before": "$load_audited", "tps": round(audited_tps),
            "p50_ms": pct(audited_lat, 0.50), "p99_ms": pct(audited_lat, 0.99),
            "transaction": "the look-up, the search, and one INSERT into audit_queue of an entry of the mean size above (autocommit: its own commit)"},
    },
}
def oha(name):
    o = json.load(open(f"{work}/{name}.json"))
    return {"rps": round(o["summary"]["requestsPerSec"]),
            "p50_ms": round(o["latencyPercentiles"]["p50"] * 1e3, 3),
            "p99_ms": round(o["latencyPercentiles"]["p99"] * 1e3, 3),
            "status": o.get("statusCodeDistribution", {})}
own1, cross, own2 = oha("own1"), oha("cross"), oha("own2")
out["agreements"] = {
    "load_average_before": "$load_agreements", "duration": "$duration",
    "own_records_first": own1, "another_agencys_records_under_an_agreement": cross,
    "own_records_again": own2,
    "ratio_cross_agency_to_own": round(cross["rps"] / ((own1["rps"] + own2["rps"]) / 2), 3),
}
rps = out["search_by_nik"]["api"]["rps"]
out["search_by_nik"]["ratio_api_to_pgbench"] = round(rps / tps, 3)
out["search_by_nik"]["ratio_api_to_pgbench_search_only"] = round(rps / search_only, 3)
out["search_by_nik"]["ratio_api_to_pgbench_with_audit_insert"] = round(rps / audited_tps, 3)
print(json.dumps(out, indent=2))
PY
