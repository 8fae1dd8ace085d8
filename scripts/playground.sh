#!/usr/bin/env bash
# Bring up a local playground: a Synapse on 127.0.0.1, the kernteam users, an
# encrypted "Kernteam (playground)" room, and the bot running in the
# foreground (Ctrl-C stops the bot; Synapse keeps running for the next try).
#
# Usage: scripts/playground.sh [--no-bot] [--port PORT] [--dir DIR]
#
#   --no-bot     set everything up, print the summary, but do not start the bot
#   --port PORT  homeserver port (default 8008, or $KERNTEAM_PLAYGROUND_PORT)
#   --dir DIR    state directory (default $REPO/.synapse/playground)
#
# Re-running is safe: passwords are kept in DIR and reused, existing users and
# the room (DIR/room_id) are reused. `rm -rf DIR` (after
# `scripts/synapse.sh stop DIR`) starts over.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SYNAPSE="$REPO/scripts/synapse.sh"
VENV="${SYNAPSE_VENV:-$REPO/.synapse/venv}"
PY="$VENV/bin/python"

DIR="${KERNTEAM_PLAYGROUND_DIR:-$REPO/.synapse/playground}"
PORT="${KERNTEAM_PLAYGROUND_PORT:-8008}"
RUN_BOT=1

BOT=kernteam-bot
HUMANS=(voorzitter woordvoerder communicatieadviseur)
ROOM_NAME="Kernteam (playground)"

die() {
    echo "playground.sh: $*" >&2
    exit 1
}

while (($# > 0)); do
    case "$1" in
    --no-bot) RUN_BOT=0 ;;
    --port)
        (($# >= 2)) || die "--port needs a value"
        PORT=$2
        shift
        ;;
    --dir)
        (($# >= 2)) || die "--dir needs a value"
        DIR=$2
        shift
        ;;
    -h | --help)
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    *) die "unknown argument: $1 (see --help)" ;;
    esac
    shift
done
[[ "$PORT" =~ ^[0-9]+$ ]] || die "invalid port: $PORT"

# --- homeserver -------------------------------------------------------------

"$SYNAPSE" install
"$SYNAPSE" init "$DIR" "$PORT"
DIR="$(cd "$DIR" && pwd)"
"$SYNAPSE" start "$DIR"
URL="$("$SYNAPSE" url "$DIR")"

# --- users ------------------------------------------------------------------

# The bot's password file is the one bot.toml points at; the humans' sit next
# to it so that a re-run prints (and registers) the same credentials.
password_file() {
    if [[ "$1" == "$BOT" ]]; then echo "$DIR/bot.password"; else echo "$DIR/$1.password"; fi
}

password_of() {
    local file
    file="$(password_file "$1")"
    if [[ ! -s "$file" ]]; then
        # No trailing newline: the file holds exactly the password.
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(18), end="")' >"$file")
    fi
    cat "$file"
}

declare -A PASSWORD
for user in "$BOT" "${HUMANS[@]}"; do
    PASSWORD[$user]="$(password_of "$user")"
    # --exists-ok keeps an existing account as it is (password unchanged).
    "$SYNAPSE" register "$DIR" "$user" "${PASSWORD[$user]}"
done

# --- client-server API helpers ---------------------------------------------

# api METHOD PATH TOKEN [JSON]: prints the response body, fails on non-2xx.
api() {
    local method=$1 path=$2 token=$3 body=${4:-} out code
    local args=(-sS -X "$method" -H 'Content-Type: application/json' -w '\n%{http_code}')
    [[ -n "$token" ]] && args+=(-H "Authorization: Bearer $token")
    if [[ -n "$body" ]]; then
        args+=(--data-binary "$body")
    elif [[ "$method" != GET ]]; then
        # Synapse wants a JSON object even for body-less POSTs such as /join.
        args+=(--data-binary '{}')
    fi
    out="$(curl "${args[@]}" "$URL$path")" || return 1
    code="${out##*$'\n'}"
    out="${out%$'\n'*}"
    if [[ "$code" != 2?? ]]; then
        echo "playground.sh: $method $path -> HTTP $code: $out" >&2
        return 1
    fi
    printf '%s\n' "$out"
}

# json_get KEY: read a JSON object on stdin, print one top-level string field.
json_get() {
    "$PY" -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1"
}

# Room and user IDs contain '!', ':' and '@': percent-encode path segments.
urlenc() {
    "$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}

declare -A TOKEN
login() {
    local user=$1 body
    body="$("$PY" -c 'import json, sys; print(json.dumps({
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": sys.argv[1]},
        "password": sys.argv[2],
        "initial_device_display_name": "playground.sh"}))' "$user" "${PASSWORD[$user]}")"
    TOKEN[$user]="$(api POST /_matrix/client/v3/login "" "$body" | json_get access_token)" ||
        die "login as $user failed; if $(password_file "$user") no longer matches the account, stop Synapse, remove $DIR and retry"
}

