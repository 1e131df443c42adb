#!/usr/bin/env bash
# The backend-generic cases, the same for every storage backend:
#   suite.sh fs|s3|azure|gcs
# 1. two backups racing for one lock: exactly one runs, the other is refused ("locked");
#    and the time from process start to the first fetch (no settle pause after an
#    atomic create);
# 2. backup, SIGKILLed after its first segments, resumed: every offset exactly once;
# 3. list and describe;
# 4. validate --deep;
# 5. an unfinished upload a killed writer left is aborted by the next (resuming) run;
# 6. restore byte-exact (keys, values, headers, timestamps, read back with kcat);
# 7. prune --keep-segments 1, and validate --deep of what is left.
BACKEND=${1:-}
source "$(dirname "$0")/lib.sh"
T="$RUN_ID"
create_topic "$T" 3 --config max.message.bytes=2000000
for codec in none lz4 zstd; do
    for i in $(seq 1 40); do echo "k$i-$codec:v$i-$codec"; done |
        kcat -P -b "$BS" -t "$T" -K: -X compression.codec=$codec -H dup=1 -H dup=2 -H "codec=$codec"
done
printf 'knull:\n' | kcat -P -b "$BS" -t "$T" -K: -Z -p 1  # a tombstone
"$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "$T" --num-records 48 --record-size 524288 \
    --throughput -1 --producer-props bootstrap.servers="$BS" acks=1 max.request.size=2000000 \
    batch.size=600000 >/dev/null
records "$T" >"$WORK/before"
TOTAL=$(wc -l <"$WORK/before")
[ "$TOTAL" -eq 169 ] || fail "expected 169 source records, got $TOTAL"

# --- 1. the lock: two continuous backups of one id started together ----------------
RACE=$(loc race)
for n in 1 2; do
    "$KB" backup --bootstrap-servers "$BS" --path "$RACE" --backup-id race --topics "$T" \
        --continuous --compression none --no-progress --log-level warn >"$WORK/race$n.out" 2>&1 &
    eval "pid$n=$!"
done
trap 'kill -TERM $pid1 $pid2 2>/dev/null || true; wait 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 300); do
    if ! kill -0 "$pid1" 2>/dev/null || ! kill -0 "$pid2" 2>/dev/null; then break; fi
    sleep 0.1
done
alive=0 refused=0
for n in 1 2; do
    pid=$(eval echo "\$pid$n")
    if kill -0 "$pid" 2>/dev/null; then
        alive=$((alive + 1))
    else
        rc=0
        wait "$pid" || rc=$?
        [ $rc -ne 0 ] && grep -q "backup is locked by" "$WORK/race$n.out" && refused=$((refused + 1)) ||
            fail "lock race: run $n ended (exit $rc) without the locked error: $(cat "$WORK/race$n.out")"
    fi
done
kill -TERM "$pid1" "$pid2" 2>/dev/null || true
wait 2>/dev/null || true
trap cleanup EXIT
[ $alive -eq 1 ] && [ $refused -eq 1 ] || fail "lock race: $alive running, $refused refused (want 1 and 1)"
echo "lock race: one ran, one refused: $(grep -h "locked by" "$WORK"/race*.out | head -1)"

# Process start to the first Fetch, from the debug log's timestamps.
start_ms=$(date +%s%3N)
"$KB" backup --bootstrap-servers "$BS" --path "$(loc first)" --backup-id first --topics "$T" \
    --compression none --no-progress --log-level debug >"$WORK/first.out" 2>&1 ||
    { cat "$WORK/first.out"; fail "backup for the first-fetch time"; }
first=$(grep -m1 ": fetching (" "$WORK/first.out" | cut -d' ' -f1)
[ -n "$first" ] || fail "no 'fetching' line in the debug log"
first_ms=$(date -d "$first" +%s%3N)
echo "process start to first fetch: $((first_ms - start_ms)) ms"

# --- 2. backup, SIGKILL after the first segments, resume ----------------------------
MAIN=$(loc main)
args=(backup --bootstrap-servers "$BS" --path "$MAIN" --backup-id b1 --topics "$T" --compression none
      --segment-max-bytes 1MiB --max-concurrent-partitions 1 --no-progress)
