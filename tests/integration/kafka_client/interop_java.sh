#!/usr/bin/env bash
# Interop with Kafka's own Java tools:
#  1. for every codec, records written by kafka-console-producer.sh (keys, null keys and
#     values, headers with a duplicate key and a null value) are decoded by our client as
#     written, and exactly as kcat decodes them;
#  2. records our client writes (every codec, explicit timestamps) are printed by
#     kafka-console-consumer.sh exactly as written;
#  3. offsets the console consumer commits for its group are read back by our client;
#     offsets we commit show in kafka-consumer-groups.sh --describe; committing for a
#     group whose consumer is running is refused with GROUP_HAS_ACTIVE_MEMBERS.
# Usage: interop_java.sh <kafka_client_tool>; needs `eval "$(scripts/env.sh up)"`.
set -euo pipefail
tool=${1:?usage: interop_java.sh <kafka_client_tool>}
: "${KAFKA_BOOTSTRAP_SERVERS:?is not set: start the environment with eval \"\$(scripts/env.sh up)\"}"
: "${KAFKA_BIN:?is not set: start the environment with eval \"\$(scripts/env.sh up)\"}"
b=$KAFKA_BOOTSTRAP_SERVERS
work=$(mktemp -d)
topics=()
background=""
cleanup() {
    [[ -z $background ]] || kill "$background" 2>/dev/null || true
    for t in "${topics[@]}"; do "$tool" delete "$t" >/dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# retention.ms=-1: the test records carry old timestamps, which time-based retention
# would delete as soon as the broker rolls a segment.
new_topic() {  # sets $t
    t="kb-java-$1-$$-$RANDOM"
    "$tool" create "$t" 1 retention.ms=-1
    topics+=("$t")
}
mask_ts() { sed -E 's/ T=[0-9]+ / T=* /'; }
same() {
    diff -u "$2" "$3" >&2 || fail "$1"
    echo "ok: $1"
}
quiet() { grep -v -e '^Warning: ' -e 'deprecated' -e 'KIP-848' >&2 || true; }

# 1. Java console producer -> us. (--compression-codec: Kafka 4's console producer
# overrides a compression.type given through --producer-property.)
for codec in none gzip snappy lz4 zstd; do
    new_topic "$codec"
    printf 'a:1,dup:x,dup:NULL,empty:\tk1\tvalue-one-value-one-value-one\nNULL\tk2\tNULL\nh:v\tNULL\tv3\n' |
        "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$b" --topic "$t" \
            --property parse.key=true --property parse.headers=true --property null.marker=NULL \
            --compression-codec "$codec" --producer-property linger.ms=1000 2>&1 | quiet
    cat >"$work/expected" <<OUT
p=0 o=0 T=* K=2 k=k1 S=29 s=value-one-value-one-value-one h=a=1,dup=x,dup=NULL,empty=|
p=0 o=1 T=* K=2 k=k2 S=-1 s= h=|
p=0 o=2 T=* K=-1 k= S=2 s=v3 h=h=v|
OUT
    "$tool" consume "$t" >"$work/ours"
    mask_ts <"$work/ours" >"$work/ours.masked"
    same "$codec: console producer's records decoded by us as written" "$work/expected" "$work/ours.masked"
    kcat -C -b "$b" -t "$t" -e -q -f 'p=%p o=%o T=%T K=%K k=%k S=%S s=%s h=%h|\n' >"$work/kcat"
    same "$codec: console producer's records decoded by us as kcat decodes them" "$work/kcat" "$work/ours"
    "$tool" batches "$t" | awk '{print $3}' | sort -u >"$work/codecs"
    echo "$codec" >"$work/codec.want"
    same "$codec: the console producer wrote $codec batches" "$work/codec.want" "$work/codecs"
done

# 2. us -> Java console consumer, one batch per codec in one topic.
new_topic ours
: >"$work/expected"
ts=1600000000000
for codec in none gzip snappy lz4 zstd; do
    printf '%s\n' \
        "$((ts + 1))"$'\tkey-'"$codec"$'\tvalue-'"$codec"$'\th1=x,h1=y,n' \
        "$((ts + 2))"$'\t\\N\tno-key\t' \
        "$((ts + 3))"$'\tkey-tomb\t\\N\tonly=1' |
        "$tool" produce "$t" 0 "$codec" >/dev/null
    {
        printf 'CreateTime:%s\th1:x,h1:y,n:null\tkey-%s\tvalue-%s\n' "$((ts + 1))" "$codec" "$codec"
        printf 'CreateTime:%s\tNO_HEADERS\tnull\tno-key\n' "$((ts + 2))"
        printf 'CreateTime:%s\tonly:1\tkey-tomb\tnull\n' "$((ts + 3))"
    } >>"$work/expected"
    ts=$((ts + 1000))
done
group="kb-java-group-$$-$RANDOM"
"$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$b" --topic "$t" --from-beginning \
    --max-messages 15 --timeout-ms 60000 --group "$group" \
    --property print.key=true --property print.headers=true --property print.timestamp=true \
    2> >(quiet) | grep -v 'is deprecated' >"$work/java"
same "our records (all codecs) printed by the Java console consumer as written" "$work/expected" "$work/java"

# 3. Group offsets, both directions.
echo "$t 0 15" >"$work/expected"
"$tool" group-offsets "$group" >"$work/ours"
same "offsets committed by the console consumer read back by us" "$work/expected" "$work/ours"

ours_group="kb-ours-group-$$-$RANDOM"
"$tool" commit "$ours_group" "$t" 0 7
"$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$b" --describe --group "$ours_group" \
    2> >(quiet) >"$work/describe"
awk -v t="$t" '$2 == t && $3 == 0 {print $4}' "$work/describe" >"$work/current"
echo 7 >"$work/want"
same "offset we committed shown by kafka-consumer-groups.sh --describe" "$work/want" "$work/current"

"$KAFKA_BIN/kafka-console-consumer.sh" --bootstrap-server "$b" --topic "$t" --group "$ours_group" \
    --timeout-ms 120000 >/dev/null 2>&1 &
background=$!
refused=""
for _ in $(seq 1 60); do
    if ! "$tool" commit "$ours_group" "$t" 0 3 2>"$work/err"; then
        refused=yes
        break
    fi
    sleep 1
done
[[ $refused ]] || fail "commit for a group with a running consumer was never refused"
grep -q GROUP_HAS_ACTIVE_MEMBERS "$work/err" || { cat "$work/err" >&2; fail "refusal does not say GROUP_HAS_ACTIVE_MEMBERS"; }
grep -q "$ours_group" "$work/err" || fail "refusal does not name the group"
echo "ok: commit refused while the group has an active member: $(cat "$work/err")"
echo "interop_java: all checks passed"
