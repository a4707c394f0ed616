#!/usr/bin/env bash
# Installs Debian's chromium when it is missing: the monitor's browser tests (category Browser) drive it headless
# through Playwright for .NET, pointed at /usr/bin/chromium (no browser download, which cannot work here).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" chromium
