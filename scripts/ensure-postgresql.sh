#!/usr/bin/env bash
# Installs Debian's postgresql server when it is missing. The package's own cluster is not used by the tests
# (they start a private server on loopback with scripts/postgres-server.sh); it is kept from starting.
set -euo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "postgresql is not installed; run as root (or: sudo apt-get install postgresql)" >&2
    exit 1
fi

echo "Installing postgresql with apt-get..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    created_policy=1
fi
apt-get install -y -qq postgresql >/dev/null
if [[ $created_policy -eq 1 ]]; then
    rm -f "$policy"
fi
echo "postgresql installed."
