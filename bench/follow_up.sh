#!/usr/bin/env bash
# Do the referral deadline sweep and the follow-up watch stay cheap at national scale
# (issue 15)? One run, one release build, one PostgreSQL:
#   (1) a database with COUNT graduations (the demo generator, as the service stores them,
#       with the empowerment enrollments the demo makes of them and one change per
#       version), REFERRALS open referrals (1 % past a deadline at NOW), the unreferred
#       signals yesterday's runs would have raised, a pecah KK of one graduated family in
#       200 (household_events and household_links), and DAY changes of the day after the
#       watch's position (see examples/bench_follow_up.rs), loaded with \copy; ANALYZE;
#       then the plans of every statement of one deadline sweep and one watch run
#       (auto_explain: EXPLAIN ANALYZE, BUFFERS, of the statements as the service sends them),
#       each checked for a sequential scan of a large table; then the timed sweep: the
#       deadline sweep until it answers 0, the watch until it has read the day's changes,
#       each call in its own write transaction, as the sequencer runs them.
#       Ratio = sweep seconds / seconds of one `SELECT count(*)` of the graduations by a
#       sequential scan in the same database (warm): what one look at every graduation costs.
#   (2) publishing throughput with the watch on: the release service over that database
#       publishes RUN_BATCHES batches of 1,000 new graduations three times (other graduations
#       each time), with SINERGI_FOLLOW_UP_EVERY_SECS=86400 (off: it runs once at start,
#       before publishing begins), 1 (on: every 5 s, the sequencer's clock), 86400 again.
#       Ratio = rows/s with the watch on / the mean of the two runs with it off. That service
#       runs on the real clock, so the backlog the months-old data makes there (overdue
#       referrals, graduations newly inside the window) is worked off first (catch-up).
#   bench/follow_up.sh [COUNT] [REFERRALS] [DAY] [RUN_BATCHES]   (defaults: 1000000 200000 20000 100)
# NOW, the instant of part (1), is fixed (BENCH_NOW, default 2026-07-20T06:00:00Z: the demo's
# graduations run to 2026-06-30, so 61 % of them are inside the 365-day window then), so the
# result does not depend on the day it runs; the service of part (2) runs on the real clock.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth, superuser: auto_explain,
# and the server log readable at the path pg_lsclusters shows), psql, python3, curl. Writes
# bench/results/follow_up.json. Creates the database sinergi_bench_follow_up (dropping any
# left over) and drops it at the end unless KEEP_DATABASES=1. Builds into CARGO_TARGET_DIR
# (default target).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
referrals=${2:-200000}
day=${3:-20000}
run_batches=${4:-100}
bench_now=${BENCH_NOW:-2026-07-20T06:00:00Z}
db=sinergi_bench_follow_up
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
for tool in psql python3 curl pg_lsclusters; do
    command -v "$tool" >/dev/null || { echo "$tool is missing"; exit 1; }
done
if ! pg_isready -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
fi
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin sinergi --example bench_follow_up
bin=$(realpath "$target/release/sinergi")
ex=$(realpath "$target/release/examples/bench_follow_up")
serverlog=$(pg_lsclusters -h | awk -v port="$PGPORT" '$3 == port {print $7}')
[ -r "$serverlog" ] || { echo "cannot read the server log $serverlog (needed for the plans)"; exit 1; }
work=$(mktemp -d)
pid=
trap 'set +e; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
log() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
sql() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$db" "$@"; }
url="postgres://$PGUSER@$PGHOST:$PGPORT/$db"

log "generating $count graduations, $referrals referrals, $day changes of the day"
t_gen0=$(now)
"$ex" gen "$work/gen" "$bench_now" "$count" "$referrals" "$day" $((3 * run_batches)) 1
t_gen1=$(now)

