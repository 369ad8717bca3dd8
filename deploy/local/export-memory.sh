#!/usr/bin/env bash
# Demonstrates that audit exports stream with constant memory: starts Keycloak and the packaged control plane with the
# heap capped at 256 MB (throw-away data directory; exports are a compliance officer's right, so a person exports),
# appends EVENTS (default 1,000,000) valid events to one tenant's
# chain (deploy/local/bench/GenerateAuditEvents.java, directly in PostgreSQL), exports them as JSON Lines, CSV and PDF
# while sampling heap use and RSS, and verifies the JSON Lines export offline. Usage: [FORMATS="jsonl csv pdf"]
# export-memory.sh [events]. The control plane's log is left in $TMPDIR/export-memory-control-plane.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
EVENTS=${1:-1000000}
PORT=18085
WORK=$(mktemp -d)
APP=control-plane/target/quarkus-app
cleanup() {
  if [ -n "${PID:-}" ]; then kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; fi
  if [ -n "${KC_PID:-}" ]; then kill "$KC_PID" 2>/dev/null && wait "$KC_PID" 2>/dev/null || true; fi
  cp "$WORK/control-plane.log" "${TMPDIR:-/tmp}/export-memory-control-plane.log" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export ATRIUM_DATA_DIR=$WORK/.atrium
source deploy/local/keycloak.sh
echo "starting Keycloak (an export is a compliance officer's right: a person does it)..."
keycloak_start "$WORK/keycloak" 18180 19180
keycloak_allow_password_grant
keycloak_person reviewer correct-horse-battery platform-compliance-officer Export Reviewer
ATRIUM_KEYCLOAK_URL=$KC_URL ATRIUM_KEYCLOAK_ADMIN_CLIENT_SECRET=$(keycloak_client_secret atrium-control-plane) \
  ATRIUM_REGIONS_STATIC=export=eu=http://127.0.0.1:9 \
  "$JAVA" -Xmx256m -Dquarkus.http.port=$PORT \
  -Datrium.cache-dir="$ROOT/.atrium/cache" -jar $APP/quarkus-run.jar > "$WORK/control-plane.log" 2>&1 &
PID=$!
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$PID" 2>/dev/null || { tail -30 "$WORK/control-plane.log"; exit 1; }
  sleep 0.5
done
KEY=$(grep -o 'atr_[0-9A-Za-z]\{46\}' "$WORK/control-plane.log" | head -1)
JDBC=$(grep -o 'jdbc:postgresql://127.0.0.1:[0-9]*/atrium' "$WORK/control-plane.log" | head -1)
API=http://127.0.0.1:$PORT/api/v1
AUTH="Authorization: Bearer $KEY"
TENANT=$(curl -fs -X POST $API/tenants -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"slug":"export-demo","displayName":"Export demo"}' | sed 's/.*"id":"\([^"]*\)".*/\1/')
sleep 2
echo "control plane pid $PID, -Xmx256m; appending $EVENTS events to tenant $TENANT..."
OWNER_PASSWORD=$(grep '^atrium_owner=' "$WORK/.atrium/control-plane/pg-credentials" | cut -d= -f2-)
"$JAVA" -cp "$APP/app/*:$APP/lib/main/*" deploy/local/bench/GenerateAuditEvents.java "$JDBC" "$OWNER_PASSWORD" "$TENANT" "$EVENTS"

JSTAT=${JAVA_HOME:+$JAVA_HOME/bin/}jstat
heap() { "$JSTAT" -gc "$PID" | awk 'NR == 2 {printf "%d", ($3 + $4 + $6 + $8) / 1024}'; }  # S0U + S1U + EU + OU
rss() { awk '/VmRSS/ {printf "%d", $2 / 1024}' /proc/$PID/status; }
for format in ${FORMATS:-jsonl csv pdf}; do
  AUTH="Authorization: Bearer $(keycloak_token reviewer correct-horse-battery)"
  START=$(date +%s)
  ID=$(curl -fs -X POST $API/audit/exports -H "$AUTH" -H 'Content-Type: application/json' \
    -d "{\"tenantId\":\"$TENANT\",\"format\":\"$format\"}" | sed 's/.*"id":"\([^"]*\)".*/\1/')
  MAX_HEAP=0; MAX_RSS=0
  while true; do
    STATUS=$(curl -fs "$API/audit/exports/$ID" -H "$AUTH" | sed 's/.*"status":"\([A-Z]*\)".*/\1/')
    H=$(heap); R=$(rss)
    [ "$H" -gt "$MAX_HEAP" ] && MAX_HEAP=$H
    [ "$R" -gt "$MAX_RSS" ] && MAX_RSS=$R
    [ "$STATUS" = "DONE" ] || [ "$STATUS" = "FAILED" ] && break
    sleep 0.5
  done
  SECONDS_TAKEN=$(( $(date +%s) - START ))
  curl -fs "$API/audit/exports/$ID/content" -H "$AUTH" -o "$WORK/export.$format"
  WRITTEN=$(curl -fs "$API/audit/exports/$ID" -H "$AUTH" | sed 's/.*"eventsWritten":\([0-9]*\).*/\1/')
  printf "EXPORT %-5s %s: %s events, %d s, file %d MB, max heap used %d MB (cap 256), max RSS %d MB\n" "$format" "$STATUS" \
    "$WRITTEN" "$SECONDS_TAKEN" $(( $(stat -c %s "$WORK/export.$format") / 1048576 )) "$MAX_HEAP" "$MAX_RSS"
done
if [ -f "$WORK/export.jsonl" ]; then
  echo "offline verification of the JSON Lines export (verifier jar, -Xmx256m):"
  "$JAVA" -Xmx256m -jar compliance/target/atrium-audit-verify.jar "$WORK/export.jsonl" | tail -2
fi
