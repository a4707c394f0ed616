#!/usr/bin/env bash
# Start, stop and fault a PRIVATE RabbitMQ cluster on 127.0.0.1 for tests.
#
#   scripts/rabbitmq-cluster.sh start DIR EPMD_PORT AMQP_PORT:DIST_PORT...   (2 or more nodes)
#   scripts/rabbitmq-cluster.sh stop DIR                    every node, then the epmd
#   scripts/rabbitmq-cluster.sh stop-node DIR I             node I (1-based) stops gracefully (its VM exits)
#   scripts/rabbitmq-cluster.sh kill-node DIR I             node I gets SIGKILL
#   scripts/rabbitmq-cluster.sh start-node DIR I            node I starts again from its data and rejoins
#   scripts/rabbitmq-cluster.sh ctl DIR I RABBITMQCTL_ARGS...
#
# What a cluster needs (see /work/shared/RECIPES.md, RabbitMQ 3.10 as packaged by Debian): ONE epmd and ONE
# Erlang cookie for all nodes (HOME=DIR for the servers and every rabbitmqctl, so they share DIR/.erlang.cookie),
# distinct node names (carrot-<AMQP_PORT>@localhost) and ports, and `join_cluster` for every node but the first.
# The scripts in /usr/lib/rabbitmq/bin are called directly (the /usr/sbin wrappers switch user and HOME).
# Everything listens on 127.0.0.1 only. Each node keeps its files under DIR/nodeI.
#
# Optional environment:
#   RABBITMQ_BIN_DIR            where rabbitmq-server/rabbitmqctl live (default /usr/lib/rabbitmq/bin)
#   RABBITMQ_NODE_START_TIMEOUT seconds to wait for each node (default 90)
#   RABBITMQ_NODE_OWNER_PID     if set, a watchdog stops the whole cluster once this process has exited
#                               (the test suite sets it, so a crashed run leaves no broker behind)
set -euo pipefail

SCRIPT_PATH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

die() {
    echo "rabbitmq-cluster: $*" >&2
    exit 1
}

usage() {
    sed -n '3,9p' "$SCRIPT_PATH" | sed 's/^# *//' >&2
    exit 2
}

is_port() {
    [[ "$1" =~ ^[0-9]+$ ]] && (( 10#$1 >= 1 && 10#$1 <= 65535 ))
}

port_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -Eqhs "^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:0000 0A " /proc/net/tcp /proc/net/tcp6
}

loopback_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -Eq "^ *[0-9]+: 0100007F:${hex} [0-9A-F]+:0000 0A " /proc/net/tcp 2>/dev/null
}

read_pid() {
    [[ -f "$1" ]] && tr -dc '0-9' <"$1" || true
}

