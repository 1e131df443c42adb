#!/usr/bin/env bash
# Produce data/orders.csv to `orders` with Kafka's console producer, back the topic up
# to MinIO, delete it, recreate it empty, restore, and check every record came back:
# same count, and the same key and value at the same partition and offset.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/demo.sh"

topic=${DEMO_PREFIX}orders
prefix=${DEMO_PREFIX}demos/backup-basic
cleanup() { delete_topics "$topic"; delete_backup "$prefix"; }
cleanup
on_exit cleanup

step "create $topic (3 partitions) and produce data/orders.csv, keyed by order id"
recreate_topic "$topic" 3
expected=$(($(wc -l <"$DEMO_DATA/orders.csv") - 1))
tail -n +2 "$DEMO_DATA/orders.csv" | awk -F, '{print $1 "\t" $0}' |
    kafka_console_producer --topic "$topic" --reader-property parse.key=true --reader-property 'key.separator=	'
# partition, offset, key and value of every record, in a stable order
read_all() {
    kafka_console_consumer --topic "$topic" --from-beginning --max-messages "$expected" \
        --timeout-ms 20000 --formatter-property print.partition=true --formatter-property print.offset=true \
        --formatter-property print.key=true | sort
}
before=$(read_all)
expect_eq "records in $topic" "$expected" "$(grep -c . <<<"$before")"

step "kafka-backup backup --config backup.yaml"
kafka_backup backup --config "$HERE/backup.yaml" --no-progress

step "delete $topic and recreate it, empty"
recreate_topic "$topic" 3
expect_eq "records in the recreated topic" "0 0 0" "$(end_offsets "$topic" | awk '{print $2}' | xargs)"

step "kafka-backup restore --config restore.yaml"
kafka_backup restore --config "$HERE/restore.yaml" --no-progress

step "compare what was produced with what was restored"
after=$(read_all)
expect_eq "records restored" "$expected" "$(grep -c . <<<"$after")"
if [[ "$before" != "$after" ]]; then
    diff <(echo "$before") <(echo "$after") | head
    fail "restored records differ from the produced ones"
fi
say "ok: every record has the same partition, offset, key and value as before"
echo "PASS: $expected orders backed up, topic deleted, restored intact"
