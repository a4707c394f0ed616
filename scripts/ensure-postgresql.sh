#!/usr/bin/env bash
# Installs Debian's postgresql server when it is missing. The package's own cluster is not used by the tests
# (they start a private server on loopback with scripts/postgres-server.sh); it is kept from starting.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    exit 0
fi
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" postgresql