# True when pid $1 is alive (not a zombie) and its command line contains the fixed string $2: guards every kill
# against pid reuse.
pid_has() {
    local pid=$1 text=$2 state
    [[ "$pid" =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    [[ -n "$state" && "$state" != "Z" ]] || return 1
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$text"
}

load_env() {
    local dir=$1 key value
    [[ -f "$dir/cluster.env" ]] || return 1
    CLUSTER_DIR=$dir
    COUNT="" EPMD_PORT=""
    declare -gA AMQP=() DIST=()
    while IFS='=' read -r key value; do
        case "$key" in
            COUNT) COUNT=$value ;;
            EPMD_PORT) EPMD_PORT=$value ;;
            AMQP_*) AMQP[${key#AMQP_}]=$value ;;
            DIST_*) DIST[${key#DIST_}]=$value ;;
        esac
    done <"$dir/cluster.env"
    [[ "$COUNT" =~ ^[0-9]+$ ]] && is_port "$EPMD_PORT" || die "$dir/cluster.env is incomplete"
}

node_name() { echo "carrot-${AMQP[$1]}@localhost"; }

export_common_env() {
    export HOME="$1"
    export ERL_EPMD_ADDRESS=127.0.0.1
    export ERL_EPMD_PORT="$EPMD_PORT"
    # A CLI call must never start an epmd of its own, and gets an ephemeral distribution port.
    export RABBITMQ_CTL_ERL_ARGS='-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}'
    export RABBITMQ_CTL_DIST_PORT_MIN=0
    export RABBITMQ_CTL_DIST_PORT_MAX=0
}

ctl() {
    local dir=$1 i=$2
    shift 2
    timeout -k 5 90 "$RMQ_BIN_DIR/rabbitmqctl" -q -n "$(node_name "$i")" "$@"
}

# True when pid $1 is node $2's VM: a live beam whose environment names the node and this cluster's pid file
# (the command lines of the nodes do not differ).
is_node_pid() {
    local pid=$1 i=$2
    pid_has "$pid" beam &&
        grep -qzx "RABBITMQ_NODENAME=$(node_name "$i")" "/proc/$pid/environ" 2>/dev/null &&
        grep -qzx "RABBITMQ_PID_FILE=$CLUSTER_DIR/node$i/pid" "/proc/$pid/environ" 2>/dev/null
}

# The node's VM, as its pid file names it.
beam_pid() {
    local dir=$1 i=$2 pid
    pid=$(read_pid "$dir/node$i/pid")
    if [[ -n "$pid" ]] && is_node_pid "$pid" "$i"; then
        echo "$pid"
    fi
}

launch_node() {
    local dir=$1 i=$2 node d
    node=$(node_name "$i")
    d=$dir/node$i
    if port_listening "${AMQP[$i]}" || port_listening "${DIST[$i]}"; then
        die "port ${AMQP[$i]} or ${DIST[$i]} is already in use"
    fi
    mkdir -p "$d/mnesia" "$d/log"
    rm -f "$d/pid"
    (
        cd "$d"
        export RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="${AMQP[$i]}" RABBITMQ_DIST_PORT="${DIST[$i]}"
        export RABBITMQ_MNESIA_BASE="$d/mnesia" RABBITMQ_LOG_BASE="$d/log" RABBITMQ_PID_FILE="$d/pid"
        export RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf"
        export RABBITMQ_CONF_ENV_FILE="$d/rabbitmq-env.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$d/advanced.config"
        export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
        export ERL_CRASH_DUMP="$d/log/erl_crash.dump"
        exec setsid nohup "$RMQ_BIN_DIR/rabbitmq-server" </dev/null >"$d/log/server.out" 2>&1
    ) &
    echo "$!" >"$d/launcher.pid"
}

await_node() {
    local dir=$1 i=$2 node deadline
    node=$(node_name "$i")
    deadline=$((SECONDS + ${RABBITMQ_NODE_START_TIMEOUT:-90}))
    # await_startup fails at once for a node epmd does not list yet.
    until "$EPMD_BIN" -port "$EPMD_PORT" -names 2>/dev/null | grep -q "^name ${node%@*} "; do
        ((SECONDS < deadline)) || { tail -n 30 "$dir/node$i/log/server.out" >&2 || true; die "$node did not register with epmd"; }
        sleep 0.2
    done
    until loopback_listening "${AMQP[$i]}"; do
        ((SECONDS < deadline)) || { tail -n 30 "$dir/node$i/log/$node.log" >&2 || true; die "$node did not open 127.0.0.1:${AMQP[$i]}"; }
        sleep 0.2
    done
    ctl "$dir" "$i" await_startup >/dev/null || die "await_startup failed for $node"
}

stop_one() {
    local dir=$1 i=$2 how=$3 pid n
    pid=$(beam_pid "$dir" "$i")
    if [[ -n "$pid" ]]; then
        if [[ "$how" == graceful ]] && ctl "$dir" "$i" stop >/dev/null 2>&1; then
            for ((n = 0; n < 300; n++)); do
                is_node_pid "$pid" "$i" || break
                sleep 0.1
            done
        fi
        if is_node_pid "$pid" "$i"; then
            kill -KILL "$pid" 2>/dev/null || true
            for ((n = 0; n < 100; n++)); do
                is_node_pid "$pid" "$i" || break
                sleep 0.1
            done
        fi
    fi
    pid=$(read_pid "$dir/node$i/launcher.pid")
    if [[ -n "$pid" ]] && pid_has "$pid" rabbitmq-server; then
        kill -TERM "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/node$i/pid" "$dir/node$i/launcher.pid"
}

cmd_start() {
    (( $# >= 4 )) || usage
    local dir=$1 epmd=$2 i=0 pair
    shift 2
    is_port "$epmd" || die "invalid EPMD_PORT '$epmd'"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ ! -f "$dir/cluster.env" ]] || die "$dir already holds a cluster; stop it first"
    port_listening "$epmd" && die "port $epmd (epmd) is already in use"
    {
        echo "EPMD_PORT=$epmd"
        echo "COUNT=$#"
        for pair in "$@"; do
            i=$((i + 1))
            local amqp=${pair%%:*} dist=${pair#*:}
            is_port "$amqp" && is_port "$dist" && [[ "$pair" == "$amqp:$dist" ]] || die "invalid AMQP_PORT:DIST_PORT '$pair'"
            echo "AMQP_$i=$amqp"
            echo "DIST_$i=$dist"
        done
    } >"$dir/cluster.env"
    load_env "$dir"
    (umask 077 && od -An -N20 -tx1 /dev/urandom | tr -d ' \n' >"$dir/.erlang.cookie")
    chmod 0400 "$dir/.erlang.cookie"
    export_common_env "$dir"

    local started=$SECONDS
    (cd "$dir" && "$EPMD_BIN" -daemon -address 127.0.0.1 -port "$EPMD_PORT" </dev/null >>"$dir/epmd.out" 2>&1) || die "could not start epmd on 127.0.0.1:$EPMD_PORT"
    for ((i = 1; i <= COUNT; i++)); do
        local d=$dir/node$i
        mkdir -p "$d"
        printf '[].\n' >"$d/enabled_plugins"
        : >"$d/rabbitmq-env.conf"
        cat >"$d/rabbitmq.conf" <<'EOF'
# Generated by scripts/rabbitmq-cluster.sh for a private test node; guest may log in over loopback only.
loopback_users.guest = true
log.file.level = info
log.console = false
disk_free_limit.absolute = 10MB
EOF
    done

    # From here on a failure (any die or error) leaves nothing behind.
    trap 'cmd_stop "$dir" >/dev/null 2>&1 || true' EXIT
    if [[ -n "${RABBITMQ_NODE_OWNER_PID:-}" ]]; then
        [[ "$RABBITMQ_NODE_OWNER_PID" =~ ^[0-9]+$ ]] || die "invalid RABBITMQ_NODE_OWNER_PID"
        setsid nohup bash "$SCRIPT_PATH" watchdog "$dir" "$RABBITMQ_NODE_OWNER_PID" </dev/null >>"$dir/watchdog.out" 2>&1 &
        echo "$!" >"$dir/watchdog.pid"
    fi
    for ((i = 1; i <= COUNT; i++)); do
        launch_node "$dir" "$i"
    done
    for ((i = 1; i <= COUNT; i++)); do
        await_node "$dir" "$i"
    done
    for ((i = 2; i <= COUNT; i++)); do
        ctl "$dir" "$i" stop_app >/dev/null
        ctl "$dir" "$i" join_cluster "$(node_name 1)" >/dev/null
        ctl "$dir" "$i" start_app >/dev/null
        ctl "$dir" "$i" await_startup >/dev/null
    done
    trap - EXIT
    echo "rabbitmq cluster of $COUNT nodes ready in $((SECONDS - started)) s (epmd $EPMD_PORT): $(for ((i = 1; i <= COUNT; i++)); do printf '%s ' "$(node_name "$i")=127.0.0.1:${AMQP[$i]}"; done)"
}

cmd_stop() {
    (( $# == 1 )) || usage
    local dir=$1 i pid
    [[ -d "$dir" ]] || { echo "rabbitmq-cluster: $dir does not exist, nothing to stop"; return 0; }
    dir=$(cd "$dir" && pwd)
    load_env "$dir" || { echo "rabbitmq-cluster: no cluster.env in $dir, nothing to stop"; return 0; }
    export_common_env "$dir"
    pid=$(read_pid "$dir/watchdog.pid")
    if [[ -n "$pid" && "$pid" != "$$" ]] && pid_has "$pid" "rabbitmq-cluster.sh watchdog"; then
        kill "$pid" 2>/dev/null || true
    fi
    # In parallel: each graceful stop takes seconds.
    for ((i = 1; i <= COUNT; i++)); do
        stop_one "$dir" "$i" graceful &
    done
    wait
    timeout 5 "$EPMD_BIN" -port "$EPMD_PORT" -kill >/dev/null 2>&1 || true
    for pid in $(pgrep -x epmd 2>/dev/null || true); do
        if pid_has "$pid" "-port $EPMD_PORT " && pid_has "$pid" "-address 127.0.0.1"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    rm -f "$dir/cluster.env" "$dir/watchdog.pid"
    echo "rabbitmq cluster in $dir stopped"
}

node_index() {
    [[ "$1" =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= COUNT )) || die "no node $1 (the cluster has $COUNT)"
}

cmd_node() {
    local action=$1 dir=$2 i=$3
    dir=$(cd "$dir" && pwd)
    load_env "$dir" || die "no cluster in $dir"
    node_index "$i"
    export_common_env "$dir"
    case "$action" in
        stop-node) stop_one "$dir" "$i" graceful; echo "$(node_name "$i") stopped" ;;
        kill-node)
            local pid
            pid=$(beam_pid "$dir" "$i")
            [[ -n "$pid" ]] || die "$(node_name "$i") is not running"
            kill -KILL "$pid"
            stop_one "$dir" "$i" kill
            echo "$(node_name "$i") killed (pid $pid)" ;;
        start-node)
            [[ -z "$(beam_pid "$dir" "$i")" ]] || die "$(node_name "$i") is already running"
            launch_node "$dir" "$i"
            await_node "$dir" "$i"
            echo "$(node_name "$i") started" ;;
    esac
}

cmd_ctl() {
    (( $# >= 2 )) || usage
    local dir=$1 i=$2
    shift 2
    dir=$(cd "$dir" && pwd)
    load_env "$dir" || die "no cluster in $dir"
    node_index "$i"
    export_common_env "$dir"
    exec "$RMQ_BIN_DIR/rabbitmqctl" -n "$(node_name "$i")" "$@"
}

# Internal: stop the cluster once the owner process is gone.
cmd_watchdog() {
    local dir=$1 owner=$2
    while kill -0 "$owner" 2>/dev/null && [[ -f "$dir/cluster.env" ]]; do
        sleep 2
    done
    [[ -f "$dir/cluster.env" ]] || exit 0
    rm -f "$dir/watchdog.pid"
    echo "owner $owner exited, stopping the cluster"
    exec bash "$SCRIPT_PATH" stop "$dir"
}

main() {
    (( $# >= 1 )) || usage
    local cmd=$1
    shift
    RMQ_BIN_DIR=${RABBITMQ_BIN_DIR:-/usr/lib/rabbitmq/bin}
    [[ -x "$RMQ_BIN_DIR/rabbitmq-server" ]] || die "rabbitmq-server not found in $RMQ_BIN_DIR (install rabbitmq-server or set RABBITMQ_BIN_DIR)"
    EPMD_BIN=$(command -v epmd || ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | head -1 || true)
    [[ -n "$EPMD_BIN" ]] || die "epmd not found (install erlang-base)"
    case "$cmd" in
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        stop-node | kill-node | start-node) (( $# == 2 )) || usage; cmd_node "$cmd" "$@" ;;
        ctl) cmd_ctl "$@" ;;
        watchdog) (( $# == 2 )) || usage; cmd_watchdog "$@" ;;
        *) usage ;;
    esac
}

main "$@"
