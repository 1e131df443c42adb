#!/usr/bin/env bash
# SIGKILL at random points during a backup of a few hundred MB, then resume with
# the same backup id, several times over; finally run to completion. The backup
# must hold every offset of every partition exactly once (backup_dump verifies
# every frame checksum and Kafka batch CRC while reading), and the manifest's end
# offsets must equal the topic's. Done for MinIO and for a directory.
source "$(dirname "$0")/lib.sh"

topic="$RUN_ID-big"
create_topic "$topic" 3
MB=${KB_KILL_TEST_MB:-300}
# 1 MiB records; perf-test payloads are random printable text.
"$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "$topic" --num-records "$MB" --record-size 1048576 \
    --throughput -1 --producer-props bootstrap.servers="$BS" acks=1 max.request.size=4194304 \
    batch.size=4194304 linger.ms=5 compression.type=lz4 >/dev/null
get_offsets "$topic" -1 >"$WORK/ends"
total=$(awk -F: '{s += $3} END {print s}' "$WORK/ends")
[ "$total" -eq "$MB" ] || fail "produced $total records, expected $MB"

check_exactly_once() {  # location label
    "$KB_BIN/backup_dump" "$1" kill | awk '$1 == "R" {print $3, $4}' | sort -k1,1n -k2,2n >"$WORK/offsets"
    [ -z "$(uniq -d "$WORK/offsets")" ] || fail "$2: duplicated offsets: $(uniq -d "$WORK/offsets" | head -3)"
    while IFS=: read -r _ p end; do
        n=$(awk -v p="$p" '$1 == p' "$WORK/offsets" | wc -l)
        last=$(awk -v p="$p" '$1 == p {l = $2} END {print l}' "$WORK/offsets")
        [ "$n" -eq "$end" ] || fail "$2: partition $p holds $n records, the topic has $end"
        [ "$end" -eq 0 ] || [ "$last" -eq $((end - 1)) ] || fail "$2: partition $p ends at $last"
    done <"$WORK/ends"
}

# Records the newest manifest of backup "kill" names, 0 before the first one.
manifest_records() {  # location
    local m
    case $1 in s3://*) m=$(manifest_s3 kill kill 2>/dev/null || true) ;;
               *) m=$(manifest_fs "$1" kill 2>/dev/null || true) ;; esac
    [ -n "$m" ] || { echo 0; return; }
    echo "$m" | jq '[.topics[].partitions[].segments[].record_count] | add // 0'
}

run_with_kills() {  # location label
    local loc=$1 label=$2 kills=0 partial=0
    for round in 1 2 3 4 5 6 7 8; do
        "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topic" --path "$loc" \
            --backup-id kill --compression zstd --compression-level 1 --segment-max-bytes 24MiB \
            --memory-budget 128MiB --log-level warn >/dev/null 2>"$WORK/log" &
        local pid=$!
        # Random points, later each round: a run gets past its start (about 0.3 s: the
        # lease) and a fast run still gets killed mid-copy in the early rounds.
        sleep "$(awk -v r=$RANDOM -v n=$round 'BEGIN {printf "%.2f", 0.2 + 0.1 * n + (r % 10) / 100}')"
        if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
        wait "$pid" 2>/dev/null || true
        n=$(manifest_records "$loc")
        temps=0  # disk: segment files a kill cut short
        case $loc in s3://*) ;; *) temps=$({ find "$loc/kill/segments" -name '.kb-tmp-*' 2>/dev/null || true; } | wc -l) ;; esac
        echo "$label: round $round: killed; $n of $total records published so far, $temps unfinished segment file(s)"
        if [ "$n" -gt 0 ] && [ "$n" -lt "$total" ]; then partial=$((partial + 1)); fi
        [ "$n" -lt "$total" ] || break  # complete: later kills could not land mid-copy
    done
    [ $partial -ge 1 ] || fail "$label: no kill landed in the middle of the backup; nothing was tested" 
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topic" --path "$loc" \
        --backup-id kill --compression zstd --compression-level 1 --segment-max-bytes 24MiB \
        --memory-budget 128MiB --output json >"$WORK/final.json" 2>"$WORK/log" ||
        { cat "$WORK/log"; fail "$label: final resume failed"; }
    [ "$(jq -r .status "$WORK/final.json")" = complete ] || fail "$label: final run not complete"
    check_exactly_once "$loc" "$label"
    case $loc in
    s3://*)  # uploads cut by the kills were aborted by the resumed runs
        left=$(s3_uploads_awscli "$RUN_ID/kill/kill/segments/")
        [ "$left" -eq 0 ] || fail "$label: $left multipart upload(s) left in progress" ;;
    *)  # segment files a kill cut short (hidden temps) were removed by the resumed runs
        left=$({ find "$loc/kill/segments" -name '.kb-tmp-*' 2>/dev/null || true; } | wc -l)
        [ "$left" -eq 0 ] || fail "$label: $left unfinished segment file(s) left behind" ;;
    esac
    echo "$label: $kills SIGKILLs then resume: all $total records present exactly once"
}

run_with_kills "$(s3_url kill)" minio  # prefix "kill" under the run's S3 prefix
run_with_kills "$WORK/fs" disk
