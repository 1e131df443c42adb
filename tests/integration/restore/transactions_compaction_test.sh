#!/usr/bin/env bash
# Transactions and compaction, end to end: restore yields exactly what a read_committed
# consumer (kcat, i.e. librdkafka) sees on the source.
#
# - A transactional topic (2 partitions) written by confluent-kafka (txn_producer.py):
#   committed and aborted transactions interleaved with plain records, an aborted and a
#   committed transaction spanning many backup segments (markers in later segments), and
#   a transaction still OPEN while the backup runs, with plain records after it. The
#   backup fetches read_committed and ends at the last stable offset, so the target
#   must hold exactly what a read_committed consumer saw at backup time: neither the
#   open transaction nor the records behind it.
# - A compacted topic with tombstones, where the cleaner has really removed records
#   (offset holes) before the backup.
# Both are backed up, deleted, restored with --create-topics and compared per partition:
# keys, values (null tombstones), headers, timestamps, order. show-offset-mapping's
# message_count and the stored offset mapping are checked against the records present.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is required"

# confluent-kafka in a cached venv (a Kafka client we did not write).
VENV="${KB_CACHE_DIR:-$HOME/.cache/kafka-backup}/py-confluent"
if ! "$VENV/bin/python" -c 'import confluent_kafka' 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q confluent-kafka ||
        fail "could not install confluent-kafka into $VENV"
fi
PRODUCER=("$VENV/bin/python" "$(dirname "$0")/txn_producer.py" "$BS")

TX="rs-txn-$RUN_ID" CP="rs-compact-$RUN_ID"

# Every record of a topic as JSON lines [partition, key, value|null, headers, timestamp]
# in partition then offset order, as a consumer with `isolation` sees it.
view() {  # topic isolation
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -J -X isolation.level="$2" |
        jq -c '[.partition, .key, .payload, .headers, .ts, .offset]' |
        sort -t, -k1,1n -k6,6n | jq -c '.[:5]'
}
count_until() {  # topic isolation want: the view once it has `want` records
    for _ in $(seq 1 40); do
        view "$1" "$2" >"$WORK/view"
        [ "$(wc -l <"$WORK/view")" -eq "$3" ] && { cat "$WORK/view"; return 0; }
        sleep 0.5
    done
    fail "$1 ($2): $(wc -l <"$WORK/view") records, expected $3"
}

# --- transactional topic
create_topic "$TX" 2
"${PRODUCER[@]}" "$TX" "$RUN_ID" produce >"$WORK/produced.json" 2>"$WORK/producer.err" ||
    { cat "$WORK/producer.err"; fail "transactional producer failed"; }
FINAL_TX=$(jq '.read_committed | add' "$WORK/produced.json")
OPEN=$(jq '.open_records' "$WORK/produced.json")
AFTER_OPEN=$(jq '.after_open_records' "$WORK/produced.json")
ALL_TX=$(view "$TX" read_uncommitted | wc -l)
[ "$ALL_TX" -gt "$((FINAL_TX + OPEN))" ] || fail "no aborted records in the source: proves nothing"
# What read_committed sees while the transaction is open: up to the last stable offset.
WANT_TX=$((FINAL_TX - AFTER_OPEN))
count_until "$TX" read_committed "$WANT_TX" >"$WORK/tx.before"

# --- compacted topic: three rounds over 40 keys (the last one with tombstones for every
# 5th key), rolled segments; wait until the cleaner has removed overwritten records.
create_topic "$CP" 1 --config cleanup.policy=compact --config segment.ms=200 \
    --config min.cleanable.dirty.ratio=0.001 --config min.compaction.lag.ms=0 \
    --config delete.retention.ms=86400000
WRITTEN=0
for round in 1 2 3; do
    for i in $(seq 1 40); do
        if [ "$round" -eq 3 ] && [ $((i % 5)) -eq 0 ]; then printf 'key%s:\n' "$i"; continue; fi
        [ "$round" -eq 3 ] && [ $((i % 2)) -eq 0 ] && continue
        printf 'key%s:value%s-r%s\n' "$i" "$i" "$round"
    done >"$WORK/round"
    kcat -P -b "$BS" -t "$CP" -K: -Z <"$WORK/round"
    WRITTEN=$((WRITTEN + $(wc -l <"$WORK/round")))
    sleep 0.5
done
for _ in $(seq 1 120); do  # new records roll the segments, which the cleaner may clean
    printf 'roll:%s\n' "$WRITTEN" | kcat -P -b "$BS" -t "$CP" -K:
    WRITTEN=$((WRITTEN + 1))
    sleep 0.5
    present=$(view "$CP" read_uncommitted | wc -l)
    [ "$present" -le $((WRITTEN - 40)) ] && break
done
[ "$present" -le $((WRITTEN - 40)) ] || fail "compaction did not run on $CP within a minute"
# No more rolls or cleaning, so the backup sees the log compared below.
"$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BS" --alter --entity-type topics \
    --entity-name "$CP" --add-config segment.ms=604800000,min.cleanable.dirty.ratio=0.99 >/dev/null
