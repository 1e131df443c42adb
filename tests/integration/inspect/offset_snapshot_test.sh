#!/usr/bin/env bash
# offset-snapshot create -> consume further -> offset-rollback --verify: the group is
# back exactly at the snapshot (checked with kafka-consumer-groups.sh too); list,
# show, delete; JSON outputs against their schemas. (offset_rollback_test.sh: a
# partition without a commit at snapshot time.)
source "$(dirname "$0")/lib.sh"

T="snap-topic-$RUN_ID"
G="snap-group-$RUN_ID"
CLEANUP_TOPICS+=("$T")
CLEANUP_GROUPS+=("$G")
fresh_topic "$T" 2
produce "$T" rec 60
eq "$(consume "$T" "$G" 20 | wc -l)" 20 "first read"
before="$(committed "$G" "$T")"

"$KB" offset-snapshot create --path "$S3_URL" --bootstrap-servers "$BS" --groups "$G" \
    --description "before replay" --format json > "$WORK/snap.json"
check_schema offset-snapshot "$WORK/snap.json"
SNAP="$(jq -r .snapshot_id "$WORK/snap.json")"
eq "$(jq "[.groups[\"$G\"].offsets[].offset] | add" "$WORK/snap.json")" 20 "snapshot offsets"

eq "$(consume_rest "$T" "$G" | grep -c .)" 40 "consumed further"
eq "$(jq -rn --arg x "$(committed "$G" "$T")" '$x' | awk '{s+=$2} END {print s}')" 60 "moved on"

"$KB" offset-snapshot list --path "$S3_URL" --format json > "$WORK/list.json"
check_schema offset-snapshot-list "$WORK/list.json"
eq "$(jq -r --arg s "$SNAP" '.[] | select(.snapshot_id == $s) | .description' "$WORK/list.json")" "before replay" "list"
"$KB" offset-snapshot show --path "$S3_URL" --snapshot-id "$SNAP" | grep -q "Group $G" || fail "show"

"$KB" offset-rollback --path "$S3_URL" --bootstrap-servers "$BS" --snapshot-id "$SNAP" --verify \
    --format json > "$WORK/rollback.json"
check_schema offset-rollback "$WORK/rollback.json"
eq "$(jq -c '[.ok, .groups[0].status, .groups[0].verified]' "$WORK/rollback.json")" '[true,"restored",true]' "rollback"
eq "$(committed "$G" "$T")" "$before" "group back at the snapshot"
eq "$(consume_rest "$T" "$G" | grep -c .)" 40 "re-read after rollback"

"$KB" offset-snapshot delete --path "$S3_URL" --snapshot-id "$SNAP" >/dev/null
set +e
"$KB" offset-snapshot show --path "$S3_URL" --snapshot-id "$SNAP" >/dev/null 2>&1
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "a deleted snapshot is still shown"
echo "PASS offset snapshot"
