#!/usr/bin/env bash
# After a restore to a renamed topic with offset translation, show-offset-mapping
# carries the restore: its source->target ranges and the translated group offsets
# (json against the schema, csv, text). Then offset-reset --from-mapping puts a group
# that moved on back at its translated offsets, and a Kafka console consumer in that
# group reads exactly the records it had not consumed at backup time.
#
# The target topic already holds records (5 in p0, 2 in p2), so translated offsets
# differ from the source's: source p0 0..19 -> target 5..24, p1 0..14 -> 0..14,
# p2 0..14 -> 2..16.
source "$(dirname "$0")/lib.sh"

T="orders-map-$RUN_ID"
R="$T-restored"
G="orders-streams-$RUN_ID"  # consumed 30 of 50: p0 12 of 20, p1 all 15, p2 3 of 15
G2="orders-done-$RUN_ID"    # p0 only, at its end
CLEANUP_TOPICS+=("$T" "$R")
CLEANUP_GROUPS+=("$G" "$G2")
fresh_topic "$T" 3
fresh_topic "$R" 3
produce_to "$T" 0 p0 20
produce_to "$T" 1 p1 15
produce_to "$T" 2 p2 15
produce_to "$R" 0 old0 5
produce_to "$R" 2 old2 2
set_offsets "$G" "$T" 0:12 1:15 2:3
set_offsets "$G2" "$T" 0:20

ID="mapping-$RUN_ID"
"$KB" backup --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID" --topics "$T" \
    --consumer-groups "$G,$G2" --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
    fail "backup: $(cat "$WORK/backup.out")"
"$KB" restore --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID" --topic-map "$T:$R" \
    --reset-consumer-offsets --consumer-groups "$G,$G2" --no-progress --log-level warn \
    --output json >"$WORK/restore.out" 2>&1 || fail "restore: $(cat "$WORK/restore.out")"
eq "$(committed "$G" "$R")" "$(printf '0 17\n1 15\n2 5')" "translated offsets committed by the restore"

# --- the report's restores section
"$KB" show-offset-mapping --path "$S3_URL" --backup-id "$ID" --format json >"$WORK/report.json"
check_schema offset-report "$WORK/report.json"
eq "$(jq '.restores | length' "$WORK/report.json")" 1 "restores"
RID="$(jq -r '.restores[0].restore_id' "$WORK/report.json")"
[[ -n "$RID" && "$RID" != null ]] || fail "no restore id"
eq "$(jq -c '[.restores[0].partitions[] | [.source_topic, .source_partition, .target_topic,
        .target_partition, [.ranges[] | [.source_first_offset, .source_last_offset,
        .target_first_offset, .target_partition]]]] | sort' "$WORK/report.json")" \
    "[[\"$T\",0,\"$R\",0,[[0,19,5,0]]],[\"$T\",1,\"$R\",1,[[0,14,0,1]]],[\"$T\",2,\"$R\",2,[[0,14,2,2]]]]" \
    "restored ranges"
# p1's commit (15) lies past the last restored record: it becomes the target's end.
eq "$(jq -c --arg g "$G" '.restores[0].consumer_groups[$g].partitions | to_entries |
        map([.key, .value.source_offset, .value.target_topic, .value.target_partition,
        .value.target_offset]) | sort' "$WORK/report.json")" \
    "[[\"$T-0\",12,\"$R\",0,17],[\"$T-1\",15,\"$R\",1,15],[\"$T-2\",3,\"$R\",2,5]]" "translated offsets of $G"
eq "$(jq -c --arg g "$G2" '.restores[0].consumer_groups[$g].partitions | to_entries |
        map([.key, .value.target_offset])' "$WORK/report.json")" "[[\"$T-0\",25]]" "translated offsets of $G2"
