#!/usr/bin/env bash
# offset-reset: a console consumer reads `payments` to the end and commits;
# `offset-reset execute --shift-by -20`; the consumer restarts and re-reads exactly
# the last 20 records, once. Also: plan (json schema) changes nothing, script
# output, refusal of a group with an active member, bulk groups with a summary.
source "$(dirname "$0")/lib.sh"

T="payments-reset-$RUN_ID"
G="reset-group-$RUN_ID"
fresh_topic "$T" 1
produce "$T" payment 30
eq "$(consume "$T" "$G" 30 | wc -l)" 30 "first read"
eq "$(committed "$G" "$T")" "0 30" "committed after first read"

"$KB" offset-reset plan --bootstrap-servers "$BS" --groups "$G" --shift-by -20 --format json > "$WORK/plan.json"
check_schema offset-reset "$WORK/plan.json"
eq "$(jq -c '.groups[0].partitions[0] | [.current_offset, .new_offset]' "$WORK/plan.json")" "[30,10]" "plan"
eq "$(committed "$G" "$T")" "0 30" "plan changed nothing"

"$KB" offset-reset script --bootstrap-servers "$BS" --groups "$G" --shift-by -20 > "$WORK/reset.sh"
grep -q -- "--reset-offsets --topic '$T:0' --to-offset 10 --execute" "$WORK/reset.sh" || fail "script: $(cat "$WORK/reset.sh")"
bash -n "$WORK/reset.sh" || fail "script is not valid bash"

"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$G" --shift-by -20 --format json > "$WORK/exec.json"
check_schema offset-reset "$WORK/exec.json"
eq "$(jq -r '.groups[0].status' "$WORK/exec.json")" reset "execute status"
eq "$(committed "$G" "$T")" "0 10" "committed after reset"

reread="$(consume_rest "$T" "$G")"
eq "$(echo "$reread" | grep -c .)" 20 "re-read count"
eq "$(echo "$reread" | tr '\n' ' ')" "$(seq 11 30 | sed 's/^/payment-/' | tr '\n' ' ')" "re-read records"
eq "$(consume_rest "$T" "$G" | grep -c . || true)" 0 "nothing read a second time"

# Bulk: several groups at once, one of them with an active member (refused).
G2="reset-group2-$RUN_ID"
eq "$(consume "$T" "$G2" 5 | wc -l)" 5 "g2 read"
ACTIVE="reset-active-$RUN_ID"
"$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$T" --group "$ACTIVE" \
    --from-beginning --timeout-ms 60000 >/dev/null 2>&1 &
active_pid=$!
for _ in $(seq 1 40); do
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$ACTIVE" 2>/dev/null |
        grep -q "$T" && break
    sleep 1
done
set +e
"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$G,$G2,$ACTIVE" --to-earliest \
    --max-concurrent 2 --format json > "$WORK/bulk.json" 2> "$WORK/bulk.err"
rc=$?
set -e
kill "$active_pid" 2>/dev/null || true
wait "$active_pid" 2>/dev/null || true
eq "$rc" 3 "exit code when a group is refused"
check_schema offset-reset "$WORK/bulk.json"
eq "$(jq -c '[.groups[] | .status]' "$WORK/bulk.json")" '["reset","reset","refused"]' "bulk statuses"
eq "$(jq -c '.summary' "$WORK/bulk.json")" '{"failed":1,"groups":3,"succeeded":2}' "bulk summary"
grep -q "active member" "$WORK/bulk.err" || fail "no clear refusal message: $(cat "$WORK/bulk.err")"
eq "$(committed "$G2" "$T")" "0 0" "g2 reset to earliest"
echo "PASS offset reset"
