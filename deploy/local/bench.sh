#!/usr/bin/env bash
# `make bench`: starts the packaged control plane on a fresh, throw-away data directory (embedded PostgreSQL),
# runs deploy/local/bench/ControlPlaneBench.java against it, and stops it. Usage: bench.sh [seconds-per-phase] [phases, e.g. 13]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PORT=${BENCH_PORT:-18080}
WORK=$(mktemp -d)
LOG=$WORK/control-plane.log
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

ATRIUM_DATA_DIR=$WORK/.atrium ATRIUM_KEYCLOAK_ENABLED=false ATRIUM_REGIONS_STATIC=bench=eu=http://127.0.0.1:9 "$JAVA" -Dquarkus.http.port="$PORT" -Datrium.cache-dir="$ROOT/.atrium/cache" \
  -Datrium.rate-limit.platform.requests-per-second=100000 -Datrium.rate-limit.platform.burst=100000 \
  -Xmx1g ${BENCH_JVM_OPTS:-} -jar control-plane/target/quarkus-app/quarkus-run.jar > "$LOG" 2>&1 &
PID=$!
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG"; exit 1; }
  sleep 0.5
done
KEY=$(grep -o 'atr_[0-9A-Za-z]\{46\}' "$LOG" | head -1)
echo "control plane pid $PID on port $PORT ($(nproc) cores, load generator on the same machine)"
"$JAVA" deploy/local/bench/ControlPlaneBench.java "http://127.0.0.1:$PORT" "$KEY" "${1:-30}" "${2:-1234}"
echo "control plane RSS after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/$PID/status) / 1024 )) MB"
