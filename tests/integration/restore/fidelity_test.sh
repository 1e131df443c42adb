#!/usr/bin/env bash
# Backup (MinIO) -> delete topic -> restore: every record byte-identical (key, value,
# headers with duplicates and null values, timestamp) in the same partition and order,
# for kcat and Kafka's Java console producer with each codec, including a 10 MB message.
. "$(dirname "$0")/lib.sh"
T="rs-fidelity-$RUN_ID"
create_topic "$T" 3 --config max.message.bytes=12000000
for codec in none gzip snappy lz4 zstd; do
    for i in $(seq 1 20); do echo "k$i-$codec:v$i-$codec"; done |
        kcat -P -b "$BS" -t "$T" -K: -X compression.codec=$codec -H dup=1 -H dup=2 -H "codec=$codec"
done
printf 'knull:\n' | kcat -P -b "$BS" -t "$T" -K: -Z -p 1            # null value (tombstone)
printf 'nokey-value\n' | kcat -P -b "$BS" -t "$T" -p 2               # null key
head -c 7500000 /dev/urandom | base64 -w0 >"$WORK/big"                # 10 MB value
kcat -P -b "$BS" -t "$T" -p 0 -k big -X message.max.bytes=12000000 -X compression.codec=zstd "$WORK/big"
for codec in gzip snappy lz4 zstd; do
    for i in $(seq 1 10); do echo "h1:a,h1:b	jk$i:jv$i-$codec"; done |
        "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BS" --topic "$T" \
            --compression-codec "$codec" --property parse.key=true --property key.separator=: \
            --property parse.headers=true >/dev/null 2>&1
done
records "$T" >"$WORK/before"
[ "$(wc -l <"$WORK/before")" -eq 143 ] || fail "expected 143 source records, got $(wc -l <"$WORK/before")"

URL=$(s3_url fid)
backup "$URL" b1 "$T"
delete_topic "$T"
restore --path "$URL" --backup-id b1 --create-topics --output json
jq -e '.records == 143' "$WORK/restore.out" >/dev/null || fail "summary: $(cat "$WORK/restore.out")"
records "$T" >"$WORK/after"
diff "$WORK/before" "$WORK/after" >"$WORK/diff" || { head -20 "$WORK/diff"; fail "restored records differ"; }
grep -q 'dup=1,dup=2' "$WORK/after" || fail "duplicate headers missing"
# Topic configs came back.
"$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BS" --describe --entity-type topics --entity-name "$T" |
    grep -q 'max.message.bytes=12000000' || fail "max.message.bytes not restored"
# The offset mapping is stored with the backup.
KEY=$(jq -r .offset_mapping "$WORK/restore.out")
$AWS s3 cp "s3://$KB_TEST_BUCKET/$RUN_ID/fid/$KEY" "$WORK/mapping.json" >/dev/null
jq -e '[.partitions[].ranges[] | .source_last - .source_first + 1] | add == 143' "$WORK/mapping.json" >/dev/null ||
    fail "mapping does not cover 143 records"
echo "PASS fidelity: 143 records byte-identical after restore from MinIO"
