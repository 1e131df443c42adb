#!/usr/bin/env bash
# The seed's offset-report workload: orders 50 (3 partitions), payments 30, events 100;
# orders-streams consumed 30/50, payments-processor all, demo-consumer 50/100. The
# report's JSON must answer the issue's jq queries: 50, the max end offset, total
# lags 20, 0, 50 — and agree with kafka-consumer-groups.sh. CSV/text are checked too.
# The backup is taken by `kafka-backup backup` itself. The topic names are the issue's
# (the jq queries name `orders`), so this test must not run twice at once.
source "$(dirname "$0")/lib.sh"
CLEANUP_TOPICS+=(orders payments events)
CLEANUP_GROUPS+=(orders-streams payments-processor demo-consumer)

for g in orders-streams payments-processor demo-consumer; do delete_group "$g"; done
fresh_topic orders 3
fresh_topic payments 1
fresh_topic events 1
produce orders order 50
produce payments payment 30
produce events event 100
eq "$(consume orders orders-streams 30 | wc -l)" 30 "orders-streams consumed"
eq "$(consume payments payments-processor 30 | wc -l)" 30 "payments-processor consumed"
eq "$(consume events demo-consumer 50 | wc -l)" 50 "demo-consumer consumed"

ID="report-$RUN_ID"
"$KB" backup --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID" \
    --topics orders,payments,events --consumer-groups orders-streams,payments-processor,demo-consumer \
    --no-progress --log-level warn >"$WORK/backup.out" 2>&1 || fail "backup: $(cat "$WORK/backup.out")"
"$KB" show-offset-mapping --path "$S3_URL" --backup-id "$ID" --format json > "$WORK/report.json"
check_schema offset-report "$WORK/report.json"

eq "$(jq -c '.topics | keys' "$WORK/report.json")" '["events","orders","payments"]' "topics"
eq "$(jq '.topics.orders.partitions | to_entries | map(.value.end_offset) | add' "$WORK/report.json")" 50 "orders end offsets"
eq "$(jq '[.topics[].partitions[].end_offset] | max' "$WORK/report.json")" 100 "max end offset"
eq "$(jq '[.topics[].partitions[].message_count] | add' "$WORK/report.json")" 180 "message count"
lags="$(jq -c '.consumer_groups | to_entries | .[] | {group: .key, total_lag: ([.value.partitions[].lag] | add)}' "$WORK/report.json" | sort)"
expected='{"group":"demo-consumer","total_lag":50}
{"group":"orders-streams","total_lag":20}
{"group":"payments-processor","total_lag":0}'
eq "$lags" "$expected" "total lags"

# Kafka's own tool reports the same committed offsets and lags.
for pair in orders-streams:orders payments-processor:payments demo-consumer:events; do
    g=${pair%%:*} t=${pair##*:}
    theirs="$(committed "$g" "$t")"
    ours="$(jq -r --arg g "$g" --arg t "$t" '.consumer_groups[$g].partitions | to_entries[] |
        select(.key | startswith($t + "-")) | "\(.key | ltrimstr($t + "-")) \(.value.offset)"' \
        "$WORK/report.json" | sort -n)"
    eq "$ours" "$theirs" "committed offsets of $g vs kafka-consumer-groups.sh"
done

# The alias and the other formats.
"$KB" offset-report --path "$S3_URL" --backup-id "$ID" --format csv > "$WORK/report.csv"
eq "$(head -1 "$WORK/report.csv")" "kind,topic,partition,group,start_offset,end_offset,message_count,committed_offset,lag,restore_id,target_topic,target_partition,target_offset" "csv header"
eq "$(grep -c '^partition,' "$WORK/report.csv")" 5 "csv partition rows"
eq "$(awk -F, '$1=="group" && $4=="orders-streams" {s+=$9} END {print s}' "$WORK/report.csv")" 20 "csv orders-streams lag"
"$KB" offset-report --path "$S3_URL" --backup-id "$ID" --format text > "$WORK/report.txt"
grep -Eq '^events +0 +0 +100 +100$' "$WORK/report.txt" || fail "text report lacks the aligned events row: $(cat "$WORK/report.txt")"

# list / describe on the same backup.
"$KB" list --path "$S3_URL" --format json > "$WORK/list.json"
check_schema backup-list "$WORK/list.json"
eq "$(jq --arg id "$ID" '.backups[] | select(.backup_id == $id) | .records' "$WORK/list.json")" 180 "list records"
"$KB" list --path "$S3_URL" >"$WORK/list.txt"
grep -Eq "^BACKUP +STATUS +UPDATED +TOPICS +RECORDS +SIZE" "$WORK/list.txt" || fail "list text header: $(cat "$WORK/list.txt")"
grep -Eq "^$ID +[a-z]+ +[0-9T:.-]+Z +events,orders,payments +180 +[0-9]+$" "$WORK/list.txt" ||
    fail "list text row: $(cat "$WORK/list.txt")"
"$KB" list --path "$S3_URL" --format csv >"$WORK/list.csv"
eq "$(head -1 "$WORK/list.csv")" "backup_id,status,created_at,updated_at,topics,segments,records,stored_bytes" "list csv header"
eq "$(awk -F, -v id="$ID" '$1 == id {print $5, $7}' "$WORK/list.csv")" "events;orders;payments 180" "list csv row"
"$KB" list --path "$S3_URL" --format yaml | grep -q "backup_id: \"$ID\"" || fail "list yaml"
"$KB" describe --path "$S3_URL" --backup-id "$ID" --format json > "$WORK/describe.json"
check_schema backup-describe "$WORK/describe.json"
eq "$(jq '.totals.records' "$WORK/describe.json")" 180 "describe records"
"$KB" describe --path "$S3_URL" --backup-id "$ID" --format yaml | grep -q "backup_id: \"$ID\"" || fail "describe yaml"
"$KB" describe --path "$S3_URL" --backup-id "$ID" | grep -q "Totals:    3 topics" || fail "describe text"
echo "PASS offset report"