# The backup-time view is unchanged by the restore.
eq "$(jq --arg g "$G" '[.consumer_groups[$g].partitions[].lag] | add' "$WORK/report.json")" 20 "lag of $G"
eq "$(jq --arg t "$T" '[.topics[$t].partitions[].end_offset] | add' "$WORK/report.json")" 50 "end offsets"

"$KB" offset-report --path "$S3_URL" --backup-id "$ID" --format csv >"$WORK/report.csv"
eq "$(head -1 "$WORK/report.csv")" \
    "kind,topic,partition,group,start_offset,end_offset,message_count,committed_offset,lag,restore_id,target_topic,target_partition,target_offset" \
    "csv header"
eq "$(grep '^restored,' "$WORK/report.csv" | sort)" \
    "$(printf '%s\n' "restored,$T,0,,0,20,20,,,$RID,$R,0,5" "restored,$T,1,,0,15,15,,,$RID,$R,1,0" \
        "restored,$T,2,,0,15,15,,,$RID,$R,2,2")" "csv restored rows"
eq "$(grep "^translated,$T,[0-9],$G," "$WORK/report.csv" | sort)" \
    "$(printf '%s\n' "translated,$T,0,$G,,,,12,,$RID,$R,0,17" "translated,$T,1,$G,,,,15,,$RID,$R,1,15" \
        "translated,$T,2,$G,,,,3,,$RID,$R,2,5")" "csv translated rows"
# Every row has the header's 13 columns.
eq "$(awk -F, '{print NF}' "$WORK/report.csv" | sort -u)" 13 "csv column count"

"$KB" offset-report --path "$S3_URL" --backup-id "$ID" --format text >"$WORK/report.txt"
grep -q "^Restore $RID to " "$WORK/report.txt" || fail "text: no restore heading: $(cat "$WORK/report.txt")"
grep -Eq "^$T-0 +0-19 +$R-0 +5-24 +20$" "$WORK/report.txt" || fail "text: no p0 range row: $(cat "$WORK/report.txt")"
grep -Eq "^$G +$T-0 +12 +$R-0 +17$" "$WORK/report.txt" || fail "text: no translated row: $(cat "$WORK/report.txt")"
echo "PASS report restores section (json, csv, text)"

# --- offset-reset --from-mapping
"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$G" --topics "$R" --to-latest >/dev/null
eq "$(committed "$G" "$R")" "$(printf '0 25\n1 15\n2 17')" "group moved to the end"
"$KB" offset-reset plan --bootstrap-servers "$BS" --groups "$G" --from-mapping --path "$S3_URL" \
    --backup-id "$ID" --format json >"$WORK/plan.json"
check_schema offset-reset "$WORK/plan.json"
eq "$(jq -c --arg r "$R" '[.groups[0].partitions[] | select(.topic == $r) |
        [.partition, .current_offset, .new_offset]] | sort' "$WORK/plan.json")" \
    "[[0,25,17],[1,15,15],[2,17,5]]" "from-mapping plan"
eq "$(committed "$G" "$R")" "$(printf '0 25\n1 15\n2 17')" "plan changed nothing"
"$KB" offset-reset execute --bootstrap-servers "$BS" --groups "$G" --topics "$R" --from-mapping \
    --path "$S3_URL" --backup-id "$ID" --format json >"$WORK/exec.json"
eq "$(jq -r '.groups[0].status' "$WORK/exec.json")" reset "from-mapping execute"
eq "$(committed "$G" "$R")" "$(printf '0 17\n1 15\n2 5')" "group back at the translated offsets"
eq "$(committed "$G" "$T")" "$(printf '0 12\n1 15\n2 3')" "source topic's offsets left alone"

expected="$( (seq 13 20 | sed 's/^/p0-/'; seq 4 15 | sed 's/^/p2-/') | sort)"
eq "$(consume_rest "$R" "$G" | sort)" "$expected" "records read after the reset"
eq "$(consume_rest "$R" "$G" | grep -c . || true)" 0 "nothing read a second time"
echo "PASS offset-reset --from-mapping"