published() {
    "$KB" describe --path "$MAIN" --backup-id b1 --format json 2>/dev/null | jq '.totals.records' 2>/dev/null || echo 0
}
"$KB" "${args[@]}" --log-level warn >"$WORK/killed.out" 2>&1 &
pid=$!
for _ in $(seq 1 400); do
    n=$(published)
    [ "${n:-0}" -gt 0 ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
at_kill=$(published)
echo "SIGKILL with $at_kill of $TOTAL records published"
[ "$at_kill" -lt "$TOTAL" ] || echo "note: the kill landed after the backup completed"
"$KB" "${args[@]}" --log-level info --output json >"$WORK/resume.json" 2>"$WORK/resume.log" ||
    { cat "$WORK/resume.log"; fail "the resumed backup failed"; }
[ "$(jq -r .status "$WORK/resume.json")" = complete ] || fail "resumed run not complete: $(cat "$WORK/resume.json")"
"$KB_BIN/backup_dump" "$MAIN" b1 | awk '$1 == "R" {print $3, $4}' | sort -k1,1n -k2,2n >"$WORK/offsets"
[ -z "$(uniq -d "$WORK/offsets")" ] || fail "duplicated offsets after resume: $(uniq -d "$WORK/offsets" | head -3)"
cut -d'|' -f1,2 "$WORK/before" | tr '|' ' ' | sort -k1,1n -k2,2n >"$WORK/want"
diff "$WORK/want" "$WORK/offsets" >/dev/null || fail "offsets in the backup differ from the topic's (gap?)"
echo "resume after SIGKILL: $TOTAL offsets, each exactly once"

# --- 3. list, describe ----------------------------------------------------------------
"$KB" list --path "$MAIN" --format json >"$WORK/list.json"
jq -e --argjson n "$TOTAL" '.backups[] | select(.backup_id == "b1") | .records == $n' "$WORK/list.json" >/dev/null ||
    fail "list: $(cat "$WORK/list.json")"
"$KB" describe --path "$MAIN" --backup-id b1 --format json >"$WORK/describe.json"
jq -e --argjson n "$TOTAL" '.totals.records == $n' "$WORK/describe.json" >/dev/null ||
    fail "describe: $(cat "$WORK/describe.json")"
segments=$(jq '.totals.segments' "$WORK/describe.json")

# --- 4. validate --deep ------------------------------------------------------------
"$KB" validate --path "$MAIN" --backup-id b1 --deep >"$WORK/validate.out" 2>&1 ||
    { cat "$WORK/validate.out"; fail "validate --deep"; }

# --- 5. orphan upload cleanup ------------------------------------------------------
ORPHAN="b1/segments/$T/0/99999999999999999999-99999999999999999999.seg"
if make_orphan main "$ORPHAN"; then
    [ "$(orphans_left main)" -eq 1 ] || fail "the orphan upload is not seen"
    "$KB" "${args[@]}" --log-level info >"$WORK/orphan.out" 2>&1 || { cat "$WORK/orphan.out"; fail "re-run"; }
    grep -q "aborted 1 unfinished" "$WORK/orphan.out" || fail "the re-run did not abort the orphan: $(cat "$WORK/orphan.out")"
    [ "$(orphans_left main)" -eq 0 ] || fail "unfinished uploads left: $(orphans_left main)"
    echo "orphan upload: aborted by the next run"
else
    echo "orphan upload: not applicable to $BACKEND (unfinished uploads are never listed)"
fi
# --- 6. restore byte-exact ---------------------------------------------------------
delete_topic "$T"
"$KB" restore --bootstrap-servers "$BS" --path "$MAIN" --backup-id b1 --create-topics \
    --no-progress --log-level warn >"$WORK/restore.out" 2>&1 || { cat "$WORK/restore.out"; fail "restore"; }
records "$T" >"$WORK/after"
diff "$WORK/before" "$WORK/after" >"$WORK/diff" || { head -20 "$WORK/diff"; fail "restored records differ"; }
grep -q 'dup=1,dup=2' "$WORK/after" || fail "duplicate headers missing after restore"
echo "restore: $TOTAL records byte-identical"

# --- 7. prune ----------------------------------------------------------------------
"$KB" prune --path "$MAIN" --backup-id b1 --keep-segments 1 --execute --format json >"$WORK/prune.json" 2>"$WORK/prune.err" ||
    { cat "$WORK/prune.err"; fail "prune"; }
after_prune=$("$KB" describe --path "$MAIN" --backup-id b1 --format json | jq '.totals.records')
[ "$after_prune" -gt 0 ] && [ "$after_prune" -lt "$TOTAL" ] || fail "prune kept $after_prune of $TOTAL records"
"$KB" validate --path "$MAIN" --backup-id b1 --deep >"$WORK/validate2.out" 2>&1 ||
    { cat "$WORK/validate2.out"; fail "validate --deep after prune"; }
echo "prune --keep-segments 1: $after_prune of $TOTAL records left, still valid"

echo "PASS backends_$BACKEND: $TOTAL records, $segments segments"
