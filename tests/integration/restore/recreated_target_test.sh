#!/usr/bin/env bash
# A restore whose target topic was deleted and recreated after it completed
# (issue 21 point 6, restore side) restores again instead of printing "nothing
# produced": the checkpoint keeps the target topic's id (KIP-516). Re-running it
# against the same, untouched topic still produces nothing.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is required"

SRC="rs-recreated-$RUN_ID"
DST="$SRC-restored"
create_topic "$SRC" 2
for i in $(seq 1 100); do echo "k$i:v$i"; done | kcat -P -b "$BS" -t "$SRC" -K:
backup "$WORK/b" b1 "$SRC"
CREATED_TOPICS+=("$DST")
ARGS=(--path "$WORK/b" --backup-id b1 --topic-map "$SRC:$DST" --create-topics --output json)
count() {
    "$KAFKA_BIN/kafka-get-offsets.sh" --bootstrap-server "$BS" --topic "$1" --time -1 |
        awk -F: '{s += $3} END {print s + 0}'
}
summary() {  # jq filter: the summary of one more run of the same restore must match
    "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "${ARGS[@]}" \
        >"$WORK/s.json" 2>"$WORK/s.err" || { cat "$WORK/s.err"; fail "restore failed"; }
    jq -e "$1" "$WORK/s.json" >/dev/null || fail "expected $1: $(cat "$WORK/s.json")"
}

summary '.records == 100 and .already_complete == false'
summary '.records == 0 and .already_complete == true'
[ "$(count "$DST")" -eq 100 ] || fail "the completed restore was produced again"

# Deleted and recreated empty by someone: restored again.
delete_topic "$DST"
create_topic "$DST" 2
summary '.records == 100 and .already_complete == false'
[ "$(count "$DST")" -eq 100 ] || fail "the recreated target holds $(count "$DST") records, expected 100"
echo "PASS recreated target restored again (100 records)"

# Deleted only: created again by the restore, and restored again.
delete_topic "$DST"
summary '.records == 100 and .already_complete == false'
[ "$(count "$DST")" -eq 100 ] || fail "the re-created target holds $(count "$DST") records, expected 100"
summary '.already_complete == true'
echo "PASS deleted target restored again; unchanged target left alone"
