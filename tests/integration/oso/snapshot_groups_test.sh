#!/usr/bin/env bash
# snapshot-groups -c FILE (OSO's command): a backup taken without group offsets gets
# them afterwards, in the manifest where the backup job puts them, for the groups
# matching backup.consumer_groups only; a restore with reset_consumer_offsets then
# commits the translated offsets on the restored topic.
source "$(dirname "$0")/lib.sh"

T="osocmds-snap-$RUN_ID"
R="$T-restored"
G1="osocmds-app-$RUN_ID"    # matches backup.consumer_groups
G2="osocmds-other-$RUN_ID"  # does not
ID="snap-$RUN_ID"
fresh_topic "$T" 2
fresh_topic "$R" 2
produce_to "$T" 0 a 10
produce_to "$T" 1 b 10
set_offsets "$G1" "$T" 0:4 1:7
set_offsets "$G2" "$T" 0:1

backup_yaml "$ID" "$T" '  consumer_group_snapshot: false
  consumer_groups: ["osocmds-app-*"]' >"$WORK/backup.yaml"
run_backup "$WORK/backup.yaml"
"$KB" describe --path "$S3_URL" --backup-id "$ID" --format json >"$WORK/before.json"
eq "$(jq '.consumer_groups | length' "$WORK/before.json")" 0 "groups in the backup before snapshot-groups"

expect_exit 0 "$KB" snapshot-groups -c "$WORK/backup.yaml"
grep -q "^  Groups: 1$" "$WORK/last.out" || fail "text output: $(cat "$WORK/last.out")"
grep -q "^  - $G1 (2 partition(s))$" "$WORK/last.out" || fail "text output lacks $G1: $(cat "$WORK/last.out")"
expect_exit 0 "$KB" snapshot-groups --config "$WORK/backup.yaml" --format json
eq "$(jq -c --arg g "$G1" '.groups[] | select(.group_id == $g) | .offsets' "$WORK/last.out")" \
    "{\"$T\":{\"0\":4,\"1\":7}}" "json offsets of $G1"
eq "$(jq '.groups | length' "$WORK/last.out")" 1 "groups captured (the glob leaves $G2 out)"
"$KB" describe --path "$S3_URL" --backup-id "$ID" --format json >"$WORK/after.json"
eq "$(jq -r '[.consumer_groups[] | (.group_id // .group)] | join(",")' "$WORK/after.json")" "$G1" \
    "groups in the backup's manifest"
echo "PASS snapshot-groups writes the selected groups into the manifest"

# The restore translates the snapshot's offsets onto the renamed topic.
"$KB" restore --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID" --topic-map "$T:$R" \
    --reset-consumer-offsets --no-progress --log-level warn >"$WORK/restore.out" 2>&1 ||
    fail "restore: $(cat "$WORK/restore.out")"
CLEANUP_GROUPS+=("$G1")
eq "$(committed "$G1" "$R")" "$(printf '0 4\n1 7')" "offsets of $G1 committed by the restore"
echo "PASS restore with reset_consumer_offsets uses the snapshot"

# A restore config is refused with a usage error, nothing written.
sed 's/^mode: backup/mode: restore/' "$WORK/backup.yaml" >"$WORK/restore.yaml"
expect_exit 2 "$KB" snapshot-groups -c "$WORK/restore.yaml"
grep -q "mode" "$WORK/last.err" || fail "mode error does not name mode: $(cat "$WORK/last.err")"
expect_exit 2 "$KB" snapshot-groups
echo "PASS snapshot-groups refuses a restore config and a missing --config"
