#!/usr/bin/env bash
# CI's slice of the Kafka version matrix (CTest label compat): the oldest and the newest
# broker we support, each started once as a private environment and side by side:
#
#   core_test.sh [OLD [NEW]]        default: 2.8.2-zk (ZooKeeper) and 4.4.0 (KRaft)
#
# On each: the client's TLS, SASL (PLAIN, SCRAM) and admin tests (topics, configs), its
# transactions, restore with point-in-time + rename + repartition + group translation
# and commit, and transactional and compacted data restored as a read_committed
# consumer saw it; on NEW also KIP-848 consumer groups (kip848_groups_test.sh). Then the
# migration OLD -> NEW between the two running clusters
# (migration_test.sh: byte-exact records, topic configs, translated group offsets).
# Every step runs even if one fails; the summary names the failed ones.
# Ports: KB_COMPAT_PORT (default 53092; NEW uses +100) and KB_COMPAT_MINIO_PORT (53000).
set -euo pipefail
OLD=${1:-2.8.2-zk}
NEW=${2:-4.4.0}
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"
ROOT=${KB_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
BUILD=$(dirname "$KB_BIN")
PORT=${KB_COMPAT_PORT:-53092}
MINIO_PORT=${KB_COMPAT_MINIO_PORT:-53000}
SUBSET=(kafka_client_integration_tests kafka_client_transactions
    restore_pitr_repartition_groups restore_transactions_compaction)
NEW_ONLY=(compat_kip848_groups)  # KIP-848 consumer groups: Kafka 4.0 and newer
WORK=$(mktemp -d)
FAILED=()
say() { echo "compat core: $*" >&2; }

env_sh() {  # NAME KAFKA_PORT args...: scripts/env.sh for a private environment
    local name=$1 port=$2; shift 2
    env -u KB_ENV_DIR KB_ENV_NAME="$name" KB_KAFKA_PORT="$port" KB_MINIO_PORT="$MINIO_PORT" \
        "$ROOT/scripts/env.sh" "$@"
}
cleanup() {
    env_sh "kb-core-$OLD" "$PORT" down >/dev/null 2>&1 || true
    env_sh "kb-core-$NEW" "$((PORT + 100))" down >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# Starts one cluster; a second try when the first fails, since these ports lie in Linux's
# ephemeral range and a client socket can hold one of them for a moment ("failed to bind").
start() {  # NAME PORT OUT args...
    local name=$1 port=$2 out=$3
    shift 3
    env_sh "$name" "$port" up "$@" >"$out.env" 2>"$out.log" && return 0
    say "$name did not start ($(tail -1 "$out.log")); trying once more"
    env_sh "$name" "$port" down >/dev/null 2>&1 || true
    env_sh "$name" "$port" up "$@" >"$out.env" 2>>"$out.log"
}

# Both clusters start at once (the old one with the MinIO both use).
t0=$SECONDS
start "kb-core-$OLD" "$PORT" "$WORK/old" --kafka-version "$OLD" &
old_pid=$!
start "kb-core-$NEW" "$((PORT + 100))" "$WORK/new" --no-minio --kafka-version "$NEW" &
new_pid=$!
wait "$old_pid" || { cat "$WORK/old.log" >&2; say "FAIL: could not start Kafka $OLD"; exit 1; }
wait "$new_pid" || { cat "$WORK/new.log" >&2; say "FAIL: could not start Kafka $NEW"; exit 1; }
grep -E 'S3_|AWS_|KB_TEST_BUCKET' "$WORK/old.env" >>"$WORK/new.env"
say "Kafka $OLD and $NEW up in $((SECONDS - t0)) s"

run_subset() {  # VERSION EXPORTS_FILE TESTS...
    local v=$1 exports=$2 t1=$SECONDS regex
    shift 2
    regex="^($(IFS='|'; echo "$*"))\$"
    say "Kafka $v: $# tests"
    # shellcheck disable=SC1090
    if (source "$exports"; ctest --test-dir "$BUILD" -R "$regex" --output-on-failure); then
        say "Kafka $v: passed in $((SECONDS - t1)) s"
    else
        FAILED+=("suite on $v")
    fi
}
run_subset "$OLD" "$WORK/old.env" "${SUBSET[@]}"
run_subset "$NEW" "$WORK/new.env" "${SUBSET[@]}" "${NEW_ONLY[@]}"

t1=$SECONDS
say "migration $OLD -> $NEW"
if KB_MIG_SRC_EXPORTS=$WORK/old.env KB_MIG_DST_EXPORTS=$WORK/new.env \
    bash "$ROOT/tests/integration/compat/migration_test.sh" "$OLD" "$NEW"; then
    say "migration passed in $((SECONDS - t1)) s"
else
    FAILED+=("migration $OLD -> $NEW")
fi

if ((${#FAILED[@]})); then
    say "FAIL: $(IFS=,; echo "${FAILED[*]}") (total $((SECONDS - t0)) s)"
    exit 1
fi
say "PASS: Kafka $OLD and $NEW, and the migration, in $((SECONDS - t0)) s"
