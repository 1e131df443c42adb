#!/usr/bin/env bash
# The Kafka version matrix: for each version (and mode), start a private environment
# with scripts/env.sh, run the compatibility suite (existing integration tests, which
# read the broker and MinIO from the environment's exports) against it, stop it; then
# the migration cases (tests/integration/compat/migration_test.sh). Prints a table.
#
#   scripts/compat.sh                       the whole matrix (about an hour)
#   scripts/compat.sh 2.8.2-zk 4.4.0        some versions ("-zk": with ZooKeeper)
#   scripts/compat.sh --quick 2.8.2-zk      the short suite (CI's compat label; the
#                                           whole matrix with it: ~35 minutes)
#   scripts/compat.sh --full 3.7.1          every one-broker integration test
#   scripts/compat.sh --no-migration ...    without the migration cases
#
# Needs a Release build with the test binaries (default ./build; --build-dir DIR or
# KB_BIN). Ports: KB_COMPAT_PORT (default 53092, +100 for a migration's target) and
# KB_COMPAT_MINIO_PORT (default 53000). The table is also written to
# <build>/compat/matrix.md, each suite's ctest output to <build>/compat/<version>.log.
set -euo pipefail
KB_SCRIPT=compat
source "$(dirname "$0")/lib/common.sh"

MATRIX=(2.8.2-zk 3.7.1-zk 3.7.1 3.9.1-zk 3.9.1 4.0.2 4.3.0 4.4.0)
MIGRATIONS=("2.8.2-zk 4.4.0" "4.4.0 3.7.1")
# The suites: existing integration tests, run against each version. Quick (CI, ~3 min a
# version): snapshot backup byte-exact in every codec, continuous backup following
# groups, restore byte-exact, PITR + rename + repartition + group translation and
# commit, transactional data, the client's TLS/SASL (PLAIN, SCRAM-256/512) and admin
# (topics, configs) tests. The default adds continuous mode, transactions and
# compaction in restore, kcat and Java-tool interop, offset rollback and OSO's command
# forms, KIP-848 consumer groups on 4.x (~7 min a version); --full every integration
# test that runs on one broker.
QUICK_SUITE=(backup_fidelity backup_continuous_groups restore_fidelity
    restore_pitr_repartition_groups kafka_client_transactions kafka_client_integration_tests)
MATRIX_SUITE=("${QUICK_SUITE[@]}" backup_continuous restore_transactions_compaction
    kafka_client_interop_kcat kafka_client_interop_java inspect_offset_rollback oso_cli_forms
    compat_kip848_groups)
FULL_SUITE=("${MATRIX_SUITE[@]}" backup_recreated_topic restore_new_topic restore_left_out
    inspect_offset_report inspect_offset_reset inspect_offset_snapshot inspect_restore_mapping
    oso_snapshot_groups oso_offset_reset_bulk cli_bad_input_more integration_env_interop)

# Tests that cannot run on a version for reasons of Kafka's own tools, not ours.
skipped_for() {
    case $1 in
        # kafka-console-producer.sh has parse.headers and null.marker from 3.2 (KIP-798, KIP-810).
        2.*) echo kafka_client_interop_java ;;
    esac
}

BUILD=${KB_BIN:+$(dirname "$KB_BIN")}
BUILD=${BUILD:-$KB_ROOT/build}
SUITE=("${MATRIX_SUITE[@]}")
RUN_MIGRATIONS=1
VERSIONS=()
while (($#)); do
    case $1 in
        --quick) SUITE=("${QUICK_SUITE[@]}"); shift ;;
        --full) SUITE=("${FULL_SUITE[@]}"); shift ;;
        --no-migration) RUN_MIGRATIONS=0; shift ;;
        --migration-only) VERSIONS=(none); shift ;;
        --build-dir) BUILD=$2; shift 2 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        -*) die "unknown option '$1' (--quick, --full, --no-migration, --migration-only, --build-dir DIR)" ;;
        *) VERSIONS+=("$1"); shift ;;
    esac
