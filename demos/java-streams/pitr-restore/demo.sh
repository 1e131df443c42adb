#!/usr/bin/env bash
# Point-in-time restore under a running Kafka Streams app (see instructions.md):
# the app turns `orders` into `orders_enriched` while a continuous backup runs;
# at time T a faulty release starts writing bad orders; the topics and the app's
# offsets are restored to T; the restarted app resumes where the good data ends,
# and `orders_enriched` holds the results of good orders only, each once.
# Exits non-zero, with a "DEMO FAILED:" line, when that does not hold.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/java-demo.sh"

ORDERS=$(name orders)
ENRICHED=$(name orders_enriched)
APP_ID=$(name orders-streams)
JAR=target/pitr-restore.jar
NAMES=(orders orders_enriched orders-streams pitr-demo demos/pitr-restore)
BACKUP_CFG=$(render "$HERE/backup.yaml" "${NAMES[@]}")
RESTORE_CFG=$(render "$HERE/restore.yaml" "${NAMES[@]}")
S3_PREFIX=${DEMO_PREFIX}demos/pitr-restore
app() { java -jar "$HERE/$JAR" "$@" --bootstrap-servers "$BOOTSTRAP" --input "$ORDERS" --output "$ENRICHED" --application-id "$APP_ID"; }
cleanup() {
    topic_delete "$ORDERS"
    topic_delete "$ENRICHED"
    group_delete "$APP_ID"
    s3_remove_prefix "$S3_PREFIX"
}
on_exit cleanup

# Order ids in orders_enriched, sorted numerically (one line per record).
enriched_ids() { consume "$ENRICHED" '%s\n' | sed -n 's/^{"id":\([0-9]*\),.*/\1/p' | sort -n; }
# The expected ids: FIRST..LAST without the test orders (every tenth).
good_ids() { seq "$1" "$2" | awk '$1 % 10 != 0'; }
# The backup's newest manifest as JSON.
manifest() { "$KB" describe --config "$BACKUP_CFG" --format json 2>/dev/null; }
backed_up() { # TOPIC: records of TOPIC in the backup
    manifest | jq -r --arg t "$1" '[.topics[] | select(.name == $t) | .partitions[].end_offset] | add // 0'
}
backed_up_group() { # GROUP TOPIC: the group's offsets on TOPIC recorded in the backup, summed
    manifest | jq -r --arg g "$1" --arg t "$2" '[.consumer_groups[] | select(.group_id == $g) |
        .offsets[] | select(.topic == $t) | .offset] | add // 0'
}
# For wait_for, which runs a command again until it succeeds.
has_records() { (($(topic_records "$1") >= $2)); }
backup_has() { [[ "$(backed_up "$1")" == "$2" ]]; }
backup_has_group() { [[ "$(backed_up_group "$1" "$2")" == "$3" ]]; }
sum_end_offsets() { topic_end_offsets "$1" | awk '{s += $2} END {print s + 0}'; }
group_total() { group_offsets "$1" "$2" | awk '$2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}'; }

step "build the Streams app (Maven, once)"
build_jar "$HERE" "$JAR"

step "create $ORDERS and $ENRICHED (3 partitions each); start the continuous backup and the Streams app"
cleanup
topic_create "$ORDERS" 3
topic_create "$ENRICHED" 3
start_bg backup "$KB" backup --config "$BACKUP_CFG" --no-progress
start_bg streams app streams
wait_for 60 "the Streams app running" grep -q 'streams state .* -> RUNNING' "$WORK/streams.log"
note "backup and app running (logs: $WORK/backup.log, $WORK/streams.log)"

step "good traffic: orders 1..100 (10 are test orders the app filters out)"
app produce --first 1 --count 100
wait_for 60 "90 enriched orders" has_records "$ENRICHED" 90
expect_eq "records in $ENRICHED" 90 "$(topic_records "$ENRICHED")"

sleep 1
T=$(date +%s%3N)
step "T = $T ($(date -u -d @"${T:0:10}" +%FT%TZ)): everything up to here is good"
sleep 1

step "the faulty release: orders 101..120 with prices in cents"
app produce --first 101 --count 20 --buggy true
wait_for 60 "108 enriched orders" has_records "$ENRICHED" 108
grep '^enriched order-0101 ' "$WORK/streams.log" | sed 's/^/   app log: /'
expect_eq "records in $ENRICHED (90 good + 18 bad; 110 and 120 are test orders)" 108 "$(topic_records "$ENRICHED")"

step "stop the app (it commits its offsets); wait until the backup holds all records and those offsets"
stop_bg streams
expect_eq "offsets committed by $APP_ID on $ORDERS (all partitions)" 120 "$(group_total "$APP_ID" "$ORDERS")"
wait_for 60 "$ORDERS backed up" backup_has "$ORDERS" 120
wait_for 60 "$ENRICHED backed up" backup_has "$ENRICHED" 108
wait_for 60 "the offsets of $APP_ID in the backup" backup_has_group "$APP_ID" "$ORDERS" 120
note "backup: $ORDERS 120 records, $ENRICHED 108 records, $APP_ID at 120 on $ORDERS"
stop_bg backup

step "roll back to T: delete both topics, restore them up to T with the app's offsets"
topic_delete "$ORDERS"
topic_delete "$ENRICHED"
# The PRD writes the cut as --timestamp T; --to T is the same flag. (A build from
# before --timestamp existed only knows --to.)
cut_flag=--timestamp
[[ $("$KB" restore --help) == *--timestamp* ]] || cut_flag=--to
note "kafka-backup restore --config restore.yaml $cut_flag $T"
"$KB" restore --config "$RESTORE_CFG" "$cut_flag" "$T" --no-progress
expect_eq "records in $ORDERS after the restore" 100 "$(topic_records "$ORDERS")"
expect_eq "records in $ENRICHED after the restore" "$(good_ids 1 100 | paste -sd,)" "$(enriched_ids | paste -sd,)"
note "ok: $ENRICHED holds exactly the 90 results of good orders 1..100"
expect_eq "committed offsets of $APP_ID = end of restored $ORDERS" "$(sum_end_offsets "$ORDERS")" "$(group_total "$APP_ID" "$ORDERS")"

step "restart the Streams app; the fixed release sends orders 121..150"
start_bg streams2 app streams
wait_for 60 "the Streams app running" grep -q 'streams state .* -> RUNNING' "$WORK/streams2.log"
app produce --first 121 --count 30
wait_for 60 "117 enriched orders" has_records "$ENRICHED" 117
sleep 2 # anything re-processed by mistake would show up now
stop_bg streams2
processed=$(grep -c '^enriched ' "$WORK/streams2.log" || true)
expect_eq "orders the restarted app processed (121..150 without 3 test orders)" 27 "$processed"
expected=$( (good_ids 1 100; good_ids 121 150) | paste -sd,)
expect_eq "order ids in $ENRICHED (good ones only, each once)" "$expected" "$(enriched_ids | paste -sd,)"
expect_eq "committed offsets of $APP_ID on $ORDERS" 130 "$(group_total "$APP_ID" "$ORDERS")"

pass "$ENRICHED holds 117 results, of good orders only, each once; the bad ones are gone"