# The demo's reference data, clients and signing key, as `serve --demo` makes them.
kek=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $db"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db"
start() { # start EVERY_SECS: runs serve --demo in the background, sets $pid and $base
    : >"$work/out"
    (cd "$work" && exec env SINERGI_DATABASE_URL="$url" \
        SINERGI_KEY_ENCRYPTION_KEY="$kek" SINERGI_BIND=127.0.0.1:0 SINERGI_LOG=warn \
        SINERGI_RATE_PER_SECOND=1000000000.0 SINERGI_RATE_BURST=1000000000 \
        SINERGI_FOLLOW_UP_EVERY_SECS="$1" \
        "$bin" serve --demo >"$work/out" 2>&1) &
    pid=$!
    base=
    for _ in $(seq 1 600); do
        base=$(sed -n 's/^Sinergi demo is running at //p' "$work/out")
        [ -n "$base" ] && return
        sleep 0.5
    done
    cat "$work/out"; exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
start 86400
stop

# (1) The load: rows as the service writes them, by \copy (see examples/bench_follow_up.rs).
sql -c CHECKPOINT
log "loading (load $(load))"
t_load0=$(now)
g=$work/gen
sql <<SQL
\set ON_ERROR_STOP on
BEGIN;
\copy records (id, kind, publisher, source_record_id, program, kk, region_digits, event_on, status, graduation_id, content, content_hash, version, created_at, updated_at, retracted, retraction_reason) FROM '$g/records.csv' WITH (FORMAT csv)
\copy record_versions (record_id, version, content, content_hash, recorded_at, retracted, retraction_reason) FROM '$g/record_versions.csv' WITH (FORMAT csv)
\copy record_versions (record_id, version, content, content_hash, recorded_at, retracted, retraction_reason) FROM '$g/record_versions_2.csv' WITH (FORMAT csv)
-- The graduations given a second version today: their records row is that version.
UPDATE records r SET content = v.content, content_hash = v.content_hash, version = 2,
       updated_at = v.recorded_at
  FROM record_versions v WHERE v.record_id = r.id AND v.version = 2;
\copy record_niks (nik, record_id) FROM '$g/record_niks.csv' WITH (FORMAT csv)
-- The demo's own changes came first: the bench's positions follow them.
CREATE TEMP TABLE c (LIKE changes INCLUDING DEFAULTS);
\copy c (position, kind, action, record_id, version, publisher, program, occurred_at, positioned_at, party, content) FROM '$g/changes.csv' WITH (FORMAT csv)
INSERT INTO changes (position, kind, action, record_id, version, publisher, program, occurred_at, positioned_at, party, content)
SELECT position + (SELECT coalesce(max(position), 0) FROM changes), kind, action, record_id, version, publisher, program, occurred_at, positioned_at, party, content
  FROM c ORDER BY position;
INSERT INTO meta (key, value)
SELECT 'follow_up_position', (position + (SELECT max(position) FROM changes) - (SELECT max(position) FROM c))::text
  FROM (SELECT $(cat "$g/position.txt")::bigint AS position) p
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
\copy referrals (id, requester_agency, source_record_id, graduation_id, graduation_publisher, program, region_digits, subject_kk, subject_nik, purpose, reason_code, priority, note, status, status_reason, owner_agency, enrollment_id, respond_by, complete_by, request_sha256, version, created_at, updated_at) FROM '$g/referrals.csv' WITH (FORMAT csv)
\copy referral_offers (referral_id, agency, target_program, rank, fallback, state, reason_code, offered_at, answered_at) FROM '$g/referral_offers.csv' WITH (FORMAT csv)
\copy household_events (id, agency, source_record_id, kind, effective_on, source, content, request_sha256, recorded_at) FROM '$g/household_events.csv' WITH (FORMAT csv)
\copy household_links (event_id, position, from_kk, to_kk, nik, effective_on) FROM '$g/household_links.csv' WITH (FORMAT csv)
COMMIT;
SQL
# Yesterday's runs: a graduation.unreferred signal for every social-assistance graduation
# inside the window that crossed the unreferred line before today without a referral or an
# enrollment published before the day's changes (so today's enrollments close some).
sql <<SQL
\set ON_ERROR_STOP on
INSERT INTO follow_up_signals (id, kind, cause, trigger_id, graduation_id, publisher, program,
                               region_digits, referral_id, records, raised_at, closed_at)
SELECT gen_random_uuid()::text, 'graduation.unreferred', 'no_referral', g.id, g.id,
       g.publisher, g.program, g.region_digits, NULL, json_build_array(g.id)::text,
       extract(epoch FROM timestamptz '$bench_now' - interval '1 day')::bigint * 1000000, NULL
  FROM records g
 WHERE g.kind = 'graduation' AND NOT g.retracted
   AND g.program IN (SELECT code FROM programs WHERE kind = 'social_assistance')
   AND g.event_on >= to_char(date '$bench_now' - coalesce((SELECT follow_up_days FROM programs WHERE code = g.program), 365), 'YYYY-MM-DD')
   AND g.event_on < to_char(date '$bench_now' - 30, 'YYYY-MM-DD')
   AND g.source_record_id NOT LIKE 'BENCH-DAY-%'
   AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.graduation_id = g.id)
   AND NOT EXISTS (SELECT 1 FROM follow_up_signals s WHERE s.graduation_id = g.id
                                                      AND s.kind = 'graduation.unreferred')
   AND NOT EXISTS (SELECT 1 FROM records e JOIN changes c ON c.record_id = e.id AND c.version = 1
                    WHERE e.graduation_id = g.id
                      AND c.position <= (SELECT value::bigint FROM meta WHERE key = 'follow_up_position'));
