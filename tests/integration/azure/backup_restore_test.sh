#!/usr/bin/env bash
# Backup to Azurite -> delete the topics -> restore: every record byte-identical
# (keys, values, headers, tombstones, timestamps), read back with kcat. A 24 MiB
# segment goes up as Put Block + Put Block List (the SDK counts its committed
# blocks); list/describe/validate --deep read the backup; an orphan upload is
# aborted by the next run; a YAML config with OSO's Azure keys and a URL with only
# the connection string reach the same backup. The lock race, resume after SIGKILL
# and prune are in the backend suite (backends_azure).
. "$(dirname "$0")/lib.sh"
T="az-rt-$RUN_ID"
BIG="az-big-$RUN_ID"
create_topic "$T" 3
create_topic "$BIG" 1 --config max.message.bytes=2000000
for codec in none gzip snappy lz4 zstd; do
    for i in $(seq 1 20); do echo "k$i-$codec:v$i-$codec"; done |
        kcat -P -b "$BS" -t "$T" -K: -X compression.codec=$codec -H dup=1 -H dup=2 -H "codec=$codec"
done
printf 'knull:\n' | kcat -P -b "$BS" -t "$T" -K: -Z -p 1   # tombstone
printf 'nokey-value\n' | kcat -P -b "$BS" -t "$T" -p 2      # null key
"$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "$BIG" --num-records 24 --record-size 1048576 \
    --throughput -1 --producer-props bootstrap.servers="$BS" acks=1 max.request.size=2000000 \
    batch.size=1100000 >/dev/null
records "$T" >"$WORK/before"
records "$BIG" >"$WORK/before-big"
[ "$(wc -l <"$WORK/before")" -eq 102 ] || fail "expected 102 source records, got $(wc -l <"$WORK/before")"
[ "$(wc -l <"$WORK/before-big")" -eq 24 ] || fail "expected 24 big records"

URL=$(az_url rt)
t0=$SECONDS
backup "$URL" b1 "$T" "$BIG"
echo "backup of 126 records (24 MiB) to Azurite: $((SECONDS - t0)) s"

# The big partition's segment is one blob of > 16 MiB (the part size): several blocks.
SEG=$(sdk ls "rt/b1/" | awk -F'\t' '$2 > 20000000 {print $1}' | head -1)
[ -n "$SEG" ] || { sdk ls "rt/b1/"; fail "no segment blob above 20 MB"; }
BLOCKS=$(sdk blocks "$SEG")
[ "$BLOCKS" -ge 2 ] || fail "the 24 MiB segment $SEG has $BLOCKS committed blocks, expected >= 2"
echo "segment $SEG: $BLOCKS committed blocks"
MD5S=$(sdk check-md5 "rt/b1/")
[ "$MD5S" -ge 3 ] || fail "only $MD5S blobs carry a Content-MD5 the SDK could check"

# An upload a killed writer left (a block staged, never committed) is aborted when
# the next run of the backup starts; a committed blob is never touched by that.
ORPHAN="rt/b1/segments/$T/0/99999999999999999999-99999999999999999999.seg"
sdk stage "$ORPHAN"
[ "$(sdk uncommitted rt/b1/)" = "$ORPHAN" ] || fail "the SDK does not see the staged orphan upload"
"$KB" backup --bootstrap-servers "$BS" --path "$URL" --backup-id b1 --topics "$T,$BIG" \
    --no-progress --log-level info >"$WORK/rerun.out" 2>&1 || { cat "$WORK/rerun.out"; fail "re-run of b1"; }
grep -q "aborted 1 unfinished" "$WORK/rerun.out" || fail "the re-run did not abort the orphan: $(cat "$WORK/rerun.out")"
[ -z "$(sdk uncommitted rt/b1/)" ] || fail "uncommitted blobs left: $(sdk uncommitted rt/b1/)"

