#!/usr/bin/env bash
# A user migrating from OSO kafka-backup: configs written with OSO's key names
# (access_key_id, segment_max_age_secs, target.topics.mapping, batch_size,
# enterprise:, logging:) and OSO's command forms (-c -p -b -g -f -s -d, -v before
# the command, offset-rollback snapshot|list|show|verify|rollback|delete,
# offset-reset plan -p -b, validate-restore -f yaml, three-phase-restore run twice)
# work against the real broker and MinIO.
set -euo pipefail
source "$(dirname "$0")/../inspect/lib.sh"

T=oso-cli-orders-$RUN_ID
R=$T-restored
G=oso-cli-group-$RUN_ID
CLEANUP_TOPICS+=("$T" "$R")
CLEANUP_GROUPS+=("$G")
PREFIX="inspect-tests/$RUN_ID"
# The storage section with OSO's key names (access_key_id, secret_access_key).
storage_section() {
    cat <<YAML
storage:
  backend: s3
  bucket: $KB_TEST_BUCKET
  prefix: $PREFIX
  endpoint: $S3_ENDPOINT
  region: ${AWS_REGION:-us-east-1}
  access_key_id: \${AWS_ACCESS_KEY_ID}
  secret_access_key: \${AWS_SECRET_ACCESS_KEY}
  path_style: true
YAML
}
fresh_topic "$T" 3
produce "$T" order 60
consume "$T" "$G" 25 >/dev/null

cat >"$WORK/backup.yaml" <<YAML
mode: backup
backup_id: oso-cli
source:
  bootstrap_servers: ["$BS"]
  consumer_group_id: kafka-backup-oso
  topics:
    include: ["$T"]
$(storage_section)
  allow_http: true
backup:
  compression: zstd
  segment_max_age_secs: 30
  stop_at_current_offsets: true
enterprise:
  oauth:
    enabled: false
logging:
  level: info
YAML

# -v before the command; the notes name the keys whose effect differs.
"$KB" -v backup -c "$WORK/backup.yaml" >"$WORK/backup.out" 2>"$WORK/backup.err" ||
    fail "backup with OSO's keys failed: $(tail -3 "$WORK/backup.err")"
grep -q "note: enterprise" "$WORK/backup.err" || fail "no note for enterprise:"
grep -q "note: source.consumer_group_id" "$WORK/backup.err" || fail "no note for consumer_group_id"
grep -q "DEBUG\|debug" "$WORK/backup.err" || fail "-v before the command did not turn on debug logs"

URL="s3://$KB_TEST_BUCKET/$PREFIX?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true&region=${AWS_REGION:-us-east-1}"
"$KB" list -p "$URL" | grep -q oso-cli || fail "list -p does not show the backup"
range=$("$KB" describe -p "$URL" -b oso-cli -f json | jq -c '.time_range')
[[ $range =~ ^\[[0-9]+,[0-9]+\]$ ]] || fail "describe -f json time_range is '$range'"
"$KB" show-offset-mapping -p "$URL" -b oso-cli -f yaml | grep -q "$T" ||
    fail "show-offset-mapping -f yaml does not name the topic"

# offset-rollback, OSO's command tree.
snap_out=$("$KB" offset-rollback snapshot -p "$URL" -g "$G" --bootstrap-servers "$BS" -d "before test" -f json)
SNAP=$(jq -r '.snapshot_id // .id' <<<"$snap_out")
[[ -n $SNAP && $SNAP != null ]] || fail "offset-rollback snapshot printed no id: $snap_out"
"$KB" offset-rollback list -p "$URL" -f json | jq -e --arg s "$SNAP" 'map(.snapshot_id) | index($s) != null' >/dev/null ||
    fail "offset-rollback list does not list $SNAP"
