#!/usr/bin/env bash
# Round-trip benchmark (not a test): the bot against peer bots, side by side,
# on its own local Synapse, and one table at the end.
#
#   1. Idle, unencrypted: rtt2.py (one matrix-nio client, commands sent to
#      the bots alternately, so drift hits every bot alike): this bot's
#      `!fase` against niobot.py's and maubot 0.6's `!ping`.
#   2. Burst, unencrypted: examples/burst.rs, five members send 200 commands
#      in waves of 50 (each member 10 back to back, the most the flood limit
#      allows) to each bot in turn, round after round.
#   3. Idle, encrypted: examples/roundtrip.rs, this bot against the floor
#      (two client→client trips, measured alternately in the same room).
#   4. Burst, encrypted: examples/burst.rs, this bot alone (the peers here
#      have no end-to-end encryption).
#
# The peers are not part of this repository: their code is taken from
# $KERNTEAM_BENCH_PEERS, else ../shared/bench or ../../shared/bench next to
# the repository (rtt2.py, niobot.py, maubot-ping/). matrix-nio and maubot are
# installed from PyPI into target/bench-peers. Without the peers only steps 3
# and 4 run.
#
# Usage: scripts/bench-roundtrip.sh [SAMPLES]   (idle samples per bot, default 100)
#
# Environment: KERNTEAM_BENCH_PORT (default 18118; the peers' web port is
# PORT+2), KERNTEAM_BENCH_BASELINE (another kernteam-bot binary, e.g. an
# older build, measured alongside as "baseline"), KERNTEAM_BENCH_BIN (the
# bot's binary or a wrapper, e.g. one that runs it under strace), BENCH_ROUNDS (burst rounds, default 3), BENCH_ONLY (idle|burst|
# encrypted: one part only), RUST_LOG for the bot, BENCH_ACCESS_LOG=1 (Synapse
# logs every request; after the idle part, where each bot's round trip goes,
# as Synapse saw it (see own_time); after the burst, each bot's syncs and
# sends and Synapse's time for them). State (Synapse, bots,
# logs) lives in target/synapse-bench and is reset on every run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
SYNAPSE="$REPO/scripts/synapse.sh"
DIR="$REPO/target/synapse-bench"
PORT="${KERNTEAM_BENCH_PORT:-18118}"
SAMPLES="${1:-100}"
ONLY="${BENCH_ONLY:-}"
PEER_VENV="$REPO/target/bench-peers"
RESULTS="$DIR/results.tsv"

peers_dir() {
    local d
    for d in "${KERNTEAM_BENCH_PEERS:-}" "$REPO/../shared/bench" "$REPO/../../shared/bench"; do
        if [[ -n "$d" && -f "$d/rtt2.py" && -f "$d/niobot.py" && -d "$d/maubot-ping" ]]; then
            (cd "$d" && pwd)
            return 0
        fi
    done
    return 1
}

PEERS="$(peers_dir || true)"
cargo build --release --bin kernteam-bot --example roundtrip --example burst

"$SYNAPSE" install
"$SYNAPSE" stop "$DIR" >/dev/null 2>&1 || true
"$SYNAPSE" init "$DIR" "$PORT" >/dev/null
rm -rf "$DIR"/homeserver.db* "$DIR/media_store" "$DIR/homeserver.log" "$DIR"/bench-* "$DIR/peers"
mkdir -p "$DIR/peers"
: >"$RESULTS"

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    "$SYNAPSE" stop "$DIR" >/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "${BENCH_ACCESS_LOG:-}" ]]; then
    "${SYNAPSE_VENV:-$REPO/.synapse/venv}/bin/python" - "$DIR/localhost.log.config" <<'PY'
import sys, yaml
path = sys.argv[1]
config = yaml.safe_load(open(path))
config.setdefault("loggers", {})["synapse.access.http"] = {"level": "INFO"}
yaml.safe_dump(config, open(path, "w"))
PY
fi
"$SYNAPSE" start "$DIR" >/dev/null
URL="$("$SYNAPSE" url "$DIR")"
echo "load before: $(cat /proc/loadavg)"

# rtt2.py logs in as @chair:localhost; niobot.py as @bot2:localhost.
for user in chair:chairpass bot2:bot2pass maubot:maubotpass bench-bot:pw-bench-bot \
    bench-base:pw-bench-base bench-a:pw-bench-a bench-b:pw-bench-b m1:pw-m1 m2:pw-m2 m3:pw-m3 m4:pw-m4 m5:pw-m5; do
    "$SYNAPSE" register "$DIR" "${user%%:*}" "${user#*:}"
