#!/usr/bin/env bash
# What does a statistics table cost, against PostgreSQL running the same aggregate itself?
# One run, one release binary, one PostgreSQL:
#   the demo's 3,000 graduations and their enrollments, copied COPIES times in SQL (new ids
#   and source ids, the same content; about 100,000 graduations at the default), then
#   ROUNDS sequential requests of each table below, and ROUNDS runs through psql of the SQL
#   the service sends for the conversion table by regency (src/db/stats.rs, written out
#   below; the run stops if its grand total differs from the API's).
#   Ratio = PostgreSQL's median time for that SQL / the API's median time for the table:
#   the share of a request that is the database's own work (1.0 would be no overhead).
#   bench/stats.sh [COPIES] [ROUNDS]        (defaults: 33, 20)
# Environment: BENCH_SERVICE_BIN=path runs another build of the service.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), psql, python3, curl. Writes
# bench/results/stats.json. Creates the database sinergi_bench_stats (dropping any left over)
# and drops it at the end unless KEEP_DATABASES=1.
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-33}
rounds=${2:-20}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
for tool in psql python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing"; exit 1; }
done
if ! pg_isready -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
fi

cargo build --release --quiet --bin sinergi
bin=${BENCH_SERVICE_BIN:-$PWD/target/release/sinergi}
db=sinergi_bench_stats
work=$(mktemp -d)
pid=
trap 'set +e; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work";
      [ "${KEEP_DATABASES:-}" = 1 ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"' EXIT
log() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$db" "$@"; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db"
psql -X -q -d postgres -c "CREATE DATABASE $db"
kek=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
# The follow-up watch would spend minutes on the copied graduations while the tables are
# timed: a two-day window leaves them all outside it.
start() { # runs serve --demo in the background, sets $pid and $base
    : >"$work/out"
    (cd "$work" && exec env SINERGI_DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db" \
        SINERGI_KEY_ENCRYPTION_KEY="$kek" SINERGI_BIND=127.0.0.1:0 SINERGI_LOG=warn \
        SINERGI_RATE_PER_SECOND=1000000000.0 SINERGI_RATE_BURST=1000000000 \
        SINERGI_FOLLOW_UP_WINDOW_DAYS=2 SINERGI_FOLLOW_UP_UNREFERRED_DAYS=1 \
        "$bin" serve --demo >"$work/out" 2>&1) &
    pid=$!
    base=
    for _ in $(seq 1 240); do
        base=$(sed -n 's/^Sinergi demo is running at //p' "$work/out")
        [ -n "$base" ] && return
        sleep 0.5
    done
    echo "the service did not start:"; cat "$work/out"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

log "loading the demo"
start
stop
log "copying its records $copies times"
columns="kind, publisher, program, kk, region_digits, event_on, status, content, content_hash,
         version, created_at, updated_at, retracted, retraction_reason, graduation_type"
for kind in graduation enrollment; do
    sql -c "INSERT INTO records (id, source_record_id, graduation_id, $columns)
            SELECT id || '-' || k, source_record_id || '-' || k, graduation_id || '-' || k,
                   $columns
            FROM records, generate_series(1, $copies - 1) AS k WHERE kind = '$kind'"
done
sql -c "ANALYZE"
graduations=$(sql -c "SELECT count(*) FROM records WHERE kind = 'graduation'")
enrollments=$(sql -c "SELECT count(*) FROM records WHERE kind = 'enrollment'")
log "$graduations graduations, $enrollments enrollments"

start
token=$(curl -s -u demo-coordinator:demo-coordinator-DEMO-SECRET-not-for-production \
    -d grant_type=client_credentials "$base/oauth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# The median milliseconds of ROUNDS sequential GETs of a path, and its grand total.
api() {
    python3 - "$base$1" "$token" "$rounds" <<'EOF'
import json, statistics, sys, time, urllib.request
url, token, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
times, body = [], None
for _ in range(rounds):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    t = time.perf_counter()
    with urllib.request.urlopen(request) as answer:
        body = json.load(answer)
    times.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times):.1f} {json.dumps(body['totals']['total']['count'])}")
EOF
}

# The SQL src/db/stats.rs sends for `conversion?by=regency` (no filter), with its parameters.
conversion_by_regency="
SELECT row_key, category, days, referred, COUNT(*) AS units, MAX(youngest) AS youngest
FROM (SELECT substr(g.region_digits, 1, 4) AS row_key, CAST(NULL AS TEXT) AS category,
        CAST(CAST(e.first_on AS DATE) - CAST(g.event_on AS DATE) AS BIGINT) AS days,
        (r.graduation_id IS NOT NULL) AS referred, g.event_on AS youngest
      FROM records g
      LEFT JOIN (SELECT graduation_id, MIN(event_on) AS first_on FROM records
                 WHERE kind = 'enrollment' AND NOT retracted AND graduation_id IS NOT NULL
                 GROUP BY graduation_id) e ON e.graduation_id = g.id
      LEFT JOIN (SELECT DISTINCT graduation_id COLLATE \"C\" AS graduation_id
                 FROM referrals) r ON r.graduation_id = g.id
      WHERE g.kind = 'graduation' AND NOT g.retracted
        AND ('' = '' OR g.program = '') AND ('' = '' OR g.publisher = '')
        AND g.region_digits >= '0000000000' AND g.region_digits <= '9999999999'
        AND g.event_on >= '0000-01-01' AND g.event_on <= '9999-12-31') AS units
GROUP BY row_key, category, days, referred"
db_ms=$(python3 - "$db" "$rounds" "$conversion_by_regency" <<'EOF'
import statistics, subprocess, sys, time
db, rounds, query = sys.argv[1], int(sys.argv[2]), sys.argv[3]
script = "\\timing on\n" + (query + ";\n") * rounds
out = subprocess.run(["psql", "-X", "-q", "-At", "-d", db], input=script, text=True,
                     capture_output=True, check=True).stdout
times = [float(line.split()[1]) for line in out.splitlines() if line.startswith("Time: ")]
print(f"{statistics.median(times):.1f}")
EOF
)
db_total=$(sql -c "SELECT sum(units) FROM ($conversion_by_regency) AS t")

results=()
for table in "conversion?by=regency" "conversion?by=month" "graduations?by=province" \
             "enrollments?by=program" "referrals?by=agency" "follow-up?by=month"; do
    read -r ms total < <(api "/v1/stats/$table")
    log "$table: median $ms ms (grand total $total)"
    results+=("\"$table\": {\"median_ms\": $ms, \"grand_total\": $total}")
    if [ "$table" = "conversion?by=regency" ]; then
        [ "$total" = "$db_total" ] || { echo "the API counted $total, the SQL $db_total"; exit 1; }
        api_ms=$ms
    fi
done
ratio=$(python3 -c "print(round($db_ms / $api_ms, 3))")
log "conversion by regency: PostgreSQL $db_ms ms, API $api_ms ms, ratio $ratio"
stop

mkdir -p bench/results
{
    echo "{"
    echo "  \"commit\": \"$(git rev-parse --short HEAD)\","
    echo "  \"graduations\": $graduations, \"enrollments\": $enrollments, \"rounds\": $rounds,"
    echo "  \"conversion_by_regency\": {\"postgres_median_ms\": $db_ms, \"api_median_ms\": $api_ms, \"ratio\": $ratio},"
    echo "  \"tables\": {"
    printf '    %s' "${results[0]}"
    printf ',\n    %s' "${results[@]:1}"
    echo
    echo "  }"
    echo "}"
} >bench/results/stats.json
cat bench/results/stats.json
