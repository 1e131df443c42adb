#!/usr/bin/env bash
# Everything, from a fresh machine: install, build (Release + a sanitizer build
# for the unit tests), start Kafka + MinIO, run every CTest label, stop the
# environment even on failure. Exits non-zero on any failure.
#
#   scripts/test.sh                 what CI runs: unit, integration, demo, fuzz, compat (the
#                                   oldest and newest Kafka beside 4.3: 8-9 min), faults (the
#                                   fault suite's core, in its own environment), metadata
#                                   (ACLs against a broker with an authorizer, ~100 s)
#   scripts/test.sh --all           also the long suites: faults_long (brokers failing on
#                                   three brokers), compat_full (the Kafka version matrix) and
#                                   compose (a Docker engine, images, the demos through docker
#                                   compose); README "Testing" has the times
#   KB_TEST_LABELS='unit' scripts/test.sh   only some labels (regex)
set -euo pipefail
KB_SCRIPT=test
source "$(dirname "$0")/lib/common.sh"
cd "$KB_ROOT"
# Relative paths in ccache keys: a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="$KB_ROOT" CCACHE_NOHASHDIR=1
LABELS=${KB_TEST_LABELS:-unit|integration|demo|fuzz|compat|faults|metadata}
case ${1:-} in
--all) LABELS="$LABELS|faults_long|compat_full|compose" ;;
'') ;;
*) die "unknown option '$1': use --all, or none" ;;
esac
# The labels that run in the shared environment; the others start their own.
shared_labels() { tr '|' '\n' <<<"$LABELS" | grep -xE 'unit|integration|demo' | paste -sd'|'; }

"$KB_ROOT/scripts/setup.sh"

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
say "sanitizer build (unit tests)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKB_SANITIZE=ON -DKB_BUILD_BENCH=OFF \
    ${CI:+-DKB_WERROR=ON} >/dev/null
ninja -C build-asan -j"$(nproc)" >&2
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan -L unit --output-on-failure -j"$(nproc)"

# libFuzzer targets need clang; each runs for a bounded time.
if [[ $LABELS == *fuzz* ]] && ls tests/fuzz/*/CMakeLists.txt >/dev/null 2>&1; then
    say "fuzz build (clang)"
    cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKB_FUZZ=ON \
        -DCMAKE_CXX_COMPILER=clang++-14 -DKB_BUILD_BENCH=OFF >/dev/null
    ninja -C build-fuzz -j"$(nproc)" fuzz_all >&2
fi

# --gcs --azurite: the emulators the backend suite (backends_gcs, backends_azure) and the
# GCS/Azure tests use, fetched pinned (scripts/versions.env) on a fresh machine.
eval "$("$KB_ROOT/scripts/env.sh" up --gcs --azurite)"
trap '"$KB_ROOT/scripts/env.sh" down' EXIT

# Integration tests drive real brokers on a small machine; a test that fails is run
# once more (the log keeps the first failure) so a slow broker restart in the
# three-broker test does not hide the rest of the results.
if [[ -n $(shared_labels) ]]; then
    ctest --test-dir build -L "$(shared_labels)" --output-on-failure -j"$(nproc)" \
        --repeat until-pass:2
fi
if [[ -d build-fuzz ]]; then ctest --test-dir build-fuzz -L fuzz --output-on-failure; fi
# The long suites start their own environments (private ports), one test at a time,
# with no repeat: a failure there is a finding.
for label in metadata faults faults_long compat compat_full compose; do
    if grep -qxF "$label" <(tr '|' '\n' <<<"$LABELS"); then
        say "label $label"
        ctest --test-dir build -L "^$label\$" --output-on-failure
    fi
done
say "all tests passed"
