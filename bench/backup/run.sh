#!/usr/bin/env bash
# Large-message backup bench (not a test: it prints figures, asserts nothing
# except that each backup succeeds).
#
#   eval "$(scripts/env.sh up)"; KB_BIN=build/bin bench/backup/run.sh [GB] [--memory-only]
#   KB_BIN=build/bin bench/backup/run.sh [GB] --backend azure|gcs
#
# Loads GB (default 1) of 1-10 MB JSON-like messages of mixed compressibility
# (fixed seed) into a 4-partition topic, then in the same run measures:
#   - fetch-only rate: kcat -C -e -o beginning -q > /dev/null
#   - zstd -1 / -3 CLI speed on the same payload bytes, and dd writing them to disk (fsync)
#   - kafka-backup backup to disk and to MinIO with --compression none, zstd 1, zstd 3:
#     MB/s (payload MB over wall time), peak RSS and CPU seconds per GB (/usr/bin/time -v)
#   - the memory check: KB_BENCH_MEM_MB (default GB * 1024) of 5 MB messages under
#     --memory-budget 256MiB, to disk and to MinIO: peak RSS (goal: under 320 MiB)
# --memory-only skips everything but the memory check.
# --backend azure|gcs measures instead, against Azurite or fake-gcs-server (started
# through scripts/env.sh): KB_BENCH_MB (default GB * 1024) of 5 MB messages, fetch
# only, our backup with --compression none, and the emulator's own Python client
# (azure-storage-blob, google-cloud-storage) uploading the same payload bytes as 4
# objects side by side. Emulators are not the services: compare the rows of one run.
# --one-partition: GB of JSON-like messages (generate_varied: the usual generator's
#   data compresses so well that zstd costs next to nothing) in ONE partition, to disk with
#   zstd -3 under --shards 1 and --shards 2, KB_BENCH_PAIRS (default 3) interleaved
#   pairs: with two shards the partition's frames are compressed on both (issue #24's
#   goal: >= 1.6 cores busy, >= 1.7x the one-shard rate).
set -euo pipefail
BACKEND=minio
rest=()
while (($#)); do
    case $1 in
    --backend) BACKEND=${2:?--backend needs azure or gcs}; shift 2 ;;
    *) rest+=("$1"); shift ;;
    esac
