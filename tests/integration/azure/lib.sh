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
source "$(dirname "${BASH_SOURCE[0]}")/../lib/kafka.sh"

source "$KB_SOURCE_DIR/tests/integration/lib/py_clients.sh"
AZ_PYTHON=$(py_client azure)
sdk() { "$AZ_PYTHON" "$KB_SOURCE_DIR/tests/integration/azure/sdk.py" "$CONTAINER" "$@"; }

cleanup() {
    delete_created_topics
    sdk drop-container >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
sdk make-container

# Our URL form, endpoint given; az_env_url leaves everything to AZURE_STORAGE_CONNECTION_STRING.
az_url() { echo "az://$CONTAINER/$1?account=$AZURE_STORAGE_ACCOUNT&endpoint=$KB_AZURE_ENDPOINT"; }
az_env_url() { echo "az://$CONTAINER/$1?account=$AZURE_STORAGE_ACCOUNT"; }

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
