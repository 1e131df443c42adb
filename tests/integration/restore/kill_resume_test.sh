#!/usr/bin/env bash
# SIGKILL during a restore at random points, re-run until it completes: the target
# must hold every record of the backup exactly once, in order, per partition.
#
# A topic of a few hundred MB (3 partitions, keyed records of 1-4 MB) is backed up
# to MinIO, then restored into a fresh topic with --topic-map. Each round starts
# `kafka-backup restore` with the same arguments (so the same restore id and
# checkpoint) and SIGKILLs it after a random delay; once a kill has landed in the
# middle of the restore at least twice (or after enough rounds) the restore is run
# to completion. The target is then read back with kcat and compared line by line
# with the source: partition, offset, timestamp, key and a sha256 of the value.
. "$(dirname "$0")/lib.sh"

SRC="rs-kill-$RUN_ID"
DST="rs-kill-$RUN_ID-restored"
MB=${KB_KILL_TEST_MB:-240}
create_topic "$SRC" 3 --config max.message.bytes=8388608
CREATED_TOPICS+=("$DST")

# Keyed records of 1-4 MiB (base64 of random bytes, one per line) until MB MiB.
python3 - "$MB" >"$WORK/records.txt" <<'EOF'
import base64, os, random, sys
left = int(sys.argv[1]) << 20
i = 0
while left > 0:
    size = random.randint(1 << 20, 4 << 20)
    value = base64.b64encode(os.urandom(size * 3 // 4))
    sys.stdout.buffer.write(b"key-%06d\t" % i + value + b"\n")
    left -= len(value)
    i += 1
EOF
TOTAL=$(wc -l <"$WORK/records.txt")
echo "producing $TOTAL records ($(du -m "$WORK/records.txt" | cut -f1) MB)"
kcat -P -b "$BS" -t "$SRC" -K '\t' -l -X message.max.bytes=8388608 -X compression.codec=lz4 \
    -X queue.buffering.max.kbytes=65536 "$WORK/records.txt"
rm -f "$WORK/records.txt"

# partition|offset|timestamp|key|sha256(value) per record, sorted; streamed (no value
# is held longer than it takes to hash it).
fingerprint() {  # topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -X fetch.message.max.bytes=16777216 \
        -X receive.message.max.bytes=100000000 -D '\x1e' -f '%p|%o|%T|%k|%s\x1e' |
        python3 -c '
import hashlib, sys
rest = b""
out = []
while True:
    chunk = sys.stdin.buffer.read(1 << 22)
    if not chunk: break
    parts = (rest + chunk).split(b"\x1e")
    rest = parts.pop()
    for rec in parts:
        p, o, ts, key, value = rec.split(b"|", 4)
        out.append((int(p), int(o), "%s|%s|%s|%s|%s" % (p.decode(), o.decode(), ts.decode(),
                                                         key.decode(), hashlib.sha256(value).hexdigest())))
for _, _, line in sorted(out): print(line)
'
}
fingerprint "$SRC" >"$WORK/source"
[ "$(wc -l <"$WORK/source")" -eq "$TOTAL" ] || fail "source holds $(wc -l <"$WORK/source") records, produced $TOTAL"

URL=$(s3_url kill)
backup "$URL" b1 "$SRC"

# One shard, one partition at a time: slow enough (a few seconds) for kills to land.
ARGS=(--path "$URL" --backup-id b1 --topic-map "$SRC:$DST" --create-topics --memory-budget 64MiB
    --shards 1 --max-concurrent-partitions 1)
target_records() {
    "$KAFKA_BIN/kafka-get-offsets.sh" --bootstrap-server "$BS" --topic "$DST" --time -1 2>/dev/null |
        awk -F: '{s += $3} END {print s + 0}'
}

kills=0 partial=0 round=0
while [ $round -lt 8 ] && [ $partial -lt 3 ]; do
    round=$((round + 1))
    "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "${ARGS[@]}" \
        >"$WORK/round.out" 2>&1 &
    pid=$!
    sleep "$(awk -v r=$RANDOM 'BEGIN {printf "%.2f", 0.3 + (r % 120) / 100}')"
    if kill -9 "$pid" 2>/dev/null; then
        kills=$((kills + 1))
        wait "$pid" 2>/dev/null || true
    else
        wait "$pid" || { cat "$WORK/round.out"; fail "round $round: restore failed"; }
        echo "round $round: restore finished before the kill"
        break
    fi
    n=$(target_records)
    echo "round $round: killed; $n of $TOTAL records on the target"
    [ "$n" -le "$TOTAL" ] || fail "round $round: $n records on the target, more than the $TOTAL backed up"
    if [ "$n" -gt 0 ] && [ "$n" -lt "$TOTAL" ]; then partial=$((partial + 1)); fi
    [ "$n" -lt "$TOTAL" ] || break  # killed after the last record: nothing left to resume
done
[ $partial -ge 1 ] || fail "no kill landed in the middle of the restore; nothing was tested"

# Run to completion when something is missing.
if [ "$(target_records)" -lt "$TOTAL" ]; then
    restore "${ARGS[@]}" --output json
    jq -e ".records == $TOTAL" "$WORK/restore.out" >/dev/null ||
        fail "final run's summary does not count $TOTAL records: $(cat "$WORK/restore.out")"
fi

fingerprint "$DST" >"$WORK/target"
if ! diff -q "$WORK/source" "$WORK/target" >/dev/null; then
    echo "first differences (source < > target):"
    diff "$WORK/source" "$WORK/target" | head -10
    fail "target differs from source ($(wc -l <"$WORK/target") records, $TOTAL expected)"
fi
# The same restore once more, after it completed: nothing is produced again.
restore "${ARGS[@]}" --output json
jq -e '.already_complete == true and .records == 0' "$WORK/restore.out" >/dev/null ||
    fail "re-running a completed restore did not stop: $(cat "$WORK/restore.out")"
[ "$(target_records)" -eq "$TOTAL" ] ||
    fail "re-running a completed restore changed the target: $(target_records) records"
echo "ok: re-running the completed restore produced nothing (still $TOTAL records)"

echo "PASS restore kill/resume: $kills SIGKILLs ($partial mid-restore), then all $TOTAL records exactly once, in order"
