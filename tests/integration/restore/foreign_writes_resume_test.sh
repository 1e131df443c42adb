#!/usr/bin/env bash
# Resume after kill -9 when another producer wrote into the target meanwhile
# (issue 21 points 1 and 2). Never exit 0 with records missing or doubled:
#  1. a restore into one target partition per source partition is SIGKILLed
#     mid-way, a foreign producer writes 100 records into target partition 0, the
#     re-run resumes exactly: every backed-up record once, the 100 foreign ones
#     left alone, the summary counting the backup's records;
#  2. a repartitioned restore (--repartition) SIGKILLed mid-way cannot be resumed
#     exactly: the re-run refuses with one line naming the partition and the
#     choices (--restart), producing nothing.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is required"

SRC="rs-foreign-$RUN_ID"
create_topic "$SRC" 2 --config max.message.bytes=8388608
MB=${KB_FOREIGN_TEST_MB:-96}
python3 - "$MB" >"$WORK/records.txt" <<'PY'
import base64, os, random, sys
left, i = int(sys.argv[1]) << 20, 0
while left > 0:
    value = base64.b64encode(os.urandom(random.randint(1 << 20, 2 << 20) * 3 // 4))
    sys.stdout.buffer.write(b"key-%06d\t" % i + value + b"\n")
    left -= len(value)
    i += 1
PY
TOTAL=$(wc -l <"$WORK/records.txt")
kcat -P -b "$BS" -t "$SRC" -K '\t' -l -X message.max.bytes=8388608 "$WORK/records.txt"
rm -f "$WORK/records.txt"
"$KB" backup --bootstrap-servers "$BS" --path "$WORK/b" --backup-id b1 --topics "$SRC" \
    --no-progress --log-level warn >"$WORK/backup.out" 2>&1 || { cat "$WORK/backup.out"; fail "backup failed"; }

# key|sha256(value) of every record, sorted (placement is checked by the restore's own tests).
contents() {  # topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -X fetch.message.max.bytes=16777216 \
        -X receive.message.max.bytes=100000000 -D '\x1e' -f '%k|%s\x1e' | python3 -c '
import hashlib, sys
rest, out = b"", []
while True:
    chunk = sys.stdin.buffer.read(1 << 22)
    if not chunk: break
    parts = (rest + chunk).split(b"\x1e")
    rest = parts.pop()
    for rec in parts:
        k, v = rec.split(b"|", 1)
        out.append(k.decode() + "|" + hashlib.sha256(v).hexdigest())
for line in sorted(out): print(line)
'
}
count() {  # topic
    { "$KAFKA_BIN/kafka-get-offsets.sh" --bootstrap-server "$BS" --topic "$1" --time -1 2>/dev/null || true; } |
        awk -F: '{s += $3} END {print s + 0}'
}
contents "$SRC" >"$WORK/source"
[ "$(wc -l <"$WORK/source")" -eq "$TOTAL" ] || fail "source holds $(wc -l <"$WORK/source") records, produced $TOTAL"

# SIGKILLs the restore `args` until one lands mid-way (some but not all records there).
kill_midway() {  # target args...
    local target=$1; shift
    # The kill comes a little later each round (50 ms steps): on a quiet machine the
    # whole restore takes well under a second, so a fixed 0.4-1.4 s delay landed after
    # the end; a round killed before anything was produced just tries again.
    for round in $(seq 1 40); do
        "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "$@" >"$WORK/round.out" 2>&1 &
        local pid=$!
        sleep "$(awk -v r="$round" 'BEGIN {printf "%.2f", 0.05 * r}')"
        kill -9 $pid 2>/dev/null || true
        wait $pid 2>/dev/null || true
        local n
        n=$(count "$target")
        echo "round $round: killed with $n of $TOTAL records on $target"
        if [ "$n" -gt 0 ] && [ "$n" -lt "$TOTAL" ]; then return 0; fi
        [ "$n" -eq 0 ] || fail "the restore finished before any kill landed: nothing tested"
    done
    fail "no kill landed mid-restore"
}
foreign_writes() {  # topic partition
    for i in $(seq 1 100); do echo "foreign-$i:written by someone else $i"; done |
        kcat -P -b "$BS" -t "$1" -p "$2" -K:
}
SLOW=(--shards 1 --max-concurrent-partitions 1 --memory-budget 32MiB)

# --- 1. one target partition per source partition: resumed exactly.
DST="$SRC-exact"
CREATED_TOPICS+=("$DST")
ARGS=(--path "$WORK/b" --backup-id b1 --topic-map "$SRC:$DST" --create-topics "${SLOW[@]}")
kill_midway "$DST" "${ARGS[@]}"
foreign_writes "$DST" 0
"$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "${ARGS[@]}" --output json \
    >"$WORK/resumed.json" 2>"$WORK/resumed.err" || { cat "$WORK/resumed.err"; fail "the resumed restore failed"; }
jq -e ".records == $TOTAL" "$WORK/resumed.json" >/dev/null ||
    fail "the resumed restore does not count $TOTAL records: $(cat "$WORK/resumed.json")"
grep -q "hold 100 records another producer wrote" "$WORK/resumed.err" ||
    fail "the foreign records were not reported: $(cat "$WORK/resumed.err")"
contents "$DST" >"$WORK/target"
grep -c '^foreign-' "$WORK/target" | grep -qx 100 || fail "the 100 foreign records are not all there, once"
grep -v '^foreign-' "$WORK/target" >"$WORK/target.ours"
if ! diff -q "$WORK/source" "$WORK/target.ours" >/dev/null; then
    diff "$WORK/source" "$WORK/target.ours" | head -5
    fail "after the resume the target does not hold every backed-up record once ($(wc -l <"$WORK/target.ours") of $TOTAL)"
fi
echo "PASS resume after foreign writes: all $TOTAL records once, the 100 foreign records untouched"

# --- 2. repartitioned: refused, nothing produced.
DST="$SRC-repart"
CREATED_TOPICS+=("$DST")
ARGS=(--path "$WORK/b" --backup-id b1 --topic-map "$SRC:$DST" --repartition "$DST:3" --create-topics "${SLOW[@]}")
kill_midway "$DST" "${ARGS[@]}"
foreign_writes "$DST" 0
before=$(count "$DST")
if "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "${ARGS[@]}" \
    >"$WORK/re.out" 2>"$WORK/re.err"; then
    fail "re-running an interrupted repartitioned restore exited 0 ($(count "$DST") records for $TOTAL)"
fi
# (Besides the warning that it took over the killed run's lease.)
grep -v "taking over the lease" "$WORK/re.err" >"$WORK/re.line" || true
[ "$(grep -c . "$WORK/re.line")" -eq 1 ] || { cat "$WORK/re.err"; fail "refusal is not one line"; }
grep -q "partition $DST-[0-2] holds offsets .* --restart" "$WORK/re.line" ||
    fail "refusal does not name the partition and the choices: $(cat "$WORK/re.err")"
[ "$(count "$DST")" -eq "$before" ] || fail "the refused re-run produced records"
echo "PASS repartitioned re-run refused: $(cat "$WORK/re.line")"
