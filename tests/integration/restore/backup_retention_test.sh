#!/usr/bin/env bash
# backup.retention (OSO 0.25): after each backup run the oldest segments beyond the
# limits are pruned per partition (only a prefix, at least keep_segments kept), the
# pruned range is recorded as a "pruned" retention gap, and validate --deep and a
# restore accept the backup: the restore brings back exactly the kept records.
. "$(dirname "$0")/lib.sh"
T="rs-bkret-$RUN_ID"
R="$T-restored"
create_topic "$T" 2
produce_round() {  # one batch of 20 ~300-byte records to each partition
    for p in 0 1; do
        for i in $(seq 1 20); do printf '%s-%d-%d-%0280d\n' "$1" "$p" "$i" 0; done | kcat -P -b "$BS" -t "$T" -p "$p"
    done
}
for r in 1 2 3 4 5; do produce_round "r$r"; done
DIR="$WORK/backups"
"$KB" backup --bootstrap-servers "$BS" --path "$DIR" --backup-id ret --topics "$T" --segment-max-bytes 1KiB \
    --no-progress --log-level warn >"$WORK/b1.out" 2>&1 || fail "backup 1: $(cat "$WORK/b1.out")"
"$KB" describe --path "$DIR" --backup-id ret --format json >"$WORK/d1.json"
seg_before=$(jq '.totals.segments' "$WORK/d1.json")
[ "$seg_before" -ge 6 ] || fail "expected at least 3 segments per partition, got $seg_before in all"

config() {  # retention section
    cat <<YAML
mode: backup
backup_id: ret
source:
  bootstrap_servers: [$BS]
  topics:
    include: [$T]
storage:
  backend: filesystem
  path: $DIR
backup:
  segment_max_bytes: 1024
  retention: $1
YAML
}
# Size: a cap of 1 byte prunes down to keep_segments (2) per partition.
produce_round r6
config '{max_total_bytes: 1, keep_segments: 2}' >"$WORK/size.yaml"
"$KB" backup -c "$WORK/size.yaml" --no-progress --log-level warn --output json >"$WORK/b2.json" 2>"$WORK/b2.err" ||
    fail "backup 2: $(cat "$WORK/b2.err")"
"$KB" describe --path "$DIR" --backup-id ret --format json >"$WORK/d2.json"
eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }
eq "$(jq -c '[.topics[0].partitions[].segments]' "$WORK/d2.json")" "[2,2]" "segments kept per partition"
eq "$(find "$DIR/ret/segments" -name '*.seg' | wc -l)" 4 "segment objects left"
pruned=$(jq '.pruned_segments' "$WORK/b2.json")
eq "$pruned" "$(($(jq '.totals.segments' "$WORK/d1.json") + $(jq '.segments' "$WORK/b2.json") - 4))" \
    "pruned_segments in the summary"
eq "$(jq -c '[.topics[0].partitions[] | .retention_gaps == [{first_offset: 0, last_offset: (.start_offset - 1), reason: "pruned"}]]' "$WORK/d2.json")" \
    "[true,true]" "the pruned range recorded as a gap"
"$KB" validate --path "$DIR" --backup-id ret --deep >"$WORK/v2.out" || fail "validate --deep: $(cat "$WORK/v2.out")"

# Age: records older than 1s go, the newest segment of each partition stays; the gap grows.
sleep 2
config '{max_age: 1s, keep_segments: 1}' >"$WORK/age.yaml"
"$KB" backup -c "$WORK/age.yaml" --no-progress --log-level warn --output json >"$WORK/b3.json" 2>"$WORK/b3.err" ||
    fail "backup 3: $(cat "$WORK/b3.err")"
"$KB" describe --path "$DIR" --backup-id ret --format json >"$WORK/d3.json"
eq "$(jq -c '[.topics[0].partitions[].segments]' "$WORK/d3.json")" "[1,1]" "segments kept by age"
eq "$(jq -c '[.topics[0].partitions[] | (.retention_gaps | length), .retention_gaps[0].last_offset + 1 == .start_offset]' "$WORK/d3.json")" \
    "[1,true,1,true]" "one pruned gap per partition, up to the kept data"
"$KB" validate --path "$DIR" --backup-id ret --deep >"$WORK/v3.out" || fail "validate --deep: $(cat "$WORK/v3.out")"

# The restore accepts the gap and brings back exactly the kept records.
restore --path "$DIR" --backup-id ret --topic-map "$T:$R" --create-topics --output json
CREATED_TOPICS+=("$R")
kept=$(jq '.totals.records' "$WORK/d3.json")
jq -e --argjson n "$kept" '.records == $n' "$WORK/restore.out" >/dev/null || fail "restore summary: $(cat "$WORK/restore.out")"
starts=$(jq -r '.topics[0].partitions[] | "\(.partition) \(.start_offset)"' "$WORK/d3.json")
records "$T" | awk -F'|' -v s="$starts" 'BEGIN { n = split(s, a, /[ \n]/); for (i = 1; i < n; i += 2) start[a[i]] = a[i + 1] }
    $2 >= start[$1] { $2 = ""; print }' OFS='|' >"$WORK/expected"
records "$R" | awk -F'|' '{ $2 = ""; print }' OFS='|' >"$WORK/restored"
[ -s "$WORK/expected" ] || fail "no expected records"
diff "$WORK/expected" "$WORK/restored" >"$WORK/diff" || fail "restored records differ from the kept ones: $(head -5 "$WORK/diff")"

# Continuous: each discovery pass (every 5 s) prunes while the backup runs.
C="$T-cont"
create_topic "$C" 1
cat >"$WORK/cont.yaml" <<YAML
mode: backup
backup_id: cont
source:
  bootstrap_servers: [$BS]
  topics:
    include: [$C]
storage:
  backend: filesystem
  path: $DIR
backup:
  continuous: true
  segment_max_bytes: 1024
  segment_max_interval_ms: 500
  retention: {max_total_bytes: 1, keep_segments: 1}
YAML
"$KB" backup -c "$WORK/cont.yaml" --no-progress --log-level warn >"$WORK/cont.out" 2>&1 &
cont=$!
trap 'kill -TERM $cont 2>/dev/null || true; cleanup' EXIT
for r in 1 2 3; do
    for i in $(seq 1 20); do printf 'c%d-%d-%0280d\n' "$r" "$i" 0; done | kcat -P -b "$BS" -t "$C" -p 0
    sleep 1
done
pruned_live=""
for _ in $(seq 1 30); do
    d=$("$KB" describe --path "$DIR" --backup-id cont --format json 2>/dev/null || true)
    if [ "$(jq -c '[.totals.records, .topics[0].partitions[0].segments, (.topics[0].partitions[0].retention_gaps | length)]' <<<"$d" 2>/dev/null)" = "[20,1,1]" ]; then
        pruned_live=yes
        break
    fi
    sleep 1
done
kill -TERM $cont
rc=0
wait $cont || rc=$?
[ $rc = 130 ] || fail "continuous backup exited $rc (expected 130, stopped): $(cat "$WORK/cont.out")"
[ -n "$pruned_live" ] || fail "the running continuous backup did not prune to 1 segment: $d"
eq "$(find "$DIR/cont/segments" -name '*.seg' | wc -l)" 1 "segment objects of the continuous backup"
"$KB" validate --path "$DIR" --backup-id cont --deep >"$WORK/vc.out" || fail "validate --deep: $(cat "$WORK/vc.out")"
echo "PASS backup retention"
