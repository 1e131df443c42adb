# Shared helpers for the backup integration scripts (sourced, not run).
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${S3_ENDPOINT:?run under scripts/env.sh}" "${KB_TEST_BUCKET:?run under scripts/env.sh}"
: "${KAFKA_BIN:?run under scripts/env.sh}" "${KB_ENV_DIR:?run under scripts/env.sh}" "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}"
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"

fail() { echo "FAIL: $*" >&2; exit 1; }
BS=$KAFKA_BOOTSTRAP_SERVERS
AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
RUN_ID="bk$$-$RANDOM"
WORK=$(mktemp -d)
CREATED_TOPICS=()
cleanup() {
    for t in "${CREATED_TOPICS[@]}"; do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$t" >/dev/null 2>&1 || true
    done
    $AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$RUN_ID" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

s3_url() { echo "s3://$KB_TEST_BUCKET/$RUN_ID/$1?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"; }

create_topic() {  # name partitions [extra args]
    local name=$1 parts=$2; shift 2
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$name" \
        --partitions "$parts" --replication-factor 1 "$@" >/dev/null
    CREATED_TOPICS+=("$name")
}

# "topic:partition:offset" lines for the latest (-1) or earliest (-2) offsets.
get_offsets() {  # topic time
    "$KAFKA_BIN/kafka-get-offsets.sh" --bootstrap-server "$BS" --topic "$1" --time "$2" | sort
}

# The newest manifest of a backup at a filesystem path or under an S3 prefix.
manifest_fs() {  # dir backup_id
    ls "$1/$2/manifests/"manifest-*.json | sort | tail -1 | xargs cat
}
manifest_s3() {  # prefix backup_id
    local key
    key=$($AWS s3 ls "s3://$KB_TEST_BUCKET/$RUN_ID/$1/$2/manifests/" | awk '{print $4}' | sort | tail -1)
    [ -n "$key" ] || fail "no manifest under s3://$KB_TEST_BUCKET/$RUN_ID/$1/$2/manifests/"
    $AWS s3 cp "s3://$KB_TEST_BUCKET/$RUN_ID/$1/$2/manifests/$key" -
}

# "topic:partition:end_offset" lines from a manifest (partitions with data only).
manifest_ends() {
    jq -r '.topics[] | .name as $t | .partitions[] | "\($t):\(.partition):\(.end_offset)"' | sort
}

# What kcat reads from `topic`, as backup_dump R lines (sorted by partition, offset).
kcat_records() {  # topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -J -X fetch.message.max.bytes=67108864 \
        -X receive.message.max.bytes=200000000 | python3 "$KB_SOURCE_DIR/tests/integration/backup/kcat_lines.py"
}

dump_records() {  # location backup_id topic
    "$KB_BIN/backup_dump" "$1" "$2" | awk -v t="$3" '$1 == "R" && $2 == t' | sort -k3,3n -k4,4n
}

# Produces `mb` records of 1 MiB (random printable text) into `topic`.
produce_mib_records() {  # topic mb
    "$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "$1" --num-records "$2" --record-size 1048576 \
        --throughput -1 --producer-props bootstrap.servers="$BS" acks=1 max.request.size=4194304 \
        batch.size=4194304 linger.ms=5 compression.type=lz4 >/dev/null
}

# In-progress multipart uploads whose key starts with `prefix` (bucket-relative).
# MinIO answers a ListMultipartUploads prefix only for an exact key, so both list
# the bucket and filter. s3_uploads_fast (curl, ~20 ms) is for polling;
# s3_uploads_awscli is the independent check.
s3_uploads_fast() {  # prefix
    curl -sf --aws-sigv4 "aws:amz:${AWS_REGION:-us-east-1}:s3" \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" "$S3_ENDPOINT/$KB_TEST_BUCKET?uploads=" |
        grep -o "<Key>$1[^<]*</Key>" | wc -l
}
s3_uploads_awscli() {  # prefix
    local out
    out=$($AWS s3api list-multipart-uploads --bucket "$KB_TEST_BUCKET" --output json) ||
        { echo "aws s3api list-multipart-uploads failed" >&2; return 1; }
    # awscli v2 prints nothing at all when no upload is in progress.
    [ -n "$out" ] || { echo 0; return; }
    echo "$out" | jq --arg p "$1" '[.Uploads[]? | select(.Key | startswith($p))] | length'
}

# Every offset 0..end-1 of every partition of the topic (per "topic:partition:end"
# lines in `ends_file`) appears exactly once in the backup.
assert_exactly_once() {  # location backup_id ends_file label
    "$KB_BIN/backup_dump" "$1" "$2" | awk '$1 == "R" {print $3, $4}' | sort -k1,1n -k2,2n >"$WORK/offsets"
    [ -z "$(uniq -d "$WORK/offsets")" ] || fail "$4: duplicated offsets: $(uniq -d "$WORK/offsets" | head -3)"
    while IFS=: read -r _ p end; do
        n=$(awk -v p="$p" -v e="$end" '$1 == p && $2 >= 0 && $2 < e' "$WORK/offsets" | wc -l)
        all=$(awk -v p="$p" '$1 == p' "$WORK/offsets" | wc -l)
        [ "$n" -eq "$end" ] && [ "$all" -eq "$end" ] ||
            fail "$4: partition $p holds $all records ($n within 0..$((end - 1))), the topic has $end"
    done <"$3"
}

# Records in the newest manifest of a backup ("" when there is none).
manifest_record_count() {
    jq '[.topics[].partitions[].segments[].record_count] | add // 0'
}
