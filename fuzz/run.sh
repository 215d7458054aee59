#!/usr/bin/env bash
# Builds every cargo-fuzz target once and runs each for SECONDS_PER_TARGET seconds
# (default 20), one after the other, starting from the committed seeds in
# fuzz/seeds/<target>/ copied into the scratch corpus fuzz/corpus/<target>/ (kept between
# local runs, ignored by git). Exits non-zero if any target crashed (a panic, a failed
# assertion, a timeout or running out of memory), after printing where the crashing input
# was written (fuzz/artifacts/<target>/) and how to reproduce it.
#
#   fuzz/run.sh 15      # CI
#   fuzz/run.sh 300     # a longer run: five minutes per target
#
# Stable Rust is enough: RUSTC_BOOTSTRAP=1 lets it accept the nightly flags cargo-fuzz
# passes. The targets are built without a sanitizer (--sanitizer none): the code under test
# is safe Rust, so AddressSanitizer would only slow the runs down; libFuzzer's coverage
# guidance, debug assertions and overflow checks stay on. The binaries are run directly
# after the one build, so that source edits made meanwhile never trigger a rebuild halfway.
#
# Environment: FUZZ_TARGETS="nik kk" runs only those targets; CARGO_BUILD_JOBS (default 2)
# limits the build's parallelism; FUZZ_TARGET_DIR (default fuzz/target) is where the build
# goes, e.g. a directory kept between CI runs, so that only what changed is rebuilt;
# FUZZ_TIMEOUT (default 30) is the seconds one input may take before it counts as a crash;
# FUZZ_ARGS adds libFuzzer options (split at spaces), e.g. FUZZ_ARGS="-max_len=8192".
set -euo pipefail

seconds="${1:-20}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: $0 [SECONDS_PER_TARGET]" >&2
    exit 2
fi

cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

host="$(rustc -vV | sed -n 's/^host: //p')"
target_dir="${FUZZ_TARGET_DIR:-fuzz/target}"
flags=(--sanitizer none --target "$host" --target-dir "$target_dir")
bin_dir="$target_dir/$host/release"

targets="${FUZZ_TARGETS:-$(cargo fuzz list)}"

echo "== building the fuzz targets"
build_start=$SECONDS
cargo fuzz build "${flags[@]}"
echo "== built in $((SECONDS - build_start)) s"

# The token targets keep their SQLite database under TMPDIR: give them a directory of
# their own and remove it afterwards.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/sinergi-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

failed=()
summary=()
total_runs=0
for target in $targets; do
    corpus="fuzz/corpus/$target"
    artifacts="fuzz/artifacts/$target/"
    mkdir -p "$corpus" "$artifacts"
    if [ -d "fuzz/seeds/$target" ]; then
        cp "fuzz/seeds/$target"/* "$corpus"/
    fi
    options=(
        -max_total_time="$seconds"
        -timeout="${FUZZ_TIMEOUT:-30}"
        -print_final_stats=1
        -artifact_prefix="$artifacts"
    )
    if [ -f "fuzz/dicts/$target.dict" ]; then
        options+=("-dict=fuzz/dicts/$target.dict")
    fi
    # shellcheck disable=SC2206 # split on purpose
    options+=(${FUZZ_ARGS:-})
    log="$scratch/$target.log"
    echo "== fuzzing $target for $seconds s (corpus $corpus)"
    status=0
    TMPDIR="$scratch" "$bin_dir/$target" "${options[@]}" "$corpus" >"$log" 2>&1 || status=$?
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
    units="$(sed -n 's/^#[0-9]*[[:space:]]*DONE .*corp: \([0-9]*\).*/\1/p' "$log" | tail -n 1)"
    total_runs=$((total_runs + ${runs:-0}))
    if [ "$status" -ne 0 ]; then
        tail -n 60 "$log"
        artifact="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)"
        echo "!! $target crashed (exit $status); input: ${artifact:-see the log above}"
        if [ -n "$artifact" ]; then
            echo "!! reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none $target $artifact"
        fi
        failed+=("$target")
        summary+=("$(printf '%-18s CRASHED  %12s runs  %8s exec/s' "$target" "${runs:-?}" "${rate:-?}")")
    else
        summary+=("$(printf '%-18s ok       %12s runs  %8s exec/s  %6s in corpus' \
            "$target" "${runs:-?}" "${rate:-?}" "${units:-?}")")
    fi
done

echo "== summary ($seconds s per target, $total_runs executions in all)"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -ne 0 ]; then
    echo "!! crashed: ${failed[*]} (inputs under fuzz/artifacts/)" >&2
    exit 1
fi