done
set -- "${rest[@]+"${rest[@]}"}"
: "${KAFKA_BOOTSTRAP_SERVERS:?eval \"\$(scripts/env.sh up)\" first}" "${S3_ENDPOINT:?}" "${KB_TEST_BUCKET:?}"
: "${KAFKA_BIN:?}" "${KB_BIN:?set KB_BIN to the bin directory of a build}"
GB=${1:-1}
MODE=${2:-all}
BS=$KAFKA_BOOTSTRAP_SERVERS
WORK=${KB_BENCH_DIR:-$(mktemp -d)}
RUN="bench-$$"
TOPIC="$RUN-large"
AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
cleanup() {
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$TOPIC" >/dev/null 2>&1 || true
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$RUN-mem" >/dev/null 2>&1 || true
    $AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$RUN" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=../lib.sh
source "$(dirname "$0")/../lib.sh"
KB_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
fail() { echo "bench: $*" >&2; exit 1; }

# Our backup and the emulator's own client on the same bytes, one table.
emulator_bench() {
    local loc mb=${KB_BENCH_MB:-$((GB * 1024))}  # py and name: global, the EXIT trap reads them
    source "$KB_ROOT/tests/integration/lib/py_clients.sh"
    case $BACKEND in
    azure)
        eval "$("$KB_ROOT/scripts/env.sh" azurite)"
        name="kb-$RUN"
        py=$(py_client azure)
        "$py" "$KB_ROOT/tests/integration/azure/sdk.py" "$name" make-container
        trap '"$py" "$KB_ROOT/tests/integration/azure/sdk.py" "$name" drop-container >/dev/null 2>&1 || true; cleanup' EXIT
        loc="az://$name/kb?account=$AZURE_STORAGE_ACCOUNT&endpoint=$KB_AZURE_ENDPOINT"
        ;;
    gcs)
        eval "$("$KB_ROOT/scripts/env.sh" gcs)"
        name=$KB_GCS_BUCKET
        py=$(py_client gcs)
        loc="gs://$name/$RUN/kb"  # STORAGE_EMULATOR_HOST routes it
        ;;
    *) fail "--backend takes azure or gcs, not '$BACKEND'" ;;
    esac
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$TOPIC" --partitions 4 \
        --replication-factor 1 --config max.message.bytes=16777216 >/dev/null
    generate "$mb" "$WORK/data.txt" 5
    produce "$TOPIC" "$WORK/data.txt"
    cut -f2- "$WORK/data.txt" >"$WORK/payload.bin"
    rm -f "$WORK/data.txt"
    local MB=$(( $(stat -c %s "$WORK/payload.bin") / 1048576 ))
    echo "# backup bench, $BACKEND emulator: $MB MB of 5 MB messages, 4 partitions, $(nproc) cores, $(date -u +%F)"
    header
    measure "fetch only (kcat to /dev/null)" "$MB" kcat -C -b "$BS" -t "$TOPIC" -e -o beginning -q \
        -X fetch.message.max.bytes=16777216 -X receive.message.max.bytes=100000000
    backup_argv "$loc" b-none none 0
    measure "backup to $BACKEND emulator, none" "$MB" "${ARGV[@]}"
    measure "$BACKEND Python client, same bytes" "$MB" "$py" "$KB_ROOT/bench/backup/sdk_upload.py" \
        "$BACKEND" "$name" "$WORK/payload.bin" 4
    if [ "$BACKEND" = gcs ]; then  # the bucket is shared: remove what this run wrote
        curl -fsS "$STORAGE_EMULATOR_HOST/storage/v1/b/$name/o?maxResults=5000&prefix=$RUN/" |
            jq -r '.items // [] | .[].name' | while read -r n; do
                curl -fsS -o /dev/null -X DELETE "$STORAGE_EMULATOR_HOST/storage/v1/b/$name/o/$(jq -rn --arg p "$n" '$p|@uri')"
            done
        for i in 0 1 2 3; do curl -fsS -o /dev/null -X DELETE "$STORAGE_EMULATOR_HOST/storage/v1/b/$name/o/sdk%2Fpart-$i" || true; done
    fi
}


produce() {  # topic file
    kcat -P -b "$BS" -t "$1" -K '	' -l -X message.max.bytes=16000000 -X queue.buffering.max.kbytes=1048576 "$2"
}


# The backup command line (an argv, so /usr/bin/time runs the binary itself).
backup_argv() {  # location id compression level [extra...]
    local loc=$1 id=$2 comp=$3 level=$4; shift 4
    ARGV=("$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$TOPIC" --path "$loc"
        --backup-id "$id" --compression "$comp" --compression-level "$level" --no-progress
        --log-level warn "$@")
}

s3="s3://$KB_TEST_BUCKET/$RUN?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"

