#!/usr/bin/env bash
# Start, stop and control a PRIVATE RabbitMQ node for tests and demos.
#
#   scripts/rabbitmq-node.sh start DIR AMQP_PORT [DIST_PORT] [EPMD_PORT]
#   scripts/rabbitmq-node.sh stop  DIR
#   scripts/rabbitmq-node.sh ctl   DIR RABBITMQCTL_ARGS...
#   scripts/rabbitmq-node.sh status DIR      (exit 0 when the node is up)
#
# The node is called carrot-<AMQP_PORT>@localhost, keeps every file (mnesia,
# logs, pid, cookie, config) under DIR and listens on 127.0.0.1 only: AMQP on
# AMQP_PORT, Erlang distribution on DIST_PORT (default AMQP_PORT+20000) and a
# private epmd on EPMD_PORT (default AMQP_PORT+30000), so it never touches a
# system RabbitMQ / epmd (5672 / 4369) and several nodes can run side by side.
#
# How it works (RabbitMQ 3.10 as packaged by Debian):
#  * The scripts in /usr/lib/rabbitmq/bin are called directly, NOT the
#    /usr/sbin wrappers: as root those wrappers `su rabbitmq`, which resets
#    HOME (hence the Erlang cookie) to /var/lib/rabbitmq. Calling the real
#    scripts runs the node as the invoking user (root or not) and lets us use
#    HOME=DIR for the server and every rabbitmqctl call, so they share
#    DIR/.erlang.cookie (written here, mode 0400) and nothing in $HOME or
#    /var/lib/rabbitmq is read or written.
#  * The private epmd is started explicitly (`epmd -daemon -address 127.0.0.1
#    -port EPMD_PORT`) before anything else, so its command line is known and
#    `stop` can find and kill exactly that one. ERL_EPMD_ADDRESS/ERL_EPMD_PORT
#    are exported for the server and for rabbitmqctl (which would otherwise
#    start, or talk to, the default epmd on 4369).
#  * The server is started in the background with setsid/nohup (not
#    -detached, which drops RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS).
#  * rabbitmqctl itself is an Erlang node: it gets an ephemeral distribution
#    port on 127.0.0.1 (instead of the fixed 35672-35682 range) so concurrent
#    calls against many nodes never collide.
#
# Optional environment:
#   RABBITMQ_BIN_DIR            where rabbitmq-server/rabbitmqctl live
#                               (default /usr/lib/rabbitmq/bin, else from PATH)
#   RABBITMQ_NODE_START_TIMEOUT seconds to wait for the node (default 60)
#   RABBITMQ_NODE_EXTRA_CONF    lines appended to the node's rabbitmq.conf
#   RABBITMQ_NODE_OWNER_PID     if set, a watchdog stops the node once this
#                               process has exited (used by the test suite so
#                               a crashed test run leaves no broker behind)
set -euo pipefail

SCRIPT_PATH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

die() {
    echo "rabbitmq-node: $*" >&2
    exit 1
}

usage() {
    cat >&2 <<'EOF'
usage: rabbitmq-node.sh start DIR AMQP_PORT [DIST_PORT] [EPMD_PORT]
       rabbitmq-node.sh stop DIR
       rabbitmq-node.sh ctl DIR RABBITMQCTL_ARGS...
       rabbitmq-node.sh status DIR
EOF
    exit 2
}

