#!/usr/bin/env bash
# apt-install.sh PACKAGE...: installs Debian packages quietly (as root), keeping their services from starting
# (a policy-rc.d that says no, for the time of the install): Carrot's scripts and tests start private servers of their own.
set -euo pipefail
(( $# > 0 )) || { echo "usage: apt-install.sh PACKAGE..." >&2; exit 2; }
if [[ $(id -u) -ne 0 ]]; then
    echo "$* not installed; run as root (or: sudo apt-get install $*)" >&2
    exit 1
fi

echo "Installing $* with apt-get..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    created_policy=1
fi
status=0
apt-get install -y -qq "$@" >/dev/null || status=$?
if [[ $created_policy -eq 1 ]]; then
    rm -f "$policy"
fi
(( status == 0 )) && echo "$* installed."
exit $status
