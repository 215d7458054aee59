#!/usr/bin/env bash
# Where a page of the change feed spends its CPU, on an otherwise idle service: the service's
# CPU per page by thread (actix workers, the blocking pool, the sequencer, the audit writer,
# the clock), and PostgreSQL's. Runs on the database a `KEEP_DATABASES=1 bench/feed.sh` left
# (sinergi_bench_feed: 50,000 graduations and the audit entries of its run):
#   starts `serve --demo` on it, waits until the service is idle (the follow-up watch has
#   worked off the published graduations: under 5 % of a core for 2 s), then reads every
#   graduation change ROUNDS times as KEMENSOS, 1,000 a page, one page after another, and
#   waits until the pages' audit entries are in the tree.
#   bench/feed_profile.sh [ROUNDS]        (default 3)
# Environment: BENCH_SERVICE_BIN=path runs another build of the service. Prints JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
db=sinergi_bench_feed
sql() { psql -X -q -v ON_ERROR_STOP=1 -At -d $db "$@"; }
sql -c "SELECT 1 FROM changes LIMIT 1" >/dev/null ||
    { echo "no $db: run KEEP_DATABASES=1 bench/feed.sh first"; exit 1; }
if [ -z "${BENCH_SERVICE_BIN:-}" ]; then
    cargo build --release --quiet --bin sinergi
fi
bin=${BENCH_SERVICE_BIN:-$PWD/target/release/sinergi}
work=$(mktemp -d)
pid=
# set +e: a service already gone must not turn a finished run into a failed one.
trap 'set +e; [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# The demo's keys and subscriptions were sealed with the key of the run that made them.
sql -c "DELETE FROM signing_keys; DELETE FROM subscriptions"
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
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
for _ in $(seq 1 300); do
    a=$(ticks); sleep 2; b=$(ticks)
    [ $((b - a)) -lt 10 ] && break
done
tok=$(curl -s -u demo-kemensos:demo-kemensos-DEMO-SECRET-not-for-production \
    -d grant_type=client_credentials "$base/oauth/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

python3 - "$base" "$tok" "$rounds" "$db" "$pid" <<'PY'
import http.client, json, os, subprocess, sys, time, urllib.parse
base, token, rounds, db, pid = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
tick = os.sysconf("SC_CLK_TCK")

def seconds(stat):  # (name, CPU seconds) from a /proc stat line
    fields = stat[stat.rindex(")") + 2:].split()
    return stat[stat.index("(") + 1:stat.rindex(")")], (int(fields[11]) + int(fields[12])) / tick

def threads():  # the service's CPU seconds so far, and each live thread's: {tid: (name, s)}
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            out[tid] = seconds(open(f"/proc/{pid}/task/{tid}/stat").read())
        except FileNotFoundError:
            continue
    return seconds(open(f"/proc/{pid}/stat").read())[1], out

def postgres():
    snap = subprocess.run(["python3", "bench/cputime.py", "snap", db], capture_output=True,
                          check=True, text=True).stdout
    return json.loads(snap)["postgres"]

def queued():
    return subprocess.run(["psql", "-X", "-At", "-d", db, "-c", "SELECT count(*) FROM audit_queue"],
                          capture_output=True, check=True, text=True).stdout.strip()

url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
headers = {"Authorization": f"Bearer {token}"}
(total0, t0), pg0 = threads(), postgres()
start, pages, changes = time.perf_counter(), 0, 0
for _ in range(rounds):
    after = 0
    while True:
        conn.request("GET", f"/v1/changes?types=graduation&after={after}&limit=1000", headers=headers)
        res = conn.getresponse()
        body = res.read()
        assert res.status == 200, body[:300]
        page = json.loads(body)
        if not page["changes"]:
            break
        pages += 1
        changes += len(page["changes"])
        after = page["next"]
elapsed = time.perf_counter() - start
while queued() != "0":
    time.sleep(0.05)
(total1, t1), pg1 = threads(), postgres()
per_page = lambda s: round(s * 1e3 / pages, 1)
# Threads by name; a blocking-pool thread that ended meanwhile counts in the total only.
by_name = {}
for tid, (name, s) in t1.items():
    by_name[name] = by_name.get(name, 0) + s - t0.get(tid, (name, 0))[1]
by_thread = {name: per_page(s) for name, s in by_name.items() if s > 0}
print(json.dumps({
    "rounds": rounds, "pages": pages, "changes": changes, "seconds": round(elapsed, 2),
    "changes_per_s": round(changes / elapsed),
    "service_cpu_ms_per_page": per_page(total1 - total0),
    "service_cpu_ms_per_page_by_thread": dict(sorted(by_thread.items(), key=lambda kv: -kv[1])),
    "postgres_cpu_ms_per_page": per_page(pg1 - pg0),
}, indent=2))
PY
