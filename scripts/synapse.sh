#!/usr/bin/env bash
# Install and run a local Synapse homeserver for the integration tests and the
# playground. No Docker: a plain virtualenv from PyPI, SQLite, loopback only.
#
# Usage:
#   scripts/synapse.sh install
#   scripts/synapse.sh init  [DIR] [PORT]
#   scripts/synapse.sh start [DIR]
#   scripts/synapse.sh stop  [DIR]
#   scripts/synapse.sh register DIR USER PASS [--admin]
#   scripts/synapse.sh url   [DIR]
#
# DIR defaults to $REPO/.synapse/hs, PORT to 8008. The port is stored in
# DIR/port at init so every later subcommand finds it without re-parsing YAML.
# The virtualenv lives at ${SYNAPSE_VENV:-$REPO/.synapse/venv}.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SYNAPSE_VENV:-$REPO/.synapse/venv}"
DEFAULT_DIR="$REPO/.synapse/hs"
DEFAULT_PORT=8008
# Synapse needs a few seconds on an idle machine, much longer when a Rust build
# is hogging both cores; 60 s is generous without hiding a real hang.
START_TIMEOUT="${SYNAPSE_START_TIMEOUT:-60}"
STOP_TIMEOUT=30

die() {
    echo "synapse.sh: $*" >&2
    exit 1
}

