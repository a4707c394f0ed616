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
# The monitor's browser tests drive Debian's headless chromium.
bash scripts/ensure-chromium.sh

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
# carrotd looks for carrot-runner (process-isolated workers) beside itself.
dotnet publish Carrot.Runner -c "$configuration" --no-build -o artifacts/carrotd -nologo -v q
export CARROT_TEST_BIN="$PWD/artifacts"

rm -rf "$results"
status=0
run_tests() { # NAME FILTER-ARGS...: one dotnet test process with its own results file
    local name=$1
    shift
    dotnet test Carrot.Tests -c "$configuration" --no-build --results-directory "$results" \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" "$@"
}

if (( $# > 0 )); then
    # A filter or other options of the caller's: one process, as given.
    run_tests carrot "$@" || status=$?
else
    # Two processes side by side: the slow categories (faults, several hosts, the RabbitMQ cluster, the browser, the
    # runner crashes) mostly wait on servers, browsers and timeouts, not on the CPU. They share no state: each process
    # starts its own broker and PostgreSQL server, and every test has its own folder, virtual host and database. The
    # second one's output follows the first's.
    slow_categories=(Faults MultiHost Cluster Browser Isolation)
    slow=$(printf 'TestCategory=%s|' "${slow_categories[@]}")
    slow=${slow%|}
    fast=$(printf 'TestCategory!=%s&' "${slow_categories[@]}")
    fast=${fast%&}
    mkdir -p "$results"
    run_tests slow --filter "$slow" >"$results/slow.log" 2>&1 &
    slow_pid=$!
    run_tests carrot --filter "$fast" || status=$?
    wait "$slow_pid" || status=$?
    echo "----- faults, multi-host, cluster, browser and isolation tests -----"
    cat "$results/slow.log"
fi

# One plain summary line for whoever reads the log.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [[ -f $trx ]] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    total=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
    executed=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
    passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
    failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
    skipped=$((skipped + total - executed))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