find_rabbitmq_bin_dir() {
    if [[ -n "${RABBITMQ_BIN_DIR:-}" ]]; then
        echo "$RABBITMQ_BIN_DIR"
    elif [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then
        echo /usr/lib/rabbitmq/bin
    elif command -v rabbitmq-server >/dev/null 2>&1; then
        dirname "$(command -v rabbitmq-server)"
    else
        die "rabbitmq-server not found (install the rabbitmq-server package or set RABBITMQ_BIN_DIR)"
    fi
}

find_epmd() {
    if command -v epmd >/dev/null 2>&1; then
        command -v epmd
        return
    fi
    local candidate
    for candidate in /usr/lib/erlang/bin/epmd /usr/lib/erlang/erts-*/bin/epmd /usr/local/lib/erlang/erts-*/bin/epmd; do
        if [[ -x "$candidate" ]]; then
            echo "$candidate"
            return
        fi
    done
    die "epmd not found (install erlang-base)"
}

is_port() {
    [[ "$1" =~ ^[0-9]+$ ]] && (( 10#$1 >= 1 && 10#$1 <= 65535 ))
}

# True when something listens on TCP port $1 (any address, IPv4 or IPv6).
port_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -Eqhs "^ *[0-9]+: [0-9A-F]+:${hex} [0-9A-F]+:0000 0A " /proc/net/tcp /proc/net/tcp6
}

# True when 127.0.0.1 listens on TCP port $1.
loopback_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -Eq "^ *[0-9]+: 0100007F:${hex} [0-9A-F]+:0000 0A " /proc/net/tcp 2>/dev/null
}

# True when pid $1 is alive (and not a zombie) and its command line matches
# the extended regex $2. Guards every kill against pid reuse.
pid_matches() {
    local pid=$1 pattern=$2 cmdline state
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r /proc/$pid/cmdline ]] || return 1
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    [[ "$state" != "Z" && -n "$state" ]] || return 1
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
    [[ "$cmdline" =~ $pattern ]]
}

# Escapes $1 for use inside an extended regex.
regex_escape() {
    # shellcheck disable=SC2016 # a literal sed expression
    printf '%s' "$1" | sed 's/[][\\.|$(){}?+*^]/\\&/g'
}

# Regex matching the command line of the node's Erlang VM (erlexec passes
# `-home $HOME`, and HOME is DIR).
beam_pattern() {
    printf 'beam.* -home %s ' "$(regex_escape "$1")"
}

read_file_pid() {
    local file=$1
    [[ -f "$file" ]] || return 0
    tr -dc '0-9' <"$file" || true
}

# Regex matching the command line of the private epmd on port $1.
epmd_pattern() {
    printf '(^|/)epmd -daemon -address 127\\.0\\.0\\.1 -port %s $' "$1"
}

# Pids of the private epmd on port $1: the one started by `start` (known
# command line) and, defensively, any `epmd -daemon` that an Erlang VM
# auto-started with ERL_EPMD_PORT=$1 in its environment.
our_epmd_pids() {
    local port=$1 pattern pid
    pattern=$(epmd_pattern "$port")
    for pid in $(pgrep -x epmd 2>/dev/null || true); do
        if pid_matches "$pid" "$pattern"; then
            echo "$pid"
        elif pid_matches "$pid" '(^|/)epmd ' &&
            grep -qzx "ERL_EPMD_PORT=$port" "/proc/$pid/environ" 2>/dev/null; then
            echo "$pid"
        fi
    done
}

# Reads DIR/node.env without executing it.
load_node_env() {
    local dir=$1 key value
    NODE="" AMQP_PORT="" DIST_PORT="" EPMD_PORT=""
    [[ -f "$dir/node.env" ]] || return 1
    while IFS='=' read -r key value; do
        value=${value%\"}
        value=${value#\"}
        case "$key" in
            NODE) NODE=$value ;;
            AMQP_PORT) AMQP_PORT=$value ;;
            DIST_PORT) DIST_PORT=$value ;;
            EPMD_PORT) EPMD_PORT=$value ;;
        esac
    done <"$dir/node.env"
    if ! { [[ -n "$NODE" ]] && is_port "$AMQP_PORT" && is_port "$DIST_PORT" && is_port "$EPMD_PORT"; }; then
        die "$dir/node.env is incomplete or corrupt"
    fi
}

# write_node_env DIR NODE AMQP_PORT DIST_PORT EPMD_PORT PID (PID empty while starting)
write_node_env() {
    cat >"$1/node.env.tmp" <<EOF
NODE=$2
AMQP_PORT=$3
DIST_PORT=$4
EPMD_PORT=$5
DIR=$1
PID=$6
EOF
    mv -f "$1/node.env.tmp" "$1/node.env"
}

