#!/usr/bin/env bash
# KIP-848 consumer groups (group.protocol=consumer, GA in Kafka 4.0), made by a client we
# did not write: Kafka's own Java console consumer. Against the environment's broker
# (4.x; on older brokers the script says so and passes without checks):
#   - backup snapshots the group's committed offsets; describe and show-offset-mapping
#     list them;
#   - restore --reset-consumer-offsets translates and commits them to the empty group;
#   - offset-reset execute moves them;
#   - while a new-protocol consumer is running, both refuse in one line that names the
#     group and its 1 active member (DescribeGroups alone reports such a group as Dead
#     with no members; ConsumerGroupDescribe is what sees the member).
. "$(dirname "$0")/../restore/lib.sh"
if [[ ${KB_KAFKA_VERSION:-4} == [23].* ]]; then
    echo "SKIP: Kafka ${KB_KAFKA_VERSION} predates KIP-848 consumer groups (GA in 4.0)"
    exit 0
fi
T="k848-$RUN_ID" G="k848-app-$RUN_ID"
URL=$(s3_url k848)
CONSUMER_PID=
stop_consumer() {
    [[ -n $CONSUMER_PID ]] || return 0
    kill "$CONSUMER_PID" 2>/dev/null || true
    wait "$CONSUMER_PID" 2>/dev/null || true
    CONSUMER_PID=
}
trap 'stop_consumer; cleanup' EXIT

committed() {  # topic: "partition offset" lines of the group
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$G" 2>/dev/null |
        awk -v t="$1" '$2 == t { print $3, $4 }' | sort -n
}
consume() {  # extra args...: the console consumer in the new protocol
    "$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$T" --group "$G" \
        --consumer-property group.protocol=consumer "$@"
}

create_topic "$T" 2
seq 1 40 | awk '{print "k" ($1 % 5) ":v" $1}' | kcat -P -b "$BS" -t "$T" -K:
consume --from-beginning --max-messages 15 >/dev/null 2>&1
"$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --list --type 2>/dev/null |
    grep -qE "^$G +Consumer\b" || fail "group $G is not a KIP-848 (Consumer type) group"
committed "$T" >"$WORK/src.committed"
sum=$(awk '{s += $2} END {print s + 0}' "$WORK/src.committed")
[ "$sum" -eq 15 ] || fail "the new-protocol consumer committed $sum, expected 15"
echo "PASS setup: KIP-848 group $G committed 15 of 40"

# --- snapshot: backup records the group; describe and show-offset-mapping show it.
backup "$URL" k848 "$T"
"$KB" describe --path "$URL" --backup-id k848 >"$WORK/describe" 2>&1
grep -q "Consumer groups: $G (2 partitions)" "$WORK/describe" ||
    { cat "$WORK/describe"; fail "describe does not list the group's 2 partitions"; }
"$KB" show-offset-mapping --path "$URL" --backup-id k848 --format json >"$WORK/map.json"
jq -r --arg g "$G" '.. | objects | select(.group? == $g or .group_id? == $g)' "$WORK/map.json" \
    >/dev/null || fail "show-offset-mapping json is not readable"
"$KB" show-offset-mapping --path "$URL" --backup-id k848 >"$WORK/map.txt"
while read -r p o; do
    grep -qE "^$G +$T +$p +$o " "$WORK/map.txt" ||
        { cat "$WORK/map.txt"; fail "show-offset-mapping lacks $G $T-$p at $o"; }
done <"$WORK/src.committed"
echo "PASS snapshot: backup, describe and show-offset-mapping have the group's offsets"

# --- restore into a renamed topic; the group's offsets are translated and committed.
restore --path "$URL" --backup-id k848 --topic-map "$T:$T-r" --create-topics \
    --reset-consumer-offsets --consumer-groups "$G"
CREATED_TOPICS+=("$T-r")
committed "$T-r" >"$WORK/dst.committed"
diff "$WORK/src.committed" "$WORK/dst.committed" ||
    fail "the group's offsets on $T-r differ from those on $T"
echo "PASS restore: offsets translated and committed to the KIP-848 group"

# --- offset-reset on the empty group.
"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$G" --topics "$T" --shift-by -3 \
    >"$WORK/reset.out" 2>&1 || { cat "$WORK/reset.out"; fail "offset-reset on the empty group failed"; }
after=$(committed "$T" | awk '{s += $2} END {print s + 0}')
expected=$(awk '{s += ($2 >= 3 ? $2 - 3 : 0)} END {print s + 0}' "$WORK/src.committed")
[ "$after" -eq "$expected" ] || fail "after shift-by -3 the group has $after committed, expected $expected"
echo "PASS offset-reset: shift-by -3 on the empty KIP-848 group"

# --- a running new-protocol consumer: both refuse, naming its one member.
consume >/dev/null 2>"$WORK/consumer.err" &
CONSUMER_PID=$!
for _ in $(seq 1 60); do
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$G" \
        --members 2>/dev/null | grep -q console-consumer && break
    sleep 1
done
"$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$G" --members \
    2>/dev/null | grep -q console-consumer || fail "the consumer did not join $G within 60 s"
rc=0
"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$G" --topics "$T" --to-earliest \
    >"$WORK/active.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || { cat "$WORK/active.out"; fail "offset-reset on an active KIP-848 group succeeded"; }
grep -q "'$G'.* has 1 active member" "$WORK/active.out" ||
    { cat "$WORK/active.out"; fail "offset-reset did not name the group's 1 active member"; }
rc=0
"$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn --path "$URL" --backup-id k848 \
    --topic-map "$T:$T-r2" --create-topics --reset-consumer-offsets --consumer-groups "$G" \
    >"$WORK/active-restore.out" 2>&1 || rc=$?
CREATED_TOPICS+=("$T-r2")
[ "$rc" -ne 0 ] || { cat "$WORK/active-restore.out"; fail "restore reset an active KIP-848 group"; }
grep -q "1 active member" "$WORK/active-restore.out" ||
    { cat "$WORK/active-restore.out"; fail "restore did not name the group's 1 active member"; }
echo "PASS active group: offset-reset and restore refuse, naming its 1 member"
stop_consumer
