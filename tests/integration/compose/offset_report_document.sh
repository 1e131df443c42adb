#!/usr/bin/env bash
# The offset-report demo document of the demo PRD (CLI Demo: Offset Mapping Report), its
# commands exactly as the document writes them, run against the docker compose
# environment, in the document's order: Prerequisites, Quick Start, Manual Walkthrough
# (steps 1-5), the Python analysis, the use cases, Cleanup. Between them, checks of
# what the commands produced (marked `check:`); the commands themselves are unchanged.
#
# Left out, and why: use case 2 (`diff <(jq .topics source-report.json) ...`) compares
# two reports the document never makes; "Output Formats" shows flag syntax without
# --path/--backup-id (not a runnable command). The CSV and text formats are run by the
# Quick Start's demo.sh.
#
# Run by scripts/compose.sh test, after `scripts/compose.sh up` (so a plain
# `docker compose` finds docker-compose.yml and its .env from any directory of the
# checkout). The document's paths (`cd cli/offset-report`) are relative to demos/.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
export DEMO_ENV=compose  # the Quick Start's ./demo.sh runs through compose too
exec </dev/null          # no terminal: `docker compose run` then allocates none either
doc() { printf '\n### %s\n' "$*"; }
fail() { printf 'DOCUMENT FAILED: %s\n' "$*" >&2; exit 1; }
check() { # WHAT EXPECTED ACTUAL
    [[ "$2" == "$3" ]] || fail "$1: expected $2, got $3"
    printf '   check: %s = %s\n' "$1" "$3"
}
cd "$ROOT/demos"

doc "Prerequisites"
# Start the demo environment
docker compose up -d

# Wait for services to be ready
docker compose logs -f kafka-setup
# (Output captured first: `grep -q` leaving early would fail the pipe under pipefail.)
[[ $(docker compose logs kafka-setup) == *"kafka-setup: done"* ]] || fail "kafka-setup did not log that it is done"

doc "Quick Start"
cd cli/offset-report
chmod +x demo.sh
./demo.sh

doc "Prerequisites again (the Quick Start removed its topics; kafka-setup makes them again)"
docker compose up -d
docker compose logs -f kafka-setup

doc "Step 1: Set Up Test Workloads"
# Orders: 50 messages
for i in $(seq 1 50); do
    echo "{\"order_id\": \"ORD-$i\"}"
done | docker compose --profile tools run --rm kafka-cli \
    kafka-console-producer.sh --bootstrap-server kafka-broker-1:9092 --topic orders

# Payments: 30 messages
for i in $(seq 1 30); do
    echo "{\"payment_id\": \"PAY-$i\"}"
done | docker compose --profile tools run --rm kafka-cli \
    kafka-console-producer.sh --bootstrap-server kafka-broker-1:9092 --topic payments

# Events: 100 messages
for i in $(seq 1 100); do
    echo "{\"event_id\": \"EVT-$i\"}"
done | docker compose --profile tools run --rm kafka-cli \
    kafka-console-producer.sh --bootstrap-server kafka-broker-1:9092 --topic events

doc "Step 2: Create Consumer Groups with Different Progress"
# orders-streams: partial consumption (30/50)
docker compose --profile tools run --rm kafka-cli bash -c '
    kafka-console-consumer.sh --bootstrap-server kafka-broker-1:9092 \
        --topic orders --group orders-streams --from-beginning \
        --max-messages 30 --timeout-ms 10000 > /dev/null
'

# payments-processor: complete consumption
docker compose --profile tools run --rm kafka-cli bash -c '
    kafka-console-consumer.sh --bootstrap-server kafka-broker-1:9092 \
        --topic payments --group payments-processor --from-beginning \
        --timeout-ms 10000 > /dev/null
'

