#!/usr/bin/env bash
# Many small partitions (issue 21.12), the correctness side of
# bench/many_partitions: 150 topics / 300 partitions of 3 records each, backed up
# to MinIO in one run, restored under new names, and every record read back by
# kcat from the restored topics equals the source's (partition, offset,
# timestamp, key, value, headers). The manifest lists all 300 partitions and a
# few manifest versions, not one per segment.
source "$(dirname "$0")/lib.sh"

TOPICS=150 TWO=150 PER=3
PARTS=$((TOPICS + TWO))
src="manypart-$RUN_ID" dst="manypart-$RUN_ID-r"
LIBS=$(grep -o '"[^"]*/libs/\*"' "$KAFKA_BIN/kafka-topics.sh" | head -1 | tr -d '"*')
workload() {  # prefix records [delete]
    java -cp "$LIBS*" "$KB_SOURCE_DIR/bench/many_partitions/ManyTopics.java" "$BS" "$1" \
        "$TOPICS" "$TWO" "$2" 512 "${@:3}"
}
drop_topics() {
    workload "$src" 0 delete >/dev/null 2>&1 || true
    workload "$dst" 0 delete >/dev/null 2>&1 || true
}
trap 'drop_topics; cleanup' EXIT
# The restore's target topics are made here too, and the restore starts once each
# partition has a leader: this test is about the backup, not topic creation.
workload "$src" "$PER" 2>"$WORK/java.log" || { cat "$WORK/java.log"; fail "creating the topics failed"; }
workload "$dst" 0 2>"$WORK/java.log" || { cat "$WORK/java.log"; fail "creating the targets failed"; }
echo "topics: $((TOPICS * 2)) created in ${SECONDS}s"

start=$(date +%s.%N)
"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$src-0*" --path "$(s3_url minio)" \
    --backup-id many --no-progress --output json >"$WORK/backup.json" || fail "backup failed"
secs=$(echo "$(date +%s.%N) - $start" | bc)
[ "$(jq .records "$WORK/backup.json")" -eq $((PARTS * PER)) ] ||
    fail "backup copied $(jq .records "$WORK/backup.json") records, expected $((PARTS * PER))"
manifest_s3 minio many >"$WORK/manifest.json"
[ "$(jq '[.topics[].partitions[]] | length' "$WORK/manifest.json")" -eq "$PARTS" ] ||
    fail "the manifest does not list $PARTS partitions"
versions=$(jq .manifest_sequence "$WORK/backup.json")
[ "$versions" -lt 20 ] || fail "$versions manifest versions for one run of $PARTS segments"
echo "backup: $PARTS partitions, $((PARTS * PER)) records in ${secs}s, $versions manifest version(s)"

for _ in $(seq 1 60); do
    led=$("$KAFKA_BIN/kafka-get-offsets.sh" --bootstrap-server "$BS" --topic "^$dst-[0-9]+\$" 2>/dev/null | grep -c ':0$' || true)
    [ "$led" -eq "$PARTS" ] && break
    sleep 1
done
[ "$led" -eq "$PARTS" ] || fail "only $led of $PARTS target partitions have a leader"
map=$(for i in $(seq 0 $((TOPICS - 1))); do printf '%s-%05d:%s-%05d,' "$src" "$i" "$dst" "$i"; done)
"$KB_BIN/kafka-backup" restore --bootstrap-servers "$BS" --path "$(s3_url minio)" --backup-id many \
    --topic-map "${map%,}" --no-progress --log-level warn >"$WORK/restore.out" 2>&1 ||
    { cat "$WORK/restore.out"; fail "restore failed"; }

read_all() {  # topic-regex group -> backup_dump-style lines, topic names without the run prefix
    kcat -C -b "$BS" -G "$2" -X auto.offset.reset=earliest -e -q -J "$1" |
        python3 "$KB_SOURCE_DIR/tests/integration/backup/kcat_lines.py" |
        sed -E "s/^R $src(-r)?-/R /" | sort
}
read_all "^$src-[0-9]+\$" "$src-check-src" >"$WORK/source"
read_all "^$dst-[0-9]+\$" "$src-check-dst" >"$WORK/restored"
[ "$(wc -l <"$WORK/source")" -eq $((PARTS * PER)) ] || fail "kcat read $(wc -l <"$WORK/source") source records"
diff -q "$WORK/source" "$WORK/restored" >/dev/null || {
    diff "$WORK/source" "$WORK/restored" | head -5
    fail "the restored topics differ from the source"
}
echo "restore (${SECONDS}s since the start): all $((PARTS * PER)) records of $PARTS partitions read back equal (offsets, timestamps, keys, values, headers)"
