#!/usr/bin/env bash
# A topic deleted and recreated, then backed up again under the same backup id
# (issue 21.6): the backup used to continue the old topic's offsets (it copied
# 39 of the new topic's 50 records, exit 0). The manifest now records each
# topic's id (KIP-516); a re-run against a topic with another id stops with one
# line naming both ids and what to do, leaves the backup as it was, and a backup
# under a new id takes all of the new topic.
source "$(dirname "$0")/lib.sh"

topic="$RUN_ID-recreated"
loc="$WORK/fs"
backup() {  # backup_id
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topic" --path "$loc" \
        --backup-id "$1" --no-progress --output json
}
topic_id() {
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --describe --topic "$topic" |
        grep -o 'TopicId: [^[:space:]]*' | head -1 | cut -d' ' -f2
}

create_topic "$topic" 1
seq 1 40 | sed 's/^/old /' | kcat -P -b "$BS" -t "$topic" -p 0
backup rec >"$WORK/first.json" 2>"$WORK/first.log" || { cat "$WORK/first.log"; fail "first backup failed"; }
old_id=$(topic_id)
[ -n "$old_id" ] || fail "kafka-topics printed no TopicId"
[ "$(manifest_fs "$loc" rec | jq -r --arg t "$topic" '.topics[] | select(.name==$t) | .topic_id')" = "$old_id" ] ||
    fail "the manifest does not record topic id $old_id"

"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$topic" >/dev/null
for _ in $(seq 1 60); do  # deletion is asynchronous
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$topic" --partitions 1 \
        --replication-factor 1 >/dev/null 2>&1 && break
    sleep 0.5
done
new_id=$(topic_id)
[ -n "$new_id" ] && [ "$new_id" != "$old_id" ] || fail "the topic was not recreated (id $new_id)"
seq 1 50 | sed 's/^/new /' | kcat -P -b "$BS" -t "$topic" -p 0
cp "$(ls "$loc/rec/manifests/"manifest-*.json | sort | tail -1)" "$WORK/before.json"

rc=0
backup rec >"$WORK/second.json" 2>"$WORK/second.log" || rc=$?
[ "$rc" -eq 1 ] || { cat "$WORK/second.log"; fail "re-run after recreation: exit $rc, expected 1"; }
grep "$old_id" "$WORK/second.log" | grep -q "$new_id" ||
    { cat "$WORK/second.log"; fail "the error does not name both topic ids"; }
grep -q "new --backup-id" "$WORK/second.log" || { cat "$WORK/second.log"; fail "the error names no way out"; }
[ "$(grep -c "error" "$WORK/second.log")" -eq 1 ] || { cat "$WORK/second.log"; fail "not one error line"; }
cmp -s "$WORK/before.json" <(manifest_fs "$loc" rec) || fail "the refused run changed the manifest"
echo "recreated: the re-run refused: $(grep error "$WORK/second.log")"

# describe and a restore plan report the ids (the backup's, and the target's now)
"$KB_BIN/kafka-backup" describe --path "$loc" --backup-id rec --format json >"$WORK/describe.json"
[ "$(jq -r --arg t "$topic" '.topics[] | select(.name==$t) | .topic_id' "$WORK/describe.json")" = "$old_id" ] ||
    fail "describe does not report topic id $old_id"
"$KB_BIN/kafka-backup" describe --path "$loc" --backup-id rec >"$WORK/describe.txt"
grep -q "$topic=$old_id" "$WORK/describe.txt" || { cat "$WORK/describe.txt"; fail "describe (text) does not name the topic id"; }
"$KB_BIN/kafka-backup" restore --bootstrap-servers "$BS" --path "$loc" --backup-id rec --dry-run \
    --no-progress --output json >"$WORK/plan.json" 2>"$WORK/plan.log" || true
ids=$(jq -r --arg t "$topic" '.topics[] | select(.source_topic==$t) | "\(.source_topic_id) \(.target_topic_id)"' "$WORK/plan.json")
[ "$ids" = "$old_id $new_id" ] || { cat "$WORK/plan.json" "$WORK/plan.log"; fail "the restore plan reports ids '$ids', not '$old_id $new_id'"; }
echo "recreated: describe and the restore plan report the ids ($ids)"

backup rec2 >"$WORK/third.json" 2>"$WORK/third.log" || { cat "$WORK/third.log"; fail "backup under a new id failed"; }
n=$(dump_records "$loc" rec2 "$topic" | grep -c . || true)
[ "$n" -eq 50 ] || fail "new backup id holds $n of the new topic's 50 records"
echo "recreated: a new backup id took all 50 records of the new topic"

# --- recreated while a continuous backup tails it ------------------------------
cont="$RUN_ID-recreated-tail"
create_topic "$cont" 1
seq 1 20 | sed 's/^/old /' | kcat -P -b "$BS" -t "$cont" -p 0
"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$cont" --path "$loc" \
    --backup-id tail --continuous --segment-max-interval 1s --no-progress \
    >"$WORK/tail.out" 2>"$WORK/tail.log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 60); do
    [ "$(manifest_fs "$loc" tail 2>/dev/null | manifest_record_count)" = 20 ] && break
    sleep 0.5
done
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$cont" >/dev/null
for _ in $(seq 1 60); do
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$cont" --partitions 1 \
        --replication-factor 1 >/dev/null 2>&1 && break
    sleep 0.5
done
seq 1 50 | sed 's/^/new /' | kcat -P -b "$BS" -t "$cont" -p 0
rc=0
for _ in $(seq 1 60); do kill -0 $pid 2>/dev/null || break; sleep 0.5; done
kill -0 $pid 2>/dev/null && { kill -9 $pid; cat "$WORK/tail.log"; fail "the continuous backup kept running after the topic was recreated"; }
wait $pid || rc=$?
[ "$rc" -ne 0 ] || { cat "$WORK/tail.log"; fail "the continuous backup exited 0 after the topic was recreated"; }
n=$("$KB_BIN/backup_dump" "$loc" tail | awk '$1 == "R"' | wc -l)
[ "$n" -eq 20 ] || fail "the continuous backup holds $n records, not the old topic's 20 (new ones mixed in?)"
echo "recreated: a continuous backup stopped (exit $rc): $(grep -m1 error "$WORK/tail.log")"
