# Shared helpers for the restore integration scripts (sourced, not run).
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${S3_ENDPOINT:?run under scripts/env.sh}" "${KB_TEST_BUCKET:?run under scripts/env.sh}"
: "${KAFKA_BIN:?run under scripts/env.sh}" "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}"
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"

fail() { echo "FAIL: $*" >&2; exit 1; }
BS=$KAFKA_BOOTSTRAP_SERVERS
KB="$KB_BIN/kafka-backup"
AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
RUN_ID="rs$$-$RANDOM"
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
delete_topic() {
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$1" >/dev/null
    for _ in $(seq 1 50); do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --list | grep -qx "$1" || return 0
        sleep 0.2
    done
    fail "topic $1 still exists after delete"
}

# Every record as one line: partition|offset|timestamp type+ts|key length|value length|headers
# (in wire order, duplicates kept)|sha256 of key and value. Sorted by partition, offset.
records() {  # topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -X fetch.message.max.bytes=67108864 \
        -X receive.message.max.bytes=200000000 -D '\x1e' -f '%p|%o|%T|%K|%S|%h|%k|%s\x1e' |
        python3 -c '
import sys, hashlib
data = sys.stdin.buffer.read().split(b"\x1e")
out = []
for rec in data:
    if not rec.strip(): continue
    parts = rec.split(b"|", 7)
    h = hashlib.sha256(parts[7]).hexdigest()[:16]
    out.append((int(parts[0]), int(parts[1]), b"|".join(parts[:7]).decode(errors="replace") + "|" + h))
for p, o, line in sorted(out): print(line)
'
}

backup() {  # path backup_id topics...
    local path=$1 id=$2; shift 2
    "$KB" backup --bootstrap-servers "$BS" --path "$path" --backup-id "$id" --topics "$(IFS=,; echo "$*")" \
        --no-progress --log-level warn >"$WORK/backup.out" 2>&1 || { cat "$WORK/backup.out"; fail "backup failed"; }
}

restore() {  # args...
    "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "$@" >"$WORK/restore.out" 2>&1 ||
        { cat "$WORK/restore.out"; fail "restore failed: $*"; }
}
