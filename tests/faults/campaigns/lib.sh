# Helpers of the fault campaigns (sourced by trial.sh, not run).
# Runs against the PRIVATE environment scripts/faults.sh started (it restarts its
# broker and MinIO); expects its exports (KAFKA_BOOTSTRAP_SERVERS, S3_ENDPOINT, ...,
# KB_ENV_DIR) and KB_BIN.
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run through scripts/faults.sh}" "${KB_ENV_DIR:?run through scripts/faults.sh}"
: "${S3_ENDPOINT:?}" "${KB_TEST_BUCKET:?}" "${KAFKA_BIN:?}" "${KB_BIN:?}" "${KB_FAULTS_PY:?}"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BS=$KAFKA_BOOTSTRAP_SERVERS
KB="$KB_BIN/kafka-backup"
TOOL=("$KB_FAULTS_PY" "$HERE/kafka_tool.py")
AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
ID="f$$x$RANDOM"  # prefix of this trial's topics, backup ids and keys
WORK=$(mktemp -d)
MB=${KB_FAULTS_MB:-8}
TOPICS=()
note() { echo "  $*" >&2; }

cleanup() {
    ((${#TOPICS[@]} == 0)) || "${TOOL[@]}" delete "$BS" "${TOPICS[@]}" >/dev/null 2>&1 || true
    $AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$ID" >/dev/null 2>&1 || true
    [[ ${KB_FAULTS_KEEP:-} == 1 ]] && note "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

# The one line a trial ends with: OUTCOME <passed|failed|refused> <detail>.
outcome() { echo "OUTCOME $1 $2"; exit 0; }

s3_url() { echo "s3://$KB_TEST_BUCKET/$ID/$1?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"; }

rand_between() { awk -v a="$1" -v b="$2" -v r="$RANDOM" 'BEGIN {printf "%.2f", a + (b - a) * r / 32767}'; }

# A fresh source topic of random records (keys, values, headers, timestamps, codec).
make_source() {  # name partitions
    "${TOOL[@]}" create "$BS" "$1" "$2"
    TOPICS+=("$1")
    local n
    n=$("${TOOL[@]}" produce "$BS" "$1" "$2" "$MB" "$RANDOM$RANDOM" "${MAX_VALUE:-1048576}")
    note "source $1: $n records in $2 partitions (${MB} MB)"
}

check() {  # source target [foreign]: prints the checker's line; exit status 0 = exact
    "${TOOL[@]}" check "$BS" "$1" "$2" "${3:-0}"
}

# A failed run is "clear" when it exited 1-3 with exactly one error line that says
# something (no crash, no abort, no raw exception text); warnings may come before it.
clear_failure() {  # rc stderr-file
    local rc=$1 err=$2
    ((rc >= 1 && rc <= 3)) || return 1
    [[ $(grep -c 'error' "$err") -eq 1 ]] || return 1
    grep -Eq '^kafka-backup: error: .{20,}' "$err" || return 1
    ! grep -Eq 'std::|what\(\)|terminate called|Assertion|Sanitizer|basic_string' "$err"
}
error_line() { grep -m1 'error' "$1" | cut -c1-200; }

# Runs the tool, SIGKILLs it after DELAY seconds when it is still running.
# Sets RC (137 when killed) and leaves stderr in $WORK/run.err.
run_killed_after() {  # delay kafka-backup-args...
    local delay=$1; shift
    "$KB" "$@" --no-progress --log-level warn >"$WORK/run.out" 2>"$WORK/run.err" &
    local pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null || true
    RC=0
    wait "$pid" 2>/dev/null || RC=$?
}
run_tool() {  # kafka-backup-args...: sets RC, stderr in $WORK/run.err
    RC=0
    "$KB" "$@" --no-progress --log-level warn >"$WORK/run.out" 2>"$WORK/run.err" || RC=$?
}

# SIGKILLs the run at a random moment, again and again, until a run exits by
# itself. Sets KILLS (kills that landed) and FINAL_RC; fails the trial on an
# unclear failure.
kill_until_done() {  # campaign args...
    local campaign=$1; shift
    KILLS=0
    local round
    for round in $(seq 1 "${KB_FAULTS_MAX_KILLS:-12}"); do
        # Early kills come soon after the start, later ones may come later (a small
        # run is over in well under a second, a resumed one sooner).
        run_killed_after "$(rand_between 0.02 "$(awk -v r="$round" 'BEGIN {print (r < 15 ? 0.1 * r + 0.1 : 1.6)}')")" "$@"
        if ((RC == 137)); then KILLS=$((KILLS + 1)); continue; fi
        FINAL_RC=$RC
        ((RC == 0)) || clear_failure "$RC" "$WORK/run.err" ||
            outcome failed "$campaign: run after $KILLS kills exited $RC unclearly: $(head -c 300 "$WORK/run.err")"
        return 0
    done
    run_tool "$@"  # enough kills: let it finish
    FINAL_RC=$RC
}

# --- the private environment's broker and MinIO, stopped and started in place.
# A process is started again exactly as it was (its argv, environment and working
# directory, read from /proc before it is stopped), so this does not depend on how
# scripts/env.sh builds its command lines.
save_launch() {  # pidfile name
    local pid
    pid=$(cat "$1")
    cp "/proc/$pid/cmdline" "$WORK/$2.cmdline"
    cp "/proc/$pid/environ" "$WORK/$2.environ"
    readlink "/proc/$pid/cwd" >"$WORK/$2.cwd"
}
relaunch() {  # pidfile name log
    local argv envv here=$PWD pid
    mapfile -d '' argv <"$WORK/$2.cmdline"
    mapfile -d '' envv <"$WORK/$2.environ"
    # The pid file must name the server itself, as env.sh's does: a background
    # `cd DIR && cmd &` is a subshell whose pid is not the server's (the next trial
    # then stopped that subshell and "relaunched" a copy of bash). A background simple
    # command is the server: setsid (not a group leader here, so it does not fork)
    # and env both exec. setsid: its own session, like env.sh's (`down` stops it).
    cd "$(cat "$WORK/$2.cwd")"
    setsid env -i "${envv[@]}" "${argv[@]}" >>"$3" 2>&1 </dev/null &
    pid=$!
    cd "$here"
    echo "$pid" >"$1"
}
# The relaunched process must be the one that was stopped (same command line).
check_relaunched() {  # pidfile name
    local pid
    pid=$(cat "$1")
    # Not `cmp -s`: it compares sizes first, and a /proc file says 0.
    cmp "/proc/$pid/cmdline" "$WORK/$2.cmdline" >/dev/null 2>&1 ||
        outcome failed "environment: the pid file of the relaunched $2 names pid $pid, which is not $2"
}
wait_until() {  # seconds command...
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.3
    done
}
stop_pid_in() {  # pidfile signal
    local pid
    pid=$(cat "$1")
    kill "-$2" "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
}
broker_stop() {  # TERM (controlled shutdown) or KILL, at random
    save_launch "$KB_ENV_DIR/kafka-1.pid" kafka
    stop_pid_in "$KB_ENV_DIR/kafka-1.pid" "$( ((RANDOM % 2)) && echo KILL || echo TERM)"
}
broker_start() {
    relaunch "$KB_ENV_DIR/kafka-1.pid" kafka "$KB_ENV_DIR/kafka-1/server.log"
    wait_until 120 kcat -L -b "$BS" -m 2 || outcome failed "environment: the broker did not come back"
    check_relaunched "$KB_ENV_DIR/kafka-1.pid" kafka
}
minio_stop() {
    save_launch "$KB_ENV_DIR/minio.pid" minio
    stop_pid_in "$KB_ENV_DIR/minio.pid" KILL
}
minio_start_again() {
    relaunch "$KB_ENV_DIR/minio.pid" minio "$KB_ENV_DIR/minio/server.log"
    wait_until 60 $AWS s3 ls "s3://$KB_TEST_BUCKET" || outcome failed "environment: MinIO did not come back"
    check_relaunched "$KB_ENV_DIR/minio.pid" minio
}
