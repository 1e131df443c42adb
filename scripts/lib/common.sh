# Shared helpers for the scripts: cache locations, logging, waiting.
# Sourced, not executed.

KB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../versions.env
source "$KB_ROOT/scripts/versions.env"
KB_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/kafka-backup"
mkdir -p "$KB_CACHE"

# Progress goes to stderr so `eval "$(scripts/env.sh up)"` only sees export lines.
say() { printf '[%s] %s\n' "${KB_SCRIPT:-kb}" "$*" >&2; }
die() { printf '[%s] error: %s\n' "${KB_SCRIPT:-kb}" "$*" >&2; exit 1; }

# wait_for DESCRIPTION TIMEOUT_S COMMAND... : polls COMMAND until it succeeds.
wait_for() {
    local what=$1 timeout=$2; shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            say "timed out after ${timeout}s waiting for $what"
            return 1
        fi
        sleep 0.3
    done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A pid file's process is alive and is ours: its command line names ENV_DIR (a pid
# left from a previous boot may belong to another process by now).
pid_alive() {
    [[ -f $1 ]] || return 1
    local pid
    pid=$(cat "$1")
    kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$ENV_DIR"
}

# Stops the process in a pid file: TERM, wait up to 20 s, then KILL.
stop_pid() {
    local pidfile=$1 pid
    [[ -f $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}