speed_bench() {
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$TOPIC" --partitions 4 \
    --replication-factor 1 --config max.message.bytes=16777216 >/dev/null
generate $((GB * 1024)) "$WORK/data.txt"
produce "$TOPIC" "$WORK/data.txt"
cut -f2- "$WORK/data.txt" >"$WORK/payload.bin"
rm -f "$WORK/data.txt"
MB=$(( $(stat -c %s "$WORK/payload.bin") / 1048576 ))

echo "# backup bench: $MB MB of 1-10 MB messages, 4 partitions, $(nproc) cores, $(date -u +%F)"
header
measure "fetch only (kcat to /dev/null)" "$MB" kcat -C -b "$BS" -t "$TOPIC" -e -o beginning -q \
    -X fetch.message.max.bytes=16777216 -X receive.message.max.bytes=100000000
cat "$WORK/payload.bin" >/dev/null  # warm the page cache so both zstd runs read from memory
measure "zstd -1 CLI (same bytes)" "$MB" zstd -1 -q -c "$WORK/payload.bin"
measure "zstd -3 CLI (same bytes)" "$MB" zstd -3 -q -c "$WORK/payload.bin"
# The disk's own ceiling for the to-disk rows: the same bytes written and fsynced.
measure "disk write only (dd, fsync)" "$MB" dd if="$WORK/payload.bin" of="$WORK/dd.out" bs=1M \
    conv=fsync status=none
rm -f "$WORK/dd.out"
rm -f "$WORK/payload.bin"
for target in disk minio; do
    for c in "none 0" "zstd 1" "zstd 3"; do
        set -- $c
        loc=$([ $target = disk ] && echo "$WORK/disk" || echo "$s3")
        label=$([ "$1" = none ] && echo none || echo "zstd -$2")
        backup_argv "$loc" "b-$1-$2" "$1" "$2"
        measure "backup to $target, $label" "$MB" "${ARGV[@]}"
    done
    rm -rf "$WORK/disk"
done

}
# One partition, zstd -3 to disk: --shards 1 against --shards 2, interleaved.
one_partition_bench() {
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$TOPIC" --partitions 1 \
    --replication-factor 1 --config max.message.bytes=16777216 >/dev/null
generate_varied $((GB * 1024)) "$WORK/data.txt"
produce "$TOPIC" "$WORK/data.txt"
MB=$(( $(awk -F'\t' '{b += length($0) - length($1) - 1} END {print b}' "$WORK/data.txt") / 1048576 ))
rm -f "$WORK/data.txt"
echo "# one partition: $MB MB of 1-10 MB JSON-like messages (generate_varied), zstd -3 to disk, $(nproc) cores, $(date -u +%F)"
header
local tsv=${KB_BENCH_TSV:-$WORK/one.tsv}
for pair in $(seq "${KB_BENCH_PAIRS:-3}"); do
    for shards in 1 2; do
        backup_argv "$WORK/disk" "one-$pair-$shards" zstd 3 --shards "$shards"
        KB_BENCH_TSV=$tsv measure "1 partition, zstd -3, --shards $shards" "$MB" "${ARGV[@]}"
        rm -rf "$WORK/disk"
    done
done
echo
echo "cores busy (CPU s / wall s) per run, in order:"
awk -F'\t' '/1 partition, zstd/ {printf "  %s: %.2f\n", $1, $5 / $3}' "$tsv"
}

if [ "$BACKEND" != minio ]; then
    emulator_bench
    exit 0
fi
case $MODE in
    --one-partition) one_partition_bench; exit 0 ;;
    --memory-only) ;;
    *) speed_bench ;;
esac

# Memory: 5 MB messages under a 256 MiB budget (the issue's limit: peak RSS < 320 MiB).
MEM_MB=${KB_BENCH_MEM_MB:-$((GB * 1024))}
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$RUN-mem" --partitions 4 \
    --replication-factor 1 --config max.message.bytes=16777216 >/dev/null
generate "$MEM_MB" "$WORK/mem.txt" 5
produce "$RUN-mem" "$WORK/mem.txt"
rm -f "$WORK/mem.txt"
TOPIC="$RUN-mem"
echo
echo "# memory: $MEM_MB MB of 5 MB messages, 4 partitions, --memory-budget 256MiB"
header
backup_argv "$WORK/mem" mem zstd 1 --memory-budget 256MiB
measure "5 MB msgs, 256MiB budget, disk" "$MEM_MB" "${ARGV[@]}"
rm -rf "$WORK/mem"
backup_argv "$s3" mem zstd 1 --memory-budget 256MiB
measure "5 MB msgs, 256MiB budget, MinIO" "$MEM_MB" "${ARGV[@]}"
