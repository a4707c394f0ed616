#!/usr/bin/env bash
# Soak: pushes TASKS (default 100000) tasks through Carrot while killing and restarting carrotd and
# RabbitMQ at random, then audits for lost, duplicated and overlapping runs. Takes minutes; not run by CI.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/ensure-rabbitmq.sh
dotnet build carrot.sln -c Release -nologo -clp:ErrorsOnly
dotnet publish Carrot.Daemon -c Release --no-build -o artifacts/carrotd -nologo -v q
rm -rf .carrot-soak && mkdir -p .carrot-soak
CARROT_SOAK_ROOT=$PWD dotnet soak/bin/Release/net10.0/Carrot.Soak.dll "${1:-100000}"
