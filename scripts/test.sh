#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs RabbitMQ when missing, restores and builds, publishes
# carrot and carrotd, then runs every NUnit test. Tests start their own private RabbitMQ nodes on
# 127.0.0.1, their own SQLite files and a private PostgreSQL server, so nothing else needs to be running.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

configuration=${CONFIGURATION:-Release}
results=${TEST_RESULTS:-$PWD/artifacts/test-results}

bash scripts/ensure-rabbitmq.sh
# The store tests run on PostgreSQL too: a private server (scripts/postgres-server.sh) started by the tests.
bash scripts/ensure-postgresql.sh

# The Packaging tests install the .deb with dpkg -i, which needs the package's dependencies on the machine.
if [[ $(id -u) -eq 0 ]] && command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for package in adduser ca-certificates libssl3; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    if (( ${#missing[@]} > 0 )); then
        echo "Installing ${missing[*]} (needed by the package tests) with apt-get..."
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } \
            || echo "Could not install ${missing[*]}; the package tests will fail to install the .deb." >&2
    fi
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build carrot.sln -c "$configuration" -nologo -clp:ErrorsOnly
dotnet publish Carrot.Cli -c "$configuration" --no-build -o artifacts/carrot -nologo -v q
dotnet publish Carrot.Daemon -c "$configuration" --no-build -o artifacts/carrotd -nologo -v q
export CARROT_TEST_BIN="$PWD/artifacts"

rm -rf "$results"
status=0
dotnet test Carrot.Tests -c "$configuration" --no-build --results-directory "$results" \
    --logger "trx;LogFileName=carrot.trx" --logger "console;verbosity=normal" "$@" || status=$?

# One plain summary line for whoever reads the log.
if [[ -f $results/carrot.trx ]]; then
    counters=$(grep -o '<Counters [^>]*>' "$results/carrot.trx" | head -1)
    passed=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
    failed=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
    total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
    executed=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
    echo "tests: $passed passed, $failed failed, $((total - executed)) skipped"
fi
exit $status
