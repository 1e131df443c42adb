#!/usr/bin/env bash
# Our fetch-only rate next to kcat's, on the same topic, in the same run.
#
#   bench/kafka/fetch_vs_kcat.sh [--bench PATH] [--topic NAME] [--mb N]
#
# Loads a fresh topic (unless --topic names an existing one) with N MB (default 400)
# of 1, 5 and 10 MB messages using Kafka's kafka-producer-perf-test.sh, then reads it
# from beginning to end: bench_fetch (ours, no decompression: one connection, then one
# fetch loop per partition on 4 connections, then with every batch CRC-checked) and
# `kcat -C -e -o beginning -q` to /dev/null. Each reader runs twice, alternating, and
# the best time of each is reported. Needs
# `eval "$(scripts/env.sh up)"`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=${KB_BIN:-$here/../../build/bin}/bench_fetch
topic=""
mb=400
while (($#)); do
    case $1 in
        --bench) bench=$2; shift 2 ;;
        --topic) topic=$2; shift 2 ;;
        --mb) mb=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
: "${KAFKA_BOOTSTRAP_SERVERS:?is not set: eval \"\$(scripts/env.sh up)\" first}"
: "${KAFKA_BIN:?is not set: eval \"\$(scripts/env.sh up)\" first}"
[[ -x $bench ]] || { echo "bench_fetch not found at $bench (build it, or pass --bench)" >&2; exit 1; }
b=$KAFKA_BOOTSTRAP_SERVERS

load() {  # load <count> <size>
    "$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "$topic" --num-records "$1" \
        --record-size "$2" --throughput -1 \
        --producer-props bootstrap.servers="$b" acks=1 max.request.size=12000000 \
        batch.size=12000000 linger.ms=5 buffer.memory=268435456 compression.type=none \
        2>&1 | tail -1 >&2
}

if [[ -z $topic ]]; then
    topic="kb-bench-fetch-$$-$RANDOM"
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$b" --create --topic "$topic" \
        --partitions 4 --config max.message.bytes=12000000 >/dev/null
    trap '"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$b" --delete --topic "$topic" >/dev/null 2>&1 || true' EXIT
    share=$((mb / 3))
    echo "loading ~${mb} MB into $topic (1, 5 and 10 MB messages)..." >&2
    load $((share)) 1048576
    load $((share / 5)) 5242880
    load $((share / 10)) 10485760
fi

now() { date +%s.%N; }
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }
best_ours="" best_par="" best_crc="" best_kcat="" bytes=0
for round in 1 2; do
    t0=$(now)
    line=$("$bench" "$topic")
    t1=$(now)
    bytes=$(sed -E 's/.* bytes=([0-9]+) .*/\1/' <<<"$line")
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    echo "round $round ours:      ${s}s  $line" >&2
    [[ -z $best_ours ]] || (($(awk -v a="$s" -v b="$best_ours" 'BEGIN { print (a < b) }'))) && best_ours=$s

    line=$("$bench" "$topic" --connections 4)
    s=$(sed -E 's/.* seconds=([0-9.]+) .*/\1/' <<<"$line")
    echo "round $round ours x4:   ${s}s  $line" >&2
    [[ -z $best_par ]] || (($(awk -v a="$s" -v b="$best_par" 'BEGIN { print (a < b) }'))) && best_par=$s

    line=$("$bench" "$topic" --verify-crc)
    s=$(sed -E 's/.* seconds=([0-9.]+) .*/\1/' <<<"$line")
    echo "round $round ours+crc:  ${s}s  $line" >&2
    [[ -z $best_crc ]] || (($(awk -v a="$s" -v b="$best_crc" 'BEGIN { print (a < b) }'))) && best_crc=$s

    t0=$(now)
    kcat -C -b "$b" -t "$topic" -e -o beginning -q \
        -X fetch.message.max.bytes=12000000 -X receive.message.max.bytes=200000000 >/dev/null
    t1=$(now)
    s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
    echo "round $round kcat:      ${s}s" >&2
    [[ -z $best_kcat ]] || (($(awk -v a="$s" -v b="$best_kcat" 'BEGIN { print (a < b) }'))) && best_kcat=$s
done
echo "topic $topic: $bytes bytes of record batches"
echo "ours (bench_fetch, process wall time):  $(rate "$bytes" "$best_ours") MB/s"
echo "ours, a fetch loop per partition, 4 conns: $(rate "$bytes" "$best_par") MB/s (fetch loop time)"
echo "ours with CRC32C check of every batch:   $(rate "$bytes" "$best_crc") MB/s (fetch loop time)"
echo "kcat -C -e -o beginning > /dev/null:     $(rate "$bytes" "$best_kcat") MB/s"
