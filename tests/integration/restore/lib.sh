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
source "$(dirname "${BASH_SOURCE[0]}")/../lib/kafka.sh"
cleanup() {
    delete_created_topics
    $AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$RUN_ID" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

s3_url() { echo "s3://$KB_TEST_BUCKET/$RUN_ID/$1?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"; }

backup() {  # path backup_id topics...
    local path=$1 id=$2; shift 2
    "$KB" backup --bootstrap-servers "$BS" --path "$path" --backup-id "$id" --topics "$(IFS=,; echo "$*")" \
        --no-progress --log-level warn >"$WORK/backup.out" 2>&1 || { cat "$WORK/backup.out"; fail "backup failed"; }
}

restore() {  # args...
    "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "$@" >"$WORK/restore.out" 2>&1 ||
        { cat "$WORK/restore.out"; fail "restore failed: $*"; }
}
