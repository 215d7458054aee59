#!/usr/bin/env bash
# How fast can one consumer catch up on the change feed, against what PostgreSQL does with the
# same query, and how long after its commit is a change visible? One run, one release binary,
# one PostgreSQL:
#   (a) publish COUNT graduations (the demo generator, seed 2) through POST /v1/graduations/batch,
#       1,000 per request; every one becomes a change.
#   (b) catch-up: a consumer reads every graduation change from position 0 through
#       GET /v1/changes?types=graduation, 1,000 changes per page, one request after another on
#       one keep-alive connection (each page is also audited: its entry names the 1,000
#       records and their NIKs' hashes); twice: KEMENSOS reading its own graduations, then
#       KEMENDES reading them under the demo's data-sharing agreement (Sinergi-Purpose
#       PEMBERDAYAAN_EKONOMI: each change checked against the agreement, each record
#       projected to its fields). Each counts the CPU per page of the service, of its
#       database's backends and of the consumer itself, until the pages' audit entries are in
#       the tree.
#       Then pgbench, one client, the same time, runs the query a page needs — the page of
#       changes joined with the versions' content and the records' creation time — from random
#       positions. Ratio = API changes/s / (pgbench pages/s x 1,000).
#   (c) commit-to-visibility: for the graduation changes of the run, the time from the write
#       (taken at the start of its transaction, so slightly more than from its commit) until
#       the sequencer numbered it, p50/p99/max. (Only records': a follow-up signal or an
#       agreement's step carries the time it is about, not that of a write.)
#   (d) commit-to-delivery: a local webhook receiver (python, answering 204) subscribed for
#       graduations while WEBHOOKS graduations are published one at a time, 20 per second;
#       for each, the time from the write to its arrival at the receiver, p50/p99/max.
#   bench/feed.sh [COUNT] [SECONDS] [WEBHOOKS]        (defaults: 50000, 15, 600)
# Environment, for experiments: BENCH_SERVICE_BIN=path runs another build of the service.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), psql, pgbench, python3, curl.
# Writes bench/results/feed.json. Creates the database sinergi_bench_feed (dropping any left
# over) and drops it at the end unless KEEP_DATABASES=1.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-50000}
seconds=${2:-15}
webhooks=${3:-600}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
for tool in psql pgbench python3 curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing"; exit 1; }
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
sql() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
db=sinergi_bench_feed

log "generating $count graduations"
target/release/examples/bench_records "$work/gen" "$count" 2 1000