"$KB" list --path "$URL" --format json >"$WORK/list.json"
jq -e '.backups[] | select(.backup_id == "b1") | .records == 126' "$WORK/list.json" >/dev/null ||
    fail "list: $(cat "$WORK/list.json")"
"$KB" describe --path "$URL" --backup-id b1 --format json >"$WORK/describe.json"
jq -e '.totals.records == 126' "$WORK/describe.json" >/dev/null || fail "describe: $(cat "$WORK/describe.json")"
"$KB" validate --path "$URL" --backup-id b1 --deep >"$WORK/validate.out" 2>&1 ||
    { cat "$WORK/validate.out"; fail "validate --deep"; }
# The same backup through the connection string alone (no endpoint in the URL).
"$KB" describe --path "$(az_env_url rt)" --backup-id b1 --format json | jq -e '.totals.records == 126' >/dev/null ||
    fail "describe through AZURE_STORAGE_CONNECTION_STRING"

# A SAS token made by the SDK instead of the key (no key anywhere in the environment).
SAS=$(sdk sas)
env -u AZURE_STORAGE_KEY -u AZURE_STORAGE_CONNECTION_STRING AZURE_STORAGE_SAS_TOKEN="$SAS" \
    "$KB" describe --path "$URL" --backup-id b1 --format json | jq -e '.totals.records == 126' >/dev/null ||
    fail "describe with a SAS token"
# A wrong key and a missing container: one line each saying what to fix, non-zero exit.
set +e
env -u AZURE_STORAGE_CONNECTION_STRING AZURE_STORAGE_KEY=d3Jvbmcta2V5 "$KB" list --path "$URL" >"$WORK/badkey.out" 2>&1
rc_key=$?
"$KB" list --path "az://no-such-$RUN_ID/x?account=$AZURE_STORAGE_ACCOUNT&endpoint=$KB_AZURE_ENDPOINT" >"$WORK/nocont.out" 2>&1
rc_cont=$?
set -e
[ $rc_key -ne 0 ] && grep -q "rejected the credentials" "$WORK/badkey.out" || fail "wrong key (rc $rc_key): $(cat "$WORK/badkey.out")"
! grep -q d3Jvbmcta2V5 "$WORK/badkey.out" || fail "the key appears in the error"
[ $rc_cont -ne 0 ] && grep -q "container 'no-such-$RUN_ID' does not exist" "$WORK/nocont.out" ||
    fail "missing container (rc $rc_cont): $(cat "$WORK/nocont.out")"
echo "wrong key (exit $rc_key): $(head -1 "$WORK/badkey.out")"
echo "missing container (exit $rc_cont): $(head -1 "$WORK/nocont.out")"

# Restore with a YAML config in OSO's schema (backend: azure and its key names).
delete_topic "$T"
delete_topic "$BIG"
cat >"$WORK/restore.yaml" <<YAML
mode: restore
backup_id: b1
target:
  bootstrap_servers: [$BS]
storage:
  backend: azure
  account_name: $AZURE_STORAGE_ACCOUNT
  container_name: $CONTAINER
  account_key: $AZURE_STORAGE_KEY
  endpoint: $KB_AZURE_ENDPOINT
  prefix: rt
restore:
  create_topics: true
YAML
t0=$SECONDS
restore --config "$WORK/restore.yaml" --output json
echo "restore from Azurite: $((SECONDS - t0)) s"
jq -e '.records == 126' "$WORK/restore.out" >/dev/null || fail "restore summary: $(cat "$WORK/restore.out")"
records "$T" >"$WORK/after"
records "$BIG" >"$WORK/after-big"
diff "$WORK/before" "$WORK/after" >"$WORK/diff" || { head -20 "$WORK/diff"; fail "restored records differ"; }
diff "$WORK/before-big" "$WORK/after-big" >/dev/null || fail "restored 1 MiB records differ"
grep -q 'dup=1,dup=2' "$WORK/after" || fail "duplicate headers missing"
echo "PASS azure backup/restore: 126 records byte-identical through Azurite ($BLOCKS blocks for the big segment)"
