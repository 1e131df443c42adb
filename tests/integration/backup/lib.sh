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
