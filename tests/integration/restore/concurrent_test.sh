#!/usr/bin/env bash
# Two identical restores at once (issue 21 point 3): exactly one produces; the
# other exits non-zero with one line naming the holder of the restore's lease
# (host, pid, start time); the target holds every record of the backup once.
# Then the lease is gone (released at the end), and a SIGKILLed restore's lease is
# taken over by the next run on this host instead of blocking it.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is required"

SRC="rs-conc-$RUN_ID"
DST="rs-conc-$RUN_ID-restored"
create_topic "$SRC" 3
CREATED_TOPICS+=("$DST")
for i in $(seq 1 6000); do echo "k$i:$(head -c 1500 /dev/urandom | base64 -w0)"; done |
    kcat -P -b "$BS" -t "$SRC" -K:
records "$SRC" | cut -d'|' -f1,3- | sort >"$WORK/source"
TOTAL=$(wc -l <"$WORK/source")
[ "$TOTAL" -eq 6000 ] || fail "source holds $TOTAL records"
URL=$(s3_url conc)
backup "$URL" b1 "$SRC"

ARGS=(restore --bootstrap-servers "$BS" --no-progress --log-level warn --path "$URL" --backup-id b1
    --topic-map "$SRC:$DST" --create-topics --output json)
"$KB" "${ARGS[@]}" >"$WORK/a.out" 2>"$WORK/a.err" &
a=$!
"$KB" "${ARGS[@]}" >"$WORK/b.out" 2>"$WORK/b.err" &
b=$!
rc_a=0 rc_b=0
wait $a || rc_a=$?
wait $b || rc_b=$?
echo "exit codes: $rc_a $rc_b"
if [ $rc_a -eq 0 ] && [ $rc_b -ne 0 ]; then won=a lost=b
elif [ $rc_b -eq 0 ] && [ $rc_a -ne 0 ]; then won=b lost=a
else
    cat "$WORK/a.err" "$WORK/b.err"
    fail "expected exactly one restore to succeed, got exit codes $rc_a and $rc_b"
fi
jq -e ".records == $TOTAL and .already_complete == false" "$WORK/$won.out" >/dev/null ||
    fail "the restore that ran did not produce all $TOTAL records: $(cat "$WORK/$won.out")"
[ "$(grep -c . "$WORK/$lost.err")" -eq 1 ] || { cat "$WORK/$lost.err"; fail "refusal is not one line"; }
grep -q "is already running: kafka-backup@$(hostname) pid [0-9]* started it at 20" "$WORK/$lost.err" ||
    fail "refusal does not name the holder: $(cat "$WORK/$lost.err")"
[ ! -s "$WORK/$lost.out" ] || fail "the refused restore printed a summary: $(cat "$WORK/$lost.out")"
echo "refused: $(cat "$WORK/$lost.err")"

records "$DST" | cut -d'|' -f1,3- | sort >"$WORK/target"
diff -q "$WORK/source" "$WORK/target" >/dev/null ||
    fail "target differs from the source: $(wc -l <"$WORK/target") records, $TOTAL expected"

# Released at the end: no lease object is left.
if $AWS s3 ls --recursive "s3://$KB_TEST_BUCKET/$RUN_ID/conc/b1/restores/" | grep -q 'lock.json'; then
    fail "the restore lease was not released"
fi

# A SIGKILLed restore leaves its lease; the next run on this host takes it over.
# (On the filesystem backend, where the lease file can be watched closely.)
"$KB" backup --bootstrap-servers "$BS" --path "$WORK/fsb" --backup-id b1 --topics "$SRC" \
    --no-progress --log-level warn >/dev/null 2>&1 || fail "filesystem backup failed"
FS_ARGS=(restore --bootstrap-servers "$BS" --no-progress --path "$WORK/fsb" --backup-id b1
    --topic-map "$SRC:$DST-2" --create-topics --shards 1 --max-concurrent-partitions 1)
CREATED_TOPICS+=("$DST-2")
"$KB" "${FS_ARGS[@]}" --log-level warn >"$WORK/k.out" 2>&1 &
k=$!
for _ in $(seq 1 1000); do
    ls "$WORK"/fsb/b1/restores/*/lock.json >/dev/null 2>&1 && break
    sleep 0.01
done
kill -9 $k 2>/dev/null || true
wait $k 2>/dev/null || true
ls "$WORK"/fsb/b1/restores/*/lock.json >/dev/null 2>&1 ||
    fail "the killed restore left no lease: nothing was tested"
"$KB" "${FS_ARGS[@]}" --log-level info >"$WORK/t.out" 2>"$WORK/t.err" ||
    { cat "$WORK/t.err"; fail "the run after a killed restore did not take over its lease"; }
grep -q "taking over the lease of 'kafka-backup@$(hostname) pid $k'" "$WORK/t.err" ||
    fail "no takeover logged: $(cat "$WORK/t.err")"
echo "PASS concurrent restores: one produced $TOTAL records once, the other refused; a killed run's lease is taken over"
