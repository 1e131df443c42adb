#!/usr/bin/env bash
# One trial of one fault campaign; scripts/faults.sh runs these and tabulates them.
#   trial.sh CAMPAIGN     CAMPAIGN: backup_kill | restore_kill | broker_restart |
#                         minio_restart | corrupt | foreign_writes
# Prints progress on stderr and, last on stdout, one or more lines
#   OUTCOME <passed|refused|failed> <campaign>: <detail>
# passed: the tool finished with exit 0 and the checker (kafka_tool.py, its own reading
# of both topics) found the target an exact copy; refused: a run failed with one clear
# error line and, where a re-run applies, the re-run finished exactly; failed: exit 0
# with wrong data, an unclear failure, or no exact finish.
. "$(dirname "$0")/lib.sh"
CAMPAIGN=${1:?usage: trial.sh CAMPAIGN}
CODECS=(zstd lz4 gzip none)
CODEC=${CODECS[RANDOM % 4]}
SLOW=(--shards 1 --max-concurrent-partitions 1 --memory-budget 32MiB)

backup_args() {  # path source [segment size]: segments of 256 KiB - 1 MiB by default
    echo backup --bootstrap-servers "$BS" --path "$1" --backup-id "$ID" --topics "$2" \
        --segment-max-bytes "${3:-$(((RANDOM % 4 + 1) * 256))KiB}" --compression "$CODEC"
}
restore_args() {  # path source target
    echo restore --bootstrap-servers "$BS" --path "$1" --backup-id "$ID" --topic-map "$2:$3" --create-topics
}

# Runs the command until it exits 0 (up to 3 more times). A failure must be clear.
# Sets REFUSALS (clear failures seen, with the first line in REFUSED_LINE).
REFUSALS=0 REFUSED_LINE=""
until_ok() {  # what args...
    local what=$1; shift
    local i
    for i in 1 2 3 4; do
        run_tool "$@"
        ((RC != 0)) || return 0
        clear_failure "$RC" "$WORK/run.err" ||
            outcome failed "$CAMPAIGN: $what exited $RC unclearly: $(head -c 300 "$WORK/run.err" | tr '\n' ' ')"
        REFUSALS=$((REFUSALS + 1))
        [[ -n $REFUSED_LINE ]] || REFUSED_LINE=$(error_line "$WORK/run.err")
        note "$what failed clearly (re-running): $(error_line "$WORK/run.err")"
        sleep 1
    done
    outcome failed "$CAMPAIGN: $what never finished: $(error_line "$WORK/run.err")"
}

# The target against the source, by the checker; passed or refused(then exact).
finish() {  # source target detail [foreign]
    local line
    if line=$(check "$1" "$2" "${4:-0}"); then
        if ((REFUSALS)); then outcome refused "$CAMPAIGN: $3; $REFUSALS clear failure(s) ($REFUSED_LINE), then $line"; fi
        outcome passed "$CAMPAIGN: $3; $line"
    fi
    outcome failed "$CAMPAIGN: $3; exit 0 but $line"
}

# 1. kill -9 the backup at random moments until a run finishes; restore; check.
campaign_backup_kill() {
    local src="$ID-src" url
    url=$(s3_url b)
    make_source "$src" 3
    # shellcheck disable=SC2046
    kill_until_done backup_kill $(backup_args "$url" "$src") "${SLOW[@]}"
    ((FINAL_RC == 0)) || { REFUSALS=1 REFUSED_LINE=$(error_line "$WORK/run.err"); }
    # shellcheck disable=SC2046
    until_ok backup $(backup_args "$url" "$src")
    TOPICS+=("$src-r")
    # shellcheck disable=SC2046
    until_ok restore $(restore_args "$url" "$src" "$src-r")
    finish "$src" "$src-r" "$KILLS SIGKILLs during the backup ($CODEC)"
}

# 2. kill -9 the restore at random moments until a run finishes; check.
campaign_restore_kill() {
    local src="$ID-src" url
    url=$(s3_url b)
    make_source "$src" 3
    # shellcheck disable=SC2046
    until_ok backup $(backup_args "$url" "$src")
    TOPICS+=("$src-r")
    # shellcheck disable=SC2046
    kill_until_done restore_kill $(restore_args "$url" "$src" "$src-r") "${SLOW[@]}"
    ((FINAL_RC == 0)) || { REFUSALS=1 REFUSED_LINE=$(error_line "$WORK/run.err"); }
    # shellcheck disable=SC2046
    until_ok restore $(restore_args "$url" "$src" "$src-r")
    finish "$src" "$src-r" "$KILLS SIGKILLs during the restore"
}

# Runs args in the background, injects `stop` after a random delay, `start` after a
# random downtime, waits. Sets LANDED (the tool was still running at the fault).
run_through() {  # stop-fn start-fn args...
    local stop=$1 start=$2; shift 2
    "$KB" "$@" --no-progress --log-level warn >"$WORK/run.out" 2>"$WORK/run.err" &
    local pid=$! down
    sleep "$(rand_between 0.1 0.8)"
    LANDED=0
    ! kill -0 "$pid" 2>/dev/null || LANDED=1
    down=$(rand_between 0.5 "${KB_FAULTS_MAX_DOWN:-8}")
    "$stop"
    sleep "$down"
    "$start"
    RC=0
    wait "$pid" || RC=$?
    note "fault after $( ((LANDED)) && echo "the start" || echo "the end") of the run, ${down}s down: exit $RC"
    ((RC == 0)) && return 0
    clear_failure "$RC" "$WORK/run.err" ||
        outcome failed "$CAMPAIGN: exit $RC unclearly after the restart: $(head -c 300 "$WORK/run.err" | tr '\n' ' ')"
    REFUSALS=$((REFUSALS + 1))
    [[ -n $REFUSED_LINE ]] || REFUSED_LINE=$(error_line "$WORK/run.err")
}

