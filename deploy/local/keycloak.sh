# Keycloak for local runs, sourced by run.sh and the benchmark scripts (not run on its own). Needs ROOT and JAVA_HOME
# set, and the distribution the build unpacked into <data-dir>/cache.
#   keycloak_start DATA_DIR PORT MANAGEMENT_PORT   starts it (realm from infra/keycloak) and waits; sets KC_PID, KC_URL
#   keycloak_client_secret CLIENT_ID               the secret Keycloak generated for a client of the realm
#   keycloak_allow_password_grant                  local realms only: the CLI may sign in with a password
#   keycloak_person USERNAME PASSWORD ROLE FIRST LAST   creates a person with a realm role once
#   keycloak_token USERNAME PASSWORD               an access token through the CLI's password grant

keycloak_start() {  # data dir, http port, management port
  local data=$1 port=$2 management=$3
  # the build unpacks the distribution into ./.atrium/cache; a run with another ATRIUM_DATA_DIR uses that one too
  KC_HOME=$( (ls -d "$ATRIUM_DATA_DIR"/cache/keycloak-* "$ROOT"/.atrium/cache/keycloak-* 2>/dev/null || true) | sort -V | tail -1)
  [ -n "$KC_HOME" ] || { echo "Keycloak is not unpacked in $ATRIUM_DATA_DIR/cache: run make build" >&2; return 1; }
  KC_DATA=$data
  KC_URL=http://127.0.0.1:$port
  mkdir -p "$KC_DATA" "$KC_HOME/data/import"
  cp "$ROOT/infra/keycloak/atrium-realm.json" "$KC_HOME/data/import/"
  if [ ! -s "$KC_DATA/admin-password" ]; then (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$KC_DATA/admin-password"); fi
  KC_ADMIN_PASSWORD=$(cat "$KC_DATA/admin-password")
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    "$KC_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$port" --http-management-port="$management" \
    --import-realm "--db-url=jdbc:h2:file:$KC_DATA/keycloakdb;NON_KEYWORDS=VALUE" > "$KC_DATA/keycloak.log" 2>&1 &
  KC_PID=$!
  for _ in $(seq 1 360); do
    curl -fs "$KC_URL/realms/atrium/.well-known/openid-configuration" >/dev/null 2>&1 && break
    kill -0 "$KC_PID" 2>/dev/null || { echo "Keycloak exited during start-up (see $KC_DATA/keycloak.log)" >&2; return 1; }
    sleep 0.5
  done
  kcadm config credentials --server "$KC_URL" --realm master --user admin --password "$KC_ADMIN_PASSWORD" >/dev/null
}

kcadm() { "$KC_HOME/bin/kcadm.sh" "$@" --config "$KC_DATA/kcadm.config"; }

keycloak_client_uuid() { kcadm get clients -r atrium -q clientId="$1" --fields id | grep -o '"id" : "[^"]*"' | cut -d'"' -f4; }

keycloak_client_secret() {
  local id
  id=$(keycloak_client_uuid "$1")
  # realms imported from older Atrium versions carried a published secret: replace it with a generated one
  if kcadm get "clients/$id/client-secret" -r atrium | grep -q "\"$1-local-secret\""; then
    kcadm create "clients/$id/client-secret" -r atrium >/dev/null
  fi
  kcadm get "clients/$id/client-secret" -r atrium | grep -o '"value" : "[^"]*"' | cut -d'"' -f4
}

keycloak_allow_password_grant() {
  kcadm update "clients/$(keycloak_client_uuid atrium-cli)" -r atrium -s directAccessGrantsEnabled=true
}

keycloak_person() {  # username, password, realm role, first name, last name
  if [ -z "$(kcadm get users -r atrium -q username="$1" -q exact=true --fields id 2>/dev/null | grep -o '"id"')" ]; then
    kcadm create users -r atrium -s username="$1" -s email="$1@atrium.local" \
      -s firstName="$4" -s lastName="$5" -s enabled=true -s emailVerified=true >/dev/null
    kcadm set-password -r atrium --username "$1" --new-password "$2" >/dev/null
    kcadm add-roles -r atrium --uusername "$1" --rolename "$3" >/dev/null
  fi
}

keycloak_token() {  # username, password
  curl -fs -d grant_type=password -d client_id=atrium-cli -d "username=$1" -d "password=$2" \
    "$KC_URL/realms/atrium/protocol/openid-connect/token" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4
}