sql -d postgres -c "DROP DATABASE IF EXISTS $db"
sql -d postgres -c "CREATE DATABASE $db"
kek=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
start() { # runs serve --demo on the database in the background, sets $pid and $base
    : >"$work/out"
    (cd "$work" && exec env SINERGI_DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db" \
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
start
token() {
    curl -s -u "$1:$1-DEMO-SECRET-not-for-production" -d grant_type=client_credentials \
        "$base/oauth/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
demo_head=$(sql -d $db -c "SELECT coalesce(max(position), 0) FROM changes")

log "publishing $count graduations"
tok=$(token demo-kemensos)
for f in "$work"/gen/api/*.json; do
    code=$(curl -s -o "$work/resp.json" -w '%{http_code}' -H "Authorization: Bearer $tok" \
        -H 'Content-Type: application/json' --data-binary @"$f" "$base/v1/graduations/batch")
    [ "$code" = 200 ] || { echo "batch $f answered $code"; head -c 2000 "$work/resp.json"; exit 1; }
done
# Until the sequencer numbered the last of them.
for _ in $(seq 1 100); do
    left=$(sql -d $db -c "SELECT count(*) FROM changes WHERE position IS NULL")
    [ "$left" = 0 ] && break
    sleep 0.1
done
head=$(sql -d $db -c "SELECT max(position) FROM changes")
sql -d $db -c "VACUUM ANALYZE"
sql -d $db -c CHECKPOINT

# Every graduation change up to the head: what each consumer must read.
expected=$(sql -d $db -c "SELECT count(*) FROM changes WHERE kind = 'graduation' AND position <= $head")
catch_up() { # catch_up CLIENT OUT [PURPOSE]
    python3 - "$base" "$(token "$1")" "$head" "$expected" "$2" "$db" "$pid" "${3:-}" <<'PY'
import http.client, json, resource, subprocess, sys, time, urllib.parse
base, token, head, expected, out, db, pid, purpose = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6], sys.argv[7], sys.argv[8]
def cpu():  # CPU seconds so far: the service, its database's backends, this consumer
    snap = json.loads(subprocess.run(["python3", "bench/cputime.py", "snap", db, pid],
                                     capture_output=True, check=True, text=True).stdout)
    me = resource.getrusage(resource.RUSAGE_SELF)
    return {"service": snap["service"], "postgres": snap["postgres"], "consumer": me.ru_utime + me.ru_stime}
cpu_before = cpu()
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
headers = {"Authorization": f"Bearer {token}"}
if purpose:
    headers["Sinergi-Purpose"] = purpose
after, changes, pages, body_bytes, page_s = 0, 0, 0, 0, []
start = time.perf_counter()
while after < head:
    t = time.perf_counter()
    conn.request("GET", f"/v1/changes?types=graduation&after={after}&limit=1000", headers=headers)
    res = conn.getresponse()
    body = res.read()
    page_s.append(time.perf_counter() - t)
    assert res.status == 200, body[:500]
    page = json.loads(body)
    got = [c["position"] for c in page["changes"]]
    assert got == sorted(got) and all(p > after for p in got), "positions out of order"
    changes += len(got)
    pages += 1
    body_bytes += len(body)
    after = page["next"]
elapsed = time.perf_counter() - start
assert changes == expected, f"read {changes} changes, expected {expected}"
# Until the pages' audit entries are in the tree, so that the CPU counted includes theirs.
while subprocess.run(["psql", "-X", "-At", "-d", db, "-c", "SELECT count(*) FROM audit_queue"],
                     capture_output=True, check=True, text=True).stdout.strip() != "0":
    time.sleep(0.05)
cpu_after = cpu()
page_s.sort()
json.dump({"changes": changes, "pages": pages, "seconds": round(elapsed, 3),
           "changes_per_s": round(changes / elapsed), "mean_page_kib": round(body_bytes / pages / 1024),
           "page_p50_ms": round(page_s[len(page_s) // 2] * 1e3, 1),
           "page_p99_ms": round(page_s[min(len(page_s) - 1, int(len(page_s) * 0.99))] * 1e3, 1),
           "cpu_ms_per_page": {k: round((cpu_after[k] - cpu_before[k]) * 1e3 / pages, 1) for k in cpu_before}},
          open(out, "w"))
PY
}
load_api=$(load)
log "catching up through the API, own graduations (load $load_api)"
catch_up demo-kemensos "$work/api.json"
load_agreement=$(load)
log "catching up through the API, another agency's under an agreement (load $load_agreement)"
catch_up demo-kemendes "$work/agreement.json" "PEMBERDAYAAN_EKONOMI: feed benchmark"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# The query a page needs, as one statement: src/db/changes.rs reads the page, then the
# versions' content and the records' creation instants for its ids (two more queries).
cat >"$work/page.sql" <<'SQL'
\set after random(0, :head - 1000)
SELECT c.position, c.kind, c.action, c.record_id, c.version, c.publisher, c.occurred_at, v.content, v.retracted, v.retraction_reason, r.created_at FROM (SELECT * FROM changes WHERE position > :after AND position <= :head AND kind = 'graduation' ORDER BY position LIMIT 1000) AS c JOIN record_versions v ON v.record_id = c.record_id AND v.version = c.version JOIN records r ON r.id = c.record_id ORDER BY c.position
SQL
load_pg=$(load)
log "pgbench: the page query (load $load_pg)"
(cd "$work" && pgbench -n -M prepared -c 1 -T "$seconds" -D head="$head" -f page.sql $db >pgbench.out 2>pgbench.err) ||
    { cat "$work/pgbench.out" "$work/pgbench.err"; exit 1; }

load_hooks=$(load)
log "webhooks: $webhooks graduations, one at a time (load $load_hooks)"
start
python3 - "$base" "$(token demo-kemensos)" "$(token demo-kemendes)" "$work/gen/api/0000.json" \
    "$webhooks" "$work/webhooks.json" <<'PY'
import datetime, http.client, http.server, json, sys, threading, time, urllib.parse
base, kemensos, kemendes, batch, count, out = sys.argv[1:7]
count = int(count)
arrived = []
class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        arrived.append((time.time(), json.loads(body)))
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
def call(method, path, token, body):
    conn.request(method, path, body=json.dumps(body),
                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    res = conn.getresponse()
    return res.status, json.loads(res.read() or b"null")
status, sub = call("POST", "/v1/subscriptions", kemendes,
                   {"url": f"http://127.0.0.1:{server.server_port}/", "types": ["graduation"],
                    "purpose": "PEMBERDAYAAN_EKONOMI"})
assert status == 201, sub
items = json.load(open(batch))["items"]
for item in items[:count]:
    item = dict(item, source_record_id="HOOK-" + item["source_record_id"])
    status, answer = call("POST", "/v1/graduations", kemensos, item)
    assert status == 201, answer
    time.sleep(0.05)
deadline = time.time() + 120
while len(arrived) < count and time.time() < deadline:
    time.sleep(0.1)
assert len(arrived) >= count, f"{len(arrived)} of {count} deliveries arrived"
lat = sorted((t - datetime.datetime.fromisoformat(b["data"]["occurred_at"].replace("Z", "+00:00")).timestamp()) * 1e3
             for t, b in arrived)
positions = [b["data"]["position"] for _, b in arrived]
assert positions == sorted(positions), "deliveries out of order"
pct = lambda p: round(lat[min(len(lat) - 1, int(len(lat) * p))], 1)
json.dump({"deliveries": len(arrived), "p50_ms": pct(0.5), "p99_ms": pct(0.99), "max_ms": round(lat[-1], 1),
           "publish_rate_per_s": 20}, open(out, "w"))
PY
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

sql -d $db -A -F, -c "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY positioned_at - occurred_at),
    percentile_cont(0.99) WITHIN GROUP (ORDER BY positioned_at - occurred_at),
    max(positioned_at - occurred_at), count(*) FROM changes WHERE position > $demo_head
    AND kind = 'graduation'" >"$work/visibility.csv"
[ -n "${KEEP_DATABASES:-}" ] || sql -d postgres -c "DROP DATABASE $db"

mkdir -p bench/results
python3 - "$work" <<PY | tee bench/results/feed.json
import json, subprocess, sys
work = sys.argv[1]
api = json.load(open(f"{work}/api.json"))
text = open(f"{work}/pgbench.out").read()
tps = float(text.split("tps = ")[1].split()[0])
p50, p99, worst, n = open(f"{work}/visibility.csv").read().strip().split(",")
out = {
    "date": subprocess.run(["date", "-u", "+%Y-%m-%dT%H:%M:%SZ"], capture_output=True, text=True).stdout.strip(),
    "machine": "2 cores; the consumer (python), pgbench and the service share them",
    "postgresql": subprocess.run(["psql", "-XAtc", "SHOW server_version", "postgres"], capture_output=True, text=True).stdout.strip(),
    "commit": "$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src migrations 2>/dev/null || echo ' + uncommitted changes')",
    "service": "${BENCH_SERVICE_BIN:-target/release/sinergi}",
    "published": $count, "feed_head": $head,
    "catch_up": {
        "api": dict(api, load_average_before="$load_api",
                    reader="KEMENSOS, its own graduations"),
        "api_under_an_agreement": dict(json.load(open(f"{work}/agreement.json")), load_average_before="$load_agreement",
                                       reader="KEMENDES, KEMENSOS's graduations under the demo agreement, projected"),
        "pgbench_page_query": {"load_average_before": "$load_pg", "seconds": $seconds, "clients": 1,
                               "pages_per_s": round(tps), "changes_per_s": round(tps * 1000)},
        "ratio_api_to_pgbench": round(api["changes_per_s"] / (tps * 1000), 3),
        "ratio_api_under_an_agreement_to_pgbench": round(json.load(open(f"{work}/agreement.json"))["changes_per_s"] / (tps * 1000), 3),
    },
    "commit_to_delivery_ms": dict(json.load(open(f"{work}/webhooks.json")), load_average_before="$load_hooks"),
    "commit_to_visibility_ms": {"changes": int(n), "p50": round(float(p50) / 1e3, 1),
                                "p99": round(float(p99) / 1e3, 1), "max": round(float(worst) / 1e3, 1),
                                "sequence_interval_ms": 100},
}
print(json.dumps(out, indent=2))
PY
