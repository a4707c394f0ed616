#!/usr/bin/env bash
# A private PostgreSQL server for tests and benchmarks, from Debian's postgresql package: its own data folder,
# one loopback port, trust authentication for the postgres user on 127.0.0.1 only.
#
#   postgres-server.sh start DIR PORT [durable]   initdb into DIR/data (as the postgres user: initdb refuses root)
#                                                 and start on 127.0.0.1:PORT. Without "durable", fsync and
#                                                 synchronous_commit are off (tests); with it, the defaults (benchmarks).
#   postgres-server.sh stop DIR                   fast shutdown, then DIR is removed
#
#   POSTGRES_OPTIONS     extra server settings ("-c name=value ..."), appended to the script's own.
#   POSTGRES_OWNER_PID   if set, a watchdog stops the server once this process has exited, so a crashed test run
#                        leaves no server behind.
set -euo pipefail

SCRIPT_PATH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

die() { echo "postgres-server: $*" >&2; exit 1; }

bin_dir() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [[ -n $found && -x $found/initdb ]] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run scripts/ensure-postgresql.sh"
    echo "$found"
}

as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cmd_start() {
    (( $# >= 2 )) || die "usage: postgres-server.sh start DIR PORT [durable]"
    local dir=$1 port=$2 mode=${3:-}
    [[ $port =~ ^[0-9]+$ ]] || die "invalid port '$port'"
    local bin; bin=$(bin_dir)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres:postgres "$dir"
    fi
    chmod 700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    local options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300"
    if [[ $mode != durable ]]; then
        options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    # Extra server settings of the caller's, e.g. POSTGRES_OPTIONS="-c shared_preload_libraries=pg_stat_statements" to profile.
    options+=" ${POSTGRES_OPTIONS:-}"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null \
        || { tail -20 "$dir/server.log" >&2 || true; die "the server did not start on 127.0.0.1:$port"; }
    if [[ -n ${POSTGRES_OWNER_PID:-} ]]; then
        [[ $POSTGRES_OWNER_PID =~ ^[0-9]+$ ]] || die "invalid POSTGRES_OWNER_PID"
        setsid nohup bash "$SCRIPT_PATH" watchdog "$dir" "$POSTGRES_OWNER_PID" </dev/null >>"$dir/watchdog.out" 2>&1 &
        echo "$!" >"$dir/watchdog.pid"
    fi
    echo "postgresql ready on 127.0.0.1:$port ($dir)"
}

cmd_stop() {
    (( $# == 1 )) || die "usage: postgres-server.sh stop DIR"
    local dir=$1
    [[ -d $dir ]] || { echo "postgres-server: $dir does not exist, nothing to stop"; return 0; }
    local bin; bin=$(bin_dir)
    if [[ -f $dir/watchdog.pid ]]; then
        local watchdog; watchdog=$(cat "$dir/watchdog.pid")
        [[ $watchdog != "$$" ]] && kill "$watchdog" 2>/dev/null || true
    fi
    if [[ -f $dir/data/postmaster.pid ]]; then
        as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 \
            || as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

cmd_watchdog() {
    local dir=$1 owner=$2
    while kill -0 "$owner" 2>/dev/null; do
        sleep 2
    done
    cmd_stop "$dir"
}

case ${1:-} in
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    watchdog) shift; cmd_watchdog "$@" ;;
    *) die "usage: postgres-server.sh start DIR PORT [durable] | stop DIR" ;;
esac