sleep 2
view "$CP" read_committed >"$WORK/cp.before"
grep -q '"key10",null' "$WORK/cp.before" || fail "no tombstone left in $CP"
echo "ok: $CP compacted to $(wc -l <"$WORK/cp.before") records (holes in the offsets)"

# --- back up both while the transaction is still open (then end it: a later backup
# would get the records behind it)
URL=$(s3_url tc)
"$KB" backup --bootstrap-servers "$BS" --path "$URL" --backup-id tc --topics "$TX,$CP" \
    --segment-max-bytes 65536 --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
    { cat "$WORK/backup.out"; fail "backup failed"; }
"${PRODUCER[@]}" "$TX" "$RUN_ID" end-open || fail "could not end the open transaction"
count_until "$TX" read_committed "$FINAL_TX" >/dev/null
SEGS=$($AWS s3 ls --recursive "s3://$KB_TEST_BUCKET/$RUN_ID/tc/tc/segments/$TX/" | grep -c '\.seg$')
[ "$SEGS" -ge 10 ] || fail "expected the transactional topic in many segments, got $SEGS"

"$KB" show-offset-mapping --path "$URL" --backup-id tc --format json >"$WORK/report.json"
partition_field() {  # topic partition field
    jq --arg t "$1" --arg p "$2" --arg f "$3" '.topics[$t].partitions[$p][$f]' "$WORK/report.json"
}
# The transactional topic has no holes: every offset (data and markers) is present.
for p in 0 1; do
    got=$(partition_field "$TX" $p message_count)
    want=$(($(partition_field "$TX" $p end_offset) - $(partition_field "$TX" $p start_offset)))
    [ "$got" -eq "$want" ] || fail "$TX-$p: message_count $got, offsets span $want"
done
got=$(partition_field "$CP" 0 message_count)
present=$(view "$CP" read_uncommitted | wc -l)
[ "$got" -eq "$present" ] || fail "$CP: message_count $got, records present $present"
# The topic began at offset 0; the cleaner may have removed a prefix or holes inside.
span=$(partition_field "$CP" 0 end_offset)
[ "$got" -lt "$span" ] || fail "$CP: nothing compacted away in the backup ($got records over $span offsets)"
echo "ok: show-offset-mapping message_count matches the records present ($TX, $CP: $got of $span)"

# T: the last timestamp of the transaction committed a second after its data (used by
# the --to restore below). Its COMMIT follows the last filler record, which must lie in a
# segment wholly after T, so that restore reads no segment holding the marker.
T=$(jq -s '[.[] | select(.[1] | startswith("late-")) | .[4]] | max' "$WORK/tx.before")
[ "$T" != null ] || fail "no late-committed records in the source view"
MANIFEST=$($AWS s3 ls "s3://$KB_TEST_BUCKET/$RUN_ID/tc/tc/manifests/" | awk '{print $4}' | sort | tail -1)
$AWS s3 cp "s3://$KB_TEST_BUCKET/$RUN_ID/tc/tc/manifests/$MANIFEST" "$WORK/manifest.json" >/dev/null
for p in 0 1; do
    o=$(kcat -C -b "$BS" -t "$TX" -p $p -o beginning -e -q -f '%k %o\n' | awk '$1 == "filler6-k9" {print $2}')
    jq -e --arg t "$TX" --argjson p $p --argjson o "$o" --argjson ts "$T" '.topics[] |
        select(.name == $t) | .partitions[] | select(.partition == $p) | .segments[] |
        select(.first_offset <= $o and .last_offset >= $o) | .min_timestamp > $ts' \
        "$WORK/manifest.json" >/dev/null || fail "$TX-$p: the late COMMIT is not in a segment after T"
done

# --- delete, restore, compare
delete_topic "$TX"
delete_topic "$CP"
"$KB" restore --bootstrap-servers "$BS" --path "$URL" --backup-id tc --create-topics \
    --no-progress --log-level info --output json >"$WORK/restore.out" 2>"$WORK/restore.log" ||
    { cat "$WORK/restore.log" "$WORK/restore.out"; fail "restore failed"; }
echo "restore summary: $(jq -c '{records, segments_read, transactions}' "$WORK/restore.out")"

count_until "$TX" read_committed "$WANT_TX" >"$WORK/tx.after"
diff "$WORK/tx.before" "$WORK/tx.after" >"$WORK/diff" ||
    { head -20 "$WORK/diff"; fail "$TX: restored records differ from the source's read_committed view"; }
[ "$(view "$TX" read_uncommitted | wc -l)" -eq "$WANT_TX" ] ||
    fail "$TX: the target holds records a read_committed consumer would not see"
echo "ok: $TX restored exactly the $WANT_TX committed records, in order per partition"

view "$CP" read_committed >"$WORK/cp.after"
diff "$WORK/cp.before" "$WORK/cp.after" >"$WORK/diff" ||
    { head -20 "$WORK/diff"; fail "$CP: restored records differ (keys, tombstones, order)"; }
