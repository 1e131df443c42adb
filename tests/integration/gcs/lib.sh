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
source "$(dirname "${BASH_SOURCE[0]}")/../lib/kafka.sh"

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
    delete_created_topics
    gcs_rm_prefix "$RUN_ID/" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
