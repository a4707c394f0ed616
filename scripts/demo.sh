#!/usr/bin/env bash
# Carrot end to end on a fresh Debian machine with the .NET SDK: installs RabbitMQ when missing and starts
# a node bound to 127.0.0.1 when none answers on localhost:5672, builds Carrot, starts carrotd with the
# sample task library (samples/MyLib), enqueues tasks with the carrot CLI and shows what happened.
# Everything it writes lives in .carrot-demo/. Set KEEP=1 to leave carrotd and RabbitMQ running afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
demo=$root/.carrot-demo
mkdir -p "$demo"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "RabbitMQ"
bash scripts/ensure-rabbitmq.sh
started_node=0
if (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    echo "A broker already answers on 127.0.0.1:5672; using it."
else
    bash scripts/rabbitmq-node.sh start "$demo/rabbitmq" 5672
    started_node=1
fi

step "Build"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build carrot.sln -c Release -nologo -clp:ErrorsOnly
dotnet publish Carrot.Cli -c Release --no-build -o artifacts/carrot -nologo -v q
dotnet publish Carrot.Daemon -c Release --no-build -o artifacts/carrotd -nologo -v q
dotnet publish Carrot.Runner -c Release --no-build -o artifacts/carrotd -nologo -v q
export PATH="$root/artifacts/carrot:$root/artifacts/carrotd:$PATH"

step "Configuration ($demo/carrot.json)"
rm -f "$demo"/carrot.db*
cat > "$demo/carrot.json" <<JSON
{
  "database": "carrot.db",
  "broker": "amqp://guest:guest@127.0.0.1:5672/",
  "taskAssemblies": [ "$root/samples/MyLib/bin/Release/net10.0" ]
}
JSON
cat "$demo/carrot.json"
export CARROT_CONFIG=$demo/carrot.json

step "Start carrotd (log: $demo/carrotd.log)"
carrotd > "$demo/carrotd.log" 2>&1 &
daemon=$!
cleanup() {
    if [[ ${KEEP:-0} != 1 ]]; then
        kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
        if [[ $started_node == 1 ]]; then bash scripts/rabbitmq-node.sh stop "$demo/rabbitmq" >/dev/null || true; fi
    fi
}
trap cleanup EXIT
for _ in $(seq 1 50); do grep -q "Consuming carrot.default" "$demo/carrotd.log" && break; sleep 0.2; done
cat "$demo/carrotd.log"

step "Workers"
run carrot workers add fileprocessor --concurrency 1 --description "Processes large files one at a time"
run carrot workers list

step "Tasks"
run carrot enqueue MyLib.Jobs.Bark --args '["Rex"]' --kwargs '{"times": 3}' --wait
for n in 1 2 3; do
    run carrot enqueue MyLib.Jobs.ProcessFile --args "[\"/tmp/huge$n.wav\"]" --kwargs '{"bitrate": 1411, "milliseconds": 500}' --worker fileprocessor
done
run carrot enqueue MyLib.Greeter.Greet --args '["Ada"]' --wait
failing=$(carrot enqueue MyLib.Jobs.Explode --kwargs '{"why": "on purpose"}')
echo "enqueued task $failing (it fails on purpose)"
sleep 2.5

step "What happened"
run carrot tasks list
run carrot tasks show 1 --logs
run carrot tasks show "$failing"
run carrot status

step "Lifecycle: retries, delays, cancel, schedules"
flaky=$(carrot enqueue MyLib.Flaky.SucceedOnAttempt --args '[2]')
echo "enqueued task $flaky: its first attempt fails, the retry (after 5-10 s of backoff) succeeds"
delayed=$(carrot enqueue MyLib.Jobs.Bark --args '["Later"]' --delay 3s)
run carrot tasks show "$delayed"
sleeper=$(carrot enqueue MyLib.Probe.Sleep --args '[60000]')
sleep 1
run carrot tasks cancel "$sleeper"
run carrot schedules add every2s MyLib.Jobs.Bark --every 2s --args '["Tick"]'
sleep 11
run carrot schedules pause every2s
run carrot schedules show every2s
run carrot tasks show "$flaky"
run carrot tasks show "$delayed"

step "Bad input is refused with one line and changes nothing"
run carrot enqueue MyLib.Jobs.Bark --args '{"not": "an array"}' || echo "(exit $?)"
run carrot enqueue System.IO.File.Delete --args '["/etc/passwd"]' || echo "(exit $?)"

if [[ ${KEEP:-0} == 1 ]]; then
    echo; echo "carrotd (pid $daemon) and RabbitMQ keep running. CARROT_CONFIG=$demo/carrot.json"
fi
