# Shared helpers of the inspection/offset tool tests. Source it.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
need() {
    for v in "$@"; do
        [[ -n "${!v:-}" ]] || fail "environment variable $v is not set: start the test environment with eval \"\$(scripts/env.sh up)\""
    done
}
need KAFKA_BOOTSTRAP_SERVERS KAFKA_BIN S3_ENDPOINT AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY KB_TEST_BUCKET KB_BIN KB_SOURCE_DIR
KB="$KB_BIN/kafka-backup"
MAKE_BACKUP="$KB_BIN/kb_inspect_make_backup"
[[ -x "$KB" ]] || fail "$KB is not built"
[[ -x "$MAKE_BACKUP" ]] || fail "$MAKE_BACKUP is not built"
BS="$KAFKA_BOOTSTRAP_SERVERS"
RUN_ID="$(date +%s)-$$"
WORK="$(mktemp -d /tmp/kb-inspect-test.XXXXXX)"
S3_URL="s3://$KB_TEST_BUCKET/inspect-tests/$RUN_ID?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true&region=${AWS_REGION:-us-east-1}"
# Topics and groups a test registers here are deleted when it ends, with its S3 prefix.
CLEANUP_TOPICS=()
CLEANUP_GROUPS=()
cleanup() {
    for g in "${CLEANUP_GROUPS[@]}"; do delete_group "$g"; done
    for t in "${CLEANUP_TOPICS[@]}"; do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$t" >/dev/null 2>&1 || true
    done
    if [[ -x "${KB_AWS_CLI:-/usr/bin/aws}" ]]; then
        "${KB_AWS_CLI:-/usr/bin/aws}" --endpoint-url "$S3_ENDPOINT" s3 rm --recursive \
            "s3://$KB_TEST_BUCKET/inspect-tests/$RUN_ID" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Fresh topic NAME with PARTITIONS partitions.
fresh_topic() {
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$1" >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$1" \
            --partitions "$2" --replication-factor 1 >/dev/null 2>&1 && return 0
        sleep 1
    done
    fail "cannot create topic $1"
}
# produce TOPIC PREFIX COUNT: values PREFIX-1..PREFIX-COUNT
produce() {
    seq 1 "$3" | sed "s/^/$2-/" | "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BS" \
        --topic "$1" >/dev/null
}
# consume TOPIC GROUP MAX: prints the values; one record per poll so that the
# offsets committed on close are exactly the records printed.
consume() {
    "$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$1" --group "$2" \
        --from-beginning --max-messages "$3" --timeout-ms 90000 \
        --command-property max.poll.records=1 2>/dev/null
}
# consume_rest TOPIC GROUP: everything from the committed offsets on.
consume_rest() {
    "$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$BS" --topic "$1" --group "$2" \
        --timeout-ms 8000 2>/dev/null || true
}
# produce_to TOPIC PARTITION PREFIX COUNT: values PREFIX-1..PREFIX-COUNT into one partition.
produce_to() {
    seq 1 "$4" | sed "s/^/$3-/" | kcat -P -b "$BS" -t "$1" -p "$2"
}
# set_offsets GROUP TOPIC PARTITION:OFFSET...: commits exactly these offsets for an
# inactive group with Kafka's own tool.
set_offsets() {
    local g=$1 t=$2 f="$WORK/offsets-$RANDOM.csv"
    shift 2
    : >"$f"
    for po in "$@"; do echo "$t,${po%%:*},${po##*:}" >>"$f"; done
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --group "$g" --reset-offsets \
        --from-file "$f" --execute >/dev/null 2>&1 || fail "cannot commit offsets of $g with kafka-consumer-groups.sh"
}
delete_group() {
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --delete --group "$1" >/dev/null 2>&1 || true
}
# committed GROUP TOPIC: "partition offset" lines from Kafka's own tool.
committed() {
    local out=""
    # The tool prints nothing while the coordinator is loading or busy; ask again.
    for _ in $(seq 1 10); do
        out="$("$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$1" 2>/dev/null |
            awk -v t="$2" '$2 == t { print $3, $4 }' | sort -n)"
        [[ -n "$out" ]] && break
        sleep 2
    done
    echo "$out"
}
# check_schema SCHEMA_NAME FILE
check_schema() {
    python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema >/dev/null 2>&1 ||
        python3 -m pip install -q --break-system-packages jsonschema >/dev/null
    python3 - "$KB_SOURCE_DIR/docs/schemas/$1.schema.json" "$2" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))
for e in errors:
    print("schema violation in %s at %s: %s" % (sys.argv[2], list(e.absolute_path), e.message), file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}
eq() { [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '$1'"; }
