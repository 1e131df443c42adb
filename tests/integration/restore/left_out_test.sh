#!/usr/bin/env bash
# A point-in-time restore reports every record it leaves out: those dropped inside
# the segments it read, and also the records of segments wholly past the cut, which
# it does not read at all (before, a restore that cut between segments said
# "records left out: 0" although it left out everything after T).
source "$(dirname "$0")/lib.sh"

t="$RUN_ID-leftout"
create_topic "$t" 1
loc="$WORK/bk"
seq 1 10 | sed 's/^/before /' | kcat -P -b "$BS" -t "$t" -p 0
"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$t" --path "$loc" --backup-id b \
    --no-progress 2>/dev/null >/dev/null
sleep 1.2
T=$(date +%s%3N)
sleep 1.2
seq 1 7 | sed 's/^/after /' | kcat -P -b "$BS" -t "$t" -p 0
# A second run resumes the backup: the 7 later records go to a segment of their own.
"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$t" --path "$loc" --backup-id b \
    --no-progress 2>/dev/null >/dev/null

out=$("$KB_BIN/kafka-backup" restore --bootstrap-servers "$BS" --path "$loc" --backup-id b \
    --topic-map "$t:$t-r" --create-topics --to "$T" --output json --no-progress 2>/dev/null)
CREATED_TOPICS+=("$t-r")
records=$(jq -r '.records' <<<"$out")
left_out=$(jq -r '.records_left_out' <<<"$out")
[ "$records" = 10 ] || fail "restored $records records, expected 10: $out"
[ "$left_out" = 7 ] || fail "records_left_out is $left_out, expected 7 (the segment past T): $out"
echo "left out: the 7 records of the segment past the cut are reported"
