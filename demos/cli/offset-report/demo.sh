#!/usr/bin/env bash
# The offset-report demo: three topics (orders 50, payments 30, events 100 messages),
# three consumer groups at different progress (orders-streams 30/50, payments-processor
# 30/30, demo-consumer 50/100) made with Kafka's console consumer, one multi-topic
# backup, and `show-offset-mapping --format json > offset-report.json`. Every jq query
# of instructions.md is run and its answer checked; analyze_offsets.py must print the
# same; the CSV and text formats are shown. The report is left in the current directory.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/demo.sh"

orders=${DEMO_PREFIX}orders payments=${DEMO_PREFIX}payments events=${DEMO_PREFIX}events
groups=("${DEMO_PREFIX}orders-streams" "${DEMO_PREFIX}payments-processor" "${DEMO_PREFIX}demo-consumer")
prefix=${DEMO_PREFIX}report-demo id=${DEMO_PREFIX}report-backup
cleanup() {
    delete_groups "${groups[@]}"
    delete_topics "$orders" "$payments" "$events"
    delete_backup "$prefix"
}
cleanup
on_exit cleanup
REPORT=${REPORT:-$PWD/offset-report.json}

step "Step 1: produce orders 50, payments 30, events 100 with kafka-console-producer.sh"
kafka_topics --create --topic "$orders" --partitions 3 --replication-factor 1 >/dev/null
kafka_topics --create --topic "$payments" --partitions 1 --replication-factor 1 >/dev/null
kafka_topics --create --topic "$events" --partitions 1 --replication-factor 1 >/dev/null
for i in $(seq 1 50); do echo "{\"order_id\": \"ORD-$i\"}"; done | kafka_console_producer --topic "$orders"
for i in $(seq 1 30); do echo "{\"payment_id\": \"PAY-$i\"}"; done | kafka_console_producer --topic "$payments"
for i in $(seq 1 100); do echo "{\"event_id\": \"EVT-$i\"}"; done | kafka_console_producer --topic "$events"

step "Step 2: consumer groups with different progress (kafka-console-consumer.sh)"
kafka_console_consumer --topic "$orders" --group "${groups[0]}" --from-beginning \
    --max-messages 30 --timeout-ms 10000 >/dev/null
kafka_console_consumer --topic "$payments" --group "${groups[1]}" --from-beginning \
    --timeout-ms 10000 >/dev/null
kafka_console_consumer --topic "$events" --group "${groups[2]}" --from-beginning \
    --max-messages 50 --timeout-ms 10000 >/dev/null
for g in "${groups[@]}"; do kafka_consumer_groups --describe --group "$g" 2>/dev/null; done

step "Step 3: kafka-backup backup --config backup-report.yaml"
kafka_backup backup --config "$DEMO_ROOT/demos/config/backup-report.yaml" --no-progress

step "Step 4: kafka-backup show-offset-mapping ... --format json > offset-report.json"
kafka_backup show-offset-mapping --path "$(storage_url "$prefix")" --backup-id "$id" \
    --format json >"$REPORT"
say "wrote $REPORT ($(wc -c <"$REPORT") bytes)"

step "Step 5: analyze with jq (each query of instructions.md, its output, the check)"
# query JQ-PROGRAM: runs it on the report, printing what a user would see. With a
# prefix, `.topics.orders` in the document's queries is `.topics[$orders]` here.
query() {
    local out
    out=$(jq -c --arg orders "$orders" "$1" "$REPORT")
    printf "   \$ jq '%s' offset-report.json\n%s\n" "$1" "$(sed 's/^/     /' <<<"$out")" >&2
    echo "$out"
}
expect_eq "topics" "[\"$events\",\"$orders\",\"$payments\"]" "$(query '.topics | keys')"
counts=$(query '.topics | to_entries | .[] | {topic: .key, partitions: (.value.partitions | length)}')
for tp in "$orders:3" "$payments:1" "$events:1"; do
    expect_eq "partitions of ${tp%:*}" "${tp##*:}" \
        "$(jq -r --arg t "${tp%:*}" 'select(.topic == $t) | .partitions' <<<"$counts")"
done
expect_eq "total messages of $orders" 50 \
    "$(query '.topics[$orders].partitions | to_entries | map(.value.end_offset) | add')"
expect_eq "highest end offset" 100 "$(query '[.topics[].partitions[].end_offset] | max')"
lags=$(query '.consumer_groups | to_entries | .[] | {
    group: .key,
    total_lag: ([.value.partitions[].lag] | add)
}')
for gl in "${groups[0]}:20" "${groups[1]}:0" "${groups[2]}:50"; do
    expect_eq "total lag of ${gl%:*}" "${gl##*:}" \
        "$(jq -r --arg g "${gl%:*}" 'select(.group == $g) | .total_lag' <<<"$lags")"
done
# Kafka's own tool reports the same committed offsets and lags.
for i in 0 1 2; do
    t=("$orders" "$payments" "$events"); t=${t[i]}
    ours=$(jq -r --arg g "${groups[i]}" --arg t "$t" '.consumer_groups[$g].partitions | to_entries[]
        | "\($t) \(.key | ltrimstr($t + "-")) \(.value.offset)"' "$REPORT" | sort)
    expect_eq "committed offsets of ${groups[i]} (report vs kafka-consumer-groups.sh)" \
        "$(committed_offsets "${groups[i]}" | tr '\n' ';')" "$(tr '\n' ';' <<<"$ours")"
done
expect_eq "messages to restore" 180 "$(query '[.topics[].partitions[].message_count] | add')"
expect_eq "estimated restore time" '"Estimated: 0.018 seconds"' \
    "$(query '([.topics[].partitions[].message_count] | add) / 10000 | "Estimated: \(.) seconds"')"
expect_eq "groups that are behind" "\"${groups[2]}\" \"${groups[0]}\"" \
    "$(query '.consumer_groups | to_entries | .[] | select(.value | [.partitions[].lag] | add > 0) | .key' | sort | xargs -d'\n' echo)"
expect_eq "messages per partition of $orders add up" 50 \
    "$(query '.topics[$orders].partitions | to_entries | .[] | {partition: .key, messages: .value.message_count}' | jq -s 'map(.messages) | add')"

step "analyze_offsets.py"
analysis=$(python3 "$HERE/analyze_offsets.py" "$REPORT")
echo "$analysis"
for line in "$orders: 3 partitions, 50 messages" "$payments: 1 partitions, 30 messages" \
    "$events: 1 partitions, 100 messages" "${groups[0]}: total lag = 20" \
    "${groups[1]}: total lag = 0" "${groups[2]}: total lag = 50"; do
    grep -qxF "  $line" <<<"$analysis" || fail "analyze_offsets.py did not print '$line'"
done
say "ok: analyze_offsets.py agrees"

step "the same report as CSV and as text"
url=$(storage_url "$prefix")
csv=$(kafka_backup show-offset-mapping --path "$url" --backup-id "$id" --format csv)
echo "$csv"
expect_eq "CSV lag of ${groups[0]}" 20 \
    "$(awk -F, -v g="${groups[0]}" '$1 == "group" && $4 == g {s += $9} END {print s}' <<<"$csv")"
kafka_backup show-offset-mapping --path "$url" --backup-id "$id" --format text
echo "PASS: the report answers every query: 3 topics, orders 50, max end offset 100, lags 20/0/50"
