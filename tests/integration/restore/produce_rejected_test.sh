#!/usr/bin/env bash
# A target that rejects a produce mid-restore (issue 13 point 1): the restore must
# print the broker's reason, not "multiple exceptions" (Boost's awaitable && wrapped
# the reader's channel error when the producing side failed and cancelled it).
# The target topic takes no record older than 1 s (message.timestamp.before.max.ms),
# the backup's records are older, so the broker answers INVALID_TIMESTAMP to the
# first Produce while the reader is still reading ahead (15 MB in 200 records).
. "$(dirname "$0")/lib.sh"

SRC="rs-reject-$RUN_ID"
create_topic "$SRC" 1
python3 -c '
import base64, os
for i in range(200): print("k%d\t%s" % (i, base64.b64encode(os.urandom(75000)).decode()))' |
    kcat -P -b "$BS" -t "$SRC" -K '\t'
backup "$WORK/b" b1 "$SRC"
create_topic "$SRC-strict" 1 --config message.timestamp.before.max.ms=1000
sleep 2
if "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn --path "$WORK/b" \
    --backup-id b1 --topic-map "$SRC:$SRC-strict" >"$WORK/out" 2>"$WORK/err"; then
    fail "the restore succeeded although the target rejects every record"
fi
[ "$(grep -c . "$WORK/err")" -eq 1 ] || { cat "$WORK/err"; fail "expected one error line"; }
grep -q "multiple exceptions" "$WORK/err" && fail "the cause is hidden: $(cat "$WORK/err")"
grep -q "producing to $SRC-strict-0: Kafka error INVALID_TIMESTAMP" "$WORK/err" ||
    fail "the broker's reason is not printed: $(cat "$WORK/err")"
echo "PASS rejected produce reported: $(cat "$WORK/err")"
