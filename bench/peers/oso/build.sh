#!/usr/bin/env bash
# Builds the OSO peer (this folder's Rust program on kafka-backup-core, pinned by Cargo.lock)
# on first use and prints the binary's path. The build is cached outside the source tree:
# ${XDG_CACHE_HOME:-~/.cache}/kafka-backup/peers/oso (CARGO_TARGET_DIR), keyed by the hash of
# Cargo.toml, Cargo.lock and src/, so a change rebuilds and an unchanged tree reuses it.
# It runs nice'd with 2 jobs at most: the machine is shared.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v cargo >/dev/null || { echo "cargo not found: install Rust (rustup) to build the OSO peer" >&2; exit 2; }
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kafka-backup/peers/oso
key=$(cat "$here/Cargo.toml" "$here/Cargo.lock" "$here"/src/*.rs | sha256sum | cut -c1-16)
bin=$cache/bin-$key/oso-peer
if [[ ! -x $bin ]]; then
    echo "building the OSO peer (kafka-backup-core, first use: several minutes)..." >&2
    mkdir -p "$cache"
    CARGO_TARGET_DIR=$cache/target nice -n 10 cargo build --release --locked -j "${KB_PEER_JOBS:-2}" \
        --manifest-path "$here/Cargo.toml" >"$cache/build.log" 2>&1 ||
        { tail -20 "$cache/build.log" >&2; echo "building the OSO peer failed (log: $cache/build.log)" >&2; exit 1; }
    mkdir -p "$(dirname "$bin")"
    cp "$cache/target/release/oso-peer" "$bin.tmp" && mv "$bin.tmp" "$bin"
fi
echo "$bin"
