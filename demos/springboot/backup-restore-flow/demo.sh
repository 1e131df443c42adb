#!/usr/bin/env bash
# Backup and restore under a Spring Boot Kafka Streams app (see instructions.md):
# the app counts `events` per key (state store + `events_agg`, served at GET
# /counts); `events` is backed up; the cluster side is wiped (topics, the app's
# internal changelog topic, its consumer group and its local state); `events` is
# restored; the restarted app recomputes exactly the counts it served before.
# Exits non-zero, with a "DEMO FAILED:" line, when that does not hold.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/java-demo.sh"

EVENTS=$(name events)
AGG=$(name events_agg)
APP_ID=$(name events-aggregator)
JAR=target/backup-restore-flow.jar
NAMES=(events events-backup demos/backup-restore-flow)
BACKUP_CFG=$(render "$HERE/backup.yaml" "${NAMES[@]}")
RESTORE_CFG=$(render "$HERE/restore.yaml" "${NAMES[@]}")
S3_PREFIX=${DEMO_PREFIX}demos/backup-restore-flow
PORT=${DEMO_HTTP_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
STATE_DIR=$WORK/streams-state
USERS=6 # user-K sends 10*K events: 210 in all

run_app() {
    java -jar "$HERE/$JAR" --server.port="$PORT" --demo.input-topic="$EVENTS" --demo.output-topic="$AGG" \
        --spring.kafka.bootstrap-servers="$BOOTSTRAP" --spring.kafka.streams.application-id="$APP_ID" \
        --spring.kafka.streams.state-dir="$STATE_DIR"
}
internal_topics() { "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --list 2>/dev/null | grep "^$APP_ID-" || true; }
# The cluster-side state of the app and its data: what a wipe removes.
wipe() {
    local t
    for t in "$EVENTS" "$AGG" $(internal_topics); do topic_delete "$t"; done
    group_delete "$APP_ID"
    rm -rf "$STATE_DIR"
}
cleanup() {
    wipe
    s3_remove_prefix "$S3_PREFIX"
}
on_exit cleanup

counts() { curl -sf "http://127.0.0.1:$PORT/counts"; }
counts_total_is() { [[ "$(counts | jq -r .total)" == "$1" ]]; }
# The running count per key in events_agg: its last value for every key.
agg_latest() {
    kcat -C -b "$BOOTSTRAP" -t "$AGG" -e -q -s value=q -f '%k %s\n' |
        awk '{last[$1] = $2} END {for (k in last) printf "\"%s\":%s\n", k, last[k]}' | sort | paste -sd, |
        sed 's/^/{/; s/$/}/' | jq -cS .
}
expected_counts() { for k in $(seq 1 $USERS); do printf '"user-%d":%d\n' "$k" $((10 * k)); done | paste -sd, | sed 's/^/{/; s/$/}/' | jq -cS .; }
expected_total=$((10 * USERS * (USERS + 1) / 2))

step "build the Spring Boot app (Maven, once)"
build_jar "$HERE" "$JAR"

step "create $EVENTS and $AGG (3 partitions); produce $expected_total events with kafka-console-producer"
cleanup
topic_create "$EVENTS" 3
topic_create "$AGG" 3
# user-K gets 10*K events, interleaved in a fixed order.
for k in $(seq 1 $USERS); do for i in $(seq 1 $((10 * k))); do echo "$(((i * 7919 + k * 104729) % 100003)) user-$k"; done; done |
    sort -n | awk '{n = split("click view search buy", a); printf "%s\t{\"user\":\"%s\",\"type\":\"%s\"}\n", $2, $2, a[NR % n + 1]}' |
    "$KAFKA_CONSOLE_PRODUCER" --bootstrap-server "$BOOTSTRAP" --topic "$EVENTS" \
        --reader-property parse.key=true --reader-property 'key.separator=	' 2>/dev/null
expect_eq "records in $EVENTS" "$expected_total" "$(topic_records "$EVENTS")"

step "start the app (port $PORT) and read the counts with curl http://127.0.0.1:$PORT/counts"
start_bg app run_app
wait_for 120 "the app to count all $expected_total events" counts_total_is "$expected_total"
before=$(counts | jq -cS .counts)
note "before: $before"
expect_eq "counts served before the backup" "$(expected_counts)" "$before"
grep -m 3 ' count user-' "$WORK/app.log" | sed 's/.*: /   app log: /'

step "back up $EVENTS: kafka-backup backup --config backup.yaml"
"$KB" backup --config "$BACKUP_CFG" --no-progress

step "wipe: stop the app; delete $EVENTS, $AGG and its internal topics, its group and its local state"
stop_bg app
note "internal topics: $(internal_topics | paste -sd' ')"
wipe
for t in "$EVENTS" "$AGG"; do topic_absent "$t" || fail "$t still exists after the wipe"; done
[[ -z "$(internal_topics)" ]] || fail "internal topics left after the wipe: $(internal_topics)"
! "$KAFKA_CONSUMER_GROUPS" --bootstrap-server "$BOOTSTRAP" --list 2>/dev/null | grep -qx -- "$APP_ID" ||
    fail "consumer group $APP_ID still exists after the wipe (did the app leave it on close?)"
note "ok: the topics, internal topics, group and state are gone"

step "restore $EVENTS: kafka-backup restore --config restore.yaml"
"$KB" restore --config "$RESTORE_CFG" --no-progress
expect_eq "records in $EVENTS after the restore" "$expected_total" "$(topic_records "$EVENTS")"
topic_create "$AGG" 3

step "restart the app: it recomputes the counts from the restored events"
start_bg app2 run_app
wait_for 120 "the app to count all $expected_total events again" counts_total_is "$expected_total"
after=$(counts | jq -cS .counts)
note "after:  $after"
expect_eq "counts after the restore (the same as before)" "$before" "$after"
expect_eq "latest count per key in $AGG" "$before" "$(agg_latest)"
stop_bg app2

pass "the recomputed aggregates equal the ones before the wipe"
