# One storage backend for the backend suite (sourced by suite.sh BACKEND, not run):
# BACKEND is fs, s3, azure or gcs. Defines, the same for every backend:
#   loc NAME                  --path of a storage root of this run
#   make_orphan NAME KEY      leave an unfinished upload of KEY (relative to loc NAME)
#                             as a killed writer would; fails where a store has none
#   orphans_left NAME         how many unfinished uploads remain under loc NAME
# plus the Kafka helpers of tests/integration/lib/kafka.sh. Everything the run
# makes (topics, objects, the Azure container) is removed at exit.
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${KAFKA_BIN:?run under scripts/env.sh}"
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"
KB_ROOT=${KB_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}

fail() { echo "FAIL [$BACKEND]: $*" >&2; exit 1; }
BS=$KAFKA_BOOTSTRAP_SERVERS
KB="$KB_BIN/kafka-backup"
RUN_ID="be-$BACKEND-$$-$RANDOM"
WORK=$(mktemp -d)
source "$KB_ROOT/tests/integration/lib/kafka.sh"

storage_cleanup() { :; }
cleanup() {
    delete_created_topics
    storage_cleanup >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

case $BACKEND in
fs)
    ROOT="$WORK/store"
    loc() { echo "$ROOT/$1"; }
    # The filesystem's multipart staging: a directory per upload naming its key.
    make_orphan() {
        local dir="$ROOT/$1/.kb-multipart/$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
        mkdir -p "$dir" && printf '%s' "$2" >"$dir/key"
    }
    orphans_left() { { ls "$ROOT/$1/.kb-multipart" 2>/dev/null || true; } | wc -l; }
    ;;
s3)
    : "${S3_ENDPOINT:?}" "${KB_TEST_BUCKET:?}" "${AWS_ACCESS_KEY_ID:?}" "${AWS_SECRET_ACCESS_KEY:?}"
    AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
    loc() { echo "s3://$KB_TEST_BUCKET/$RUN_ID/$1?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"; }
    make_orphan() {
        $AWS s3api create-multipart-upload --bucket "$KB_TEST_BUCKET" --key "$RUN_ID/$1/$2" >/dev/null
    }
    orphans_left() {
        local out
        out=$($AWS s3api list-multipart-uploads --bucket "$KB_TEST_BUCKET" --output json)
        [ -n "$out" ] || { echo 0; return; }  # awscli v2 prints nothing when there are none
        echo "$out" | jq --arg p "$RUN_ID/$1/" '[.Uploads[]? | select(.Key | startswith($p))] | length'
    }
    storage_cleanup() {
        local key id
        $AWS s3api list-multipart-uploads --bucket "$KB_TEST_BUCKET" --prefix "$RUN_ID/" --output json |
            jq -r '.Uploads[]? | "\(.Key) \(.UploadId)"' | while read -r key id; do
                $AWS s3api abort-multipart-upload --bucket "$KB_TEST_BUCKET" --key "$key" --upload-id "$id"
            done
        $AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$RUN_ID"
    }
    ;;
azure)
    eval "$("$KB_ROOT/scripts/env.sh" azurite)"
    CONTAINER="kb-$RUN_ID"
    # Microsoft's SDK makes and inspects what we cannot.
    source "$KB_ROOT/tests/integration/lib/py_clients.sh"
    AZ_PYTHON=$(py_client azure)
    sdk() { "$AZ_PYTHON" "$KB_ROOT/tests/integration/azure/sdk.py" "$CONTAINER" "$@"; }
    sdk make-container
    loc() { echo "az://$CONTAINER/$1?account=$AZURE_STORAGE_ACCOUNT&endpoint=$KB_AZURE_ENDPOINT"; }
    make_orphan() { sdk stage "$1/$2"; }
    orphans_left() { sdk uncommitted "$1/" | wc -l; }
    storage_cleanup() { sdk drop-container; }
    ;;
gcs)
    eval "$("$KB_ROOT/scripts/env.sh" gcs)"
    : "${STORAGE_EMULATOR_HOST:?}" "${KB_GCS_BUCKET:?}"
    GCS=$STORAGE_EMULATOR_HOST
    # No endpoint= in the URL: STORAGE_EMULATOR_HOST routes the requests, anonymously.
    loc() { echo "gs://$KB_GCS_BUCKET/$RUN_ID/$1"; }
    # A resumable upload that is never finished is invisible to listings and expires
    # by itself (a week on GCS): there is nothing to clean up, nor to test.
    make_orphan() { return 1; }
    orphans_left() { echo 0; }
    storage_cleanup() {
        local n
        curl -fsS "$GCS/storage/v1/b/$KB_GCS_BUCKET/o?maxResults=5000&prefix=$RUN_ID/" |
            jq -r '.items // [] | .[].name' | while read -r n; do
                curl -fsS -o /dev/null -X DELETE \
                    "$GCS/storage/v1/b/$KB_GCS_BUCKET/o/$(jq -rn --arg p "$n" '$p|@uri')" || true
            done
    }
    ;;
*)
    echo "usage: suite.sh fs|s3|azure|gcs" >&2
    exit 2
    ;;
esac