usage() {
    # The comment block at the top of this file is the help text.
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

# Absolute path, so that the generated config (database, media store, log
# file) does not depend on the caller's working directory. Only `init`
# creates the directory; the other subcommands need an initialised one.
abs_dir() {
    mkdir -p "$1"
    (cd "$1" && pwd)
}

existing_dir() {
    [[ -d "$1" ]] || die "$1 does not exist; run: scripts/synapse.sh init $1"
    (cd "$1" && pwd)
}

venv_ok() {
    [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import synapse' >/dev/null 2>&1
}

require_venv() {
    venv_ok || die "Synapse is not installed in $VENV; run: scripts/synapse.sh install"
}

read_port() {
    local dir=$1
    [[ -f "$dir/port" ]] || die "$dir/port missing; run: scripts/synapse.sh init $dir"
    cat "$dir/port"
}

base_url() {
    local port
    port="$(read_port "$1")"
    echo "http://127.0.0.1:$port"
}

# The PID from DIR/synapse.pid if that process is still alive and is really
# our Synapse (guards against a stale pid file whose number was reused).
running_pid() {
    local dir=$1 pid
    [[ -f "$dir/synapse.pid" ]] || return 1
    pid="$(cat "$dir/synapse.pid")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r "/proc/$pid/cmdline" ]]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "synapse.app.homeserver" || return 1
    fi
    echo "$pid"
}

answers() {
    curl -sf -o /dev/null --max-time 2 "$1/_matrix/client/versions"
}

cmd_install() {
    if venv_ok; then
        echo "Synapse already installed in $VENV ($("$VENV/bin/python" -c 'import synapse; print(synapse.__version__)'))"
        return 0
    fi
    command -v python3 >/dev/null || die "python3 not found"
    echo "Installing matrix-synapse into $VENV ..."
    # A half-finished venv (interrupted install) is simply completed: venv and
    # pip are both idempotent.
    python3 -m venv "$VENV" ||
        die "python3 -m venv failed (Debian/Ubuntu system Python: apt-get install python3-venv)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check matrix-synapse
    venv_ok || die "matrix-synapse installed but 'import synapse' fails"
    echo "Installed Synapse $("$VENV/bin/python" -c 'import synapse; print(synapse.__version__)')"
}

# Rewrite homeserver.yaml and its log config for tests: loopback listener on
# PORT, no outbound calls, no open registration, rate limits out of the way,
# warnings only in a log file inside DIR. Python + PyYAML (a Synapse
# dependency) instead of sed, so the edit is structural and repeatable.
apply_config() {
    local dir=$1 port=$2
    "$VENV/bin/python" - "$dir" "$port" <<'PY'
import os
import sys

import yaml

d, port = sys.argv[1], int(sys.argv[2])
cfg_path = os.path.join(d, "homeserver.yaml")
with open(cfg_path) as f:
    cfg = yaml.safe_load(f)

cfg["listeners"] = [{
    "port": port,
    "tls": False,
    "type": "http",
    "x_forwarded": False,
    "bind_addresses": ["127.0.0.1"],
    "resources": [{"names": ["client", "federation"], "compress": False}],
}]
cfg["public_baseurl"] = f"http://127.0.0.1:{port}/"
cfg["database"] = {
    "name": "sqlite3",
    "args": {"database": os.path.join(d, "homeserver.db")},
}
cfg["media_store_path"] = os.path.join(d, "media_store")

# Never talk to matrix.org (or anything else) for signing keys.
cfg["trusted_key_servers"] = []
cfg["suppress_key_server_warning"] = True
cfg["report_stats"] = False

# Users are created with the shared secret (register_new_matrix_user).
cfg["enable_registration"] = False
cfg.pop("enable_registration_without_verification", None)

# bcrypt at the default 12 rounds costs ~0.2 s per login/registration; tests
# log in a lot and these accounts protect nothing. Only affects new hashes.
cfg["bcrypt_rounds"] = 4

# Presence only adds noise to every /sync and costs time.
cfg["presence"] = {"enabled": False}

# Rate limits: Synapse's defaults (rc_message 0.2/s, rc_login 0.003/s ...)
# make tests that send a burst of messages or log in several bots fail or
# stall. This is every rc_* option in Synapse 1.163's
# synapse/config/ratelimiting.py; Synapse ignores unknown keys, so the list
# does no harm on older versions. rc_admin_redaction is unlimited unless set.
HIGH = {"per_second": 1000, "burst_count": 1000}
flat = [
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_joins_per_room",
    "rc_room_creation",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_admin_redaction",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_reports",
    "rc_delayed_event_mgmt",
    "rc_user_directory",
    "rc_profile",
]
nested = {
    "rc_login": ["address", "account", "failed_attempts"],
    "rc_joins": ["local", "remote"],
    "rc_invites": ["per_room", "per_user", "per_issuer"],
    "rc_presence": ["per_user"],
}
for key in flat:
    cfg[key] = dict(HIGH)
for key, subs in nested.items():
    cfg[key] = {sub: dict(HIGH) for sub in subs}
cfg["rc_federation"] = {
    "window_size": 1000,
    "sleep_limit": 1000,
    "sleep_delay": 0,
    "reject_limit": 1000,
    "concurrent": 1000,
}
# Media download limiter has its own shape (bytes per second).
cfg["remote_media_download_per_second"] = "1G"
cfg["remote_media_download_burst_count"] = "10G"

with open(cfg_path + ".tmp", "w") as f:
    yaml.safe_dump(cfg, f, default_flow_style=False, sort_keys=False)
os.replace(cfg_path + ".tmp", cfg_path)

# Logging: WARNING and above, to DIR/homeserver.log only. Console output
# would end up in synapse.out, duplicating the file.
log_path = cfg.get("log_config")
if log_path and os.path.exists(log_path):
    with open(log_path) as f:
        log = yaml.safe_load(f)
    handlers = log.setdefault("handlers", {})
    handlers["file"] = {
        "class": "logging.FileHandler",
        "formatter": "precise",
        "filename": os.path.join(d, "homeserver.log"),
        "encoding": "utf8",
    }
    for name in list(handlers):
        if name != "file":
            del handlers[name]
    log["root"] = {"level": "WARNING", "handlers": ["file"]}
    for logger in (log.get("loggers") or {}).values():
        logger["level"] = "WARNING"
    with open(log_path + ".tmp", "w") as f:
        yaml.safe_dump(log, f, default_flow_style=False, sort_keys=False)
    os.replace(log_path + ".tmp", log_path)
else:
    sys.exit(f"log config {log_path!r} not found")
PY
}

cmd_init() {
    local dir port
    dir="$(abs_dir "${1:-$DEFAULT_DIR}")"
    port="${2:-}"
    if [[ -z "$port" ]]; then
        # Keep an earlier port on re-init unless a new one is given.
        if [[ -f "$dir/port" ]]; then port="$(cat "$dir/port")"; else port=$DEFAULT_PORT; fi
    fi
    [[ "$port" =~ ^[0-9]+$ ]] || die "invalid port: $port"
    require_venv
    if [[ ! -f "$dir/homeserver.yaml" ]]; then
        # Run inside DIR: the generator writes the signing key, log config and
        # data paths relative to the data directory.
        (cd "$dir" && "$VENV/bin/python" -m synapse.app.homeserver \
            --server-name localhost \
            --config-path "$dir/homeserver.yaml" \
            --data-directory "$dir" \
            --generate-config \
            --report-stats=no >/dev/null)
    fi
    apply_config "$dir" "$port"
    echo "$port" >"$dir/port"
    echo "Synapse config ready in $dir (http://127.0.0.1:$port)"
}

cmd_start() {
    local dir url pid waited=0
    dir="$(existing_dir "${1:-$DEFAULT_DIR}")"
    [[ -f "$dir/homeserver.yaml" ]] || die "$dir/homeserver.yaml missing; run: scripts/synapse.sh init $dir"
    require_venv
    url="$(base_url "$dir")"
    if pid="$(running_pid "$dir")"; then
        if answers "$url"; then
            echo "Synapse already running (pid $pid) at $url"
            return 0
        fi
        die "Synapse (pid $pid) runs from $dir but does not answer at $url (port changed? run: scripts/synapse.sh stop $dir)"
    fi
    # Something else on our port would make the readiness poll lie.
    if answers "$url"; then
        die "another server already answers at $url; stop it or pick another port"
    fi
    rm -f "$dir/synapse.pid"
    # setsid: own session, so a Ctrl-C aimed at the foreground job (the bot in
    # the playground, cargo test) does not also kill the homeserver; it is
    # stopped explicitly with `stop`. In a non-interactive shell the background
    # child is no process-group leader, so setsid execs in place and $! is
    # Synapse's own PID.
    (cd "$dir" && exec setsid "$VENV/bin/python" -m synapse.app.homeserver \
        -c "$dir/homeserver.yaml" </dev/null >"$dir/synapse.out" 2>&1) &
    pid=$!
    echo "$pid" >"$dir/synapse.pid"
    while ! answers "$url"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            start_failed "$dir" "Synapse exited during startup"
        fi
        if ((waited >= START_TIMEOUT * 5)); then
            kill "$pid" 2>/dev/null || true
            start_failed "$dir" "Synapse did not answer at $url within ${START_TIMEOUT}s"
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
    echo "Synapse running (pid $pid) at $url"
}

start_failed() {
    local dir=$1 msg=$2 f
    rm -f "$dir/synapse.pid"
    echo "synapse.sh: $msg" >&2
    for f in "$dir/synapse.out" "$dir/homeserver.log"; do
        if [[ -s "$f" ]]; then
            echo "--- last lines of $f ---" >&2
            tail -n 40 "$f" >&2
        fi
    done
    exit 1
}

cmd_stop() {
    local dir pid waited=0
    dir="$(existing_dir "${1:-$DEFAULT_DIR}")"
    if ! pid="$(running_pid "$dir")"; then
        rm -f "$dir/synapse.pid"
        echo "Synapse not running ($dir)"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do
        if ((waited >= STOP_TIMEOUT * 10)); then
            echo "Synapse (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    rm -f "$dir/synapse.pid"
    echo "Synapse stopped (pid $pid)"
}

cmd_register() {
    (($# >= 3)) || die "usage: synapse.sh register DIR USER PASS [--admin]"
    local dir user pass admin=--no-admin url out rc
    dir="$(existing_dir "$1")"
    url="$(base_url "$dir")"
    user=$2
    pass=$3
    if (($# >= 4)); then
        [[ "$4" == --admin ]] || die "unknown option: $4"
        admin=--admin
    fi
    require_venv
    # Recent Synapse (1.163 has it) knows --exists-ok: an already registered
    # user is then not an error (and its password is NOT changed). Versions
    # without the flag: treat "User ID already taken" as success ourselves.
    if "$VENV/bin/register_new_matrix_user" --help 2>/dev/null | grep -q -- --exists-ok; then
        "$VENV/bin/register_new_matrix_user" -c "$dir/homeserver.yaml" \
            -u "$user" -p "$pass" "$admin" --exists-ok "$url" >/dev/null
    else
        rc=0
        out="$("$VENV/bin/register_new_matrix_user" -c "$dir/homeserver.yaml" \
            -u "$user" -p "$pass" "$admin" "$url" 2>&1)" || rc=$?
        if ((rc != 0)) && ! grep -q "User ID already taken" <<<"$out"; then
            echo "$out" >&2
            return "$rc"
        fi
    fi
}

cmd_url() {
    local dir
    dir="$(existing_dir "${1:-$DEFAULT_DIR}")"
    base_url "$dir"
}

main() {
    local cmd=${1:-}
    (($# > 0)) && shift
    case "$cmd" in
    install) cmd_install "$@" ;;
    init) cmd_init "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    register) cmd_register "$@" ;;
    url) cmd_url "$@" ;;
    -h | --help | help) usage ;;
    *)
        usage >&2
        exit 2
        ;;
    esac
}

main "$@"
