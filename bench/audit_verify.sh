#!/usr/bin/env bash
# How fast does an auditor verify an audit export, against how fast this machine computes
# SHA-256? One run, one release binary, one core each:
#   - examples/bench_audit_verify.rs writes COUNT synthetic audit entries (RFC 8785 canonical
#     JSON, one a line, shaped like the service's entries, seed 1), a checkpoint over all of
#     them and one over the first COUNT/2, both signed with a fresh Ed25519 key, and the
#     verifier key;
#   - `openssl speed -seconds 3 sha256` (single-threaded) gives the machine's SHA-256 rate per
#     block size; the block size used is the one closest to the export's mean line length;
#   - `sinergi audit verify --entries … --checkpoint … --public-key … --previous-checkpoint …`
#     runs 3 times (after one warm-up run; the export is in the page cache): the median wall time
#     gives entries/s and MB/s, GNU time -v gives peak RSS and CPU time;
#   - `bench_audit_verify --phases` times the steps of verification one by one (read, find
#     newlines, JSON parse, canonical re-encoding, leaf hashes, node hashes), and a JSON syntax
#     check that builds nothing for comparison, to see where the time goes.
#   Ratios: verify's SHA-256 input bytes/s (every leaf hash is SHA-256(0x00 ‖ line), every
#   interior node SHA-256(0x01 ‖ left ‖ right), 65 bytes; about one of each per entry) against
#   openssl's bytes/s at that block size; and entries/s against openssl's hashes/s there.
#
#   bench/audit_verify.sh [COUNT]        (default: 1000000; about 510 MB of export per million entries)
# Uses hyperfine for the timing when it is installed (--runs 3 --warmup 1), else GNU time.
# Needs openssl, python3 and GNU time (/usr/bin/time). Writes bench/results/audit_verify.json.
# The export goes to a temporary directory under ${TMPDIR:-/tmp}, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
for tool in openssl python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "$tool is missing"; exit 1; }
done

