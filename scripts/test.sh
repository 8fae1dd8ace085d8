#!/usr/bin/env bash
# The project's one test command: formatting, lints, then every test target
# against a real Synapse on 127.0.0.1 (no Docker, no network besides PyPI and
# Debian's packages for the first install), and the HTML report in headless
# Chromium (tests/browser.rs).
#
# Usage: scripts/test.sh [extra cargo test args, e.g. -- --nocapture]
#
# Environment:
#   KERNTEAM_TEST_PORT   Synapse port (default 18008, away from the
#                        playground's 8008 so both can run at once)
#   SYNAPSE_VENV         virtualenv to use (see scripts/synapse.sh)
#
# The tests get:
#   KERNTEAM_TEST_HOMESERVER    base URL, e.g. http://127.0.0.1:18008
#   KERNTEAM_TEST_SYNAPSE_DIR   Synapse state dir; create users with
#                               scripts/synapse.sh register "$KERNTEAM_TEST_SYNAPSE_DIR" USER PASS
#   KERNTEAM_TEST_SYNAPSE       absolute path of scripts/synapse.sh
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

SYNAPSE="$REPO/scripts/synapse.sh"
DIR="$REPO/target/synapse-test"
PORT="${KERNTEAM_TEST_PORT:-18008}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# Cheap checks first: a formatting or lint failure should not wait for the
# homeserver and the full test build.
cargo fmt --check
cargo clippy --all-targets -- -D warnings

# Headless Chromium and poppler-utils for the browser test, if missing.
"$REPO/scripts/chromium.sh" install
"$SYNAPSE" install
# A Synapse left over from an aborted run would keep its old database and
# possibly an old port: stop it before re-initialising.
if [[ -d "$DIR" ]]; then "$SYNAPSE" stop "$DIR" >/dev/null; fi
"$SYNAPSE" init "$DIR" "$PORT"
# Fresh database every run, so tests never see users or rooms of an earlier
# run; the config and signing key are kept. Schema creation costs ~1 s.
rm -rf "$DIR"/homeserver.db* "$DIR/media_store" "$DIR/homeserver.log"

stop_synapse() {
    "$SYNAPSE" stop "$DIR" || true
}
trap stop_synapse EXIT
# Turn Ctrl-C / SIGTERM into a normal exit so the EXIT trap still stops Synapse.
trap 'exit 130' INT
trap 'exit 143' TERM

"$SYNAPSE" start "$DIR"

KERNTEAM_TEST_HOMESERVER="$("$SYNAPSE" url "$DIR")"
export KERNTEAM_TEST_HOMESERVER
export KERNTEAM_TEST_SYNAPSE_DIR="$DIR"
export KERNTEAM_TEST_SYNAPSE="$SYNAPSE"

cargo test --all-targets "$@"
