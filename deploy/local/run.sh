#!/usr/bin/env bash
# Starts Atrium on this machine for `make run`: builds what is missing, then runs the control plane on
# 127.0.0.1:8080 with embedded PostgreSQL (state under ./.atrium). Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
export ATRIUM_DATA_DIR=${ATRIUM_DATA_DIR:-$ROOT/.atrium}
CONTROL_PLANE_JAR=control-plane/target/quarkus-app/quarkus-run.jar

# Build when the jar is missing or any source is newer than it.
if [ ! -f "$CONTROL_PLANE_JAR" ] || [ -n "$(find pom.xml tenancy compliance control-plane -newer "$CONTROL_PLANE_JAR" \
      \( -name '*.java' -o -name '*.xml' -o -name '*.properties' -o -name '*.sql' \) -not -path '*/target/*' -print -quit)" ]; then
  echo "Building Atrium (first run downloads dependencies from Maven Central)..."
  ./mvnw -B -q -DskipTests -pl control-plane -am package
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Atrium stopped."
}
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

mkdir -p "$ATRIUM_DATA_DIR"
"$JAVA" -Datrium.cache-dir="$ATRIUM_DATA_DIR/cache" -jar "$CONTROL_PLANE_JAR" &
pids+=($!)

for _ in $(seq 1 240); do
  if curl -fs http://127.0.0.1:8080/q/health/ready >/dev/null 2>&1; then
    cat <<MSG

  Atrium is running.
    Control-plane API   http://127.0.0.1:8080/api/v1   (Swagger UI: http://127.0.0.1:8080/q/swagger-ui)
    State               $ATRIUM_DATA_DIR
  Press Ctrl-C to stop.

MSG
    break
  fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "the control plane exited during start-up" >&2; exit 1; fi
  sleep 0.5
done
wait "${pids[0]}"
