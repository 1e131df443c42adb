#!/usr/bin/env bash
# The GCS backend against fake-gcs-server: a backup whose large segment goes up
# as a resumable upload in chunks (part_size 5,500,000: not a 256 KiB multiple,
# so remainders carry between chunks), list/describe/validate --deep through
# gs://, and a restore that is byte-for-byte the source. The lock race, resume
# after SIGKILL and prune are in the backend suite (backends_gcs).
. "$(dirname "$0")/lib.sh"
T="gcs-br-$RUN_ID"
create_topic "$T" 2 --config max.message.bytes=2000000
for i in $(seq 1 200); do printf 'k%d:value-%d\n' "$i" "$i"; done | kcat -P -b "$BS" -t "$T" -K: -H h=1 -H h=2
# ~13 MB of incompressible values in partition 0: one segment of three parts.
for i in $(seq 1 13); do
    head -c 750000 /dev/urandom | base64 -w0 >"$WORK/big$i"  # no 0x1e: records() splits on it
    kcat -P -b "$BS" -t "$T" -p 0 -k "big$i" -X message.max.bytes=2000000 "$WORK/big$i"
done
printf 'tomb:' | kcat -P -b "$BS" -t "$T" -p 1 -K: -Z
records "$T" >"$WORK/before"
[ "$(wc -l <"$WORK/before")" -eq 214 ] || fail "expected 214 source records, got $(wc -l <"$WORK/before")"

cat >"$WORK/backup.yaml" <<YAML
mode: backup
backup_id: br
source:
  bootstrap_servers: [$BS]
  topics:
    include: [$T]
storage:
  backend: gcs
  bucket: $BUCKET
  prefix: $RUN_ID
  part_size: 5500000
backup:
  compression: none
YAML
"$KB" backup --config "$WORK/backup.yaml" --no-progress --log-level info \
    >"$WORK/backup.out" 2>&1 || { cat "$WORK/backup.out"; fail "backup to GCS failed"; }

# What landed, seen through the emulator's own API.
gcs_names "$RUN_ID/br/" >"$WORK/objects"
grep -q 'manifest' "$WORK/objects" || fail "no manifest object: $(cat "$WORK/objects")"
largest=0
while read -r n; do s=$(gcs_size "$n"); ((s > largest)) && largest=$s; done <"$WORK/objects"
((largest > 6000000)) || fail "no segment above 6 MB (more than one 5.5 MB part) (largest $largest): the resumable path was not taken"
echo "largest object: $largest bytes"

URL="gs://$BUCKET/$RUN_ID"
"$KB" list --path "$URL" >"$WORK/list.out" 2>&1 || fail "list: $(cat "$WORK/list.out")"
grep -q 'br' "$WORK/list.out" || fail "list does not show backup br: $(cat "$WORK/list.out")"
"$KB" describe --path "$URL" --backup-id br --format json >"$WORK/describe.json" 2>"$WORK/describe.err" ||
    fail "describe: $(cat "$WORK/describe.err")"
jq -e '.totals.records == 214' "$WORK/describe.json" >/dev/null || fail "describe: $(cat "$WORK/describe.json")"
"$KB" validate --path "$URL" --backup-id br --deep >"$WORK/validate.out" 2>&1 ||
    fail "validate --deep: $(cat "$WORK/validate.out")"

delete_topic "$T"
"$KB" restore --bootstrap-servers "$BS" --path "$URL" --backup-id br --create-topics \
    --no-progress --log-level warn >"$WORK/restore.out" 2>&1 || { cat "$WORK/restore.out"; fail "restore from GCS failed"; }
records "$T" >"$WORK/after"
diff "$WORK/before" "$WORK/after" >"$WORK/diff" || fail "restored records differ: $(head -5 "$WORK/diff")"
echo "PASS gcs backup/restore (214 records, largest segment $largest bytes)"
