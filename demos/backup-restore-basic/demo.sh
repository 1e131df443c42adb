#!/usr/bin/env bash
# Back up three topics written with Kafka's console producer to MinIO, delete
# one, restore it, and show it holds exactly what it held before.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KB=${KB_BIN:-$ROOT/build/bin}/kafka-backup
[[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]] || eval "$("$ROOT/scripts/env.sh" up)"
step() { printf '\n== %s\n' "$*"; }
run=demo$$
url="s3://$KB_TEST_BUCKET/demos/$run?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"

step "create orders (3 partitions), payments and events, and produce with kafka-console-producer.sh"
for spec in orders:3:50 payments:1:30 events:1:100; do
    IFS=: read -r name parts count <<<"$spec"
    "$KAFKA_TOPICS" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic "$run-$name" \
        --partitions "$parts" --replication-factor 1 >/dev/null
    seq 1 "$count" | awk -v t="$name" '{printf "%s-key-%d\t{\"%s\":%d}\n", t, $1, t, $1}' |
        "$KAFKA_CONSOLE_PRODUCER" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --topic "$run-$name" \
            --reader-property parse.key=true --reader-property 'key.separator=	' 2>/dev/null
done
snapshot() { kcat -C -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$1" -e -q -f '%p %o %k %s\n' | sort; }
before=$(snapshot "$run-orders")

step "back up all three to MinIO"
"$KB" backup --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topics "$run-*" --path "$url" \
    --backup-id nightly --no-progress

step "delete $run-orders and restore it from the backup"
"$KAFKA_TOPICS" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --delete --topic "$run-orders"
sleep 2
"$KB" restore --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --path "$url" --backup-id nightly \
    --topics "$run-orders" --create-topics --no-progress

step "compare"
after=$(snapshot "$run-orders")
if [[ "$before" == "$after" ]]; then
    echo "restored $(wc -l <<<"$after") records of $run-orders: same partitions, offsets, keys, values"
else
    diff <(echo "$before") <(echo "$after") | head
    echo "FAIL: restored topic differs" >&2
    exit 1
fi