# demo-consumer: partial consumption (50/100)
docker compose --profile tools run --rm kafka-cli bash -c '
    kafka-console-consumer.sh --bootstrap-server kafka-broker-1:9092 \
        --topic events --group demo-consumer --from-beginning \
        --max-messages 50 --timeout-ms 10000 > /dev/null
'

doc "Step 3: Create Multi-Topic Backup"
docker compose --profile tools run --rm kafka-backup backup --config /config/backup-report.yaml

doc "Step 4: Generate Offset Mapping Report"
docker compose --profile tools run --rm kafka-backup \
    show-offset-mapping \
    --path s3://kafka-backups/report-demo \
    --backup-id report-backup \
    --format json > offset-report.json

doc "Step 5: Analyze with jq"
jq '.topics | keys' offset-report.json
check "topics" '["events","orders","payments"]' "$(jq -c '.topics | keys' offset-report.json)"

jq '.topics | to_entries | .[] | {topic: .key, partitions: (.value.partitions | length)}' offset-report.json
check "partitions per topic" '3 3 3' \
    "$(jq '.topics | to_entries | .[] | {topic: .key, partitions: (.value.partitions | length)}' offset-report.json | jq -s -r 'map(.partitions) | join(" ")')"

jq '.topics.orders.partitions | to_entries | map(.value.end_offset) | add' offset-report.json
check "total messages of orders" 50 "$(jq '.topics.orders.partitions | to_entries | map(.value.end_offset) | add' offset-report.json)"

jq '[.topics[].partitions[].end_offset] | max' offset-report.json

jq '.consumer_groups | to_entries | .[] | {
    group: .key,
    total_lag: ([.value.partitions[].lag] | add)
}' offset-report.json
check "total lag per group" 'demo-consumer=50 orders-streams=20 payments-processor=0' \
    "$(jq -r '.consumer_groups | to_entries | .[] | "\(.key)=\([.value.partitions[].lag] | add)"' offset-report.json | sort | xargs)"

doc "Python Analysis Script"
python3 analyze_offsets.py offset-report.json
grep -qxF '  orders: 3 partitions, 50 messages' <<<"$(python3 analyze_offsets.py offset-report.json)" ||
    fail "analyze_offsets.py did not count 50 orders in 3 partitions"

doc "Use Cases"
# Total messages to restore
jq '[.topics[].partitions[].message_count] | add' offset-report.json
check "messages to restore" 180 "$(jq '[.topics[].partitions[].message_count] | add' offset-report.json)"

# Estimated restore time (at 10,000 msg/sec)
jq '([.topics[].partitions[].message_count] | add) / 10000 | "Estimated: \(.) seconds"' offset-report.json

jq '.consumer_groups | to_entries | .[] | select(.value | [.partitions[].lag] | add > 0) | .key' offset-report.json
check "groups behind" '"demo-consumer" "orders-streams"' \
    "$(jq '.consumer_groups | to_entries | .[] | select(.value | [.partitions[].lag] | add > 0) | .key' offset-report.json | sort | xargs -d'\n' echo)"

jq '.topics.orders.partitions | to_entries | .[] | {partition: .key, messages: .value.message_count}' offset-report.json

doc "Cleanup"
rm -f offset-report.json
docker compose exec minio mc rm --recursive --force local/kafka-backups/report-demo/
[[ -z $(docker compose exec -T minio mc ls --recursive local/kafka-backups/report-demo/) ]] ||
    fail "objects left under report-demo/ after mc rm"

# Not in the document: leave the broker as the demos expect it (no groups, fresh topics).
docker compose --profile tools run --rm kafka-cli kafka-consumer-groups.sh --bootstrap-server kafka-broker-1:9092 \
    --delete --group orders-streams --group payments-processor --group demo-consumer >/dev/null
docker compose --profile tools run --rm kafka-cli kafka-topics.sh --bootstrap-server kafka-broker-1:9092 \
    --delete --topic 'orders|payments|events'
echo "PASS: the offset-report document's commands ran unchanged through docker compose"
