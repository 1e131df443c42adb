#!/usr/bin/env bash
# offset-reset-bulk (OSO's command): after a restore that translated two groups'
# offsets, groups moved elsewhere are put back at the translated offsets in one
# parallel run; the report has OSO's BulkOffsetResetReport fields, one outcome per
# group; a group absent from the mapping fails alone (partial_success, exit 0), and
# only a run where every group fails exits 1.
source "$(dirname "$0")/lib.sh"

T="osocmds-bulk-$RUN_ID"
R="$T-restored"
G1="osocmds-bulk-a-$RUN_ID"
G2="osocmds-bulk-b-$RUN_ID"
G3="osocmds-bulk-none-$RUN_ID"  # never in the backup
ID="bulk-$RUN_ID"
fresh_topic "$T" 2
fresh_topic "$R" 2
produce_to "$T" 0 a 10
produce_to "$T" 1 b 10
produce_to "$R" 0 old 2  # so translated offsets differ from the source's: p0 +2
set_offsets "$G1" "$T" 0:3 1:5
set_offsets "$G2" "$T" 0:10

"$KB" backup --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID" --topics "$T" \
    --consumer-groups "$G1,$G2" --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
    fail "backup: $(cat "$WORK/backup.out")"
"$KB" restore --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID" --topic-map "$T:$R" \
    --reset-consumer-offsets --consumer-groups "$G1,$G2" --no-progress --log-level warn \
    >"$WORK/restore.out" 2>&1 || fail "restore: $(cat "$WORK/restore.out")"
eq "$(committed "$G1" "$R")" "$(printf '0 5\n1 5')" "offsets of $G1 after the restore"

# Move both groups away, then put them back in one bulk run.
set_offsets "$G1" "$R" 0:0 1:0
set_offsets "$G2" "$R" 0:0
expect_exit 0 "$KB" offset-reset-bulk --path "$S3_URL" --backup-id "$ID" --bootstrap-servers "$BS" \
    --groups "$G1,$G2" --max-concurrent 2 -f json
sed -n '/^{/,$p' "$WORK/last.out" >"$WORK/bulk.json"
eq "$(jq -c '[.status, .total_groups, .successful_groups, .failed_groups, .total_offsets_reset, .total_offsets_failed]' "$WORK/bulk.json")" \
    '["success",2,2,0,3,0]' "bulk report totals"
eq "$(jq -c '[.group_outcomes[] | [.group_id, .partitions_reset, .partitions_failed, (.errors | length), .retry_attempts]]' "$WORK/bulk.json")" \
    "[[\"$G1\",2,0,0,0],[\"$G2\",1,0,0,0]]" "per-group outcomes"
jq -e '.duration_ms >= 0 and (.performance | has("avg_latency_ms") and has("p50_latency_ms") and has("p99_latency_ms")
    and has("offsets_per_second") and .max_concurrency == 2 and .total_retries == 0)' "$WORK/bulk.json" >/dev/null ||
    fail "performance section: $(cat "$WORK/bulk.json")"
grep -q "^Starting bulk offset reset" "$WORK/last.err" || fail "no start banner (stderr with -f json): $(cat "$WORK/last.err")"
eq "$(committed "$G1" "$R")" "$(printf '0 5\n1 5')" "offsets of $G1 after the bulk reset"
eq "$(committed "$G2" "$R")" "0 12" "offsets of $G2 after the bulk reset"
echo "PASS bulk reset of two groups (json)"

# A group missing from the mapping fails alone; text report.
set_offsets "$G1" "$R" 0:1 1:1
expect_exit 0 "$KB" offset-reset-bulk --path "$S3_URL" --backup-id "$ID" --bootstrap-servers "$BS" \
    --groups "$G1,$G3" --max-retries 1
for line in "  BULK OFFSET RESET REPORT" "  Status: PARTIAL SUCCESS" "    Total Groups:     2" \
    "    Successful:       1" "    Failed:           1" "  Group: $G3"; do
    grep -qxF -- "$line" "$WORK/last.out" || fail "text report lacks '$line': $(cat "$WORK/last.out")"
done
grep -q "has no offsets in the restore's offset mapping" "$WORK/last.out" || fail "no reason for $G3: $(cat "$WORK/last.out")"
eq "$(committed "$G1" "$R")" "$(printf '0 5\n1 5')" "offsets of $G1 after the partial run"
echo "PASS partial success (text)"

# Every group failed: status failed, exit 1.
expect_exit 1 "$KB" offset-reset-bulk --path "$S3_URL" --backup-id "$ID" --bootstrap-servers "$BS" \
    --groups "$G3" -f json
eq "$(sed -n '/^{/,$p' "$WORK/last.out" | jq -r .status)" failed "status when every group failed"
# No -g: every group of the mapping.
set_offsets "$G2" "$R" 0:0
expect_exit 0 "$KB" offset-reset-bulk --path "$S3_URL" --backup-id "$ID" --bootstrap-servers "$BS" -f json
eq "$(sed -n '/^{/,$p' "$WORK/last.out" | jq -c '[.total_groups, .status]')" '[2,"success"]' "all mapping groups"
eq "$(committed "$G2" "$R")" "0 12" "offsets of $G2 after the run without -g"
# A backup never restored has no mapping.
"$KB" backup --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID-norestore" --topics "$T" \
    --no-progress --log-level warn >/dev/null 2>&1 || fail "second backup"
expect_exit 1 "$KB" offset-reset-bulk --path "$S3_URL" --backup-id "$ID-norestore" --bootstrap-servers "$BS"
grep -q "no offset mapping" "$WORK/last.err" || fail "missing mapping: $(cat "$WORK/last.err")"
echo "PASS failed status, default groups, missing mapping"