done
SENDERS="@m1:localhost=pw-m1 @m2:localhost=pw-m2 @m3:localhost=pw-m3 @m4:localhost=pw-m4 @m5:localhost=pw-m5"

# start_bot NAME BINARY: the bot as @NAME:localhost, its files in $DIR/NAME.
start_bot() {
    local name=$1 binary=$2
    mkdir -p "$DIR/$name"
    printf '%s' "pw-$name" >"$DIR/$name/password"
    cat >"$DIR/$name/bot.toml" <<EOF
homeserver = "$URL"
user = "@$name:localhost"
password_file = "password"
data_dir = "data"
allowed_inviters = ["localhost"]
# The idle measurements send a command every few hundred milliseconds from
# one client, faster than the flood limit lets a person (10 in 10 s).
flood_limit = 1000
EOF
    RUST_LOG="${RUST_LOG:-warn,kernteam_bot=info}" \
        "$binary" run --config "$DIR/$name/bot.toml" >"$DIR/$name/bot.log" 2>&1 &
    PIDS+=($!)
}
start_bot bench-bot "${KERNTEAM_BENCH_BIN:-target/release/kernteam-bot}"
BASELINE_BOTS=()
if [[ -n "${KERNTEAM_BENCH_BASELINE:-}" ]]; then
    start_bot bench-base "$KERNTEAM_BENCH_BASELINE"
    BASELINE_BOTS=(@bench-base:localhost '!fase')
fi

start_peers() {
    if [[ ! -x "$PEER_VENV/bin/python" ]] || ! "$PEER_VENV/bin/python" -c 'import nio, maubot' 2>/dev/null; then
        python3 -m venv "$PEER_VENV"
        "$PEER_VENV/bin/pip" install --quiet --disable-pip-version-check matrix-nio maubot
    fi
    "$PEER_VENV/bin/python" "$PEERS/niobot.py" "$URL" >"$DIR/peers/niobot.log" 2>&1 &
    PIDS+=($!)
    # maubot writes its database next to the plugin: run a copy.
    cp -r "$PEERS/maubot-ping" "$DIR/peers/maubot"
    local login token device
    login="$(curl -sf -X POST "$URL/_matrix/client/v3/login" -H 'Content-Type: application/json' \
        -d '{"type":"m.login.password","identifier":{"type":"m.id.user","user":"maubot"},"password":"maubotpass"}')"
    token="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' <<<"$login")"
    device="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["device_id"])' <<<"$login")"
    "$PEER_VENV/bin/python" - "$DIR/peers/maubot/config.yaml" "$URL" "$token" "$device" $((PORT + 2)) <<'PY'
import json, os, sys
import maubot.standalone
from ruamel.yaml import YAML
path, url, token, device, port = sys.argv[1:]
example = os.path.join(os.path.dirname(maubot.standalone.__file__), "example-config.yaml")
cfg = YAML(typ="safe").load(open(example))
cfg["user"]["credentials"] = {"id": "@maubot:localhost", "homeserver": url,
                              "access_token": token, "device_id": device}
cfg["user"]["autojoin"] = True
cfg["server"].update({"hostname": "127.0.0.1", "port": int(port)})
# Logging as any bot in production: warnings, not every event at DEBUG.
for logger in cfg["logging"]["loggers"].values():
    logger["level"] = "WARNING"
cfg["logging"]["root"]["level"] = "WARNING"
json.dump(cfg, open(path, "w"))  # JSON is YAML
PY
    (cd "$DIR/peers/maubot" && exec "$PEER_VENV/bin/python" -m maubot.standalone \
        -c config.yaml -m maubot.yaml >"$DIR/peers/maubot.log" 2>&1) &
    PIDS+=($!)
}

# Lines `bot<TAB>scenario<TAB>p50<TAB>p99<TAB>note` for the table.
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$RESULTS"; }

idle_side_by_side() {
    echo "== idle, unencrypted, $SAMPLES paired samples per bot (rtt2.py) =="
    local out
    out="$("$PEER_VENV/bin/python" "$PEERS/rtt2.py" "$URL" "$SAMPLES" \
        @bench-bot:localhost '!fase' "${BASELINE_BOTS[@]}" \
        @bot2:localhost '!ping' @maubot:localhost '!ping')"
    echo "$out"
    # "@bot !cmd: p50=.. p90=.. p99=.. n=.. paired-median-diff-to-first=.."
    while read -r bot _cmd p50 _p90 p99 _n diff; do
        record "${bot%:localhost}" "idle, unencrypted" "${p50#p50=}" "${p99#p99=}" \
            "paired median vs kernteam-bot ${diff#paired-median-diff-to-first=} ms"
    done <<<"$(grep -E '^@' <<<"$out")"
}

