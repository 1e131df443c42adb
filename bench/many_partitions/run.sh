#!/usr/bin/env bash
# Many small partitions (issue 21.12): 1,000 topics / 1,200 partitions holding
# ~10.5 MiB (9 records of 1 KiB per partition), backed up to disk and to MinIO.
# Prints, per target: wall seconds, manifest versions published, the size of
# the newest manifest, metadata bytes written (versions x size, an upper bound)
# and metadata bytes still stored. Goal: <= 5 s and <= 10 MB of metadata.
# 2026-12-05, load average ~20: disk 4.2 s, MinIO 4.4 s, 3.1 MB written each.
# Topics are named manypart-bench-PID-NNNNN and deleted at the end.
#
#   eval "$(scripts/env.sh up)"; KB_BIN=build/bin bench/many_partitions/run.sh [topics] [two-partition topics]
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?eval \"\$(scripts/env.sh up)\" first}" "${S3_ENDPOINT:?}" "${KB_TEST_BUCKET:?}"
: "${KAFKA_BIN:?}" "${KB_BIN:?set KB_BIN to the bin directory of a build}"
TOPICS=${1:-1000}
TWO=${2:-200}
BS=$KAFKA_BOOTSTRAP_SERVERS
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
RUN="manypart-bench-$$"
AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
# The Kafka jars the CLI wrappers of scripts/env.sh run with.
LIBS=$(grep -o '"[^"]*/libs/\*"' "$KAFKA_BIN/kafka-topics.sh" | head -1 | tr -d '"*')
workload() { java -cp "$LIBS*" "$HERE/ManyTopics.java" "$BS" "$RUN" "$TOPICS" "$TWO" 9 1024 "$@"; }
cleanup() {
    workload delete >/dev/null 2>&1 || true
    $AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$RUN" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "creating $TOPICS topics ($((TOPICS + TWO)) partitions) and producing ..." >&2
workload 2>"$WORK/java.log" || { cat "$WORK/java.log"; exit 1; }

backup() {  # location id
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$RUN-*" --path "$1" \
        --backup-id "$2" --no-progress --log-level warn --output json >"$WORK/$2.json"
}

row() {  # label seconds versions newest-bytes stored-bytes
    printf '| %-8s | %6.1f | %8d | %12d | %14d | %14d |\n' "$1" "$2" "$3" "$4" $(($3 * $4)) "$5"
}

echo
echo "| target   | wall s | versions | newest bytes | written (max)  | stored bytes   |"
echo "|----------|--------|----------|--------------|----------------|----------------|"

t0=$(date +%s.%N)
backup "$WORK/disk" many
t1=$(date +%s.%N)
versions=$(jq .manifest_sequence "$WORK/many.json")
newest=$(ls "$WORK/disk/many/manifests/"manifest-*.json | sort | tail -1)
stored=$(du -cb "$WORK/disk/many/manifests/"manifest-*.json | tail -1 | cut -f1)
row disk "$(echo "$t1 - $t0" | bc)" "$versions" "$(stat -c %s "$newest")" "$stored"

loc="s3://$KB_TEST_BUCKET/$RUN?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"
t0=$(date +%s.%N)
backup "$loc" many
t1=$(date +%s.%N)
versions=$(jq .manifest_sequence "$WORK/many.json")
$AWS s3 ls "s3://$KB_TEST_BUCKET/$RUN/many/manifests/" | awk '{print $3, $4}' | sort -k2 >"$WORK/s3"
stored=$(awk '{s += $1} END {print s}' "$WORK/s3")
row minio "$(echo "$t1 - $t0" | bc)" "$versions" "$(tail -1 "$WORK/s3" | cut -d' ' -f1)" "$stored"
records=$(jq .records "$WORK/many.json")
echo
echo "records backed up: $records (expected $(( (TOPICS + TWO) * 9 )))"
