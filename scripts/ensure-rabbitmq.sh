#!/usr/bin/env bash
# Installs Debian's rabbitmq-server when it is missing. The package's own node is not used by the tests
# (they start private nodes on loopback); the demo uses it only if it already runs.
set -euo pipefail

if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || command -v rabbitmq-server >/dev/null 2>&1; then
    exit 0
fi
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" rabbitmq-server
