#!/usr/bin/env bash
# Two SIGTERMs close together are one stop request (issue 21.10). GNU timeout
# signals the process and then its process group, so `timeout 10 kafka-backup
# backup ...` delivers two SIGTERMs microseconds apart; the second used to quit at
# once and lose every segment in hand. A continuous backup that keeps its one
# segment open (segment_max_interval 10 min) publishes nothing until it stops,
# so each case below shows whether the stop finished and published the segment:
# exit 130, a JSON summary saying "interrupted", every record of the topic in the
# published manifest exactly once.
source "$(dirname "$0")/lib.sh"

topic="$RUN_ID-dsig"
create_topic "$topic" 2
for p in 0 1; do seq 1 300 | sed "s/^/p$p record /" | kcat -P -b "$BS" -t "$topic" -p $p; done
get_offsets "$topic" -1 >"$WORK/ends"
total=$(awk -F: '{s += $3} END {print s}' "$WORK/ends")
[ "$total" -eq 600 ] || fail "produced $total records, expected 600"

args_for() {  # backup_id
    ARGS=(backup --bootstrap-servers "$BS" --topics "$topic" --path "$WORK/fs" --backup-id "$1"
          --continuous --segment-max-interval 10min --no-progress --output json)
}

check_stop() {  # label rc
    local label=$1 rc=$2 n
    [ "$rc" -eq 130 ] || { cat "$WORK/$label.log"; fail "$label: exit code $rc, expected 130"; }
    [ "$(jq -r .status "$WORK/$label.json" 2>/dev/null)" = interrupted ] ||
        { cat "$WORK/$label.log"; fail "$label: no 'interrupted' summary (quit without finishing?)"; }
    n=$(manifest_fs "$WORK/fs" "$label" | manifest_record_count)
    [ "$n" -eq "$total" ] || { cat "$WORK/$label.log"; fail "$label: manifest holds $n of $total records"; }
    assert_exactly_once "$WORK/fs" "$label" "$WORK/ends" "$label"
    echo "$label: exit 130, all $total records published exactly once"
}

# Waits until the backup has fetched the whole topic (its lag metric would do
# too; the log line of a caught-up partition is not printed at info level).
settle() { sleep 4; }

# --- GNU timeout: SIGTERM to the process, then to its group -------------------
args_for timeout
rc=0
timeout -s TERM --preserve-status 5 "$KB_BIN/kafka-backup" "${ARGS[@]}" \
    >"$WORK/timeout.json" 2>"$WORK/timeout.log" || rc=$?
check_stop timeout "$rc"

# --- two kill -TERM in a row, and two 200 ms apart ---------------------------
for gap in 0 0.2; do
    label="kill2-${gap/./}"
    args_for "$label"
    "$KB_BIN/kafka-backup" "${ARGS[@]}" >"$WORK/$label.json" 2>"$WORK/$label.log" &
    pid=$!
    settle
    kill -TERM "$pid"; sleep "$gap"; kill -TERM "$pid"
    rc=0; wait "$pid" || rc=$?
    check_stop "$label" "$rc"
done
