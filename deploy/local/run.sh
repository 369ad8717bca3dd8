#!/usr/bin/env bash
# Starts Atrium on this machine for `make run`: builds what is missing, starts Keycloak on 127.0.0.1:8180 (realm
# from infra/keycloak, data in .atrium/keycloak), creates a demo platform admin on first start, runs the control
# plane on 127.0.0.1:8080 and two data planes, regions local-a (127.0.0.1:8081) and local-b (127.0.0.1:8082), each
# with its own embedded PostgreSQL (state in .atrium). Ctrl-C stops everything it started.
# ATRIUM_KEYCLOAK_ENABLED=false skips Keycloak (API keys only). Chat-model backends for the data planes go in
# .atrium/data-plane.properties (e.g. atrium.models.llama.url=http://127.0.0.1:11434/v1), read when present.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
export ATRIUM_DATA_DIR=${ATRIUM_DATA_DIR:-$ROOT/.atrium}
KEYCLOAK_ENABLED=${ATRIUM_KEYCLOAK_ENABLED:-true}
CONTROL_PLANE_JAR=control-plane/target/quarkus-app/quarkus-run.jar
DATA_PLANE_JAR=data-plane/target/quarkus-app/quarkus-run.jar
CONSOLE_JAR=console/target/quarkus-app/quarkus-run.jar
REGIONS=(local-a local-b)

# Build when the jar is missing or any source is newer than it (this also unpacks Keycloak from Maven Central).
stale() {  # jar, sources...: true when the jar is missing or older than a source
  local jar=$1; shift
  [ ! -f "$jar" ] || [ -n "$(find "$@" -newer "$jar" \( -name '*.java' -o -name '*.xml' -o -name '*.properties' -o -name '*.sql' \
      -o -name '*.json' -o -name '*.tsv' \) -not -path '*/target/*' -print -quit)" ]
}
if stale "$CONTROL_PLANE_JAR" pom.xml tenancy compliance control-plane infra/keycloak || stale "$DATA_PLANE_JAR" pom.xml tenancy data-plane \
    || stale "$CONSOLE_JAR" pom.xml tenancy console; then
  echo "Building Atrium (the first run downloads dependencies, Keycloak and the embedding model from Maven Central)..."
  ./mvnw -B -q -DskipTests -pl control-plane,data-plane,console -am package
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

secret_file() {  # a random secret kept in a 0600 file, created once
  if [ ! -s "$1" ]; then (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$1"); fi
  cat "$1"
}

wait_for() {  # url, pid, what
  for _ in $(seq 1 360); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "$3 exited during start-up (see its log)" >&2; exit 1; }
    sleep 0.5
  done
  echo "$3 did not become ready" >&2; exit 1
}

LOGIN_HINT=""
if [ "$KEYCLOAK_ENABLED" = "true" ]; then
  source deploy/local/keycloak.sh
  echo "Starting Keycloak on http://127.0.0.1:8180 (log: $ATRIUM_DATA_DIR/keycloak/keycloak.log)..."
  keycloak_start "$ATRIUM_DATA_DIR/keycloak" 8180 9180
  pids+=("$KC_PID")
  # The shipped realm holds no client secrets: Keycloak generated them at import. Keep this installation's copies
  # (0600) for the processes that need them.
  for client in atrium-control-plane atrium-console; do
    (umask 077; keycloak_client_secret $client > "$KC_DATA/$client.secret")
    [ -s "$KC_DATA/$client.secret" ] || { echo "could not read the secret of Keycloak client $client" >&2; exit 1; }
  done
  export ATRIUM_KEYCLOAK_ADMIN_CLIENT_SECRET=$(cat "$KC_DATA/atrium-control-plane.secret")
  export ATRIUM_CONSOLE_CLIENT_SECRET=$(cat "$KC_DATA/atrium-console.secret")
  # Local runs only: the CLI may sign in with a password (off in the shipped realm, which uses the device grant).
  keycloak_allow_password_grant
  DEMO_PASSWORD=$(secret_file "$KC_DATA/demo-password")
  REVIEWER_PASSWORD=$(secret_file "$KC_DATA/demo-reviewer-password")
  keycloak_person platform-admin "$DEMO_PASSWORD" platform-admin Platform Admin
  keycloak_person platform-reviewer "$REVIEWER_PASSWORD" platform-compliance-officer Platform Reviewer
  LOGIN_HINT="    Keycloak            http://127.0.0.1:8180  (admin console: admin / $KC_ADMIN_PASSWORD)
    Demo platform admin platform-admin / $DEMO_PASSWORD   (local runs only; realm 'atrium')
    Demo reviewer       platform-reviewer / $REVIEWER_PASSWORD   (platform-compliance-officer: reviews platform-wide models)"
