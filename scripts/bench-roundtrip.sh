#!/usr/bin/env bash
# Round-trip benchmark (not a test): starts its own Synapse, builds and starts
# the bot (release), and runs examples/roundtrip.rs, which measures in one run
# the floor (a client→client trip, twice) and the bot's command round trip,
# and prints both and their ratio. Target: bot ≤ 1.10 × floor at p50 and
# ≤ 1.25 × floor at p99.
#
# Usage: scripts/bench-roundtrip.sh [SAMPLES]   (default 200)
#
# Environment: KERNTEAM_BENCH_PORT (default 18118). State (Synapse, bot data,
# logs) lives in target/synapse-bench and is reset on every run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
SYNAPSE="$REPO/scripts/synapse.sh"
DIR="$REPO/target/synapse-bench"
PORT="${KERNTEAM_BENCH_PORT:-18118}"
SAMPLES="${1:-200}"

cargo build --release --bin kernteam-bot --example roundtrip

"$SYNAPSE" install
"$SYNAPSE" stop "$DIR" >/dev/null 2>&1 || true
"$SYNAPSE" init "$DIR" "$PORT" >/dev/null
rm -rf "$DIR"/homeserver.db* "$DIR/media_store" "$DIR/homeserver.log" "$DIR/bot"

BOT_PID=""
cleanup() {
    if [[ -n "$BOT_PID" ]]; then
        kill "$BOT_PID" 2>/dev/null || true
        wait "$BOT_PID" 2>/dev/null || true
    fi
    "$SYNAPSE" stop "$DIR" >/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$SYNAPSE" start "$DIR"
URL="$("$SYNAPSE" url "$DIR")"

for user in bench-a bench-b bench-bot; do
    "$SYNAPSE" register "$DIR" "$user" "pw-$user"
done

mkdir -p "$DIR/bot"
printf '%s' "pw-bench-bot" >"$DIR/bot/password"
cat >"$DIR/bot/bot.toml" <<EOF
homeserver = "$URL"
user = "@bench-bot:localhost"
password_file = "password"
data_dir = "data"
allowed_inviters = ["@bench-a:localhost"]
EOF

RUST_LOG="${RUST_LOG:-warn,kernteam_bot=info}" \
    target/release/kernteam-bot run --config "$DIR/bot/bot.toml" >"$DIR/bot/bot.log" 2>&1 &
BOT_PID=$!
echo "Bot running (pid $BOT_PID), log: $DIR/bot/bot.log"

BENCH_HOMESERVER="$URL" \
    BENCH_A_USER="@bench-a:localhost" BENCH_A_PASSWORD="pw-bench-a" \
    BENCH_B_USER="@bench-b:localhost" BENCH_B_PASSWORD="pw-bench-b" \
    BENCH_BOT_USER="@bench-bot:localhost" BENCH_SAMPLES="$SAMPLES" \
    target/release/examples/roundtrip