# Environment shared by the server and rabbitmqctl.
export_common_env() {
    local dir=$1 epmd_port=$2
    export HOME="$dir"
    export ERL_EPMD_ADDRESS=127.0.0.1
    export ERL_EPMD_PORT="$epmd_port"
    export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
    # -start_epmd false: a CLI call must never spawn an epmd of its own
    # (e.g. `status` after `stop` would otherwise leave one behind).
    export RABBITMQ_CTL_ERL_ARGS='-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}'
    export RABBITMQ_CTL_DIST_PORT_MIN=0
    export RABBITMQ_CTL_DIST_PORT_MAX=0
}

print_log_tail() {
    local dir=$1 node=$2 f
    for f in "$dir/log/$node.log" "$dir/log/server.out"; do
        if [[ -s "$f" ]]; then
            echo "----- tail of $f -----" >&2
            tail -n 40 "$f" >&2 || true
        fi
    done
}

# Stops everything that belongs to the node described by the arguments.
# Never fails; returns 1 when something could not be killed.
stop_node() {
    local dir=$1 node=$2 epmd_port=$3 beam_pid launcher_pid watchdog_pid pid i
    local beam_pattern
    beam_pattern=$(beam_pattern "$dir")

    export_common_env "$dir" "$epmd_port"

    watchdog_pid=$(read_file_pid "$dir/watchdog.pid")
    if [[ -n "$watchdog_pid" ]] && pid_matches "$watchdog_pid" "rabbitmq-node\\.sh watchdog"; then
        kill "$watchdog_pid" 2>/dev/null || true
    fi

    beam_pid=$(read_file_pid "$dir/pid")
    if [[ -z "$beam_pid" ]]; then
        # No pid file yet (start failed early): look the VM up by its -home.
        for pid in $(pgrep beam 2>/dev/null || true); do
            if pid_matches "$pid" "$beam_pattern"; then
                beam_pid=$pid
                break
            fi
        done
    fi
    launcher_pid=$(read_file_pid "$dir/launcher.pid")

    if [[ -n "$beam_pid" ]] && pid_matches "$beam_pid" "$beam_pattern"; then
        # Graceful stop first, then wait for the VM itself to exit.
        if timeout -k 5 30 "$RMQ_BIN_DIR/rabbitmqctl" -q -n "$node" stop >/dev/null 2>&1; then
            for ((i = 0; i < 300; i++)); do
                pid_matches "$beam_pid" "$beam_pattern" || break
                sleep 0.1
            done
        fi
        if pid_matches "$beam_pid" "$beam_pattern"; then
            echo "rabbitmq-node: rabbitmqctl stop did not end $node, sending SIGTERM to pid $beam_pid" >&2
            kill -TERM "$beam_pid" 2>/dev/null || true
            for ((i = 0; i < 100; i++)); do
                pid_matches "$beam_pid" "$beam_pattern" || break
                sleep 0.1
            done
        fi
        if pid_matches "$beam_pid" "$beam_pattern"; then
            echo "rabbitmq-node: sending SIGKILL to pid $beam_pid" >&2
            kill -KILL "$beam_pid" 2>/dev/null || true
        fi
    fi

    # The rabbitmq-server shell wrapper exits with the VM; make sure.
    if [[ -n "$launcher_pid" ]] && pid_matches "$launcher_pid" "rabbitmq-server"; then
        kill -TERM "$launcher_pid" 2>/dev/null || true
    fi

    # Private epmd: ask it to quit, then kill whatever is left of exactly ours.
    local epmd_pids
    epmd_pids=$(our_epmd_pids "$epmd_port")
    if [[ -n "$epmd_pids" ]]; then
        timeout 5 "$EPMD_BIN" -port "$epmd_port" -kill >/dev/null 2>&1 || true
        for ((i = 0; i < 20; i++)); do
            [[ -z "$(our_epmd_pids "$epmd_port")" ]] && break
            sleep 0.1
        done
        for pid in $(our_epmd_pids "$epmd_port"); do
            kill -KILL "$pid" 2>/dev/null || true
        done
        # epmd daemonizes, so init reaps it; give that a moment so that
        # `pgrep epmd` right after stop does not show a <defunct> entry.
        for ((i = 0; i < 20; i++)); do
            local left=0
            for pid in $epmd_pids; do
                [[ -e /proc/$pid ]] && left=1
            done
            ((left == 0)) && break
            sleep 0.1
        done
    fi

    # Wait (briefly) until everything is really gone.
    for ((i = 0; i < 50; i++)); do
        if ! { [[ -n "$beam_pid" ]] && pid_matches "$beam_pid" "$beam_pattern"; } &&
            ! { [[ -n "$launcher_pid" ]] && pid_matches "$launcher_pid" "rabbitmq-server"; } &&
            [[ -z "$(our_epmd_pids "$epmd_port")" ]]; then
            rm -f "$dir/pid" "$dir/launcher.pid" "$dir/watchdog.pid"
            return 0
        fi
        sleep 0.1
    done
    echo "rabbitmq-node: some processes of $node are still running" >&2
    return 1
}

