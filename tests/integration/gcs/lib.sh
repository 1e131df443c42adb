# Shared helpers for the GCS integration scripts (sourced, not run): Kafka from
# scripts/env.sh, and fake-gcs-server added to it by `env.sh gcs` (built once).
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${KAFKA_BIN:?run under scripts/env.sh}"
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"
KB_ROOT=${KB_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
eval "$("$KB_ROOT/scripts/env.sh" gcs)"
: "${STORAGE_EMULATOR_HOST:?}" "${KB_GCS_BUCKET:?}"

fail() { echo "FAIL: $*" >&2; exit 1; }
BS=$KAFKA_BOOTSTRAP_SERVERS
KB="$KB_BIN/kafka-backup"
GCS=$STORAGE_EMULATOR_HOST  # http://127.0.0.1:55000
BUCKET=$KB_GCS_BUCKET
RUN_ID="gcs$$-$RANDOM"
WORK=$(mktemp -d)
CREATED_TOPICS=()

# Object names (one per line) under a prefix, straight from the emulator's JSON API.
gcs_names() {  # prefix
    curl -fsS "$GCS/storage/v1/b/$BUCKET/o?maxResults=5000&prefix=$(jq -rn --arg p "$1" '$p|@uri')" |
        jq -r '.items // [] | .[].name'
}
gcs_size() {  # name
    curl -fsS "$GCS/storage/v1/b/$BUCKET/o/$(jq -rn --arg p "$1" '$p|@uri')" | jq -r '.size'
}
gcs_rm_prefix() {  # prefix
    local n
    gcs_names "$1" | while read -r n; do
        curl -fsS -o /dev/null -X DELETE "$GCS/storage/v1/b/$BUCKET/o/$(jq -rn --arg p "$n" '$p|@uri')" || true
    done
}

cleanup() {
    for t in "${CREATED_TOPICS[@]}"; do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$t" >/dev/null 2>&1 || true
    done
    gcs_rm_prefix "$RUN_ID/" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

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

# Every record as one line: partition|offset|timestamp|key|value length|headers|sha256 of
# key and value, sorted by partition and offset.
records() {  # topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -X fetch.message.max.bytes=67108864 \
        -X receive.message.max.bytes=200000000 -D '\x1e' -f '%p|%o|%T|%K|%S|%h|%k|%s\x1e' |
        python3 -c '
import sys, hashlib
out = []
for rec in sys.stdin.buffer.read().split(b"\x1e"):
    if not rec.strip(): continue
    parts = rec.split(b"|", 7)
    h = hashlib.sha256(parts[7]).hexdigest()[:16]
    out.append((int(parts[0]), int(parts[1]), b"|".join(parts[:7]).decode(errors="replace") + "|" + h))
for p, o, line in sorted(out): print(line)
'
}
