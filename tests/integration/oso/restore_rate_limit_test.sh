#!/usr/bin/env bash
# restore.rate_limit_records_per_sec and rate_limit_bytes_per_sec (OSO 0.25: one bucket
# for the whole restore, shared by every partition) throttle a restore against the real
# broker: N records at a limit of L per second take at least ~N/L seconds (a lower
# bound only: the machine may be slower, never faster), and every record arrives
# exactly (kcat: partition, key and value of each).
source "$(dirname "$0")/lib.sh"

T="osorl-src-$RUN_ID"
ID="osorl-$RUN_ID"
fresh_topic "$T" 3
VALUE=$(head -c 60 /dev/zero | tr '\0' v)
for p in 0 1 2; do
    seq 1 1000 | sed "s/.*/k&:$VALUE-&/" | kcat -P -b "$BS" -t "$T" -p "$p" -K:
done
records() { kcat -C -b "$BS" -t "$1" -o beginning -e -q -f '%p|%k|%s\n' | sort; }
records "$T" >"$WORK/source"
[[ $(wc -l <"$WORK/source") == 3000 ]] || fail "expected 3000 source records"

backup_yaml "$ID" "$T" >"$WORK/backup.yaml"
run_backup "$WORK/backup.yaml"

# restore_timed NAME LIMIT_LINE: restores into a fresh topic; prints the seconds it took.
restore_timed() {
    local r="osorl-$1-$RUN_ID"
    CLEANUP_TOPICS+=("$r")
    cat >"$WORK/$1.yaml" <<YAML
mode: restore
backup_id: $ID
target:
  bootstrap_servers: [$BS]
$(storage_yaml)
restore:
  topic_mapping:
    $T: $r
  create_topics: true
  max_concurrent_partitions: 3
$2
YAML
    local start end
    start=$(date +%s.%N)
    "$KB" restore -c "$WORK/$1.yaml" --no-progress --log-level warn --output json >"$WORK/$1.out" 2>&1 ||
        fail "restore $1: $(cat "$WORK/$1.out")"
    end=$(date +%s.%N)
    records "$r" >"$WORK/$1.records"
    diff -q "$WORK/source" "$WORK/$1.records" >/dev/null || fail "restore $1: records differ from the source"
    echo "$end - $start" | bc -l
}
at_least() {  # SECONDS MIN WHAT
    [[ $(echo "$1 >= $2" | bc -l) == 1 ]] || fail "$3 took $1 s, expected at least $2 s"
}

t=$(restore_timed free "")
echo "no limit: 3000 records in $t s"

t=$(restore_timed records "  rate_limit_records_per_sec: 1000")
at_least "$t" 2.7 "3000 records at rate_limit_records_per_sec 1000"
echo "PASS rate_limit_records_per_sec: 3000 records at 1000/s took $t s, all exact"

# Bytes are counted as the batches are sent, which the summary's bytes also count.
BYTES=$(jq '.bytes' "$WORK/free.out")
t=$(restore_timed bytes "  rate_limit_bytes_per_sec: 100000")
MIN=$(echo "0.9 * $BYTES / 100000" | bc -l)
at_least "$t" "$MIN" "$BYTES bytes at rate_limit_bytes_per_sec 100000"
echo "PASS rate_limit_bytes_per_sec: $BYTES bytes at 100000/s took $t s, all exact"
