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

create_topic() {  # name
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$1" --partitions 4 \
        --replication-factor 1 --config max.message.bytes=16777216 >/dev/null
    TOPICS+=("$1")
}

# key<TAB>value lines: values 1-10 MB (or exactly $3 MB), a mix of repetitive JSON,
# JSON with random fields and base64 noise, from a fixed seed (as bench/backup).
generate() {  # total_mb out_file [fixed_mb]
    python3 - "$1" "$2" "${3:-0}" <<'PY'
import base64, random, sys
total, out, fixed = int(sys.argv[1]) << 20, sys.argv[2], int(sys.argv[3])
r = random.Random(42)
with open(out, "w") as f:
    written, i = 0, 0
    while written < total:
        n = (fixed << 20) if fixed else r.randint(1 << 20, 10 << 20)
        kind = i % 3
        if kind == 0:
            unit = '{"id":%d,"status":"shipped","items":[1,2,3]},' % i
        elif kind == 1:
            unit = "".join('{"id":%d,"v":"%016x"},' % (j, r.getrandbits(64)) for j in range(4000))
        else:
            unit = base64.b64encode(r.randbytes(1 << 20)).decode()
        body = (unit * (n // len(unit) + 1))[:n]
        f.write("k%d\t%s\n" % (i, body))
        written += n
        i += 1
PY
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

measure() {  # label mb command...  -> one table row
    local label=$1 mb=$2; shift 2
    /usr/bin/time -v -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; exit 1; }
    python3 - "$label" "$mb" "$WORK/time" <<'PY'
import re, sys
label, mb, text = sys.argv[1], float(sys.argv[2]), open(sys.argv[3]).read()
def f(name):
    return re.search(name + r": (.*)", text).group(1).strip()
wall = f("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)").split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(f("User time \\(seconds\\)")) + float(f("System time \\(seconds\\)"))
rss = int(f("Maximum resident set size \\(kbytes\\)")) / 1024
print("| %-40s | %8.1f | %7.1f | %8.0f | %10.1f |" % (label, mb / secs, secs, rss, cpu / (mb / 1024)))
PY
}

header() {
    echo
    echo "| run                                      | MB/s     | wall s  | peak MB  | CPU s / GB |"
    echo "|------------------------------------------|----------|---------|----------|------------|"
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