"$KB" offset-rollback show -p "$URL" -s "$SNAP" | grep -q "$G" || fail "offset-rollback show does not name $G"
before=$(committed "$G" "$T")
set_offsets "$G" "$T" 0:0 1:0 2:0
rc=0
"$KB" offset-rollback verify -p "$URL" -s "$SNAP" --bootstrap-servers "$BS" >"$WORK/verify1" || rc=$?
[[ $rc == 3 ]] || fail "offset-rollback verify after moving the group exited $rc, expected 3"
[[ $(committed "$G" "$T") != "$before" ]] || fail "verify changed the offsets"
"$KB" offset-rollback rollback -p "$URL" -s "$SNAP" --bootstrap-servers "$BS" --verify true >"$WORK/rb" ||
    fail "offset-rollback rollback failed: $(cat "$WORK/rb")"
[[ $(committed "$G" "$T") == "$before" ]] || fail "rollback did not put back: $(committed "$G" "$T") vs $before"
"$KB" offset-rollback verify -p "$URL" -s "$SNAP" --bootstrap-servers "$BS" >/dev/null ||
    fail "offset-rollback verify after rollback failed"
"$KB" offset-rollback delete -p "$URL" -s "$SNAP" >/dev/null || fail "offset-rollback delete failed"

# Restore with OSO's names: target.topics.mapping, batch_size, to_timestamp.
cat >"$WORK/restore.yaml" <<YAML
mode: restore
backup_id: oso-cli
target:
  bootstrap_servers: ["$BS"]
  topics:
    include: ["$T"]
    mapping:
      $T: $R
$(storage_section)
restore:
  create_topics: true
  batch_size: 500
  to_timestamp: 4102444800000
  consumer_groups: ["$G"]
YAML
"$KB" validate-restore -c "$WORK/restore.yaml" -f yaml >"$WORK/plan.yaml" || fail "validate-restore -f yaml failed"
grep -Eq "^backup_id: \"?oso-cli" "$WORK/plan.yaml" || fail "validate-restore -f yaml is not YAML: $(head -3 "$WORK/plan.yaml")"
"$KB" three-phase-restore -c "$WORK/restore.yaml" >"$WORK/r1" 2>&1 || fail "three-phase-restore failed: $(tail -3 "$WORK/r1")"
n=$(kcat -C -b "$BS" -t "$R" -e -q -f '%s\n' | wc -l)
[[ $n == 60 ]] || fail "restored $n records into $R, expected 60"
grep -q "(committed)" "$WORK/r1" || fail "three-phase-restore committed no group offsets: $(cat "$WORK/r1")"
delete_group "$G" && sleep 1
"$KB" three-phase-restore -c "$WORK/restore.yaml" >"$WORK/r2" 2>&1 || fail "second three-phase-restore failed: $(tail -3 "$WORK/r2")"
grep -q "already completed" "$WORK/r2" || fail "second run produced again: $(cat "$WORK/r2")"
grep -q "(committed)" "$WORK/r2" || fail "second three-phase-restore committed no group offsets: $(cat "$WORK/r2")"
[[ -n $(committed "$G" "$R") ]] || fail "no offsets of $G on $R after the second run"

# offset-reset, OSO's form: the offsets come from the restore's mapping.
"$KB" offset-reset plan -p "$URL" -b oso-cli -g "$G" --bootstrap-servers "$BS" -f json >"$WORK/plan.json" ||
    fail "offset-reset plan -p -b failed"
jq -e . "$WORK/plan.json" >/dev/null || fail "offset-reset plan -f json is not JSON"
"$KB" offset-reset plan -p "$URL" -b oso-cli -g "$G" --bootstrap-servers "$BS" -f shell-script |
    grep -q "kafka-consumer-groups" || fail "offset-reset plan -f shell-script wrote no script"

# A key we do not serve yet is refused with one line, exit 2.
sed 's/  create_topics: true/  create_topics: true\n  rewrite_schema_ids: true/' "$WORK/restore.yaml" >"$WORK/bad.yaml"
rc=0
"$KB" restore -c "$WORK/bad.yaml" >"$WORK/bad.out" 2>&1 || rc=$?
[[ $rc == 2 ]] || fail "rewrite_schema_ids: true exited $rc, expected 2"
grep -q "not supported yet" "$WORK/bad.out" || fail "no 'not supported yet' line: $(cat "$WORK/bad.out")"
echo "oso cli forms: ok"
