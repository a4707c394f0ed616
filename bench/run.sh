#!/usr/bin/env bash
# Carrot's benchmark: bash bench/run.sh [scenario...] [--runs N] [--million] [--store sqlite|postgres|both]
# Scenarios: ceiling drain steady latency cli memory scale (the default, in that order), isolation (issue 11: both
# worker isolations side by side, runner start, memory and recycle cost), rows (tasks list, status and drain at an
# empty table vs 1,000,000 rows), daemons (drain with 1, 2, 3 carrotd on PostgreSQL), monitor (every page and API
# call of the web monitor at 1,000,000 rows, and the live task log's cost; monitor-live: that cost alone) and monitor-writes (enqueue and drain with
# and without the monitor's trigger-kept per-minute counts).
# --store picks the engine(s) drain, latency and rows measure, side by side with "both"; PostgreSQL is a private
# server on a free loopback port with its default durability (fsync and synchronous_commit on).
# Builds Release, publishes carrot and carrotd, starts a private RabbitMQ node on free loopback ports and uses
# temporary SQLite files. Prints a JSON line and table rows per scenario; writes artifacts/bench/*.json and
# artifacts/bench/summary.md. Takes about 15 minutes for everything; not part of the test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-rabbitmq.sh
if [[ " $* " == *" postgres "* || " $* " == *" both "* || " $* " == *" daemons "* ]]; then
    bash scripts/ensure-postgresql.sh
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build carrot.sln -c Release -nologo -clp:ErrorsOnly
dotnet publish Carrot.Cli -c Release --no-build -o artifacts/carrot -nologo -v q
dotnet publish Carrot.Daemon -c Release --no-build -o artifacts/carrotd -nologo -v q
dotnet publish Carrot.Runner -c Release --no-build -o artifacts/carrotd -nologo -v q
CARROT_BENCH_ROOT=$PWD exec dotnet bench/bin/Release/net10.0/Carrot.Bench.dll "$@"
