#!/usr/bin/env bash
# Interop with a client we did not write: google-cloud-storage (pinned, cached
# venv) on the emulator lists and downloads what our backup wrote, uploads a copy
# of it with its own (resumable) upload code, and we validate --deep and restore
# that copy byte for byte.
. "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../lib/py_clients.sh"
GCS_PYTHON=$(py_client gcs)

T="gcs-io-$RUN_ID"
create_topic "$T" 2 --config max.message.bytes=3000000
for i in $(seq 1 100); do printf 'k%d:v%d\n' "$i" "$i"; done | kcat -P -b "$BS" -t "$T" -K: -H a=b
head -c 1900000 /dev/urandom | base64 -w0 >"$WORK/big"  # no 0x1e: records() splits on it
kcat -P -b "$BS" -t "$T" -p 1 -k big -X message.max.bytes=3000000 "$WORK/big"
records "$T" >"$WORK/before"
[ "$(wc -l <"$WORK/before")" -eq 101 ] || fail "expected 101 source records, got $(wc -l <"$WORK/before")"

"$KB" backup --bootstrap-servers "$BS" --path "gs://$BUCKET/$RUN_ID/ours" --backup-id io --topics "$T" \
    --no-progress --log-level warn >"$WORK/backup.out" 2>&1 || { cat "$WORK/backup.out"; fail "backup failed"; }

"$GCS_PYTHON" "$(dirname "$0")/interop.py" "$BUCKET" "$RUN_ID/ours" "$RUN_ID/theirs" io \
    >"$WORK/interop.json" 2>"$WORK/interop.err" || fail "google-cloud-storage: $(tail -5 "$WORK/interop.err")"
jq -e '.objects >= 3 and .manifests >= 1 and .largest > 1048576' "$WORK/interop.json" >/dev/null ||
    fail "interop summary: $(cat "$WORK/interop.json")"

"$KB" validate --path "gs://$BUCKET/$RUN_ID/theirs" --backup-id io --deep >"$WORK/validate.out" 2>&1 ||
    fail "validate --deep of the copy google-cloud-storage wrote: $(cat "$WORK/validate.out")"
delete_topic "$T"
"$KB" restore --bootstrap-servers "$BS" --path "gs://$BUCKET/$RUN_ID/theirs" --backup-id io --create-topics \
    --no-progress --log-level warn >"$WORK/restore.out" 2>&1 || { cat "$WORK/restore.out"; fail "restore failed"; }
records "$T" >"$WORK/after"
diff "$WORK/before" "$WORK/after" >"$WORK/diff" || fail "restored records differ: $(head -5 "$WORK/diff")"
echo "PASS gcs interop: $(cat "$WORK/interop.json")"
