#!/usr/bin/env bash
# Installs Debian's rabbitmq-server when it is missing. The package's own node is not used by the tests
# (they start private nodes on loopback); the demo uses it only if it already runs.
set -euo pipefail

if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || command -v rabbitmq-server >/dev/null 2>&1; then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "rabbitmq-server is not installed; run as root (or: sudo apt-get install rabbitmq-server)" >&2
    exit 1
fi

echo "Installing rabbitmq-server with apt-get..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Keep the package from starting its own node, which would listen on every interface.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    created_policy=1
fi
apt-get install -y -qq rabbitmq-server >/dev/null
if [[ $created_policy -eq 1 ]]; then
    rm -f "$policy"
fi
echo "rabbitmq-server installed."