cargo build --release --quiet --bin sinergi --example bench_audit_verify
bin=$PWD/target/release/sinergi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log() { printf '%s  %s\n' "$(date +%T)" "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
now() { date +%s.%N; }
# CPU seconds the whole machine has been busy (not idle, not waiting for I/O), to tell
# whether anything else ran during a measurement.
busy() { awk -v hz="$(getconf CLK_TCK)" '/^cpu /{print ($2+$3+$4+$7+$8+$9)/hz; exit}' /proc/stat; }

log "generating $count audit entries"
target/release/examples/bench_audit_verify "$work" "$count" 1 >"$work/generated.json"
cat "$work/generated.json" >&2

load_openssl=$(load)
log "openssl speed sha256 (load $load_openssl)"
# The standard block sizes, then one of exactly the export's mean line length.
mean=$(python3 -c 'import json, sys; print(round(json.load(sys.stdin)["mean_line_bytes"]))' <"$work/generated.json")
busy_openssl_0=$(busy); t_openssl_0=$(now)
openssl speed -seconds 3 -mr sha256 >"$work/openssl.txt" 2>&1   # +R lines go to stderr
openssl speed -seconds 3 -mr -bytes "$mean" sha256 >"$work/openssl-mean.txt" 2>&1
busy_openssl_1=$(busy); t_openssl_1=$(now)

verify=("$bin" audit verify --entries "$work/entries.ndjson" --checkpoint "$work/checkpoint"
    --public-key "$work/public-key" --previous-checkpoint "$work/previous")
"${verify[@]}" >"$work/verify.out"                                   # warm-up, and the answer
grep -q "^OK: $count entries" "$work/verify.out" || { cat "$work/verify.out"; exit 1; }
load_verify=$(load)
log "sinergi audit verify, 3 runs (load $load_verify): $(cat "$work/verify.out")"
timer=gnu-time
if command -v hyperfine >/dev/null; then
    timer=hyperfine
    hyperfine --runs 3 --warmup 1 --style none --export-json "$work/hyperfine.json" \
        "$(printf '%q ' "${verify[@]}")" >&2
fi
# GNU time in every case, for peak RSS and CPU time (and, without hyperfine, the wall time).
busy_verify_0=$(busy)
for run in 1 2 3; do
    t0=$(now)
    /usr/bin/time -v -o "$work/time.$run" "${verify[@]}" >/dev/null
    t1=$(now)
    echo "$t0 $t1" >"$work/wall.$run"
done
busy_verify_1=$(busy)

load_phases=$(load)
log "timing the phases (load $load_phases)"
target/release/examples/bench_audit_verify --phases "$work" >"$work/phases.json"

mkdir -p bench/results
python3 - "$work" <<PY | tee bench/results/audit_verify.json
import json, os, re, statistics, subprocess, sys
work = sys.argv[1]
count = $count
gen = json.load(open(f"{work}/generated.json"))
phases = json.load(open(f"{work}/phases.json"))
sh = lambda *a: subprocess.run(a, capture_output=True, text=True).stdout.strip()

# openssl -mr: "+H:16:64:..." block sizes, "+F:6:sha256:b1:b2:..." bytes/s,
# "+R:N:sha256:SECONDS" the hashes done at each size in turn.
def speed(path):
    lines = open(path).read().splitlines()
    sizes = [int(x) for x in next(l for l in lines if l.startswith("+H:")).split(":")[1:]]
    rates = [float(x) for x in next(l for l in lines if l.startswith("+F:")).split(":")[3:]]
    runs = [l.split(":") for l in lines if l.startswith("+R:")]
    hashes = [int(r[1]) / float(r[3]) for r in runs]
    assert len(sizes) == len(rates) == len(hashes), f"unexpected openssl speed output in {path}"
    return {s: {"bytes_per_s": round(b), "hashes_per_s": round(h)}
            for s, b, h in zip(sizes, rates, hashes)}
standard = speed(f"{work}/openssl.txt")
mean_line = gen["mean_line_bytes"]
block = round(mean_line)                          # the -bytes run
nearest = min(standard, key=lambda s: abs(s - mean_line))
openssl = {str(s): r for s, r in sorted({**standard, **speed(f"{work}/openssl-mean.txt")}.items())}

def gnu_time(path):
    text = open(path).read()
    field = lambda name: re.search(rf"{re.escape(name)}: (.*)", text).group(1)
    return {"user_s": float(field("User time (seconds)")),
            "system_s": float(field("System time (seconds)")),
            "peak_rss_kib": int(field("Maximum resident set size (kbytes)"))}
timed = [gnu_time(f"{work}/time.{i}") for i in (1, 2, 3)]
walls = []
for i in (1, 2, 3):
    t0, t1 = open(f"{work}/wall.{i}").read().split()
    walls.append(float(t1) - float(t0))
if "$timer" == "hyperfine":
    h = json.load(open(f"{work}/hyperfine.json"))["results"][0]
    runs_s = h["times"]
else:
    runs_s = walls
wall = statistics.median(runs_s)

# What verify hashes: per entry the leaf, SHA-256(0x00 || line); per merge of two subtrees a
# node, SHA-256(0x01 || left || right), 65 bytes. Frontier.push merges count - popcount(count)
# times; each checkpoint compared folds popcount(size) - 1 more.
pop = lambda n: bin(n).count("1")
line_bytes = gen["export_bytes"] - count          # without the newlines
node_hashes = count - pop(count) + sum(max(pop(s) - 1, 0) for s in (count, count // 2))
leaf_input = line_bytes + count
node_input = 65 * node_hashes
hashed = leaf_input + node_input
entries_per_s = count / wall
# The same hashing at openssl's rates: each leaf at the mean-line-length rate, each node (65
# bytes, two compression blocks) at the 64-byte rate (also two blocks).
hash_only_s = count / openssl[str(block)]["hashes_per_s"] + node_hashes / openssl["64"]["hashes_per_s"]
cpu = lambda t: round(t["user_s"] + t["system_s"], 2)
# Machine CPU seconds spent by anything but the measured program (about 0 on a quiet machine).
openssl_wall = $t_openssl_1 - $t_openssl_0
others_openssl = ($busy_openssl_1 - $busy_openssl_0) - openssl_wall
others_verify = ($busy_verify_1 - $busy_verify_0) - sum(cpu(t) for t in timed)
out = {
    "date": sh("date", "-u", "+%Y-%m-%dT%H:%M:%SZ"),
    "machine": {
        "nproc": int(sh("nproc")),
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                     if l.startswith("model name")), "unknown"),
        "sha_ni": " sha_ni" in open("/proc/cpuinfo").read(),
        "memory_kib": int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]),
        "load_average_before": {"openssl": "$load_openssl", "verify": "$load_verify",
                                "phases": "$load_phases"},
        "other_cpu_s_during": {"openssl": round(others_openssl, 2),
                               "verify_gnu_time_runs": round(others_verify, 2),
                               "verify_wall_s": round(sum(walls), 2)},
    },
    "versions": {
        "commit": "$(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || echo ' + uncommitted changes')",
        "rustc": sh("rustc", "--version"),
        "openssl": sh("openssl", "version"),
        "sha2_crate": re.search(r'name = "sha2"\nversion = "([^"]+)"', open("Cargo.lock").read()).group(1),
        "timer": "$timer" + (" " + sh("hyperfine", "--version") if "$timer" == "hyperfine" else ""),
    },
    "export": {
        "entries": count, "bytes": gen["export_bytes"],
        "mean_line_bytes": round(mean_line, 1), "longest_line_bytes": gen["longest_line_bytes"],
        "record_ids": gen["record_ids"], "seed": gen["seed"],
        "checkpoints": [count // 2, count], "generation_s": round(gen["seconds"], 2),
    },
    "openssl_sha256": {
        "command": f"openssl speed -seconds 3 -mr sha256; openssl speed -seconds 3 -mr -bytes {block} sha256",
        "per_block_size": openssl,
        "block_size_compared": block,
        "block_size_rule": "the export's mean line length (the -bytes run); the standard sizes "
                           f"nearest to it ({nearest}) and 1024 are given too",
    },
    "verify": {
        "command": "sinergi audit verify --entries E --checkpoint C --public-key K --previous-checkpoint P",
        "answer": open(f"{work}/verify.out").read().strip(),
        "runs_wall_s": [round(x, 3) for x in runs_s],
        "gnu_time_wall_s": [round(x, 3) for x in walls],
        "median_wall_s": round(wall, 3),
        "cpu_s": [cpu(t) for t in timed],
        "peak_rss_kib": max(t["peak_rss_kib"] for t in timed),
        "entries_per_s": round(entries_per_s),
        "export_mb_per_s": round(gen["export_bytes"] / wall / 1e6, 1),
        "sha256_input": {"leaf_hashes": count, "leaf_bytes": leaf_input,
                         "node_hashes": node_hashes, "node_bytes": node_input,
                         "total_bytes": hashed, "hashes_per_entry": round((count + node_hashes) / count, 3)},
        "sha256_input_mb_per_s": round(hashed / wall / 1e6, 1),
    },
    "ratios": {
        f"at_{size}_bytes": {
            "sha256_bytes_per_s_verify_to_openssl": round(hashed / wall / openssl[str(size)]["bytes_per_s"], 4),
            "entries_per_s_to_openssl_hashes_per_s": round(entries_per_s / openssl[str(size)]["hashes_per_s"], 4),
        } for size in sorted({block, nearest, 1024})
    },
    "ratios_note": f"at_{block}_bytes is the comparison (the mean line length). Each entry costs 2 "
                   "hashes, its leaf and about one interior node (65 bytes: openssl's 64-byte rate), "
                   "so even a verifier that only hashed would stay below 1.0 on the entries ratio: "
                   "see hash_only_at_openssl_rates.",
    "hash_only_at_openssl_rates": {
        "seconds": round(hash_only_s, 3),
        "entries_per_s": round(count / hash_only_s),
        "entries_per_s_to_openssl_hashes_per_s": round(count / hash_only_s / openssl[str(block)]["hashes_per_s"], 4),
        "share_of_verify_wall_time": round(hash_only_s / wall, 4),
    },
    "phases_s": {k: round(v, 3) for k, v in phases.items() if k.endswith("_s")},
}
print(json.dumps(out, indent=2))
PY
