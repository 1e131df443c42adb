#!/usr/bin/env bash
# Consumer offset state, before and after: 100 orders in a 3-partition topic; the
# console consumer of group orders-streams reads 60 of them and commits; a backup
# records the group's offsets and `kafka-backup offset-report` exports them as
# offsets-before.json. The group reads the other 40; a second backup gives
# offsets-after.json. Each export must hold, per partition, exactly the offsets
# `kafka-consumer-groups.sh --describe` showed at that moment, and before -> after must
# advance by the 40 records read in between, to lag 0. The exports stay in the current
# directory.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/demo.sh"

topic=${DEMO_PREFIX}orders group=${DEMO_PREFIX}orders-streams
prefix=${DEMO_PREFIX}demos/offset-testing url=$(storage_url "$prefix")
cleanup() { delete_groups "$group"; delete_topics "$topic"; delete_backup "$prefix"; }
cleanup
on_exit cleanup
OUT=${OUT:-$PWD}

step "create $topic (3 partitions) and produce 100 orders, keyed by order id"
kafka_topics --create --topic "$topic" --partitions 3 --replication-factor 1 >/dev/null
for i in $(seq 1 100); do printf 'ORD-%03d\t{"order_id":"ORD-%03d","amount":%d}\n' "$i" "$i" $((i * 7 % 90 + 10)); done |
    kafka_console_producer --topic "$topic" --reader-property parse.key=true --reader-property 'key.separator=	'

# export NAME: back up the topic (with the group's committed offsets) and export the
# offsets with offset-report; checks them against kafka-consumer-groups.sh.
export_offsets() {
    local name=$1 kafka ours
    kafka=$(committed_offsets "$group")
    say "kafka-consumer-groups.sh --describe --group $group:"
    kafka_consumer_groups --describe --group "$group" 2>/dev/null | sed 's/^/     /'
    kafka_backup backup --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topics "$topic" \
        --path "$url" --backup-id "$name" --no-progress --log-level warn >/dev/null
    kafka_backup offset-report --path "$url" --backup-id "$name" --format json >"$OUT/$name.json"
    say "kafka-backup offset-report --path ... --backup-id $name --format json > $name.json:"
    jq --arg g "$group" '.consumer_groups[$g]' "$OUT/$name.json" | sed 's/^/     /'
    ours=$(jq -r --arg g "$group" --arg t "$topic" '.consumer_groups[$g].partitions | to_entries[]
        | "\($t) \(.key | ltrimstr($t + "-")) \(.value.offset)"' "$OUT/$name.json" | sort)
    expect_eq "$name.json offsets vs kafka-consumer-groups.sh" "$(tr '\n' ';' <<<"$kafka")" \
        "$(tr '\n' ';' <<<"$ours")"
}
# total FILE FIELD: the sum of a field over the group's partitions
total() { jq --arg g "$group" "[.consumer_groups[\$g].partitions[].$2] | add" "$OUT/$1.json"; }

step "orders-streams reads 60 orders with kafka-console-consumer.sh (commits on exit)"
kafka_console_consumer --topic "$topic" --group "$group" --from-beginning --max-messages 60 \
    --timeout-ms 15000 >/dev/null

step "export the offsets: offsets-before.json"
export_offsets offsets-before
expect_eq "committed total before" 60 "$(total offsets-before offset)"
expect_eq "lag before" 40 "$(total offsets-before lag)"

step "orders-streams reads the remaining 40"
kafka_console_consumer --topic "$topic" --group "$group" --max-messages 40 --timeout-ms 15000 >/dev/null

step "export again: offsets-after.json"
export_offsets offsets-after
expect_eq "committed total after" 100 "$(total offsets-after offset)"
expect_eq "lag after" 0 "$(total offsets-after lag)"

step "compare before and after, per partition"
jq -n --arg g "$group" --slurpfile a "$OUT/offsets-before.json" --slurpfile b "$OUT/offsets-after.json" '
    $a[0].consumer_groups[$g].partitions as $x | $b[0].consumer_groups[$g].partitions as $y
    | $y | keys[] | {partition: ., before: $x[.].offset, after: $y[.].offset,
                     advanced: ($y[.].offset - $x[.].offset)}' -c | sed 's/^/   /'
expect_eq "records read between the exports" 40 \
    "$(( $(total offsets-after offset) - $(total offsets-before offset) ))"
echo "PASS: offset exports match kafka-consumer-groups.sh before (60/100) and after (100/100)"