done
((${#VERSIONS[@]})) || VERSIONS=("${MATRIX[@]}")
[[ ${VERSIONS[0]} == none ]] && VERSIONS=()
# Versions given: migrations only when both of a case's versions are among them.
[[ -x $BUILD/bin/kafka-backup ]] || die "no $BUILD/bin/kafka-backup: build first (ninja -C build) or pass --build-dir"
PORT=${KB_COMPAT_PORT:-53092}
MINIO_PORT=${KB_COMPAT_MINIO_PORT:-53000}
OUT=$BUILD/compat
mkdir -p "$OUT"
ROWS=()
FAILED=0

# row VERSION MODE WHAT RESULT SECONDS
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 s |"); }

mode_of() { [[ $1 == *-zk || ${1%%.*} -lt 3 ]] && echo ZooKeeper || echo KRaft; }

# Runs the suite against one version; one row.
run_version() {
    local v=$1 t0=$SECONDS name=kb-compat-$1 log=$OUT/$1.log exports regex passed total t tests=()
    for t in "${SUITE[@]}"; do [[ " $(skipped_for "$v") " == *" $t "* ]] || tests+=("$t"); done
    regex="^($(IFS='|'; echo "${tests[*]}"))\$"
    say "Kafka $v: starting its environment"
    if ! exports=$(env -u KB_ENV_DIR KB_ENV_NAME="$name" KB_KAFKA_PORT="$PORT" KB_MINIO_PORT="$MINIO_PORT" \
        "$KB_ROOT/scripts/env.sh" up --kafka-version "$v" 2>"$log"); then
        row "$v" "$(mode_of "$v")" "suite" "environment failed (see $log)" $((SECONDS - t0))
        FAILED=1; return 0
    fi
    say "Kafka $v: running ${#tests[@]} tests"
    (eval "$exports"; ctest --test-dir "$BUILD" -R "$regex" --output-on-failure) >>"$log" 2>&1 || FAILED=1
    env -u KB_ENV_DIR KB_ENV_NAME="$name" KB_KAFKA_PORT="$PORT" KB_MINIO_PORT="$MINIO_PORT" \
        "$KB_ROOT/scripts/env.sh" down >/dev/null 2>&1 || true
    total=$(grep -cE '^ *[0-9]+/[0-9]+ Test +#' "$log" || true)
    passed=$(grep -E '^ *[0-9]+/[0-9]+ Test +#' "$log" | grep -c ' Passed' || true)
    local failed_names
    failed_names=$(grep -E '^ *[0-9]+/[0-9]+ Test +#' "$log" | grep -v ' Passed' | awk '{print $4}' |
        paste -sd, - || true)
    row "$v" "$(mode_of "$v")" "suite (${#tests[@]} tests)" \
        "$passed/$total passed${failed_names:+; failed: $failed_names}" $((SECONDS - t0))
    say "Kafka $v: $passed/$total passed in $((SECONDS - t0)) s"
}

run_migration() {
    local src=$1 dst=$2 t0=$SECONDS log=$OUT/migration-$1-to-$2.log result=passed
    say "migration: Kafka $src -> Kafka $dst"
    KB_BIN=$BUILD/bin KB_SOURCE_DIR=$KB_ROOT KB_COMPAT_PORT=$PORT KB_COMPAT_MINIO_PORT=$MINIO_PORT \
        bash "$KB_ROOT/tests/integration/compat/migration_test.sh" "$src" "$dst" >"$log" 2>&1 ||
        { result="FAILED (see $log)"; FAILED=1; }
    row "$src -> $dst" "$(mode_of "$src") -> $(mode_of "$dst")" "migration" "$result" $((SECONDS - t0))
    say "migration $src -> $dst: $result"
}

wanted() {  # a migration runs when no versions were named or both of its are named
    local v
    [[ ${#ARGS_GIVEN[@]} -eq 0 ]] && return 0
    for v in "$@"; do [[ " ${ARGS_GIVEN[*]} " == *" $v "* ]] || return 1; done
}

ARGS_GIVEN=()
[[ "${VERSIONS[*]}" == "${MATRIX[*]}" ]] || ARGS_GIVEN=("${VERSIONS[@]}")
for v in "${VERSIONS[@]}"; do run_version "$v"; done
if ((RUN_MIGRATIONS)); then
    for m in "${MIGRATIONS[@]}"; do
        # shellcheck disable=SC2086
        if [[ ${#VERSIONS[@]} -eq 0 ]] || wanted $m; then run_migration $m; fi
    done
fi

{
    echo "Kafka version matrix, $(date -u '+%Y-%m-%d %H:%M UTC'), kafka-backup $(git -C "$KB_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo
    echo "| Kafka | mode | what | result | time |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
} | tee "$OUT/matrix.md"
exit $FAILED