-- ... which had checked every social-assistance program's graduations up to yesterday's
-- unreferred line (the watch's marks), so today's run reads the day that became due.
INSERT INTO meta (key, value)
SELECT 'follow_up_due:' || code, to_char(date '$bench_now' - 31, 'YYYY-MM-DD') || '|~'
  FROM programs WHERE kind = 'social_assistance'
ON CONFLICT (key) DO UPDATE SET value = excluded.value;
VACUUM ANALYZE;
CHECKPOINT;
SQL
t_load1=$(now)
counts=$(sql -F' ' -c "SELECT (SELECT count(*) FROM records WHERE kind = 'graduation'),
    (SELECT count(*) FROM records WHERE kind = 'enrollment'), (SELECT count(*) FROM record_niks),
    (SELECT count(*) FROM changes), (SELECT count(*) FROM referrals WHERE status IN ('offered', 'accepted')),
    (SELECT count(*) FROM follow_up_signals), (SELECT count(*) FROM household_links),
    pg_database_size(current_database())")
log "loaded in $(python3 -c "print(round($t_load1 - $t_load0))") s: $counts"

# The plans: one sweep and one watch run, undone, every statement's plan in the server log.
log "explaining one sweep and one watch run"
offset=$(stat -c %s "$serverlog")
"$ex" sweep "$url" "$bench_now" explain
sleep 1
tail -c +$((offset + 1)) "$serverlog" >"$work/plans.log"

# The timed sweep, warm like a service that runs it hourly (the explain pass read the same
# pages, then the same run is repeated for real).
load_sweep=$(load)
log "sweeping (load $load_sweep)"
"$ex" sweep "$url" "$bench_now" >"$work/sweep.json"
cat "$work/sweep.json" >&2

# The database's own yardstick: every graduation looked at once, by a sequential scan.
scan() {
    sql -c '\timing on' -c "SET max_parallel_workers_per_gather = 0" \
        -c "SELECT count(*) FROM records WHERE kind = 'graduation'" |
        sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
}
scan >/dev/null
scan_ms=$(scan)

# (2) Publishing with the watch off, on, off. Its service runs on the real clock, where the
# data of part (1) is months old: the backlog that makes (overdue referrals, graduations now
# inside the window) is worked off first, or each run would time that instead of the watch.
log "catching up to the real clock (load $(load))"
"$ex" sweep "$url" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" catch-up >"$work/catch_up.json"
cat "$work/catch_up.json" >&2
# Each run waits for the start's own watch run.
token() {
    curl -s -u "demo-kemensos:demo-kemensos-DEMO-SECRET-not-for-production" \
        -d grant_type=client_credentials "$base/oauth/token" |
        sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
idle() { # until the service's connections are idle (its first sequencer round is done)
    for _ in $(seq 1 600); do
        busy=$(sql -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db'
                       AND state = 'active' AND pid <> pg_backend_pid()")
        [ "$busy" = 0 ] && return
        sleep 0.5
    done
}
publish() { # publish RUN EVERY_SECS: batches RUN*RUN_BATCHES..; prints seconds
    start "$2"
    sleep 6
    idle
    sql -c CHECKPOINT
    local tok first=$(($1 * run_batches)) t0 t1
    tok=$(token)
    echo "$(load)" >"$work/load_$1"
    t0=$(now)
    for n in $(seq "$first" $((first + run_batches - 1))); do
        f=$(printf '%s/api/%04d.json' "$g" "$n")
        code=$(curl -s -o "$work/resp.json" -w '%{http_code}' -H "Authorization: Bearer $tok" \
            -H 'Content-Type: application/json' --data-binary @"$f" "$base/v1/graduations/batch")
        # To stderr: stdout is the caller's $(...), which would swallow the reason.
        [ "$code" = 200 ] || { echo "batch $f answered $code" >&2; head -c 2000 "$work/resp.json" >&2; exit 1; }
        grep -o '"result":"[a-z]*"' "$work/resp.json" | sort | uniq -c >>"$work/results_$1"
    done
    t1=$(now)
    stop
    python3 -c "print($t1 - $t0)"
}
log "publishing with the watch off"
off1=$(publish 0 86400)
log "publishing with the watch on (every 1 s)"
on=$(publish 1 1)
log "publishing with the watch off again"
off2=$(publish 2 86400)
signals_after=$(sql -c "SELECT count(*) FROM follow_up_signals")
[ -n "${KEEP_DATABASES:-}" ] || psql -X -q -d postgres -c "DROP DATABASE $db"

mkdir -p bench/results
python3 - "$work" <<PY | tee bench/results/follow_up.json
import json, re, subprocess, sys
work = sys.argv[1]
sweep = json.load(open(f"{work}/sweep.json"))

# Plans: every statement auto_explain logged; per distinct query text, how often it ran, its
# total and slowest time, and the slowest run's plan.
text = open(f"{work}/plans.log").read()
entries = re.split(r"^\S.*?LOG:  duration: ", text, flags=re.M)[1:]
plans = {}
for e in entries:
    ms = float(e.split(" ms", 1)[0])
    body = e.split("plan:\n", 1)[1] if "plan:\n" in e else ""
    m = re.search(r"Query Text: (.*?)\n(\s+\S.*)", body, flags=re.S)
    if not m:
        continue
    # auto_explain shows bound values: a NIK or KK looked up would be printed. No NIK
    # leaves the bench, so every 16-digit number is masked.
    query, plan = (re.sub(r"\b\d{16}\b", "<16 digits>", t) for t in (m.group(1).strip(), m.group(2)))
    plan = "\n".join(l[1:] if l.startswith("\t") else l for l in plan.rstrip().splitlines())
    p = plans.setdefault(query, {"query": query, "calls": 0, "total_ms": 0.0, "max_ms": 0.0})
    p["calls"] += 1
    p["total_ms"] += ms
    if ms >= p["max_ms"]:
        p["max_ms"], p["plan"] = ms, plan
large = ("records", "record_versions", "record_niks", "changes", "referrals",
         "referral_offers", "follow_up_signals", "household_events", "household_links")
seq = re.compile(r"Seq Scan on (\w+)")
for p in plans.values():
    p["total_ms"], p["max_ms"] = round(p["total_ms"], 3), round(p["max_ms"], 3)
    p["seq_scans_of_large_tables"] = sorted({t for t in seq.findall(p["plan"]) if t in large})
ordered = sorted(plans.values(), key=lambda p: -p["total_ms"])

publish = {}
for run, name in ((0, "off"), (1, "on"), (2, "off_again")):
    seconds = float({0: "$off1", 1: "$on", 2: "$off2"}[run])
    results = {}
    for line in open(f"{work}/results_{run}"):
        n, r = line.split()
        r = r.split('"')[3]
        results[r] = results.get(r, 0) + int(n)
    publish[name] = {"every_secs": 1 if run == 1 else 86400, "seconds": round(seconds, 2),
                     "rows_per_s": round($run_batches * 1000 / seconds),
                     "load_average_before": open(f"{work}/load_{run}").read().strip(),
                     "results": results}
off = (publish["off"]["rows_per_s"] + publish["off_again"]["rows_per_s"]) / 2
counts = "$counts".split()
out = {
    "date": subprocess.run(["date", "-u", "+%Y-%m-%dT%H:%M:%SZ"], capture_output=True, text=True).stdout.strip(),
    "machine": "$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM; the load generators, the service and PostgreSQL share them",
    "postgresql": subprocess.run(["psql", "-XAtc", "SHOW server_version", "postgres"], capture_output=True, text=True).stdout.strip(),
    "commit": "$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src migrations 2>/dev/null || echo ' + uncommitted changes')",
    "data": {"graduations": int(counts[0]), "enrollments": int(counts[1]), "record_niks": int(counts[2]),
             "changes": int(counts[3]), "open_referrals": int(counts[4]),
             "signals_before": int(counts[5]), "household_links": int(counts[6]),
             "database_bytes": int(counts[7]),
             "generate_seconds": round($t_gen1 - $t_gen0, 1), "load_seconds": round($t_load1 - $t_load0, 1)},
    "sweep": dict(sweep, load_average_before="$load_sweep"),
    "catch_up_before_publishing": json.load(open(f"{work}/catch_up.json")),
    "full_scan_of_graduations_ms": float("$scan_ms"),
    "ratio_sweep_to_full_scan": round(sweep["total_seconds"] * 1e3 / float("$scan_ms"), 3),
    "plans": ordered,
    "publish": dict(publish, batch=1000, batches_per_run=$run_batches,
                    ratio_on_to_off=round(publish["on"]["rows_per_s"] / off, 3),
                    signals_after=int("$signals_after")),
}
print(json.dumps(out, indent=2))
PY
python3 - <<'PY' >&2
import json
d = json.load(open("bench/results/follow_up.json"))
for p in d["plans"]:
    flag = " SEQ SCAN: " + ",".join(p["seq_scans_of_large_tables"]) if p["seq_scans_of_large_tables"] else ""
    print(f'{p["calls"]:6} calls {p["total_ms"]:10.1f} ms total {p["max_ms"]:8.2f} ms max  {p["query"][:110]}{flag}')
print("sweep", d["sweep"]["total_seconds"], "s; full scan", d["full_scan_of_graduations_ms"], "ms; publish on/off", d["publish"]["ratio_on_to_off"])
PY