cmd_start() {
    (( $# >= 2 && $# <= 4 )) || usage
    local dir=$1 amqp_port=$2 dist_port=${3:-} epmd_port=${4:-}
    is_port "$amqp_port" || die "invalid AMQP_PORT '$amqp_port'"
    amqp_port=$((10#$amqp_port))
    if [[ -z "$dist_port" ]]; then
        dist_port=$((amqp_port + 20000))
        (( dist_port <= 65535 )) || die "default DIST_PORT $dist_port (AMQP_PORT+20000) is out of range; pass DIST_PORT explicitly"
    fi
    if [[ -z "$epmd_port" ]]; then
        epmd_port=$((amqp_port + 30000))
        (( epmd_port <= 65535 )) || die "default EPMD_PORT $epmd_port (AMQP_PORT+30000) is out of range; pass EPMD_PORT explicitly"
    fi
    is_port "$dist_port" || die "invalid DIST_PORT '$dist_port'"
    is_port "$epmd_port" || die "invalid EPMD_PORT '$epmd_port'"
    dist_port=$((10#$dist_port))
    epmd_port=$((10#$epmd_port))
    (( amqp_port != dist_port && amqp_port != epmd_port && dist_port != epmd_port )) ||
        die "AMQP_PORT, DIST_PORT and EPMD_PORT must differ"

    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local node="carrot-${amqp_port}@localhost"
    local timeout_s=${RABBITMQ_NODE_START_TIMEOUT:-60}

    # Refuse to start twice in the same folder.
    local old_pid
    old_pid=$(read_file_pid "$dir/pid")
    if [[ -n "$old_pid" ]] && pid_matches "$old_pid" "$(beam_pattern "$dir")"; then
        die "a node is already running from $dir (pid $old_pid); stop it first"
    fi

    local p
    for p in "$amqp_port" "$dist_port"; do
        if port_listening "$p"; then
            die "port $p is already in use"
        fi
    done
    if port_listening "$epmd_port" && [[ -z "$(our_epmd_pids "$epmd_port")" ]]; then
        die "port $epmd_port (epmd) is already in use"
    fi

    mkdir -p "$dir/mnesia" "$dir/log"
    rm -f "$dir/node.env" "$dir/pid" "$dir/launcher.pid" "$dir/watchdog.pid"
    printf '[].\n' >"$dir/enabled_plugins"
    : >"$dir/rabbitmq-env.conf"
    cat >"$dir/rabbitmq.conf" <<'EOF'
# Generated by scripts/rabbitmq-node.sh for a private test/demo node.
# Listener address/port come from RABBITMQ_NODE_IP_ADDRESS/RABBITMQ_NODE_PORT.
# guest/guest is allowed over loopback only (the default).
loopback_users.guest = true
log.file.level = info
log.console = true
log.console.level = warning
# Keep a nearly full CI disk from blocking publishers.
disk_free_limit.absolute = 10MB
EOF
    # Node-wide settings a test needs (e.g. consumer_timeout, channel_max), one per line.
    if [[ -n "${RABBITMQ_NODE_EXTRA_CONF:-}" ]]; then
        printf '%s\n' "$RABBITMQ_NODE_EXTRA_CONF" >>"$dir/rabbitmq.conf"
    fi
    # Erlang cookie shared by the server and rabbitmqctl through HOME=DIR.
    # Erlang insists on the file being private to its owner (0400).
    if [[ ! -s "$dir/.erlang.cookie" ]]; then
        local cookie
        cookie=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | tr 'a-f' 'A-F')
        [[ ${#cookie} -ge 16 ]] || cookie="CARROT$(date +%s%N)"
        rm -f "$dir/.erlang.cookie"
        (umask 077 && printf '%s' "$cookie" >"$dir/.erlang.cookie")
    fi
    chmod 0400 "$dir/.erlang.cookie"

    export_common_env "$dir" "$epmd_port"

    # 1. private epmd (reuse it if a previous run left exactly ours behind)
    if [[ -z "$(our_epmd_pids "$epmd_port")" ]]; then
        (cd "$dir" && "$EPMD_BIN" -daemon -address 127.0.0.1 -port "$epmd_port" </dev/null >>"$dir/log/epmd.out" 2>&1) ||
            die "could not start epmd on 127.0.0.1:$epmd_port"
    fi
    local i
    for ((i = 0; i < 50; i++)); do
        "$EPMD_BIN" -port "$epmd_port" -names >/dev/null 2>&1 && break
        sleep 0.1
    done
    "$EPMD_BIN" -port "$epmd_port" -names >/dev/null 2>&1 || {
        stop_node "$dir" "$node" "$epmd_port" || true
        die "epmd did not come up on 127.0.0.1:$epmd_port"
    }

    # Written now so that `stop DIR` can clean up even after a failed or
    # interrupted start; rewritten with the VM pid once the node is ready.
    write_node_env "$dir" "$node" "$amqp_port" "$dist_port" "$epmd_port" ""

    # 2. the broker
    local started_at launcher_pid
    started_at=$(date +%s%N)
    (
        cd "$dir"
        export RABBITMQ_NODENAME="$node"
        export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
        export RABBITMQ_NODE_PORT="$amqp_port"
        export RABBITMQ_DIST_PORT="$dist_port"
        export RABBITMQ_MNESIA_BASE="$dir/mnesia"
        export RABBITMQ_LOG_BASE="$dir/log"
        export RABBITMQ_PID_FILE="$dir/pid"
        export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
        export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
        export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
        export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
        export ERL_CRASH_DUMP="$dir/log/erl_crash.dump"
        exec setsid nohup "$RMQ_BIN_DIR/rabbitmq-server" </dev/null >"$dir/log/server.out" 2>&1
    ) &
    launcher_pid=$!
    echo "$launcher_pid" >"$dir/launcher.pid"

    fail_start() {
        echo "rabbitmq-node: $1" >&2
        print_log_tail "$dir" "$node"
        stop_node "$dir" "$node" "$epmd_port" >/dev/null 2>&1 || true
        exit 1
    }

    # 3. wait for the AMQP listener (cheap: /proc/net/tcp, no connection made)
    local deadline=$((SECONDS + timeout_s))
    until loopback_listening "$amqp_port"; do
        if ! kill -0 "$launcher_pid" 2>/dev/null; then
            fail_start "rabbitmq-server exited during startup"
        fi
        if ((SECONDS >= deadline)); then
            fail_start "node $node did not open 127.0.0.1:$amqp_port within ${timeout_s}s"
        fi
        sleep 0.1
    done

    # 4. confirm the boot completed (listeners are started last, so this is quick)
    local remaining=$((deadline - SECONDS))
    ((remaining >= 5)) || remaining=5
    if ! timeout -k 5 "$remaining" "$RMQ_BIN_DIR/rabbitmqctl" -q -n "$node" await_startup >"$dir/log/await_startup.out" 2>&1; then
        cat "$dir/log/await_startup.out" >&2 || true
        fail_start "rabbitmqctl await_startup failed for $node"
    fi

    local beam_pid
    beam_pid=$(read_file_pid "$dir/pid")
    [[ -n "$beam_pid" ]] || fail_start "no pid file written by $node"

    write_node_env "$dir" "$node" "$amqp_port" "$dist_port" "$epmd_port" "$beam_pid"

    # 5. optional watchdog: stop the node when its owner process disappears.
    if [[ -n "${RABBITMQ_NODE_OWNER_PID:-}" ]]; then
        [[ "$RABBITMQ_NODE_OWNER_PID" =~ ^[0-9]+$ ]] || fail_start "invalid RABBITMQ_NODE_OWNER_PID"
        setsid nohup bash "$SCRIPT_PATH" watchdog "$dir" "$RABBITMQ_NODE_OWNER_PID" </dev/null >>"$dir/log/watchdog.out" 2>&1 &
        echo "$!" >"$dir/watchdog.pid"
    fi

    local elapsed_ms=$((($(date +%s%N) - started_at) / 1000000))
    echo "rabbitmq node $node ready on 127.0.0.1:$amqp_port (dist $dist_port, epmd $epmd_port, ${elapsed_ms} ms)"
}

cmd_stop() {
    (( $# == 1 )) || usage
    local dir=$1
    if [[ ! -d "$dir" ]]; then
        echo "rabbitmq-node: $dir does not exist, nothing to stop"
        return 0
    fi
    dir=$(cd "$dir" && pwd)
    if ! load_node_env "$dir"; then
        # start may have failed half-way: clean up from the pid files alone.
        local beam_pid
        beam_pid=$(read_file_pid "$dir/pid")
        if [[ -n "$beam_pid" ]] && pid_matches "$beam_pid" "$(beam_pattern "$dir")"; then
            kill -KILL "$beam_pid" 2>/dev/null || true
        fi
        echo "rabbitmq-node: no node.env in $dir, nothing to stop"
        return 0
    fi
    local started_at=$SECONDS
    if stop_node "$dir" "$NODE" "$EPMD_PORT"; then
        echo "rabbitmq node $NODE stopped ($((SECONDS - started_at)) s)"
    else
        exit 1
    fi
}

cmd_ctl() {
    (( $# >= 1 )) || usage
    local dir=$1
    shift
    [[ -d "$dir" ]] || die "$dir does not exist"
    dir=$(cd "$dir" && pwd)
    load_node_env "$dir" || die "no node.env in $dir (node not started?)"
    export_common_env "$dir" "$EPMD_PORT"
    exec "$RMQ_BIN_DIR/rabbitmqctl" -n "$NODE" "$@"
}

cmd_status() {
    (( $# == 1 )) || usage
    local dir=$1
    [[ -d "$dir" ]] || exit 1
    dir=$(cd "$dir" && pwd)
    load_node_env "$dir" || exit 1
    export_common_env "$dir" "$EPMD_PORT"
    timeout -k 5 30 "$RMQ_BIN_DIR/rabbitmqctl" -q -n "$NODE" status >/dev/null 2>&1
}

# Internal: poll the owner pid and stop the node once it is gone.
cmd_watchdog() {
    local dir=$1 owner=$2 pid
    while kill -0 "$owner" 2>/dev/null; do
        pid=$(read_file_pid "$dir/pid")
        [[ -n "$pid" ]] && pid_matches "$pid" "$(beam_pattern "$dir")" || exit 0
        sleep 2
    done
    rm -f "$dir/watchdog.pid"
    echo "owner $owner exited, stopping node"
    exec bash "$SCRIPT_PATH" stop "$dir"
}

main() {
    (( $# >= 1 )) || usage
    local cmd=$1
    shift
    RMQ_BIN_DIR=$(find_rabbitmq_bin_dir)
    EPMD_BIN=$(find_epmd)
    case "$cmd" in
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        ctl) cmd_ctl "$@" ;;
        status) cmd_status "$@" ;;
        watchdog) (( $# == 2 )) || usage; cmd_watchdog "$@" ;;
        -h | --help | help) usage ;;
        *) usage ;;
    esac
}

main "$@"
