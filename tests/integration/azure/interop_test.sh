#!/usr/bin/env bash
# Interop with Microsoft's azure-storage-blob SDK: it lists and downloads the
# blobs of our backup (sizes and stored Content-MD5s match), copies the whole
# backup under another prefix with its own uploads (blocks above 4 MiB), and we
# validate --deep and restore that copy byte-identically.
. "$(dirname "$0")/lib.sh"
T="az-io-$RUN_ID"
create_topic "$T" 2 --config max.message.bytes=2000000
for i in $(seq 1 200); do echo "k$i:$(head -c 300 /dev/urandom | base64 -w0)"; done |
    kcat -P -b "$BS" -t "$T" -K: -X compression.codec=lz4 -H h=1
"$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "$T" --num-records 6 --record-size 1048576 \
    --throughput -1 --producer-props bootstrap.servers="$BS" acks=1 max.request.size=2000000 >/dev/null
records "$T" >"$WORK/before"
[ "$(wc -l <"$WORK/before")" -eq 206 ] || fail "expected 206 source records, got $(wc -l <"$WORK/before")"
backup "$(az_url ours)" b1 "$T"

sdk ls "ours/b1/" >"$WORK/ours.ls"
grep -q "manifest" "$WORK/ours.ls" || fail "the SDK does not list our manifest: $(cat "$WORK/ours.ls")"
MD5S=$(sdk check-md5 "ours/")
[ "$MD5S" -ge 3 ] || fail "only $MD5S of our blobs have a Content-MD5 the SDK verified"
COPIED=$(sdk copy ours theirs)
[ "$COPIED" -ge 3 ] || fail "the SDK copied only $COPIED blobs"
sdk ls theirs/b1/ | sed "s#^theirs/#ours/#" | diff "$WORK/ours.ls" - ||
    fail "the SDK's copy lists differently"

"$KB" validate --path "$(az_url theirs)" --backup-id b1 --deep >"$WORK/validate.out" 2>&1 ||
    { cat "$WORK/validate.out"; fail "validate --deep of the SDK's copy"; }
delete_topic "$T"
restore --path "$(az_url theirs)" --backup-id b1 --create-topics --output json
records "$T" >"$WORK/after"
diff "$WORK/before" "$WORK/after" >/dev/null || fail "records restored from the SDK's copy differ"
echo "PASS azure interop: SDK verified $MD5S blobs, copied $COPIED, we restored $(wc -l <"$WORK/before") records from its copy"