burst() {
    local encrypted=$1 bots=$2 label=$3 command=$4 out
    echo "== burst, $label: 5 members, 200 commands in waves of 50 (10 each, the flood limit), ${BENCH_ROUNDS:-3} rounds =="
    out="$(BENCH_HOMESERVER="$URL" BENCH_SENDERS="$SENDERS" BENCH_BOTS="$bots" \
        BENCH_ENCRYPTED="$encrypted" BENCH_ROUNDS="${BENCH_ROUNDS:-3}" \
        target/release/examples/burst)"
    echo "$out"
    while read -r _ bot _mode p50 p99 max n sent replies; do
        bot="${bot#bot=}"
        record "${bot%:localhost}" "burst, $label" "${p50#p50=}" "${p99#p99=}" \
            "$command; max ${max#max=}; ${n#n=} samples; ${replies#replies=} replies to ${sent#sent=}"
    done <<<"$(grep '^BURST' <<<"$out")"
}

# Where each bot's idle round trip goes, from Synapse's access log (p50,
# ms): from the end of the measuring client's PUT of a command to the end of
# the bot's /sync that brought it; the bot's own time, from there to the
# start of its reply's PUT (the log line's time minus the request's
# processing time); that PUT's processing time; and from its end to the end
# of the measuring client's next /sync (the one that shows the reply).
# Also how often the bot's /sync was answered before the client's own echo
# of the command: Synapse wakes a room's waiting syncs in an order fixed for
# the life of its process (a set of objects), worth a few ms to whoever is
# first, so a run's ranking of bots within a few ms is partly that draw.
own_time() {
    echo "== idle, unencrypted: where each bot's round trip goes, as Synapse saw it (p50) =="
    python3 - "$DIR/homeserver.log" <<'PY'
import re, statistics, sys
from datetime import datetime
line = re.compile(r"^(\S+ \S+) - synapse\.access\.http\.\d+ .*\{(@[^}]+)\} Processed request: "
                  r"([\d.]+)sec/.*\"(GET|PUT) /_matrix/client/(?:v3|r0)/(sync|rooms/[^/]+/send/m\.room\.message/)")
requests = []
for text in open(sys.argv[1], encoding="utf8"):
    m = line.match(text)
    if m:
        end = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp() * 1000
        took = float(m.group(3)) * 1000
        requests.append((end, m.group(2), took, "sync" if m.group(5) == "sync" else "send"))
requests.sort()
client = "@chair:localhost"
for bot in ("@bench-bot:localhost", "@bench-base:localhost", "@bot2:localhost", "@maubot:localhost"):
    woken, own, put, shown, first = [], [], [], [], []
    command_end = sync_end = reply_end = None
    echoed = False
    for end, user, took, kind in requests:
        if user == client and kind == "send":
            command_end, sync_end, reply_end, echoed = end, None, None, False
        elif user == client and kind == "sync" and command_end is not None and sync_end is None:
            echoed = True
        elif user == bot and kind == "sync" and command_end is not None and sync_end is None:
            woken.append(end - command_end)
            first.append(not echoed)
            sync_end = end
        elif user == bot and kind == "send" and sync_end is not None and reply_end is None:
            own.append(end - took - sync_end)
            put.append(took)
            reply_end = end
        elif user == client and kind == "sync" and reply_end is not None:
            shown.append(end - reply_end)
            command_end = sync_end = reply_end = None
    if shown:
        print(f"{bot}: sync answered {statistics.median(woken):.0f} ms after the command, "
              f"own time {statistics.median(own):.0f} ms, reply PUT {statistics.median(put):.0f} ms, "
              f"client's sync {statistics.median(shown):.0f} ms after it; woken before the client's "
              f"own echo {sum(first)} times (n={len(shown)})")
PY
}

