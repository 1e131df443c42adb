#!/usr/bin/env bash
# The backup keys that used to parse and do nothing (issue 13.3) have an effect:
# - segment_max_records: 100 -> every segment holds <= 100 records (batches of 50);
#   without it the same topic is one segment;
# - max_concurrent_partitions: 2 -> never more than 2 partitions fetching (debug log);
# - internal_topics: [__consumer_offsets] adds that topic to the selection;
#   include_internal_topics: false/true leaves it out of / puts it in a '__consumer_*'
#   pattern's selection;
# - source_cluster_id: recorded in the manifest, and a re-run naming another
#   cluster is refused in one line (the same name resumes).
source "$(dirname "$0")/lib.sh"

KB="$KB_BIN/kafka-backup"
topic="manypart-keys-$RUN_ID" wide="manypart-keys-wide-$RUN_ID"
create_topic "$topic" 1
create_topic "$wide" 12
for i in $(seq 0 19); do  # 20 produce requests of 50 records: batches of <= 50
    seq $((i * 50 + 1)) $((i * 50 + 50)) | sed 's/^/record /' | kcat -P -b "$BS" -t "$topic" -p 0
done
for p in $(seq 0 11); do seq 1 5 | kcat -P -b "$BS" -t "$wide" -p "$p"; done
# A committed group offset makes sure __consumer_offsets exists.
"$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$topic" \
    --group "manypart-keys-$RUN_ID" --from-beginning --max-messages 5 >/dev/null 2>&1

config() {  # file backup_id include-list backup-section
    cat >"$1" <<YAML
backup_id: $2
source: {bootstrap_servers: ["$BS"], topics: {include: [$3]}}
storage: {backend: filesystem, path: $WORK/fs}
backup: {$4}
YAML
}
run_backup() {  # name backup_id include-list backup-section [flags]
    local name=$1 id=$2 inc=$3 sec=$4; shift 4
    config "$WORK/$name.yaml" "$id" "$inc" "$sec"
    "$KB" backup --config "$WORK/$name.yaml" --no-progress --output json "$@" \
        >"$WORK/$name.json" 2>"$WORK/$name.log" || { cat "$WORK/$name.log" >&2; fail "$name: backup failed"; }
    manifest_fs "$WORK/fs" "$id" >"$WORK/$name.manifest"
}
topics_of() { jq -r '.topics[].name' "$WORK/$1.manifest" | sort | tr '\n' ' '; }

# --- segment_max_records ----------------------------------------------------------
run_backup records records "\"$topic\"" "segment_max_records: 100"
counts=$(jq -r '.topics[].partitions[].segments[].record_count' "$WORK/records.manifest")
total=$(echo "$counts" | awk '{s += $1} END {print s}')
[ "$total" -eq 1000 ] || fail "segment_max_records: $total records backed up, expected 1000"
over=$(echo "$counts" | awk '$1 > 100' | wc -l)
[ "$over" -eq 0 ] || fail "segment_max_records: $over segment(s) over 100 records: $(echo $counts)"
segs=$(echo "$counts" | wc -l)
[ "$segs" -ge 10 ] || fail "segment_max_records: only $segs segments"
run_backup unlimited unlimited "\"$topic\"" ""
[ "$(jq '[.topics[].partitions[].segments[]] | length' "$WORK/unlimited.manifest")" -eq 1 ] ||
    fail "without segment_max_records the topic should be one segment"
echo "segment_max_records: 1000 records in $segs segments of <= 100 (one segment without the key)"

# --- max_concurrent_partitions ----------------------------------------------------
run_backup concurrent concurrent "\"$wide\"" "max_concurrent_partitions: 2" --log-level debug
grep -o 'fetching ([0-9]* of at most [0-9]* partitions)' "$WORK/concurrent.log" >"$WORK/fetching" ||
    fail "max_concurrent_partitions: no 'fetching' debug lines"
peak=$(sed 's/fetching (\([0-9]*\) of.*/\1/' "$WORK/fetching" | sort -n | tail -1)
grep -qv 'of at most 2 partitions' "$WORK/fetching" && fail "max_concurrent_partitions: limit not 2"
[ "$peak" -le 2 ] || fail "max_concurrent_partitions: $peak partitions fetched at once, limit 2"
[ "$(wc -l <"$WORK/fetching")" -ge 12 ] || fail "max_concurrent_partitions: fewer fetches than partitions"
[ "$(jq .records "$WORK/concurrent.json")" -eq 60 ] || fail "max_concurrent_partitions: records"
run_backup flag flag "\"$wide\"" "" --log-level debug --max-concurrent-partitions 3
grep -q 'of at most 3 partitions' "$WORK/flag.log" || fail "--max-concurrent-partitions 3 not applied"
echo "max_concurrent_partitions: 12 partitions, at most $peak fetching at once (limit 2); the flag sets it too"

# --- internal_topics / include_internal_topics ------------------------------------
run_backup plain plain "\"$topic\"" ""
[ "$(topics_of plain)" = "$topic " ] || fail "plain: selected $(topics_of plain)"
run_backup named named "\"$topic\"" "internal_topics: [__consumer_offsets]"
[ "$(topics_of named)" = "__consumer_offsets $topic " ] || fail "internal_topics: selected $(topics_of named)"
run_backup pattern_off pattern_off "\"$topic\", \"__consumer_*\"" "include_internal_topics: false"
[ "$(topics_of pattern_off)" = "$topic " ] || fail "include_internal_topics false: selected $(topics_of pattern_off)"
run_backup pattern_on pattern_on "\"$topic\", \"__consumer_*\"" "include_internal_topics: true"
[ "$(topics_of pattern_on)" = "__consumer_offsets $topic " ] ||
    fail "include_internal_topics true: selected $(topics_of pattern_on)"
echo "internal topics: left out by default and by patterns, in by name (internal_topics) or with include_internal_topics"

# --- source_cluster_id ------------------------------------------------------------
run_backup label label "\"$wide\"" "source_cluster_id: manypart-east"
[ "$(jq -r .source.cluster_id "$WORK/label.manifest")" = manypart-east ] ||
    fail "source_cluster_id not recorded: $(jq -c .source "$WORK/label.manifest")"
run_backup label_again label "\"$wide\"" "source_cluster_id: manypart-east"
[ "$(jq -r .resumed "$WORK/label_again.json")" = true ] || fail "same source_cluster_id did not resume"
config "$WORK/other.yaml" label "\"$wide\"" "source_cluster_id: manypart-west"
set +e
"$KB" backup --config "$WORK/other.yaml" --no-progress >"$WORK/other.out" 2>"$WORK/other.err"
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "a re-run naming another source_cluster_id succeeded"
grep -q "taken from cluster 'manypart-east', not from 'manypart-west'" "$WORK/other.err" ||
    fail "source_cluster_id mismatch message: $(cat "$WORK/other.err")"
echo "source_cluster_id: recorded, resumed under the same name, refused under another (exit $rc)"
