#!/usr/bin/env bash
# One simulated host for the multi-host tests: new PID, UTS and mount namespaces (its own hostname, its own PIDs
# and /proc), sharing this machine's network and files, running one command (carrotd) as its PID 2.
#
#   simulated-host.sh run OWNER_PID HOSTNAME COMMAND...   the launcher, outside the namespaces
#   simulated-host.sh init HOSTNAME COMMAND...            PID 1 inside (started by run)
#
# Nothing outlives the test process: the launcher polls OWNER_PID and kills unshare once it is gone; unshare dies
# with the launcher (its parent-death signal, set by setpriv, so a SIGKILLed launcher takes it along) and takes the
# namespace's init with it (--kill-child); when init dies the kernel kills every process left in the namespace.
# The launcher prints "simulated-host NAME: namespace init is pid PID" (PID as this machine sees it) first.
# SIGTERM and SIGHUP sent to the launcher reach the command (a stop, a reload). Exit code: the command's.
# SIMULATED_HOST_PID=N (default 2) gives the command PID N, as on a host where other processes started first.
set -euo pipefail

case ${1:-} in
run)
    owner=$2 name=$3
    shift 3
    setpriv --pdeathsig KILL unshare --pid --uts --mount --fork --kill-child --mount-proc -- bash "$0" init "$name" "$@" &
    ns=$!
    init=""
    for _ in $(seq 1 200); do
        init=$(pgrep -P "$ns" 2>/dev/null || true)
        [[ -n $init ]] && break
        sleep 0.01
    done
    [[ -n $init ]] || { echo "simulated-host $name: the namespace did not start" >&2; kill -KILL "$ns" 2>/dev/null || true; exit 1; }
    echo "simulated-host $name: namespace init is pid $init"
    trap 'kill -TERM "$init" 2>/dev/null || true' TERM
    trap 'kill -HUP "$init" 2>/dev/null || true' HUP
    while kill -0 "$ns" 2>/dev/null; do
        if ! kill -0 "$owner" 2>/dev/null; then
            kill -KILL "$ns" 2>/dev/null || true
            break
        fi
        # Interruptible by the traps above, unlike a plain sleep.
        sleep 0.5 &
        wait $! || true
    done
    code=0
    wait "$ns" || code=$?
    exit "$code" ;;
init)
    name=$2
    shift 2
    # Written, not set by hostname(1): no process forked before the command, so the command is PID 2.
    echo "$name" >/proc/sys/kernel/hostname
    for ((pid = 2; pid < ${SIMULATED_HOST_PID:-2}; pid++)); do
        /bin/true
    done
    "$@" </dev/null &
    daemon=$!
    # PID 1 gets only the signals it has a handler for: these pass a stop or a reload on to the command.
    trap 'kill -TERM "$daemon" 2>/dev/null || true' TERM
    trap 'kill -HUP "$daemon" 2>/dev/null || true' HUP
    while true; do
        code=0
        wait "$daemon" || code=$?
        kill -0 "$daemon" 2>/dev/null || break
    done
    exit "$code" ;;
*)
    sed -n '5,6p' "$0" >&2
    exit 2 ;;
esac
