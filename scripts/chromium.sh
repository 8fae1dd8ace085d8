#!/usr/bin/env bash
# Headless Chromium (and pdftotext) for the export's browser test, from the
# system's package manager when missing (Debian: `chromium`, `poppler-utils`).
#
# Usage: scripts/chromium.sh install   # install if missing
#        scripts/chromium.sh path      # install if missing, print the binary
set -euo pipefail

find_chromium() {
    command -v chromium || command -v chromium-browser || command -v google-chrome || true
}

install() {
    if [[ -n "$(find_chromium)" ]] && command -v pdftotext >/dev/null; then
        return 0
    fi
    if ! command -v apt-get >/dev/null; then
        echo "chromium.sh: no chromium and no apt-get; install Chromium and poppler-utils yourself" >&2
        exit 1
    fi
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
    echo "chromium.sh: installing chromium and poppler-utils with apt-get" >&2
    # Serialised: several test binaries may ask at once.
    (
        flock 9
        if [[ -z "$(find_chromium)" ]] || ! command -v pdftotext >/dev/null; then
            "${sudo[@]}" apt-get update -qq >&2
            DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
                --no-install-recommends chromium poppler-utils >&2
        fi
    ) 9>"${TMPDIR:-/tmp}/kernteam-chromium-install.lock"
}

case "${1:-}" in
    install) install ;;
    path)
        install
        find_chromium
        ;;
    *)
        echo "usage: $0 install|path" >&2
        exit 2
        ;;
esac
