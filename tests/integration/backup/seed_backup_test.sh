#!/usr/bin/env bash
# The seed workload (orders 50 keyed records over 3 partitions, payments 30,
# events 100 over 4 partitions with one left empty) produced with Kafka's console
# producer, backed up with one command to MinIO and to a directory. Checks: the
# manifest's partitions, end offsets and record counts match kafka-get-offsets;
# every record read back from the segments equals what kcat reads from the topic;
# the consumer group's committed offsets are captured; a re-run resumes and adds
# nothing; the JSON summary agrees.
source "$(dirname "$0")/lib.sh"

orders="$RUN_ID-orders" payments="$RUN_ID-payments" events="$RUN_ID-events"
create_topic "$orders" 3
create_topic "$payments" 1 --config retention.ms=86400000
create_topic "$events" 4

for i in $(seq 1 50); do printf 'customer-%d\t{"order":%d,"amount":%d.50}\n' $((i % 7)) "$i" "$i"; done |
    "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BS" --topic "$orders" \
        --reader-property parse.key=true --reader-property 'key.separator=	'
seq 1 30 | sed 's/^/payment /' |
    "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BS" --topic "$payments"
# events: all to partitions 0..2 so partition 3 stays empty.
seq 1 90 | sed 's/^/event /' | kcat -P -b "$BS" -t "$events" -p 0
for p in 1 2; do seq 1 5 | sed "s/^/late event p$p /" | kcat -P -b "$BS" -t "$events" -p $p; done

# A consumer group with committed offsets on payments.
"$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$payments" \
    --group "$RUN_ID-billing" --from-beginning --max-messages 12 >/dev/null 2>&1

topics="$orders,$payments,$events"
fs_root="$WORK/backups"
"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topics" \
    --path "$fs_root" --backup-id seed --compression zstd --output json >"$WORK/fs.json" \
    || fail "backup to disk failed"
"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topics" \
    --path "$(s3_url minio)" --backup-id seed --compression lz4 --output json >"$WORK/s3.json" \
    || fail "backup to MinIO failed"

expected_total=$((50 + 30 + 100))
for side in fs s3; do
    if [ $side = fs ]; then manifest_fs "$fs_root" seed >"$WORK/m-$side.json"
    else manifest_s3 minio seed >"$WORK/m-$side.json"; fi
    m="$WORK/m-$side.json"
    [ "$(jq -r .status "$m")" = complete ] || fail "$side: manifest status is not complete"
    [ "$(jq -r .records "$WORK/$side.json")" = $expected_total ] ||
        fail "$side: summary says $(jq -r .records "$WORK/$side.json") records, expected $expected_total"

    for t in "$orders" "$payments" "$events"; do
        get_offsets "$t" -1 | awk -F: '$3 > 0' >"$WORK/expect-ends"
        manifest_ends <"$m" | grep "^$t:" >"$WORK/got-ends" || true
        diff "$WORK/expect-ends" "$WORK/got-ends" || fail "$side: $t end offsets differ from kafka-get-offsets"
        # Record counts per partition: sum of segment record_count == end offset (no gaps here).
        jq -r --arg t "$t" '.topics[] | select(.name==$t) | .partitions[] |
            "\(.partition) \([.segments[].record_count] | add) \(.end_offset)"' "$m" |
            awk '$2 != $3 { exit 1 }' || fail "$side: $t record counts do not add up to end offsets"
        dump_records "$([ $side = fs ] && echo "$fs_root" || s3_url minio)" seed "$t" >"$WORK/dump"
        kcat_records "$t" >"$WORK/kcat"
        [ -s "$WORK/kcat" ] || fail "kcat read nothing from $t"
        diff -q "$WORK/kcat" "$WORK/dump" >/dev/null || {
            diff "$WORK/kcat" "$WORK/dump" | head -5; fail "$side: records of $t differ from the topic"; }
    done
    [ "$(jq -c --arg t "$events" '.topics[] | select(.name==$t) | .empty_partitions' "$m")" = "[3]" ] ||
        fail "$side: events partition 3 should be listed as empty"
    [ "$(jq -r --arg t "$orders" '.topics[] | select(.name==$t) | .partition_count' "$m")" = 3 ] ||
        fail "$side: orders partition_count"
    [ "$(jq -r --arg t "$payments" '.topics[] | select(.name==$t) | .configs["retention.ms"]' "$m")" = 86400000 ] ||
        fail "$side: payments retention.ms config not captured"
    [ "$(jq -r --arg g "$RUN_ID-billing" '.consumer_groups[] | select(.group_id==$g) | .offsets[0].offset' "$m")" = 12 ] ||
        fail "$side: committed offset of the billing group not captured"
    [ -n "$(jq -r .source.cluster_id "$m")" ] || fail "$side: no source cluster id"
done
echo "seed: $expected_total records backed up to disk and MinIO; offsets, counts, records, configs and groups match"

# A re-run with the same id resumes: nothing new to copy, nothing duplicated.
"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topics" \
    --path "$fs_root" --backup-id seed --output json >"$WORK/again.json" || fail "re-run failed"
[ "$(jq -r .resumed "$WORK/again.json")" = true ] || fail "re-run did not resume"
[ "$(jq -r .records "$WORK/again.json")" = 0 ] || fail "re-run copied records again"
echo "seed: a re-run resumed and copied nothing twice"

# A literal topic that does not exist is one clear error line and exit 1.
if "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$RUN_ID-missing" \
    --path "$fs_root" --backup-id missing 2>"$WORK/err"; then fail "missing topic accepted"; fi
grep -q "does not exist" "$WORK/err" || fail "missing topic error: $(cat "$WORK/err")"
[ "$(grep -c 'error' "$WORK/err")" -eq 1 ] || fail "missing topic error is not one line: $(cat "$WORK/err")"
[ ! -e "$fs_root/missing" ] || fail "a failed selection left objects in storage"
echo "seed: a missing topic fails with: $(grep error "$WORK/err")"
