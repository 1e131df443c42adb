#!/usr/bin/env bash
# scripts/include_graph.py must pass on the real tree, and must tell a wrong edge from a
# right one on tiny trees built here (so a script that passes everything fails this test).
set -euo pipefail
src=${KB_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
graph="python3 $src/scripts/include_graph.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# header FILE: an empty header; include FROM TO: FROM includes TO by its kb/ spelling.
header() { mkdir -p "$(dirname "$1")"; : >"$1"; }
include() { mkdir -p "$(dirname "$1")"; echo "#include <$2>" >>"$1"; }

tree() {  # a miniature of the layout: runtime, storage, kafka, engine, apps
    rm -rf "$tmp/t"
    header "$tmp/t/runtime/include/kb/runtime/log.hpp"
    header "$tmp/t/storage/include/kb/storage/backend.hpp"
    header "$tmp/t/storage/fs/include/kb/storage/fs/fs.hpp"
    header "$tmp/t/kafka/protocol/include/kb/kafka/protocol/wire.hpp"
    header "$tmp/t/kafka/client/include/kb/kafka/client/cluster.hpp"
    header "$tmp/t/engine/backup/include/kb/backup/backup.hpp"
    header "$tmp/t/engine/config/include/kb/config/config.hpp"
    include "$tmp/t/storage/src/backend.cpp" kb/runtime/log.hpp
    include "$tmp/t/storage/fs/src/fs.cpp" kb/storage/backend.hpp
    include "$tmp/t/kafka/client/src/cluster.cpp" kb/kafka/protocol/wire.hpp
    include "$tmp/t/engine/backup/src/backup.cpp" kb/kafka/client/cluster.hpp
    include "$tmp/t/engine/backup/src/backup.cpp" kb/config/config.hpp
    include "$tmp/t/apps/main.cpp" kb/backup/backup.hpp
    include "$tmp/t/apps/main.cpp" kb/runtime/log.hpp
}

expect_against() {  # FILE HEADER WHY: adding that include must fail with WHY
    tree
    include "$tmp/t/$1" "$2"
    if out=$($graph --root "$tmp/t" 2>&1); then fail "$1 -> $2 passed:"$'\n'"$out"; fi
    grep -q "AGAINST: $3" <<<"$out" || fail "$1 -> $2 did not say '$3':"$'\n'"$out"
}

tree
out=$($graph --root "$tmp/t") || fail "a clean tree failed:"$'\n'"$out"
grep -qx 'engine/backup -> kafka/client  (1)' <<<"$out" || fail "edge not printed:"$'\n'"$out"

expect_against storage/src/backend.cpp kb/config/config.hpp "points up"
expect_against runtime/src/log.cpp kb/storage/backend.hpp "points up"
expect_against storage/fs/src/fs.cpp kb/kafka/protocol/wire.hpp "kafka and storage never"
expect_against kafka/protocol/src/wire.cpp kb/storage/backend.hpp "kafka and storage never"
expect_against apps/main.cpp kb/kafka/client/cluster.hpp "apps reaches past engine"
expect_against kafka/protocol/src/wire.cpp kb/kafka/client/cluster.hpp "kafka/client is not below"
expect_against storage/src/open.cpp kb/storage/fs/fs.hpp "storage/fs is not below"
expect_against engine/config/src/c.cpp kb/backup/backup.hpp "engine modules in a circle"

# A known edge is tolerated; a known edge that is gone is an error.
tree
include "$tmp/t/apps/main.cpp" kb/storage/backend.hpp
echo "apps -> storage" >"$tmp/allow"
$graph --root "$tmp/t" --allow "$tmp/allow" >/dev/null || fail "an allowed edge failed"
tree
if $graph --root "$tmp/t" --allow "$tmp/allow" >/dev/null 2>&1; then fail "a stale allowed edge passed"; fi

# The real tree.
$graph --root "$src" --allow "$(dirname "$0")/known_against.txt"
