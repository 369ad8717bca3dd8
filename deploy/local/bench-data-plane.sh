#!/usr/bin/env bash
# `make bench-data-plane`: starts the packaged control plane (Keycloak off), one data plane and a SIMULATED local
# OpenAI upstream on a throw-away data directory, runs deploy/local/bench/DataPlaneBench.java, and stops them.
# Usage: bench-data-plane.sh [chunks, default 100000] [seconds per query phase, default 20]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CP_PORT=18080; DP_PORT=18081; UP_PORT=18090
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ready() {  # url pid log
  for _ in $(seq 1 240); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { tail -50 "$3"; exit 1; }
    sleep 0.5
  done
  exit 1
}

SERVICE_KEY=$("$JAVA" -cp tenancy/target/classes dev.atrium.tenancy.GenerateApiKey)
ATRIUM_DATA_DIR=$WORK/.atrium ATRIUM_KEYCLOAK_ENABLED=false ATRIUM_API_KEYS_SERVICE_KEYS="bench=$SERVICE_KEY" \
  ATRIUM_REGIONS_STATIC="bench=eu=http://127.0.0.1:$DP_PORT" \
  "$JAVA" -Dquarkus.http.port=$CP_PORT -Datrium.cache-dir="$ROOT/.atrium/cache" -Xmx1g \
  -jar control-plane/target/quarkus-app/quarkus-run.jar > "$WORK/control-plane.log" 2>&1 &
PIDS+=($!); ready "http://127.0.0.1:$CP_PORT/q/health/ready" "${PIDS[-1]}" "$WORK/control-plane.log"
PLATFORM_KEY=$(grep -o 'atr_[0-9A-Za-z]\{46\}' "$WORK/control-plane.log" | head -1)

"$JAVA" deploy/local/bench/FakeUpstream.java $UP_PORT > "$WORK/upstream.log" 2>&1 &
PIDS+=($!)

ATRIUM_DATA_DIR=$WORK/.atrium ATRIUM_REGION=bench ATRIUM_SERVICE_KEY=$SERVICE_KEY ATRIUM_CONTROL_PLANE_URL=http://127.0.0.1:$CP_PORT \
  "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx2g ${BENCH_JVM_OPTS:-} \
  -Dquarkus.http.port=$DP_PORT -Datrium.cache-dir="$ROOT/.atrium/cache" \
  -Datrium.models.bench.url=http://127.0.0.1:$UP_PORT/v1 -Datrium.rag.ingest-threads=2 \
  -jar data-plane/target/quarkus-app/quarkus-run.jar > "$WORK/data-plane.log" 2>&1 &
DP_PID=$!
PIDS+=($DP_PID); ready "http://127.0.0.1:$DP_PORT/q/health/ready" "$DP_PID" "$WORK/data-plane.log"
ready "http://127.0.0.1:$UP_PORT/v1/chat/completions" "${PIDS[1]}" "$WORK/upstream.log" 2>/dev/null || true

echo "data plane pid $DP_PID ($(nproc) cores, load generator, control plane and upstream on the same machine)"
"$JAVA" deploy/local/bench/DataPlaneBench.java "http://127.0.0.1:$CP_PORT" "$PLATFORM_KEY" "http://127.0.0.1:$DP_PORT" \
  "http://127.0.0.1:$UP_PORT" "${1:-100000}" "${2:-20}"
echo "data plane RSS after the run: $(( $(awk '/VmRSS/ {print $2}' /proc/$DP_PID/status) / 1024 )) MB"
