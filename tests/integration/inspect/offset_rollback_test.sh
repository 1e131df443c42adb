#!/usr/bin/env bash
# offset-rollback puts a group back exactly: a partition that had no committed offset
# at snapshot time has none after the rollback (deleted with OffsetDelete), --verify
# checks that too, and Kafka's own tool and a console consumer agree.
source "$(dirname "$0")/lib.sh"

# A partition without a commit at snapshot time: p0 at 7, p1 nothing.
T2="snap-partial-$RUN_ID"
G2="snap-partial-group-$RUN_ID"
CLEANUP_TOPICS+=("$T2")
CLEANUP_GROUPS+=("$G2")
fresh_topic "$T2" 2
produce_to "$T2" 0 a 10
produce_to "$T2" 1 b 10
set_offsets "$G2" "$T2" 0:7
"$KB" offset-snapshot create --path "$S3_URL" --bootstrap-servers "$BS" --groups "$G2" \
    --format json >"$WORK/snap2.json"
SNAP2="$(jq -r .snapshot_id "$WORK/snap2.json")"
eq "$(jq -c --arg g "$G2" '[.groups[$g].offsets[] | [.partition, .offset]]' "$WORK/snap2.json")" "[[0,7]]" "partial snapshot"
# Consume further: the rest of p0 and, from the beginning, all of p1.
eq "$(consume "$T2" "$G2" 13 | wc -l)" 13 "consumed further"
eq "$(committed "$G2" "$T2")" "$(printf '0 10\n1 10')" "both partitions committed"

"$KB" offset-rollback --path "$S3_URL" --bootstrap-servers "$BS" --snapshot-id "$SNAP2" --verify \
    --format json >"$WORK/rollback2.json"
check_schema offset-rollback "$WORK/rollback2.json"
eq "$(jq -c '[.ok, .groups[0].status, .groups[0].deleted, .groups[0].verified, (.groups[0].mismatches | length)]' \
    "$WORK/rollback2.json")" '[true,"restored",1,true,0]' "partial rollback"
eq "$(committed "$G2" "$T2")" "0 7" "only the snapshot's commit is left (kafka-consumer-groups.sh)"
# With no commit, p1 is read from the beginning again: 3 records of p0 + all 10 of p1.
eq "$(consume "$T2" "$G2" 13 | sort | tr '\n' ' ')" \
    "$( (seq 8 10 | sed 's/^/a-/'; seq 1 10 | sed 's/^/b-/') | sort | tr '\n' ' ')" "re-read after rollback"
echo "PASS rollback deletes offsets the snapshot did not have"

# A group with an active member is refused (exit 3), and its offsets stay as they are.
"$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$T2" --group "$G2" \
    --timeout-ms 60000 >/dev/null 2>&1 &
active_pid=$!
for _ in $(seq 1 40); do
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$G2" 2>/dev/null |
        grep -q "consumer-" && break
    sleep 1
done
set +e
"$KB" offset-rollback --path "$S3_URL" --bootstrap-servers "$BS" --snapshot-id "$SNAP2" \
    --format json >"$WORK/refused.json"
rc=$?
set -e
kill "$active_pid" 2>/dev/null || true
wait "$active_pid" 2>/dev/null || true
eq "$rc" 3 "exit code for a group with an active member"
check_schema offset-rollback "$WORK/refused.json"
eq "$(jq -c '[.ok, .groups[0].status, .groups[0].deleted]' "$WORK/refused.json")" '[false,"refused",0]' "refused rollback"
jq -r '.groups[0].message' "$WORK/refused.json" | grep -q "active member" || fail "no clear refusal message: $(cat "$WORK/refused.json")"
"$KB" offset-snapshot delete --path "$S3_URL" --snapshot-id "$SNAP2" >/dev/null
echo "PASS rollback refuses a group with an active member"
