#!/usr/bin/env bash
# Starts Atrium on this machine for `make run`: builds what is missing, starts Keycloak on 127.0.0.1:8180 (realm
# from infra/keycloak, data in .atrium/keycloak), creates a demo platform admin on first start, then runs the control
# plane on 127.0.0.1:8080 with embedded PostgreSQL (state in .atrium). Ctrl-C stops everything it started.
# ATRIUM_KEYCLOAK_ENABLED=false skips Keycloak (API keys only).
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

# Build when the jar is missing or any source is newer than it (this also unpacks Keycloak from Maven Central).
if [ ! -f "$CONTROL_PLANE_JAR" ] || [ -n "$(find pom.xml tenancy compliance control-plane infra/keycloak -newer "$CONTROL_PLANE_JAR" \
      \( -name '*.java' -o -name '*.xml' -o -name '*.properties' -o -name '*.sql' -o -name '*.json' \) -not -path '*/target/*' -print -quit)" ]; then
  echo "Building Atrium (the first run downloads dependencies and Keycloak from Maven Central)..."
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
  KC_HOME=$(ls -d "$ATRIUM_DATA_DIR"/cache/keycloak-* 2>/dev/null | sort -V | tail -1)
  [ -n "$KC_HOME" ] || { echo "Keycloak is not unpacked in $ATRIUM_DATA_DIR/cache: run make build" >&2; exit 1; }
  KC_DATA=$ATRIUM_DATA_DIR/keycloak
  mkdir -p "$KC_DATA" "$KC_HOME/data/import"
  cp infra/keycloak/atrium-realm.json "$KC_HOME/data/import/"
  KC_ADMIN_PASSWORD=$(secret_file "$KC_DATA/admin-password")
  DEMO_PASSWORD=$(secret_file "$KC_DATA/demo-password")
  echo "Starting Keycloak on http://127.0.0.1:8180 (log: $KC_DATA/keycloak.log)..."
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    "$KC_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port=8180 --http-management-port=9180 --import-realm \
    "--db-url=jdbc:h2:file:$KC_DATA/keycloakdb;NON_KEYWORDS=VALUE" > "$KC_DATA/keycloak.log" 2>&1 &
  pids+=($!)
  wait_for http://127.0.0.1:8180/realms/atrium/.well-known/openid-configuration "${pids[-1]}" Keycloak

  kcadm() { "$KC_HOME/bin/kcadm.sh" "$@" --config "$KC_DATA/kcadm.config"; }
  kcadm config credentials --server http://127.0.0.1:8180 --realm master --user admin --password "$KC_ADMIN_PASSWORD" >/dev/null
  if [ -z "$(kcadm get users -r atrium -q username=platform-admin -q exact=true --fields id 2>/dev/null | grep -o '"id"')" ]; then
    kcadm create users -r atrium -s username=platform-admin -s email=platform-admin@atrium.local \
      -s firstName=Platform -s lastName=Admin -s enabled=true -s emailVerified=true >/dev/null
    kcadm set-password -r atrium --username platform-admin --new-password "$DEMO_PASSWORD" >/dev/null
    kcadm add-roles -r atrium --uusername platform-admin --rolename platform-admin >/dev/null
  fi
  LOGIN_HINT="    Keycloak            http://127.0.0.1:8180  (admin console: admin / $KC_ADMIN_PASSWORD)
    Demo platform admin platform-admin / $DEMO_PASSWORD   (local runs only; realm 'atrium')"
fi

ATRIUM_KEYCLOAK_ENABLED=$KEYCLOAK_ENABLED "$JAVA" -Datrium.cache-dir="$ATRIUM_DATA_DIR/cache" -jar "$CONTROL_PLANE_JAR" &
pids+=($!)
wait_for http://127.0.0.1:8080/q/health/ready "${pids[-1]}" "The control plane"
cat <<MSG

  Atrium is running.
    Control-plane API   http://127.0.0.1:8080/api/v1   (Swagger UI: http://127.0.0.1:8080/q/swagger-ui)
$LOGIN_HINT
    State               $ATRIUM_DATA_DIR
  Press Ctrl-C to stop.

MSG
wait "${pids[-1]}"
