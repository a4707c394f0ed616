#!/usr/bin/env bash
# The README's many-hosts example, on one machine: a private PostgreSQL server (durable settings) and a three-node
# RabbitMQ cluster on loopback, carrot db migrate, two carrotd daemons over them — one taking every worker, one
# only "files" — and tasks on a "files" worker of concurrency 1 beside tasks on "default". It checks that the
# files tasks ran one at a time across both daemons and prints who ran what. Everything lives in
# .carrot-many/; set KEEP=1 to leave the servers and daemons running afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
work=$root/.carrot-many
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [[ -d $work ]]; then
    bash scripts/postgres-server.sh stop "$work/postgres" >/dev/null 2>&1 || true
    bash scripts/rabbitmq-cluster.sh stop "$work/rabbitmq" >/dev/null 2>&1 || true
    rm -rf "$work"
fi
mkdir -p "$work"
bash scripts/ensure-rabbitmq.sh
bash scripts/ensure-postgresql.sh

step "Build"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build carrot.sln -c Release -nologo -clp:ErrorsOnly
dotnet publish Carrot.Cli -c Release --no-build -o artifacts/carrot -nologo -v q
dotnet publish Carrot.Daemon -c Release --no-build -o artifacts/carrotd -nologo -v q
export PATH="$root/artifacts/carrot:$root/artifacts/carrotd:$PATH"

daemons=()
cleanup() {
    if [[ ${KEEP:-0} != 1 ]]; then
        for pid in "${daemons[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
        bash scripts/rabbitmq-cluster.sh stop "$work/rabbitmq" >/dev/null 2>&1 || true
        bash scripts/postgres-server.sh stop "$work/postgres" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

step "PostgreSQL (fsync and synchronous_commit on)"
pg_port=$(free_port)
run bash scripts/postgres-server.sh start "$work/postgres" "$pg_port" durable
run psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE ROLE carrot LOGIN PASSWORD 'secret'" -c "CREATE DATABASE carrot OWNER carrot"

step "A three-node RabbitMQ cluster"
ports=()
for _ in 1 2 3; do ports+=("$(free_port):$(free_port)"); done
bash scripts/rabbitmq-cluster.sh start "$work/rabbitmq" "$(free_port)" "${ports[@]}" | tee "$work/rabbitmq.env"
brokers=$(for p in "${ports[@]}"; do printf '"amqp://guest:guest@127.0.0.1:%s/", ' "${p%%:*}"; done)

step "Configuration ($work/carrot.json)"
cat > "$work/carrot.json" <<JSON
{
  "database": "postgresql://carrot:secret@127.0.0.1:$pg_port/carrot",
  "broker": [ ${brokers%, } ],
  "queueType": "quorum",
  "taskAssemblies": [ "$root/samples/MyLib/bin/Release/net10.0" ],
  "heartbeatSeconds": 1,
  "leaseSeconds": 5
}
JSON
cat "$work/carrot.json"
export CARROT_CONFIG=$work/carrot.json

step "Schema and workers"
run carrot db migrate
run carrot workers add files --concurrency 1 --description "one at a time, over every host"

step "Two daemons: one takes every worker, one only files"
carrotd > "$work/carrotd-all.log" 2>&1 &
daemons+=($!)
CARROT_WORKERS=files carrotd > "$work/carrotd-files.log" 2>&1 &
daemons+=($!)
for log in carrotd-all carrotd-files; do
    for _ in $(seq 1 100); do grep -q "Consuming carrot.files" "$work/$log.log" && break; sleep 0.2; done
    grep -E "starting as|Taking" "$work/$log.log"
done

step "20 tasks on files, 20 on default (files paused meanwhile, so both daemons then compete for its one slot)"
probe=$work/runs.log
: > "$probe"
run carrot workers pause files
for _ in $(seq 1 20); do
    carrot enqueue MyLib.HostProbe.Run --worker files --args "[\"$probe\", 300]" >/dev/null
    carrot enqueue MyLib.HostProbe.Run --args "[\"$probe\", 300]" >/dev/null
done
run carrot workers resume files
for _ in $(seq 1 120); do
    [[ $(grep -c '^end ' "$probe") -ge 40 ]] && break
    sleep 0.5
done
run carrot status
run carrot tasks list --worker files --limit 5

step "Who ran what"
carrot tasks list --limit 100 --json | python3 -c '
import json, sys, collections
tasks = json.load(sys.stdin)
count = collections.Counter((t["worker"], t["node"]) for t in tasks)
for (worker, node), n in sorted(count.items()):
    print(f"  {worker:8} {node:20} {n} task(s)")
'
python3 - "$probe" <<'PY'
import sys
runs = {}
for line in open(sys.argv[1]):
    kind, task, attempt, host, pid, start, *end = line.split()
    if kind == "end":
        runs[task] = (int(start), int(end[0]), pid)
print(f"  {len(runs)} runs ended")
PY
files_ids=$(carrot tasks list --worker files --limit 100 --json | python3 -c 'import json,sys; print(" ".join(str(t["id"]) for t in json.load(sys.stdin)))')
python3 - "$probe" $files_ids <<'PY'
import sys
ids = set(sys.argv[2:])
spans = sorted((int(l.split()[5]), int(l.split()[6])) for l in open(sys.argv[1]) if l.startswith("end ") and l.split()[1] in ids)
overlaps = sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1])
print(f"  files: {len(spans)} runs, {overlaps} overlapping (concurrency 1 over both daemons)")
sys.exit(1 if overlaps or len(spans) != 20 else 0)
PY
echo
echo "Done. Logs: $work/carrotd-all.log, $work/carrotd-files.log; task runs: $probe"
