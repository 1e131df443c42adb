#!/usr/bin/env bash
# Installs what is missing (Debian packages) and builds kafka-backup in Release
# into build/. Idempotent: a second run installs nothing and rebuilds only what
# changed (ninja + ccache).
#
#   scripts/setup.sh            install + build
#   scripts/setup.sh --deps     install only
set -euo pipefail
KB_SCRIPT=setup
source "$(dirname "$0")/lib/common.sh"

# Debian packages and why (the README's "Dependencies" table says more).
PACKAGES=(
    build-essential cmake ninja-build ccache pkg-config git   # toolchain
    libboost1.81-dev libboost-program-options1.81-dev libboost-test1.81-dev  # Asio, Beast, options, tests
    nlohmann-json3-dev libyaml-cpp-dev libpugixml-dev libfmt-dev   # JSON, YAML config, S3 XML, formatting
    libzstd-dev liblz4-dev libsnappy-dev zlib1g-dev libssl-dev     # codecs, TLS, SigV4 hashing
    clang-14 libclang-rt-14-dev clang-format                       # libFuzzer, format check
    kcat awscli jq zstd time openssl                               # interop clients and tools for tests
    openjdk-17-jre-headless maven                                  # Apache Kafka from Maven Central
    python3-venv                                                   # the Azure/GCS SDKs the tests check against
)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Azurite (pinned, scripts/versions.env) installs with npm; a Node.js from elsewhere
# (nodesource) brings its own npm, which Debian's package would conflict with.
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
    say "installing ${#missing[@]} Debian packages: ${missing[*]}"
    SUDO=""
    ((EUID == 0)) || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
# MinIO is built from source and needs a recent Go (Debian's is too old for it).
command -v go >/dev/null || die "Go 1.24+ is needed to build MinIO: install it from go.dev/dl or your distribution"
command -v java >/dev/null || die "Java 17+ is needed to run Kafka"

[[ ${1:-} == --deps ]] && exit 0

BUILD_DIR=${KB_BUILD_DIR:-$KB_ROOT/build}
cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=Release)
[[ -n ${CI:-} ]] && cmake_args+=(-DKB_WERROR=ON)
# Relative paths in ccache keys: a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="$KB_ROOT" CCACHE_NOHASHDIR=1
cmake -S "$KB_ROOT" -B "$BUILD_DIR" "${cmake_args[@]}" >/dev/null
say "building into $BUILD_DIR"
ninja -C "$BUILD_DIR" -j"$(nproc)" >&2
say "built $BUILD_DIR/bin/kafka-backup"