fi

# Each data plane's service key: generated once, kept 0600 in its region directory, registered by the control plane.
SERVICE_KEYS=()
for region in "${REGIONS[@]}"; do
  mkdir -p "$ATRIUM_DATA_DIR/data-plane/$region"
  key_file=$ATRIUM_DATA_DIR/data-plane/$region/service-key
  [ -s "$key_file" ] || (umask 077; "$JAVA" -cp tenancy/target/classes dev.atrium.tenancy.GenerateApiKey > "$key_file")
  SERVICE_KEYS+=("$region=$(cat "$key_file")")
done

# on one machine a tenant's own model backend is usually local too (Ollama, vLLM): let deployments point at it
ATRIUM_KEYCLOAK_ENABLED=$KEYCLOAK_ENABLED ATRIUM_API_KEYS_SERVICE_KEYS=$(IFS=,; echo "${SERVICE_KEYS[*]}") \
  ATRIUM_DEPLOYMENTS_ALLOW_PRIVATE_UPSTREAMS=${ATRIUM_DEPLOYMENTS_ALLOW_PRIVATE_UPSTREAMS:-true} \
  ATRIUM_REGIONS_STATIC=${ATRIUM_REGIONS_STATIC:-local-a=eu=http://127.0.0.1:8081,local-b=eu=http://127.0.0.1:8082} \
  "$JAVA" -Datrium.cache-dir="$ATRIUM_DATA_DIR/cache" -jar "$CONTROL_PLANE_JAR" &
pids+=($!)
CONTROL_PLANE_PID=${pids[-1]}
wait_for http://127.0.0.1:8080/q/health/ready "$CONTROL_PLANE_PID" "The control plane"

EXTRA_CONFIG=()
[ -f "$ATRIUM_DATA_DIR/data-plane.properties" ] && EXTRA_CONFIG=("-Dquarkus.config.locations=$ATRIUM_DATA_DIR/data-plane.properties")
port=8081
for region in "${REGIONS[@]}"; do
  echo "Starting data plane $region on http://127.0.0.1:$port (log: $ATRIUM_DATA_DIR/data-plane/$region/data-plane.log)..."
  ATRIUM_REGION=$region ATRIUM_SERVICE_KEY=$(cat "$ATRIUM_DATA_DIR/data-plane/$region/service-key") \
    ATRIUM_DEPLOYMENTS_ALLOW_PRIVATE_UPSTREAMS=${ATRIUM_DEPLOYMENTS_ALLOW_PRIVATE_UPSTREAMS:-true} \
    "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dquarkus.http.port=$port \
    -Datrium.cache-dir="$ATRIUM_DATA_DIR/cache" "${EXTRA_CONFIG[@]}" -jar "$DATA_PLANE_JAR" \
    > "$ATRIUM_DATA_DIR/data-plane/$region/data-plane.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/q/health/ready" "${pids[-1]}" "Data plane $region"
  port=$((port + 1))
done
CONSOLE_HINT=""
if [ "$KEYCLOAK_ENABLED" = "true" ]; then
  mkdir -p "$ATRIUM_DATA_DIR/console"
  echo "Starting the console on http://127.0.0.1:8090 (log: $ATRIUM_DATA_DIR/console/console.log)..."
  "$JAVA" -jar "$CONSOLE_JAR" > "$ATRIUM_DATA_DIR/console/console.log" 2>&1 &
  pids+=($!)
  wait_for http://127.0.0.1:8090/q/health/ready "${pids[-1]}" "The console"
  CONSOLE_HINT="    Console             http://127.0.0.1:8090              (sign in with the demo platform admin below)"
fi
cat <<MSG

  Atrium is running.
$CONSOLE_HINT
    Control-plane API   http://127.0.0.1:8080/api/v1   (Swagger UI: http://127.0.0.1:8080/q/swagger-ui)
    Data plane local-a  http://127.0.0.1:8081/v1       (OpenAI-compatible + RAG, tenant API keys)
    Data plane local-b  http://127.0.0.1:8082/v1
$LOGIN_HINT
    State               $ATRIUM_DATA_DIR
  Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