"$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BS" --describe --entity-type topics \
    --entity-name "$CP" | grep -q 'cleanup.policy=compact' || fail "$CP: cleanup.policy=compact not restored"
echo "ok: $CP restored with its tombstones, order and cleanup.policy=compact"

# --- the summary and the stored offset mapping say what happened
CP_N=$(wc -l <"$WORK/cp.after")
jq -e --argjson n $((WANT_TX + CP_N)) '.records == $n' "$WORK/restore.out" >/dev/null ||
    fail "summary records: $(jq .records "$WORK/restore.out"), expected $((WANT_TX + CP_N))"
jq -e '.transactions.open_at_backup_end == 0 and .transactions.aborted > 0 and
    .transactions.aborted_records > 0' "$WORK/restore.out" >/dev/null ||
    fail "summary transactions: $(jq -c .transactions "$WORK/restore.out")"
echo "ok: summary transactions $(jq -c .transactions "$WORK/restore.out")"
# The backup lists the aborted transactions (read_committed fetches), so restore drops
# them at their first batch instead of waiting for the ABORT marker.
grep -Eq "aborted transactions \([1-9][0-9]* known from the manifest\)" "$WORK/restore.log" ||
    fail "restore did not use the manifest's aborted-transaction list: $(grep -i abort "$WORK/restore.log")"
KEY=$(jq -r .offset_mapping "$WORK/restore.out")
$AWS s3 cp "s3://$KB_TEST_BUCKET/$RUN_ID/tc/$KEY" "$WORK/mapping.json" >/dev/null
for t in "$TX:$WANT_TX" "$CP:$CP_N"; do
    jq -e --arg t "${t%%:*}" --argjson n "${t##*:}" '[.partitions[] | select(.source_topic == $t) |
        .ranges[] | .source_last - .source_first + 1] | add == $n' "$WORK/mapping.json" >/dev/null ||
        fail "offset mapping of ${t%%:*} does not cover ${t##*:} records"
done
# --- again within a 2 MiB budget: the long transactions hold more than the filter may
# keep, so it reads ahead for their markers; the result must be the same.
TX2="$TX-small"
CREATED_TOPICS+=("$TX2")
"$KB" restore --bootstrap-servers "$BS" --path "$URL" --backup-id tc --topics "$TX" \
    --topic-map "$TX:$TX2" --create-topics --memory-budget 2MiB --no-progress --log-level info \
    --output json >"$WORK/restore2.out" 2>"$WORK/restore2.log" ||
    { cat "$WORK/restore2.log" "$WORK/restore2.out"; fail "restore within 2 MiB failed"; }
grep -q "reading ahead for their markers" "$WORK/restore2.log" ||
    fail "the 2 MiB restore did not read ahead: $(cat "$WORK/restore2.log")"
count_until "$TX2" read_committed "$WANT_TX" >"$WORK/tx2.after"
diff "$WORK/tx.before" "$WORK/tx2.after" >"$WORK/diff" ||
    { head -20 "$WORK/diff"; fail "$TX2 (2 MiB budget) differs from the source's read_committed view"; }
echo "ok: within a 2 MiB budget (reading ahead for markers) $TX2 holds the same $WANT_TX records"

# --- up to time T, the last timestamp of a transaction committed a second (and several
# segments) later: its records are chosen and committed, though its marker lies in
# segments past T that the restore does not otherwise read.
TX3="$TX-pitr"
CREATED_TOPICS+=("$TX3")
"$KB" restore --bootstrap-servers "$BS" --path "$URL" --backup-id tc --topics "$TX" \
    --topic-map "$TX:$TX3" --create-topics --to "$T" --no-progress --log-level warn \
    --output json >"$WORK/restore3.out" 2>&1 || { cat "$WORK/restore3.out"; fail "restore --to $T failed"; }
jq -c --argjson t "$T" 'select(.[4] <= $t)' "$WORK/tx.before" >"$WORK/tx3.want"
WANT3=$(wc -l <"$WORK/tx3.want")
count_until "$TX3" read_committed "$WANT3" >"$WORK/tx3.after"
diff "$WORK/tx3.want" "$WORK/tx3.after" >"$WORK/diff" ||
    { head -20 "$WORK/diff"; fail "$TX3 (--to $T) differs from the source's read_committed records up to T"; }
jq -e '.transactions.open_at_backup_end == 0' "$WORK/restore3.out" >/dev/null ||
    fail "--to $T: a transaction committed after T was taken for open: $(jq -c .transactions "$WORK/restore3.out")"
READ=$(jq '.segments_read' "$WORK/restore3.out")
[ "$READ" -lt "$SEGS" ] || fail "--to $T read all $SEGS segments: the window skipped none"
echo "ok: --to T restores the $WANT3 committed records up to T, the late commit's marker found past T ($READ of $SEGS segments read)"

echo "PASS transactions+compaction: $WANT_TX committed records and $CP_N compacted records restored as read_committed saw them at backup time"
