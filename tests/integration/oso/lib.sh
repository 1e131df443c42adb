# Shared helpers of the OSO command tests. Source it.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
for v in KAFKA_BOOTSTRAP_SERVERS KAFKA_BIN S3_ENDPOINT AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY KB_TEST_BUCKET KB_BIN KB_SOURCE_DIR; do
    [[ -n "${!v:-}" ]] || fail "environment variable $v is not set: start the test environment with eval \"\$(scripts/env.sh up)\""
done
KB="$KB_BIN/kafka-backup"
[[ -x "$KB" ]] || fail "$KB is not built"
BS="$KAFKA_BOOTSTRAP_SERVERS"
RUN_ID="osocmds-$(date +%s)-$$"
WORK="$(mktemp -d /tmp/kb-oso-test.XXXXXX)"
S3_ROOT="s3://$KB_TEST_BUCKET/oso-tests/$RUN_ID"
S3_URL="$S3_ROOT?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true&region=${AWS_REGION:-us-east-1}"
CLEANUP_TOPICS=()
CLEANUP_GROUPS=()
CLEANUP_PIDS=()
cleanup() {
    for p in "${CLEANUP_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for g in "${CLEANUP_GROUPS[@]}"; do
        "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --delete --group "$g" >/dev/null 2>&1 || true
    done
    for t in "${CLEANUP_TOPICS[@]}"; do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$t" >/dev/null 2>&1 || true
    done
    if [[ -x "${KB_AWS_CLI:-/usr/bin/aws}" ]]; then
        "${KB_AWS_CLI:-/usr/bin/aws}" --endpoint-url "$S3_ENDPOINT" s3 rm --recursive "$S3_ROOT" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# The storage section of a config for this run's S3 prefix.
storage_yaml() {
    cat <<YAML
storage:
  backend: s3
  bucket: $KB_TEST_BUCKET
  prefix: oso-tests/$RUN_ID
  endpoint: $S3_ENDPOINT
  region: ${AWS_REGION:-us-east-1}
  path_style: true
  allow_http: true
YAML
}
# backup_yaml BACKUP_ID TOPIC [BACKUP_SECTION_LINES]: a backup config of one topic to this
# run's prefix; the optional lines go under `backup:`.
backup_yaml() {
    cat <<YAML
mode: backup
backup_id: $1
source:
  bootstrap_servers: [$BS]
  topics:
    include: [$2]
$(storage_yaml)
YAML
    [[ -z "${3:-}" ]] || printf 'backup:\n%s\n' "$3"
}
# run_backup CONFIG: a backup that must succeed (the test fails with its output otherwise).
run_backup() {
    "$KB" backup -c "$1" --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
        fail "backup: $(cat "$WORK/backup.out")"
}
# fresh_topic NAME PARTITIONS
fresh_topic() {
    CLEANUP_TOPICS+=("$1")
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$1" >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$1" \
            --partitions "$2" --replication-factor 1 >/dev/null 2>&1 && return 0
        sleep 1
    done
    fail "cannot create topic $1"
}
# produce_to TOPIC PARTITION PREFIX COUNT
produce_to() {
    seq 1 "$4" | sed "s/^/$3-/" | kcat -P -b "$BS" -t "$1" -p "$2"
}
# set_offsets GROUP TOPIC PARTITION:OFFSET...: commits these offsets with Kafka's own tool.
set_offsets() {
    local g=$1 t=$2 f="$WORK/offsets-$RANDOM.csv"
    shift 2
    CLEANUP_GROUPS+=("$g")
    : >"$f"
    for po in "$@"; do echo "$t,${po%%:*},${po##*:}" >>"$f"; done
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --group "$g" --reset-offsets \
        --from-file "$f" --execute >/dev/null 2>&1 || fail "cannot commit offsets of $g"
}
# committed GROUP TOPIC: "partition offset" lines from Kafka's own tool.
committed() {
    local out=""
    for _ in $(seq 1 10); do
        out="$("$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --describe --group "$1" 2>/dev/null |
            awk -v t="$2" '$2 == t { print $3, $4 }' | sort -n)"
        [[ -n "$out" ]] && break
        sleep 2
    done
    echo "$out"
}
eq() { [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '$1'"; }
# expect_exit CODE CMD...: runs CMD (stdout to $WORK/last.out, stderr to $WORK/last.err)
# and checks its exit code.
expect_exit() {
    local want=$1 rc=0
    shift
    "$@" >"$WORK/last.out" 2>"$WORK/last.err" || rc=$?
    [[ $rc == "$want" ]] || fail "'$*' exited $rc, expected $want: $(cat "$WORK/last.out" "$WORK/last.err")"
}
