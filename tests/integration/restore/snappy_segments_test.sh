#!/usr/bin/env bash
# compression: snappy (segment codec 4) to MinIO -> validate --deep -> delete topic ->
# restore: every record byte-identical, compressible and incompressible values alike.
. "$(dirname "$0")/lib.sh"
T="rs-snappy-$RUN_ID"
create_topic "$T" 2 --config max.message.bytes=2000000
for i in $(seq 1 300); do printf 'k%d:%s\n' "$i" "$(printf 'value-%d-%0300d' "$i" 0)"; done |
    kcat -P -b "$BS" -t "$T" -K: -H h=1 -H h=2
head -c 600000 /dev/urandom | base64 -w0 >"$WORK/noise"  # snappy stores such chunks as they are
kcat -P -b "$BS" -t "$T" -p 1 -k noise -X message.max.bytes=2000000 "$WORK/noise"
records "$T" >"$WORK/before"
[ "$(wc -l <"$WORK/before")" -eq 301 ] || fail "expected 301 source records, got $(wc -l <"$WORK/before")"

URL=$(s3_url snappy)
"$KB" backup --bootstrap-servers "$BS" --path "$URL" --backup-id sn --topics "$T" --compression snappy \
    --no-progress --log-level warn --output json >"$WORK/backup.json" 2>"$WORK/backup.err" ||
    fail "backup: $(cat "$WORK/backup.err")"
jq -e '.records == 301 and .stored_bytes < .raw_bytes' "$WORK/backup.json" >/dev/null ||
    fail "summary: $(cat "$WORK/backup.json")"
key=$($AWS s3 ls --recursive "s3://$KB_TEST_BUCKET/$RUN_ID/snappy/sn/segments/" | awk '{print $4}' | head -1)
[ -n "$key" ] || fail "no segment object written"
$AWS s3 cp "s3://$KB_TEST_BUCKET/$key" "$WORK/seg" >/dev/null
[ "$(od -An -tu1 -j10 -N1 "$WORK/seg" | tr -d ' ')" = 4 ] || fail "segment header codec is not 4 (snappy)"
[ "$(od -An -c -j24 -N10 "$WORK/seg" | tr -d ' ')" = '377006\0\0sNaPpY' ] ||
    fail "the first frame does not start with snappy's stream identifier"
"$KB" validate --path "$URL" --backup-id sn --deep >"$WORK/validate.out" || fail "validate --deep: $(cat "$WORK/validate.out")"

delete_topic "$T"
restore --path "$URL" --backup-id sn --create-topics --output json
jq -e '.records == 301' "$WORK/restore.out" >/dev/null || fail "restore summary: $(cat "$WORK/restore.out")"
records "$T" >"$WORK/after"
diff "$WORK/before" "$WORK/after" >"$WORK/diff" || fail "restored records differ: $(head -5 "$WORK/diff")"
echo "PASS snappy segments"
