#!/usr/bin/env bash
# offset-reset: a console consumer reads `payments` to the end and commits;
# `offset-reset execute --shift-by -20`; the consumer restarts and re-reads exactly
# the last 20 records, once. Also: plan (json schema) changes nothing, script
# output (run for real with Kafka's tool), refusal of a group with an active member,
# bulk groups with a summary, and many groups with bounded concurrency.
source "$(dirname "$0")/lib.sh"

T="payments-reset-$RUN_ID"
G="reset-group-$RUN_ID"
CLEANUP_TOPICS+=("$T")
CLEANUP_GROUPS+=("$G")
fresh_topic "$T" 1
TS0="$(date +%s%3N)"
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
# The script commits the planned offsets with kafka-consumer-groups.sh; then put the
# group back at 30 for execute.
KAFKA_BIN="$KAFKA_BIN" bash "$WORK/reset.sh" >"$WORK/reset.out" 2>&1 || fail "script failed: $(cat "$WORK/reset.out")"
eq "$(committed "$G" "$T")" "0 10" "committed by the script"
set_offsets "$G" "$T" 0:30
eq "$(committed "$G" "$T")" "0 30" "back at 30"

"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$G" --shift-by -20 --format json > "$WORK/exec.json"
check_schema offset-reset "$WORK/exec.json"
eq "$(jq -r '.groups[0].status' "$WORK/exec.json")" reset "execute status"
eq "$(committed "$G" "$T")" "0 10" "committed after reset"

reread="$(consume_rest "$T" "$G")"
eq "$(echo "$reread" | grep -c .)" 20 "re-read count"
eq "$(echo "$reread" | tr '\n' ' ')" "$(seq 11 30 | sed 's/^/payment-/' | tr '\n' ' ')" "re-read records"
eq "$(consume_rest "$T" "$G" | grep -c . || true)" 0 "nothing read a second time"

# --to-timestamp: the first record at or after the time.
sleep 1
TS="$(date +%s%3N)"
sleep 1
produce "$T" late 5
"$KB" offset-reset plan --bootstrap-servers "$BS" --groups "$G" --to-timestamp "$TS0" --format json >"$WORK/ts0.json"
eq "$(jq -c '.groups[0].partitions[0] | [.current_offset, .new_offset]' "$WORK/ts0.json")" "[30,0]" "to-timestamp before everything"
"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$G" --to-timestamp "$TS" >/dev/null
eq "$(committed "$G" "$T")" "0 30" "to-timestamp commit"
eq "$(consume_rest "$T" "$G" | tr '\n' ' ')" "late-1 late-2 late-3 late-4 late-5 " "records after the timestamp"

# Bulk: several groups at once, one of them with an active member (refused).
G2="reset-group2-$RUN_ID"
CLEANUP_GROUPS+=("$G2")
eq "$(consume "$T" "$G2" 5 | wc -l)" 5 "g2 read"
ACTIVE="reset-active-$RUN_ID"
CLEANUP_GROUPS+=("$ACTIVE")
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

# Many groups, at most 3 at a time: 12 new groups put at 25, then all shifted by -5.
MANY=()
for i in $(seq 1 12); do MANY+=("reset-many-$i-$RUN_ID"); done
CLEANUP_GROUPS+=("${MANY[@]}")
list="$(IFS=,; echo "${MANY[*]}")"
"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$list" --topics "$T" --to-offset 25 \
    --max-concurrent 3 --format json >"$WORK/many.json"
eq "$(jq -c '.summary' "$WORK/many.json")" '{"failed":0,"groups":12,"succeeded":12}' "many: summary"
eq "$(jq -r '[.groups[].group] | join(",")' "$WORK/many.json")" "$list" "many: outcomes in the order given"
"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$list" --shift-by -5 \
    --max-concurrent 3 --format csv --log-level debug >"$WORK/many.csv" 2>"$WORK/many.log"
# The debug log counts the groups in flight as each starts: it reaches 3, never more.
eq "$(grep -c "started, [0-9]* in flight" "$WORK/many.log")" 12 "many: every group started"
eq "$(grep -o "started, [0-9]* in flight" "$WORK/many.log" | awk '{print $2}' | sort -n | tail -1)" 3 \
    "many: peak concurrency"
eq "$(head -1 "$WORK/many.csv")" "group,topic,partition,current_offset,new_offset,status" "many: csv header"
eq "$(tail -n +2 "$WORK/many.csv" | cut -d, -f2- | sort | uniq -c | awk '{print $1, $2}')" \
    "12 $T,0,25,20,reset" "many: csv rows"
# Kafka's own view of all twelve, in one call.
args=()
for g in "${MANY[@]}"; do args+=(--group "$g"); done
got=""
for _ in $(seq 1 10); do
    got="$("$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe "${args[@]}" 2>/dev/null |
        awk -v t="$T" '$2 == t { print $1, $3, $4 }' | sort)"
    [[ "$(grep -c . <<<"$got")" -eq 12 ]] && break
    sleep 2
done
eq "$got" "$(for g in "${MANY[@]}"; do echo "$g 0 20"; done | sort)" "many: committed (kafka-consumer-groups.sh)"
echo "PASS offset reset"
