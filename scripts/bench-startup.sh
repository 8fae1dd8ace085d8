#!/usr/bin/env bash
# Memory and start-up benchmark (not a test): the bot with a store of
# 1,000,000 logboek entries on its own local Synapse. Prints the idle
# resident memory (VmRSS) and the time from a restart after kill -9 to the
# first reply (examples/startup.rs).
#
# Usage: scripts/bench-startup.sh
#
# Environment: KERNTEAM_BENCH_PORT (default 18119), BENCH_ENTRIES (default
# 1000000), BENCH_PROFILE (default deploy), KERNTEAM_BENCH_BIN (another bot
# binary to measure). The store is
# built once into target/bench-startup-store-<N> (a few minutes) and copied
# for every run; Synapse and the bot's data live in target/synapse-startup
# and are reset on every run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
SYNAPSE="$REPO/scripts/synapse.sh"
DIR="$REPO/target/synapse-startup"
PORT="${KERNTEAM_BENCH_PORT:-18119}"
ENTRIES="${BENCH_ENTRIES:-1000000}"
STORE="$REPO/target/bench-startup-store-$ENTRIES"
# The bot as deployed (Cargo.toml, [profile.deploy]); BENCH_PROFILE=release for the quicker build.
PROFILE="${BENCH_PROFILE:-deploy}"

cargo build --profile "$PROFILE" --bin kernteam-bot
cargo build --release --example startup

"$SYNAPSE" install
"$SYNAPSE" stop "$DIR" >/dev/null 2>&1 || true
"$SYNAPSE" init "$DIR" "$PORT" >/dev/null
rm -rf "$DIR"/homeserver.db* "$DIR/media_store" "$DIR/homeserver.log" "$DIR/bot"
trap '"$SYNAPSE" stop "$DIR" >/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$SYNAPSE" start "$DIR" >/dev/null
URL="$("$SYNAPSE" url "$DIR")"
for user in startup-chair startup-bot; do
    "$SYNAPSE" register "$DIR" "$user" "pw-$user"
done

mkdir -p "$DIR/bot/data"
printf '%s' "pw-startup-bot" >"$DIR/bot/password"
cat >"$DIR/bot/bot.toml" <<EOF
homeserver = "$URL"
user = "@startup-bot:localhost"
password_file = "password"
data_dir = "data"
allowed_inviters = ["localhost"]
EOF
if [[ ! -d "$STORE" ]]; then
    # The example builds a missing store; keep it for the next run.
    BENCH_BOT_STATE="$STORE" BENCH_ENTRIES="$ENTRIES" BENCH_ONLY_BUILD=1 \
        target/release/examples/startup
fi
cp -a "$STORE" "$DIR/bot/data/state"
echo "load before: $(cat /proc/loadavg)"
RUST_LOG="${RUST_LOG:-warn}" BENCH_HOMESERVER="$URL" \
    BENCH_USER="@startup-chair:localhost" BENCH_PASSWORD="pw-startup-chair" \
    BENCH_BOT_USER="@startup-bot:localhost" BENCH_BOT_BIN="${KERNTEAM_BENCH_BIN:-$REPO/target/$PROFILE/kernteam-bot}" \
    BENCH_BOT_CONFIG="$DIR/bot/bot.toml" BENCH_BOT_STATE="$DIR/bot/data/state" \
    BENCH_ENTRIES="$ENTRIES" target/release/examples/startup 2>"$DIR/bot/bot.log"
echo "load after: $(cat /proc/loadavg)"