# Log the helper devices out again, so that the users' device lists in Element
# do not fill up with key-less "playground.sh" sessions on every run.
logout_all() {
    local user
    for user in "${!TOKEN[@]}"; do
        api POST /_matrix/client/v3/logout "${TOKEN[$user]}" >/dev/null || true
        unset "TOKEN[$user]"
    done
}
trap logout_all EXIT

membership() { # ROOM USER -> join|invite|leave|ban|"" (as seen by voorzitter)
    local out
    out="$(api GET "/_matrix/client/v3/rooms/$(urlenc "$1")/state/m.room.member/$(urlenc "@$2:localhost")" \
        "${TOKEN[voorzitter]}" 2>/dev/null)" || return 0
    json_get membership <<<"$out"
}

# --- room -------------------------------------------------------------------

login voorzitter
ROOM_ID=""
if [[ -s "$DIR/room_id" ]]; then
    ROOM_ID="$(cat "$DIR/room_id")"
    if [[ "$(membership "$ROOM_ID" voorzitter)" != join ]]; then
        echo "Stored room $ROOM_ID is gone (fresh database?); creating a new one."
        ROOM_ID=""
    fi
fi
if [[ -z "$ROOM_ID" ]]; then
    body="$("$PY" -c 'import json, sys; print(json.dumps({
        "preset": "private_chat",
        "name": sys.argv[1],
        "invite": [f"@{u}:localhost" for u in sys.argv[2:]],
        "initial_state": [{
            "type": "m.room.encryption",
            "state_key": "",
            "content": {"algorithm": "m.megolm.v1.aes-sha2"}}]}))' \
        "$ROOM_NAME" "$BOT" "${HUMANS[@]:1}")"
    ROOM_ID="$(api POST /_matrix/client/v3/createRoom "${TOKEN[voorzitter]}" "$body" | json_get room_id)"
    [[ -n "$ROOM_ID" ]] || die "createRoom returned no room_id"
    echo "$ROOM_ID" >"$DIR/room_id"
    echo "Created room $ROOM_ID"
else
    echo "Reusing room $ROOM_ID"
fi

# Make sure everybody is (back) in: invite whoever is neither joined nor
# invited, then let the humans accept. The bot accepts its own invite.
ROOM_PATH="/_matrix/client/v3/rooms/$(urlenc "$ROOM_ID")"
for user in "$BOT" "${HUMANS[@]:1}"; do
    state="$(membership "$ROOM_ID" "$user")"
    if [[ "$state" != join && "$state" != invite ]]; then
        api POST "$ROOM_PATH/invite" "${TOKEN[voorzitter]}" \
            "{\"user_id\": \"@$user:localhost\"}" >/dev/null
        state=invite
    fi
    if [[ "$user" != "$BOT" && "$state" != join ]]; then
        login "$user"
        api POST "/_matrix/client/v3/join/$(urlenc "$ROOM_ID")" "${TOKEN[$user]}" >/dev/null
        echo "@$user:localhost joined"
    fi
done
logout_all

# --- bot config -------------------------------------------------------------

mkdir -p "$DIR/bot-data"
# Strings through json.dumps: a JSON string literal is a valid TOML basic string.
"$PY" - "$URL" "$BOT" "$DIR" >"$DIR/bot.toml" <<'PY'
import json
import sys

url, bot, d = sys.argv[1:]
q = json.dumps
print(f"""homeserver = {q(url)}
user = {q(f"@{bot}:localhost")}
password_file = {q(d + "/bot.password")}
data_dir = {q(d + "/bot-data")}
prefix = "!"
allowed_inviters = ["@voorzitter:localhost", "localhost"]
catch_up_minutes = 15
language = "nl"
""", end="")
PY

# --- summary ----------------------------------------------------------------

cat <<EOF

==================== kernteam playground ====================
Homeserver : $URL   (server name: localhost)
Room       : $ROOM_NAME
Room id    : $ROOM_ID
Users (user id / password):
EOF
for user in "$BOT" "${HUMANS[@]}"; do
    printf '  %-34s %s\n' "@$user:localhost" "${PASSWORD[$user]}"
done
cat <<EOF

Log in with Element (Desktop, or any Matrix client): choose "Edit" next to
the homeserver, enter $URL, and sign in as e.g. voorzitter
with the password above. The room is end-to-end encrypted.

Bot config : $DIR/bot.toml
Synapse    : log $DIR/homeserver.log; stop with
             scripts/synapse.sh stop $DIR
=============================================================
EOF

if ((RUN_BOT)); then
    echo
    echo "Starting the bot (Ctrl-C stops it; Synapse keeps running) ..."
    cd "$REPO"
    exec cargo run --release -- run --config "$DIR/bot.toml"
fi