# What each bot's requests cost Synapse between two moments (log times,
# "YYYY-mm-dd HH:MM:SS"): in a burst Synapse is the bottleneck, so a bot
# that makes it work more slows every reply, its own included.
synapse_work() {
    echo "== $3: the bots' requests, as Synapse saw them =="
    python3 - "$DIR/homeserver.log" "$1" "$2" <<'PY'
import collections, re, sys
path, start, end = sys.argv[1:]
# Synapse's CPU time (ru=) and database time (db=) per request; a sync's
# wall time is mostly waiting.
line = re.compile(r"^(\S+ \S+),\d+ - synapse\.access\.http\.\d+ .*\{(@[^}]+)\} Processed request: "
                  r"[\d.]+sec/[\d.]+sec ru=\(([\d.]+)sec, ([\d.]+)sec\) db=\(([\d.]+)sec/.*\"(\w+) /_matrix/client/")
count, cpu, db = collections.Counter(), collections.Counter(), collections.Counter()
for text in open(path, encoding="utf8"):
    m = line.match(text)
    if m and start <= m.group(1) <= end:
        request = text.split('"')[1].split()[1]
        kind = (m.group(2), "sync" if "/sync" in request else "send" if "/send/" in request else "other")
        count[kind] += 1
        cpu[kind] += float(m.group(3)) + float(m.group(4))
        db[kind] += float(m.group(5))
for bot in ("@bench-bot:localhost", "@bench-base:localhost", "@bot2:localhost", "@maubot:localhost"):
    parts = [f"{count[(bot, k)]} {k} (CPU {cpu[(bot, k)]:.1f} s, database {db[(bot, k)]:.1f} s)"
             for k in ("sync", "send", "other") if count[(bot, k)]]
    if parts:
        print(f"{bot}: " + ", ".join(parts))
PY
}

encrypted_idle() {
    echo "== idle, encrypted: the bot against the floor (examples/roundtrip.rs) =="
    local out
    out="$(BENCH_HOMESERVER="$URL" \
        BENCH_A_USER="@bench-a:localhost" BENCH_A_PASSWORD="pw-bench-a" \
        BENCH_B_USER="@bench-b:localhost" BENCH_B_PASSWORD="pw-bench-b" \
        BENCH_BOT_USER="@bench-bot:localhost" BENCH_SAMPLES="$SAMPLES" \
        target/release/examples/roundtrip)"
    echo "$out"
    read -r _ _ p50 p99 f50 f99 _ <<<"$(grep '^RESULT' <<<"$out")"
    record "@bench-bot" "idle, encrypted" "${p50#p50=}" "${p99#p99=}" "!fase"
    record "floor (2 × client→client)" "idle, encrypted" "${f50#floor_p50=}" "${f99#floor_p99=}" ""
}

table() {
    echo
    echo "load after: $(cat /proc/loadavg)"
    python3 - "$RESULTS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
names = {"@bench-bot": "kernteam-bot", "@bench-base": "kernteam-bot (baseline)",
         "@bot2": "niobot.py", "@maubot": "maubot 0.6"}
print("| scenario | bot | p50 ms | p99 ms | p50 − fastest peer | p99 − fastest peer | note |")
print("|---|---|---:|---:|---:|---:|---|")
for scenario in dict.fromkeys(r[1] for r in rows):
    here = [r for r in rows if r[1] == scenario]
    peers = [r for r in here if r[0] in ("@bot2", "@maubot")]
    best50 = min((float(r[2]) for r in peers), default=None)
    best99 = min((float(r[3]) for r in peers), default=None)
    for bot, _, p50, p99, note in here:
        d50 = "" if best50 is None else f"{float(p50) - best50:+.1f}"
        d99 = "" if best99 is None else f"{float(p99) - best99:+.1f}"
        print(f"| {scenario} | {names.get(bot, bot)} | {float(p50):.1f} | {float(p99):.1f} | {d50} | {d99} | {note} |")
PY
}

if [[ -n "$PEERS" ]]; then
    echo "peers from $PEERS"
    start_peers
else
    echo "no peers found (set KERNTEAM_BENCH_PEERS): the bot alone"
fi
sleep 3
if [[ -n "$PEERS" && ( -z "$ONLY" || "$ONLY" == idle ) ]]; then
    idle_side_by_side
    if [[ -n "${BENCH_ACCESS_LOG:-}" ]]; then own_time; fi
fi
if [[ -n "$PEERS" && ( -z "$ONLY" || "$ONLY" == burst ) ]]; then
    base=""
    if [[ -n "${KERNTEAM_BENCH_BASELINE:-}" ]]; then base="@bench-base:localhost=!fase;"; fi
    started="$(date -u '+%F %T')"
    burst 0 "@bench-bot:localhost=!fase;$base@bot2:localhost=!ping;@maubot:localhost=!ping" \
        "unencrypted" "!fase / !ping"
    if [[ -n "${BENCH_ACCESS_LOG:-}" ]]; then
        synapse_work "$started" "$(date -u '+%F %T')" "burst, unencrypted"
    fi
fi
if [[ -z "$ONLY" || "$ONLY" == encrypted ]]; then
    encrypted_idle
    base=""
    if [[ -n "${KERNTEAM_BENCH_BASELINE:-}" ]]; then base=";@bench-base:localhost=!log burst {n}"; fi
    BENCH_SETUP='!incident open Burst' \
        burst 1 "@bench-bot:localhost=!log burst {n}$base" "encrypted" "!log (a logboek write each)"
fi
table
