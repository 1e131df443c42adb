#!/usr/bin/env bash
# offset-rollback puts a group back exactly: a partition that had no committed offset
# at snapshot time has none after the rollback (deleted with OffsetDelete), --verify
# checks that too, and Kafka's own tool and a console consumer agree.
source "$(dirname "$0")/lib.sh"

# A partition without a commit at snapshot time: p0 at 7, p1 nothing.
T2="snap-partial-$RUN_ID"
G2="snap-partial-group-$RUN_ID"
CLEANUP_TOPICS+=("$T2")
CLEANUP_GROUPS+=("$G2")
fresh_topic "$T2" 2
produce_to "$T2" 0 a 10
produce_to "$T2" 1 b 10
set_offsets "$G2" "$T2" 0:7
"$KB" offset-snapshot create --path "$S3_URL" --bootstrap-servers "$BS" --groups "$G2" \
    --format json >"$WORK/snap2.json"
SNAP2="$(jq -r .snapshot_id "$WORK/snap2.json")"
eq "$(jq -c --arg g "$G2" '[.groups[$g].offsets[] | [.partition, .offset]]' "$WORK/snap2.json")" "[[0,7]]" "partial snapshot"
# Consume further: the rest of p0 and, from the beginning, all of p1.
eq "$(consume "$T2" "$G2" 13 | wc -l)" 13 "consumed further"
eq "$(committed "$G2" "$T2")" "$(printf '0 10\n1 10')" "both partitions committed"

"$KB" offset-rollback --path "$S3_URL" --bootstrap-servers "$BS" --snapshot-id "$SNAP2" --verify \
    --format json >"$WORK/rollback2.json"
check_schema offset-rollback "$WORK/rollback2.json"
eq "$(jq -c '[.ok, .groups[0].status, .groups[0].deleted, .groups[0].verified, (.groups[0].mismatches | length)]' \
    "$WORK/rollback2.json")" '[true,"restored",1,true,0]' "partial rollback"
eq "$(committed "$G2" "$T2")" "0 7" "only the snapshot's commit is left (kafka-consumer-groups.sh)"
# With no commit, p1 is read from the beginning again: 3 records of p0 + all 10 of p1.
eq "$(consume "$T2" "$G2" 13 | sort | tr '\n' ' ')" \
    "$( (seq 8 10 | sed 's/^/a-/'; seq 1 10 | sed 's/^/b-/') | sort | tr '\n' ' ')" "re-read after rollback"
"$KB" offset-snapshot delete --path "$S3_URL" --snapshot-id "$SNAP2" >/dev/null
echo "PASS rollback deletes offsets the snapshot did not have"
