#!/usr/bin/env bash
# Large messages: data/sample-large-messages.json (8 JSON documents of 1 to 10 MB,
# generated on first use) is produced to `large_messages`, backed up to MinIO twice
# (zstd and gzip), and restored from each: every record must come back with its exact
# size and SHA-256. The compression ratio and throughput the tool reports are printed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/demo.sh"

topic=${DEMO_PREFIX}large_messages
prefix=${DEMO_PREFIX}demos/large-messages url=$(storage_url "$prefix")
data=$DEMO_DATA/sample-large-messages.json
max_bytes=$((16 * 1024 * 1024))  # above the largest message (10 MiB) plus overhead
cleanup() { delete_topics "$topic" "$topic-gzip"; delete_backup "$prefix"; }
cleanup
on_exit cleanup

step "generate data/sample-large-messages.json (deterministic, once)"
data_sha256=4877526e75514a3f0f94bb5926e8c467b3721744654e571ca05a5d2572d33a46
if ! sha256sum "$data" 2>/dev/null | grep -q "^$data_sha256 "; then
    python3 "$DEMO_DATA/generate_large_messages.py" "$data"
    sha256sum "$data" | grep -q "^$data_sha256 " || fail "generated $data differs from the reference (SHA-256)"
fi
count=$(wc -l <"$data")
say "$count documents, $(( $(wc -c <"$data") / 1024 / 1024 )) MiB: $(awk '{printf "%.1f ", length($0) / 1048576}' "$data")MiB"

step "create $topic with max.message.bytes=$max_bytes and produce them"
kafka_topics --create --topic "$topic" --partitions 1 --replication-factor 1 \
    --config max.message.bytes=$max_bytes >/dev/null
kafka_console_producer --topic "$topic" --command-property max.request.size=$max_bytes \
    --command-property linger.ms=0 <"$data"
expect_eq "records in $topic" "0 $count" "$(end_offsets "$topic" | xargs)"

# backup CODEC: a backup of the topic with CODEC; prints what the tool reports.
backup() {
    local out
    out=$(kafka_backup backup --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topics "$topic" \
        --path "$url" --backup-id "large-$1" --compression "$1" --no-progress --output json \
        --log-level warn)
    jq -r --arg c "$1" '"   \($c): \(.records) records, \(.raw_bytes / 1048576 | floor) MiB raw -> \(.stored_bytes / 1048576 | floor) MiB stored, compression ratio \(.compression_ratio * 100 | round / 100), \(.throughput_mb_per_s | round) MB/s over \(.elapsed_seconds * 10 | round / 10) s"' <<<"$out"
    expect_eq "records backed up with $1" "$count" "$(jq .records <<<"$out")"
}
step "kafka-backup backup --compression zstd, then --compression gzip"
backup zstd
backup gzip

# verify TOPIC: reads every record back and compares sizes and SHA-256s with the file.
verify() {
    kafka_console_consumer --topic "$1" --from-beginning --max-messages "$count" --timeout-ms 30000 \
        --command-property max.partition.fetch.bytes=$max_bytes |
        python3 "$HERE/check_records.py" "$data" || fail "records restored into $1 differ from the file"
}

step "delete $topic, restore it from the zstd backup (topic created as it was backed up)"
delete_topics "$topic"
kafka_backup restore --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --path "$url" \
    --backup-id large-zstd --create-topics --no-progress --log-level warn
expect_eq "max.message.bytes of the restored topic" "$max_bytes" "$(kafka_tool kafka-configs.sh \
    --describe --entity-type topics --entity-name "$topic" | grep -o 'max.message.bytes=[0-9]*' | head -1 | cut -d= -f2)"
verify "$topic"

step "restore the gzip backup as $topic-gzip"
kafka_backup restore --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --path "$url" \
    --backup-id large-gzip --topic-map "$topic:$topic-gzip" --create-topics --no-progress --log-level warn
verify "$topic-gzip"
echo "PASS: $count messages of 1-10 MB restored from zstd and gzip backups, sizes and SHA-256 identical"