# 3./4. a broker (or MinIO) restart mid-backup, then another mid-restore.
# KB_FAULTS_ONE_RESTART=1 (faults.sh --quick): one restart, mid-backup or mid-restore
# at random, instead of both.
restart_campaign() {  # stop-fn start-fn
    local src="$ID-src" url landed=0 runs=2 phase=both
    url=$(s3_url b)
    make_source "$src" 3
    if [[ ${KB_FAULTS_ONE_RESTART:-} == 1 ]]; then
        runs=1 phase=$( ((RANDOM % 2)) && echo backup || echo restore)
    fi
    if [[ $phase != restore ]]; then
        # shellcheck disable=SC2046
        run_through "$1" "$2" $(backup_args "$url" "$src") "${SLOW[@]}"
        landed=$((landed + LANDED))
    else
        run_tool $(backup_args "$url" "$src")
    fi
    # shellcheck disable=SC2046
    ((RC == 0)) || until_ok backup $(backup_args "$url" "$src")
    TOPICS+=("$src-r")
    if [[ $phase != backup ]]; then
        # shellcheck disable=SC2046
        run_through "$1" "$2" $(restore_args "$url" "$src" "$src-r") "${SLOW[@]}"
        landed=$((landed + LANDED))
    else
        run_tool $(restore_args "$url" "$src" "$src-r")
    fi
    # shellcheck disable=SC2046
    ((RC == 0)) || until_ok restore $(restore_args "$url" "$src" "$src-r")
    finish "$src" "$src-r" "restart ($phase) landed mid-run in $landed of $runs runs"
}
campaign_broker_restart() { restart_campaign broker_stop broker_start; }
campaign_minio_restart() { restart_campaign minio_stop minio_start_again; }

# 6. kill -9 a restore mid-way, another producer writes into the target, re-run:
# the target holds every backed-up record once plus the foreign ones, or the re-run
# refuses with one line.
campaign_foreign_writes() {
    local src="$ID-src" dst path="$WORK/b" attempt n=0 total foreign part
    # Eight times the usual source: restore reads ahead and produces in parallel, so a
    # few MB reach the target in one burst and the kill below found them all there.
    local MB=$((MB * 8))
    make_source "$src" 3
    # shellcheck disable=SC2046
    until_ok backup $(backup_args "$path" "$src")
    total=$(ends_sum "$src")
    # The kill comes as soon as the first records reached the target (a small restore
    # is over in well under a second, and a partition's records may arrive in one
    # request); a restore that finished first starts again into a new target.
    for attempt in 1 2 3 4 5 6; do
        dst="$src-r$attempt"
        TOPICS+=("$dst")
        # shellcheck disable=SC2046
        kill_once_producing "$dst" $(restore_args "$path" "$src" "$dst") "${SLOW[@]}"
        n=$(ends_sum "$dst")
        ((RC == 137 || RC == 0)) || outcome failed "$CAMPAIGN: restore exited $RC before any kill: $(error_line "$WORK/run.err")"
        ((RC == 137 && n > 0 && n < total)) && break
        note "attempt $attempt: no kill mid-restore ($n of $total records, exit $RC)"
    done
    ((n > 0 && n < total)) || outcome failed "$CAMPAIGN: no kill landed mid-restore in 6 attempts"
    foreign=$((RANDOM % 200 + 1)) part=$((RANDOM % 3))
    "${TOOL[@]}" foreign "$BS" "$dst" "$part" "$foreign"
    note "killed with $n of $total records on the target; $foreign foreign records into partition $part"
    # shellcheck disable=SC2046
    run_tool $(restore_args "$path" "$src" "$dst")
    if ((RC != 0)); then
        clear_failure "$RC" "$WORK/run.err" ||
            outcome failed "$CAMPAIGN: the re-run exited $RC unclearly: $(head -c 300 "$WORK/run.err" | tr '\n' ' ')"
        outcome refused "$CAMPAIGN: $foreign foreign records in partition $part: $(error_line "$WORK/run.err")"
    fi
    finish "$src" "$dst" "$foreign foreign records in partition $part after a kill at $n of $total" "$foreign"
}
# Starts the tool, SIGKILLs it a random 0-0.05 s after the target first holds records
# (kcat polls the end offsets). Sets RC (137 when the kill landed).
kill_once_producing() {  # target args...
    local target=$1; shift
    "$KB" "$@" --no-progress --log-level warn >"$WORK/run.out" 2>"$WORK/run.err" &
    local pid=$! extra
    extra=$(rand_between 0 0.05)
    while kill -0 "$pid" 2>/dev/null; do
        if (($(target_count "$target") > 0)); then
            sleep "$extra"
            kill -9 "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.03
    done
    RC=0
    wait "$pid" 2>/dev/null || RC=$?
}
target_count() {  # topic (3 partitions): quick, by kcat
    kcat -Q -b "$BS" -t "$1:0:-1" -t "$1:1:-1" -t "$1:2:-1" 2>/dev/null | awk '{s += $NF} END {print s + 0}'
}
ends_sum() { "${TOOL[@]}" count "$BS" "$1"; }  # topic: the sum of its end offsets

# 5. corruption of a stored backup: see corrupt.sh.
campaign_corrupt() { . "$HERE/corrupt.sh"; }

"campaign_$CAMPAIGN"
