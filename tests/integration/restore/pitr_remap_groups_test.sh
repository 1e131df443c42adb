#!/usr/bin/env bash
# Point in time, rename + repartition by murmur2, and consumer-group translation.
. "$(dirname "$0")/lib.sh"
DIR="$WORK/backups"

# --- point in time: good records, then bad ones after T; --to T gives exactly the good.
P="rs-pitr-$RUN_ID"
create_topic "$P" 2
for i in $(seq 1 20); do echo "g$i:good-$i"; done | kcat -P -b "$BS" -t "$P" -K:
sleep 1.2; T=$(date +%s%3N); sleep 1.2
for i in $(seq 1 10); do echo "b$i:bad-$i"; done | kcat -P -b "$BS" -t "$P" -K:
backup "$DIR" pitr "$P"
restore --path "$DIR" --backup-id pitr --topic-map "$P:$P-at" --to "$T" --create-topics
CREATED_TOPICS+=("$P-at")
kcat -C -b "$BS" -t "$P-at" -e -q -f '%s\n' | sort >"$WORK/pitr"
[ "$(wc -l <"$WORK/pitr")" -eq 20 ] || fail "PITR restored $(wc -l <"$WORK/pitr") records, expected 20"
grep -q bad "$WORK/pitr" && fail "PITR restored a record after T"
echo "PASS point in time: 20 good records, none after T"

# --- rename + repartition 3 -> 6: each key lands where Kafka's Java client puts it.
R="rs-repart-$RUN_ID"
create_topic "$R" 3
create_topic "$R-ref" 6
seq 1 60 | awk '{print "key-" ($1 % 17) ":value-" $1}' >"$WORK/keyed"
for t in "$R" "$R-ref"; do
    "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BS" --topic "$t" \
        --property parse.key=true --property key.separator=: <"$WORK/keyed" >/dev/null 2>&1
done
backup "$DIR" repart "$R"
restore --path "$DIR" --backup-id repart --topic-map "$R:$R-six" --repartition "$R-six:6" --create-topics
CREATED_TOPICS+=("$R-six")
[ "$("$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --describe --topic "$R-six" | grep -c 'Partition: ')" -eq 6 ] ||
    fail "$R-six does not have 6 partitions"
kcat -C -b "$BS" -t "$R-ref" -e -q -f '%k %p\n' | sort -u >"$WORK/ref"
kcat -C -b "$BS" -t "$R-six" -e -q -f '%k %p\n' | sort -u >"$WORK/six"
diff "$WORK/ref" "$WORK/six" || fail "keys landed in other partitions than Kafka's Java partitioner chose"
# Per key, the original order.
for k in $(cut -d' ' -f1 "$WORK/ref"); do
    a=$(kcat -C -b "$BS" -t "$R" -e -q -f '%k %s\n' | awk -v k="$k" '$1 == k {print $2}' | sort -t- -k2n | tr '\n' ' ')
    b=$(kcat -C -b "$BS" -t "$R-six" -e -q -f '%k %s\n' | awk -v k="$k" '$1 == k {print $2}' | tr '\n' ' ')
    [ "$a" = "$b" ] || fail "key $k: order $b, expected $a"
done
echo "PASS repartition: 60 records in murmur2(key) % 6, in order per key"

# --- consumer groups: orders-streams consumed 30 of 50; after restore to a new topic
# with translation, the console consumer reads exactly the rest.
O="rs-orders-$RUN_ID"; G="orders-streams-$RUN_ID"
create_topic "$O" 3
for i in $(seq 1 50); do echo "o$i:order-$i"; done | kcat -P -b "$BS" -t "$O" -K:
"$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$O" --group "$G" \
    --from-beginning --max-messages 30 >/dev/null 2>&1
committed=$("$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$G" 2>/dev/null |
    awk -v t="$O" '$2 == t {s += $4} END {print s}')
[ "$committed" -ge 30 ] || fail "group committed $committed, expected >= 30"
remaining=$((50 - committed))
backup "$DIR" orders "$O"
restore --path "$DIR" --backup-id orders --topic-map "$O:$O-restored" --create-topics \
    --reset-consumer-offsets --consumer-groups "$G" --output json
CREATED_TOPICS+=("$O-restored")
jq -e --arg g "$G" '[.groups[] | select(.group == $g and .committed)] | length == 3' "$WORK/restore.out" >/dev/null ||
    fail "groups not committed: $(cat "$WORK/restore.out")"
"$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$G" 2>/dev/null |
    awk -v t="$O-restored" '$2 == t {print $3, $4}' | sort >"$WORK/translated"
"$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$G" 2>/dev/null |
    awk -v t="$O" '$2 == t {print $3, $4}' | sort >"$WORK/source_committed"
diff "$WORK/source_committed" "$WORK/translated" || fail "translated offsets differ from the source commits"
"$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$O-restored" --group "$G" \
    --timeout-ms 8000 2>/dev/null | sort >"$WORK/rest" || true
[ "$(wc -l <"$WORK/rest")" -eq "$remaining" ] || fail "consumer read $(wc -l <"$WORK/rest") records, expected $remaining"
echo "PASS consumer group: $committed committed -> translated; consumer read exactly the remaining $remaining"
