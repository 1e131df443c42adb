#!/usr/bin/env bash
# Large-message restore bench (not a test: it prints figures, asserts nothing except
# that each run succeeds).
#
#   eval "$(scripts/env.sh exports)"; KB_BIN=build/bin bench/restore/run.sh [GB] [--memory-only|--speed-only]
#
# (a) memory: KB_BENCH_MEM_MB (default 2048) of 5 MB messages are backed up to MinIO,
#     then restored into a fresh topic under --memory-budget 256MiB; peak RSS from
#     /usr/bin/time -v (the issue's goal: well under 320 MiB).
# (b) speed: GB (default 1) of 1-10 MB messages of mixed compressibility (fixed seed,
#     the same generator as bench/backup/run.sh) are backed up to MinIO; then, in the
#     same run, `kafka-backup restore` into a fresh 4-partition topic, and Kafka's own
#     kafka-producer-perf-test.sh writing the same volume with the same mean record
#     size (uncompressed, acks=all, idempotent) into another fresh topic.
#     Rows: MB/s (payload MB over wall time), wall seconds, peak RSS, CPU s per GB
#     (the perf tool's wall time includes its JVM start: use at least 1 GB).
# Figures are only meaningful on a quiet machine. A smoke run at a tiny size:
#   KB_BENCH_MB=64 KB_BENCH_MEM_MB=64 KB_BIN=build/bin bench/restore/run.sh
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?eval \"\$(scripts/env.sh exports)\" first}" "${S3_ENDPOINT:?}" "${KB_TEST_BUCKET:?}"
: "${KAFKA_BIN:?}" "${KB_BIN:?set KB_BIN to the bin directory of a build}"
GB=${1:-1}
MODE=${2:-all}
SPEED_MB=${KB_BENCH_MB:-$((GB * 1024))}
MEM_MB=${KB_BENCH_MEM_MB:-2048}
BS=$KAFKA_BOOTSTRAP_SERVERS
WORK=${KB_BENCH_DIR:-$(mktemp -d)}
RUN="rbench-$$"
AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
S3="s3://$KB_TEST_BUCKET/$RUN?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"
TOPICS=()
cleanup() {
    for t in "${TOPICS[@]}"; do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$t" >/dev/null 2>&1 || true
    done
    $AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$RUN" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"

create_topic() {  # name
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$1" --partitions 4 \
        --replication-factor 1 --config max.message.bytes=16777216 >/dev/null
    TOPICS+=("$1")
}


# Loads `file` into `topic` (created by the caller: this runs in a subshell); prints
# "records payload_bytes".
load() {  # topic file
    kcat -P -b "$BS" -t "$1" -K '	' -l -X message.max.bytes=16000000 \
        -X queue.buffering.max.kbytes=1048576 "$2"
    awk -F'\t' '{n++; b += length($0) - length($1) - 1} END {printf "%d %d\n", n, b}' "$2"
}

backup() {  # topic id
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$1" --path "$S3" \
        --backup-id "$2" --compression zstd --compression-level 1 --no-progress --log-level warn \
        >/dev/null
}



restore_argv() {  # id source target [extra...]
    local id=$1 src=$2 dst=$3; shift 3
    TOPICS+=("$dst")
    ARGV=("$KB_BIN/kafka-backup" restore --bootstrap-servers "$BS" --path "$S3" --backup-id "$id"
        --topic-map "$src:$dst" --create-topics --no-progress --log-level warn "$@")
}

speed() {
    local src="$RUN-large"
    generate "$SPEED_MB" "$WORK/data.txt"
    create_topic "$src"
    read -r records bytes < <(load "$src" "$WORK/data.txt")
    rm -f "$WORK/data.txt"
    local mb=$((bytes / 1048576)) size=$((bytes / records))
    backup "$src" speed
    echo "# restore speed: $mb MB in $records messages of 1-10 MB (mean $size bytes), 4 partitions, from MinIO, $(nproc) cores, $(date -u +%F)"
    header
    restore_argv speed "$src" "$RUN-restored"
    measure "kafka-backup restore (from MinIO)" "$mb" "${ARGV[@]}"
    create_topic "$RUN-perf"
    measure "kafka-producer-perf-test (same volume)" "$mb" env KAFKA_HEAP_OPTS=-Xmx1G \
        "$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "$RUN-perf" --num-records "$records" \
        --record-size "$size" --throughput -1 --producer-props bootstrap.servers="$BS" acks=all \
        enable.idempotence=true compression.type=none max.request.size=16777216 \
        batch.size=16777216 linger.ms=5 buffer.memory=268435456
}

memory() {
    local src="$RUN-mem"
    generate "$MEM_MB" "$WORK/mem.txt" 5
    create_topic "$src"
    read -r records bytes < <(load "$src" "$WORK/mem.txt")
    rm -f "$WORK/mem.txt"
    local mb=$((bytes / 1048576))
    backup "$src" mem
    echo "# restore memory: $mb MB in $records messages of 5 MB from MinIO under --memory-budget 256MiB"
    header
    restore_argv mem "$src" "$RUN-mem-restored" --memory-budget 256MiB
    measure "restore 5 MB msgs, budget 256MiB" "$mb" "${ARGV[@]}"
}

case $MODE in
    --memory-only) memory ;;
    --speed-only) speed ;;
    *) speed; echo; memory ;;
esac
