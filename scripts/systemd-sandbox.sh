#!/usr/bin/env bash
# A bare systemd for tests: PID 1 of its own pid, mount, uts and cgroup namespaces, knowing only the units it is
# given. Lets an installed service run under a real systemd (Type=notify, User=, StateDirectory=, the hardening,
# reload, restart on failure) on a machine whose own PID 1 is not systemd, as on the test machines. Every stock
# unit and generator is hidden, so nothing else starts; the host's hostname, mounts and processes are not touched,
# and the sandbox gets a cgroup of its own (removed by stop).
#
#   scripts/systemd-sandbox.sh start UNITS_DIR     prints the host pid of the sandbox's systemd once it answers
#   scripts/systemd-sandbox.sh run PID COMMAND...  runs COMMAND inside (e.g. systemctl start carrotd)
#   scripts/systemd-sandbox.sh stop PID            kills the sandbox and removes its cgroup
#
# UNITS_DIR holds unit files (copied to /usr/lib/systemd/system inside) and drop-in folders NAME.d (copied to
# /etc/systemd/system/NAME.d inside). Exit code 3: this machine cannot host it (no cgroup2, no unshare, not root).
set -euo pipefail

usage() { sed -n '8,10p' "$0" >&2; exit 2; }
[[ $# -ge 1 ]] || usage

case $1 in
start)
    [[ $# -eq 2 ]] || usage
    units=$(realpath "$2")
    [[ $(id -u) -eq 0 ]] || { echo "systemd-sandbox: needs root" >&2; exit 3; }
    command -v unshare >/dev/null && command -v nsenter >/dev/null && [[ -x /lib/systemd/systemd ]] \
        || { echo "systemd-sandbox: needs unshare, nsenter and systemd" >&2; exit 3; }
    if [[ $(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null) == cgroup2fs ]]; then
        base=/sys/fs/cgroup/unified
    elif [[ $(stat -fc %T /sys/fs/cgroup 2>/dev/null) == cgroup2fs ]]; then
        base=/sys/fs/cgroup
    else
        echo "systemd-sandbox: no cgroup2 hierarchy" >&2; exit 3
    fi
    cgroup=$base/carrot-systemd-sandbox-$$
    mkdir "$cgroup" || { echo "systemd-sandbox: cannot create $cgroup" >&2; exit 3; }
    # The launcher joins the new cgroup first, so the cgroup namespace's root is that cgroup.
    setsid bash -c 'echo $$ > "$1/cgroup.procs" && exec unshare --pid --fork --mount --uts --cgroup --mount-proc "$2" init "$3"' \
        _ "$cgroup" "$(realpath "$0")" "$units" </dev/null >/dev/null 2>&1 &
    launcher=$!
    for _ in $(seq 1 300); do
        pid=$(pgrep -P "$launcher" 2>/dev/null | head -1 || true)
        if [[ -n $pid ]] && state=$(nsenter -t "$pid" -m -p systemctl is-system-running 2>/dev/null || true) && [[ $state =~ ^(running|degraded|starting)$ ]]; then
            echo "$pid"
            exit 0
        fi
        if ! kill -0 "$launcher" 2>/dev/null; then
            rmdir "$cgroup" 2>/dev/null || true
            echo "systemd-sandbox: systemd did not start" >&2; exit 3
        fi
        sleep 0.1
    done
    echo "systemd-sandbox: systemd did not answer within 30 s" >&2
    kill -KILL "$launcher" 2>/dev/null || true
    exit 1 ;;
init)
    # PID 1 of the new namespaces: private /run, a fresh cgroup2 view, only the given units; then systemd.
    mount --make-rprivate /
    mount -t tmpfs tmpfs /run
    mount -t tmpfs tmpfs /sys/fs/cgroup
    mount -t cgroup2 cgroup2 /sys/fs/cgroup
    for folder in /etc/systemd/system /usr/lib/systemd/system /usr/lib/systemd/system-generators /usr/lib/systemd/system-preset; do
        mount -t tmpfs tmpfs "$folder"
    done
    printf '[Unit]\nDescription=systemd sandbox\nDefaultDependencies=no\n' > /usr/lib/systemd/system/sandbox.target
    find "$2" -maxdepth 1 -type f -exec cp {} /usr/lib/systemd/system/ \;
    find "$2" -mindepth 1 -maxdepth 1 -type d -name '*.d' -exec cp -r {} /etc/systemd/system/ \;
    exec /lib/systemd/systemd --system --unit=sandbox.target --log-target=console --show-status=no ;;
run)
    [[ $# -ge 3 ]] || usage
    pid=$2; shift 2
    exec nsenter -t "$pid" -m -p -u -C "$@" ;;
stop)
    [[ $# -eq 2 ]] || usage
    pid=$2
    relative=$(sed -n 's|^0::/\([^/]*\).*|\1|p' "/proc/$pid/cgroup" 2>/dev/null || true)
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    for base in /sys/fs/cgroup/unified /sys/fs/cgroup; do
        if [[ $relative == carrot-systemd-sandbox-* && -d $base/$relative ]]; then
            # Empty once the namespace's processes are gone; children first.
            for _ in $(seq 1 50); do
                find "$base/$relative" -depth -type d -exec rmdir {} \; 2>/dev/null && break
                sleep 0.1
            done
        fi
    done ;;
*) usage ;;
esac
