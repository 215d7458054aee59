#!/usr/bin/env bash
# Runs the PHP and the Java integration examples against a running Sinergi server and exits
# non-zero if either fails. It starts no server itself.
#
#   examples/clients.sh [BASE_URL]        # default: $SINERGI_URL, else http://127.0.0.1:8080
#
# The server: `sinergi serve --demo` has everything the examples need (the demo-kemensos
# client, the PKH and SEMBAKO programs, and webhooks allowed to 127.0.0.1 over plain http).
# Any other server must allow the examples' local webhook receivers with
#   SINERGI_WEBHOOK_ALLOW_HOSTS=127.0.0.1
# and the examples need a client of their own (SINERGI_CLIENT_ID, SINERGI_CLIENT_SECRET)
# with graduations:read graduations:write changes:read subscriptions:write, whose agency
# owns the social-assistance programs SINERGI_PROGRAM and SINERGI_PROGRAM_2 (PKH, SEMBAKO).
#
# Needs: php (8.1 or later) with the curl extension (apt-get install -y php-cli php-curl),
# and JDK 17 or later (apt-get install -y openjdk-17-jdk-headless). Both examples read the
# same SINERGI_* variables; see examples/php/README.md and examples/java/README.md.

set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export SINERGI_URL="${1:-${SINERGI_URL:-http://127.0.0.1:8080}}"
SINERGI_URL="${SINERGI_URL%/}"

missing=0
if ! command -v php >/dev/null 2>&1 || ! php -r 'exit(extension_loaded("curl") ? 0 : 1);'; then
    echo "clients.sh: php with the curl extension is missing (apt-get install -y php-cli php-curl)" >&2
    missing=1
fi
if ! command -v javac >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
    echo "clients.sh: javac/java are missing (apt-get install -y openjdk-17-jdk-headless)" >&2
    missing=1
fi
[ "$missing" = 0 ] || exit 2

# The lead may have just started the server: wait (bounded) until it is ready.
ready_timeout="${SINERGI_READY_TIMEOUT:-30}"
if command -v curl >/dev/null 2>&1; then
    deadline=$((SECONDS + ready_timeout))
    until curl -fs -o /dev/null --max-time 2 "$SINERGI_URL/readyz"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "clients.sh: $SINERGI_URL/readyz did not answer 200 within ${ready_timeout} s" >&2
            exit 2
        fi
        sleep 0.5
    done
fi

now_ms() { date +%s%3N; }
elapsed() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f s", (b - a) / 1000 }'; }

echo "== PHP example (examples/php) against $SINERGI_URL"
start=$(now_ms)
php "$here/php/example.php"
php_rc=$?
php_time=$(elapsed "$start")

echo
echo "== Java example (examples/java) against $SINERGI_URL"
classes=$(mktemp -d "${TMPDIR:-/tmp}/sinergi-java-example.XXXXXX")
trap 'rm -rf "$classes"' EXIT
start=$(now_ms)
if javac -encoding UTF-8 -d "$classes" "$here"/java/*.java; then
    compile_time=$(elapsed "$start")
    start=$(now_ms)
    java -cp "$classes" SinergiExample
    java_rc=$?
    java_time="$(elapsed "$start"), compiled in $compile_time"
else
    java_rc=1
    java_time="compilation failed"
fi

echo
result() { if [ "$1" = 0 ]; then echo "ok"; else echo "FAILED (exit $1)"; fi; }
echo "== summary"
echo "php:  $(result "$php_rc") ($php_time)"
echo "java: $(result "$java_rc") ($java_time)"
[ "$php_rc" = 0 ] && [ "$java_rc" = 0 ]
