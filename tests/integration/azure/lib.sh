# Shared helpers for the Azure integration scripts (sourced, not run): Kafka from
# scripts/env.sh, Azurite started (or reused) through `scripts/env.sh azurite`,
# a container of our own per run (removed at the end), and the azure-storage-blob
# SDK in a cached venv as the client we did not write.
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${KAFKA_BIN:?run under scripts/env.sh}"
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"
: "${KB_SOURCE_DIR:?set KB_SOURCE_DIR to the source tree, as ctest does}"

fail() { echo "FAIL: $*" >&2; exit 1; }
eval "$("$KB_SOURCE_DIR/scripts/env.sh" azurite)"

BS=$KAFKA_BOOTSTRAP_SERVERS
KB="$KB_BIN/kafka-backup"
RUN_ID="az$$-$RANDOM"
CONTAINER="kb-$RUN_ID"
WORK=$(mktemp -d)
CREATED_TOPICS=()

# Pinned, in a venv cached next to the other Python clients the tests use.
AZ_SDK_VERSION=12.27.1
VENV="${KB_CACHE_DIR:-$HOME/.cache/kafka-backup}/py-azure-blob"
if ! "$VENV/bin/python" -c "import azure.storage.blob as b; assert b.__version__ == '$AZ_SDK_VERSION'" 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "azure-storage-blob==$AZ_SDK_VERSION" ||
        fail "could not install azure-storage-blob into $VENV"
fi
sdk() { "$VENV/bin/python" "$KB_SOURCE_DIR/tests/integration/azure/sdk.py" "$CONTAINER" "$@"; }

cleanup() {
    for t in "${CREATED_TOPICS[@]}"; do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$t" >/dev/null 2>&1 || true
    done
    sdk drop-container >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
sdk make-container

# Our URL form, endpoint given; az_env_url leaves everything to AZURE_STORAGE_CONNECTION_STRING.
az_url() { echo "az://$CONTAINER/$1?account=$AZURE_STORAGE_ACCOUNT&endpoint=$KB_AZURE_ENDPOINT"; }
az_env_url() { echo "az://$CONTAINER/$1?account=$AZURE_STORAGE_ACCOUNT"; }

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

# Every record as one line (partition|offset|timestamp|key|value length|headers|sha256
# of the value), read back by kcat, sorted by partition and offset.
records() {  # topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -X fetch.message.max.bytes=67108864 \
        -X receive.message.max.bytes=200000000 -D '\x1e' -f '%p|%o|%T|%k|%S|%h|%s\x1e' |
        python3 -c '
import sys, hashlib
out = []
for rec in sys.stdin.buffer.read().split(b"\x1e"):
    if not rec.strip(): continue
    parts = rec.split(b"|", 6)
    h = hashlib.sha256(parts[6]).hexdigest()[:16]
    out.append((int(parts[0]), int(parts[1]), b"|".join(parts[:6]).decode(errors="replace") + "|" + h))
for p, o, line in sorted(out): print(line)
'
}

backup() {  # path backup_id topics...
    local path=$1 id=$2; shift 2
    "$KB" backup --bootstrap-servers "$BS" --path "$path" --backup-id "$id" --topics "$(IFS=,; echo "$*")" \
        --compression none --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
        { cat "$WORK/backup.out"; fail "backup failed"; }
}
restore() {  # args...
    "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "$@" >"$WORK/restore.out" 2>&1 ||
        { cat "$WORK/restore.out"; fail "restore failed: $*"; }
}
