#!/usr/bin/env bash
# Point-in-time restore for a Spring Boot producer/consumer pair (see instructions.md):
# ProducerApplication publishes orders 1..50, then (after time T) bad orders 51..60
# with negative amounts; ConsumerApplication (group demo-consumer) processes all 60.
# A backup taken after the incident is restored to T, with the group's offsets; the
# topic holds orders 1..50 only, the group's offsets equal its end, and the restarted
# consumer processes only the new orders 61..80.
# Exits non-zero, with a "DEMO FAILED:" line, when that does not hold.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/java-demo.sh"

TOPIC=$(name orders)
GROUP=$(name demo-consumer)
JAR=target/producer-consumer.jar
NAMES=(orders demo-consumer orders-backup demos/producer-consumer)
BACKUP_CFG=$(render "$HERE/backup.yaml" "${NAMES[@]}")
RESTORE_CFG=$(render "$HERE/restore.yaml" "${NAMES[@]}")
S3_PREFIX=${DEMO_PREFIX}demos/producer-consumer
spring_app() { # MAIN_CLASS ARGS...
    local main=$1
    shift
    java -Dloader.main="$main" -jar "$HERE/$JAR" --spring.kafka.bootstrap-servers="$BOOTSTRAP" \
        --demo.topic="$TOPIC" --demo.group="$GROUP" "$@"
}
produce() { spring_app demo.producer.ProducerApplication "$@" | grep -o 'published orders.*' | sed 's/^/   producer: /'; }
consumer() { spring_app demo.consumer.ConsumerApplication; }
cleanup() {
    topic_delete "$TOPIC"
    group_delete "$GROUP"
    s3_remove_prefix "$S3_PREFIX"
}
on_exit cleanup

# Ids a consumer log shows, by kind (processed|INVALID), one per line in log order.
logged_ids() { sed -n "s/.* $2 order id=\([0-9]*\) .*/\1/p" "$WORK/$1.log"; }
logged_count() { logged_ids "$1" "$2" | wc -l; }
has_logged() { (($(logged_count "$1" processed) + $(logged_count "$1" INVALID) >= $2)); }
topic_ids() { consume "$TOPIC" '%s\n' | sed -n 's/^{"id":\([0-9]*\),.*/\1/p' | sort -n | paste -sd,; }
negative_amounts() { consume "$TOPIC" '%s\n' | grep -c '"amount":-' || true; }
ends() { topic_end_offsets "$TOPIC" | paste -sd' '; }
committed() { group_offsets "$GROUP" "$TOPIC" | paste -sd' '; }

step "build the two Spring Boot apps (Maven, once)"
build_jar "$HERE" "$JAR"

step "create $TOPIC (3 partitions); start ConsumerApplication (group $GROUP)"
cleanup
topic_create "$TOPIC" 3
start_bg consumer1 consumer

step "ProducerApplication publishes valid orders 1..50"
produce --orders.first=1 --orders.count=50
wait_for 120 "the consumer to process 50 orders" has_logged consumer1 50
sleep 1
T=$(date +%s%3N)
step "T = $T ($(date -u -d @"${T:0:10}" +%FT%TZ)): all good so far"
sleep 1

step "a faulty release publishes orders 51..60 with negative amounts"
produce --orders.first=51 --orders.count=10 --orders.bad=true
wait_for 60 "the consumer to see 60 orders" has_logged consumer1 60
grep -m 2 'INVALID order' "$WORK/consumer1.log" | sed 's/.*: /   consumer log: /'
expect_eq "orders the consumer flagged INVALID" 10 "$(logged_count consumer1 INVALID)"

step "stop the consumer; back up $TOPIC (with the group's offsets): kafka-backup backup --config backup.yaml"
stop_bg consumer1
note "committed offsets of $GROUP (partition offset): $(committed)"
"$KB" backup --config "$BACKUP_CFG" --no-progress

step "restore $TOPIC and the offsets of $GROUP to T: kafka-backup restore --config restore.yaml --to $T"
topic_delete "$TOPIC"
"$KB" restore --config "$RESTORE_CFG" --to "$T" --no-progress
expect_eq "order ids in the restored $TOPIC" "$(seq 1 50 | paste -sd,)" "$(topic_ids)"
expect_eq "orders with a negative amount in $TOPIC" 0 "$(negative_amounts)"
expect_eq "committed offsets of $GROUP (= end offsets of the restored topic)" "$(ends)" "$(committed)"

step "restart the consumer; the fixed producer publishes orders 61..80"
start_bg consumer2 consumer
produce --orders.first=61 --orders.count=20
wait_for 120 "the consumer to process 20 new orders" has_logged consumer2 20
sleep 2 # anything re-read by mistake would show up now
stop_bg consumer2
logged_ids consumer2 processed | head -n 2 | sed 's/^/   consumer log: processed order id=/'
expect_eq "orders flagged INVALID after the restore" 0 "$(logged_count consumer2 INVALID)"
expect_eq "ids processed after the restore" "$(seq 61 80 | paste -sd,)" "$(logged_ids consumer2 processed | sort -n | paste -sd,)"
expect_eq "committed offsets of $GROUP (= end offsets)" "$(ends)" "$(committed)"

pass "the consumer saw only valid orders after the restore, from where it had stopped"
