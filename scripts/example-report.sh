#!/usr/bin/env bash
# Makes the example reports in docs/example/ from the scripted exercise
# docs/example/oefening.txt, played in the console as a team would:
#   console.txt      what the console printed
#   rapport.html     the HTML report (self-contained; open it in a browser)
#   rapport.md       the Markdown report
#   rapport.json     the JSON export (schema: docs/export.schema.json)
#   rapport-*.png    the HTML report's first pages as printed on A4, when
#                    Chromium and pdftoppm are at hand (scripts/chromium.sh)
# The output is the same on every run: the exercise sets its own clock and
# SOURCE_DATE_EPOCH fixes the time the export says it was made.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/docs/example"
cd "$REPO"
cargo build --quiet --bin kernteam-bot
BIN="$REPO/target/debug/kernteam-bot"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
"$BIN" console --store oefening --exports oefening-exports <"$OUT/oefening.txt" >"$OUT/console.txt"

# 2026-11-21 21:00 in Amsterdam: twenty minutes after the exercise closed.
export SOURCE_DATE_EPOCH=1795291200
for format in html md json; do
    "$BIN" export --store oefening --incident 1 --format "$format" --out "$OUT/rapport.$format"
done
"$BIN" verify --export "$OUT/rapport.json"

if CHROMIUM="$(command -v chromium || true)" && [[ -n "$CHROMIUM" ]] && command -v pdftoppm >/dev/null; then
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$WORK/profile" --no-pdf-header-footer \
        --print-to-pdf="$WORK/rapport.pdf" "file://$OUT/rapport.html" 2>/dev/null
    rm -f "$OUT"/rapport-*.png
    for page in 1 2; do
        pdftoppm -png -r 80 -f "$page" -l "$page" -singlefile "$WORK/rapport.pdf" "$OUT/rapport-$page"
    done
    echo "pages 1-2 as $OUT/rapport-1.png and rapport-2.png"
else
    echo "no chromium/pdftoppm (scripts/chromium.sh install): skipped the page pictures" >&2
fi
