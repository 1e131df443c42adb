#!/usr/bin/env bash
# Interop with kcat (librdkafka), for every codec:
#  1. records kcat produces (keys, null keys, null values via -Z, headers with a
#     duplicate key, a null value and an empty value) are decoded by our client exactly
#     as kcat itself decodes them, and as written;
#  2. records our client produces (explicit timestamps, null key, tombstone, duplicate
#     and null headers) are read back by kcat exactly as written;
#  3. a 10 MB message produced by kcat and a 50 MB one produced by us cross over intact.
# Usage: interop_kcat.sh <kafka_client_tool>; needs `eval "$(scripts/env.sh up)"`.
set -euo pipefail
tool=${1:?usage: interop_kcat.sh <kafka_client_tool>}
: "${KAFKA_BOOTSTRAP_SERVERS:?is not set: start the environment with eval \"\$(scripts/env.sh up)\"}"
command -v kcat >/dev/null || { echo "FAIL: kcat is not installed" >&2; exit 1; }
b=$KAFKA_BOOTSTRAP_SERVERS
fmt='p=%p o=%o T=%T K=%K k=%k S=%S s=%s h=%h|\n'
work=$(mktemp -d)
topics=()
cleanup() {
    for t in "${topics[@]}"; do "$tool" delete "$t" >/dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# retention.ms=-1: the test records carry old timestamps, which time-based retention
# would delete as soon as the broker rolls a segment.
new_topic() {  # sets $t (not $(...): the list of topics to delete must survive)
    t="kb-kcat-$1-$$-$RANDOM"
    "$tool" create "$t" 1 retention.ms=-1 "${@:2}"
    topics+=("$t")
}
random_text() {  # random_text <bytes> <file>: printable, incompressible
    head -c $(($1 * 3 / 4 + 3)) /dev/urandom | base64 -w0 >"$2"
    truncate -s "$1" "$2"
}
kcat_read() { kcat -C -b "$b" -t "$1" -e -q -f "$fmt" "${@:2}"; }
mask_ts() { sed -E 's/ T=[0-9]+ / T=* /'; }
same() {  # same <what> <expected file> <actual file>
    diff -u "$2" "$3" >&2 || fail "$1"
    echo "ok: $1"
}

long=$(printf 'compressible-%.0s' {1..40})  # librdkafka sends tiny batches uncompressed
for codec in none gzip snappy lz4 zstd; do
    # 1. kcat -> us
    new_topic "$codec"
    printf 'k1\t%s\nk2\t\n\tv3\n' "$long" |
        kcat -P -b "$b" -t "$t" -z "$codec" -X linger.ms=500 -K '\t' -Z -H a=1 -H dup=x -H dup -H empty= -H dup=y
    printf 'k4\tv4\n' | kcat -P -b "$b" -t "$t" -z "$codec" -K '\t'
    cat >"$work/expected" <<OUT
p=0 o=0 T=* K=2 k=k1 S=${#long} s=$long h=a=1,dup=x,dup=NULL,empty=,dup=y|
p=0 o=1 T=* K=2 k=k2 S=-1 s= h=a=1,dup=x,dup=NULL,empty=,dup=y|
p=0 o=2 T=* K=-1 k= S=2 s=v3 h=a=1,dup=x,dup=NULL,empty=,dup=y|
p=0 o=3 T=* K=2 k=k4 S=2 s=v4 h=|
OUT
    "$tool" consume "$t" >"$work/ours"
    kcat_read "$t" >"$work/theirs"
    same "$codec: kcat's records decoded by us as kcat decodes them" "$work/theirs" "$work/ours"
    mask_ts <"$work/ours" >"$work/ours.masked"
    same "$codec: kcat's records decoded by us as written" "$work/expected" "$work/ours.masked"
    "$tool" batches "$t" | head -1 | awk '{print $2, $3}' >"$work/codecs"
    echo "3 $codec" >"$work/codec.want"
    same "$codec: kcat's first batch has 3 records and codec $codec" "$work/codec.want" "$work/codecs"

    # 2. us -> kcat
    new_topic "$codec-ours"
    printf '%s\n' \
        $'1600000000001\tkey-a\tvalue-a\th1=x,h1=y,n' \
        $'1600000000002\t\\N\tvalue-no-key\t' \
        $'1600000000003\tkey-tomb\t\\N\tonly=1' \
        $'1600000000000\tkey-old\tvalue-older-timestamp\tdup,dup' |
        "$tool" produce "$t" 0 "$codec" >/dev/null
    cat >"$work/expected" <<OUT
p=0 o=0 T=1600000000001 K=5 k=key-a S=7 s=value-a h=h1=x,h1=y,n=NULL|
p=0 o=1 T=1600000000002 K=-1 k= S=12 s=value-no-key h=|
p=0 o=2 T=1600000000003 K=8 k=key-tomb S=-1 s= h=only=1|
p=0 o=3 T=1600000000000 K=7 k=key-old S=21 s=value-older-timestamp h=dup=NULL,dup=NULL|
OUT
    kcat_read "$t" >"$work/theirs"
    same "$codec: our records read back by kcat as written" "$work/expected" "$work/theirs"
    "$tool" consume "$t" >"$work/ours"
    same "$codec: our records read back by us as by kcat" "$work/theirs" "$work/ours"
done

# 3. big messages, both directions (payload checked by digest).
big_opts=(-X message.max.bytes=60000000
          -X receive.message.max.bytes=120000000 -X fetch.message.max.bytes=60000000)
new_topic big max.message.bytes=60000000
random_text 10485760 "$work/ten"
printf 'key-10mb\t%s\n' "$(cat "$work/ten")" | kcat -P -b "$b" -t "$t" -K '\t' -z lz4 -X message.max.bytes=60000000
"$tool" consume "$t" >"$work/ours"
want=$(sha256sum <"$work/ten" | cut -d' ' -f1)
got=$(sed -E 's/.* s=(.*) h=\|$/\1/' "$work/ours" | tr -d '\n' | sha256sum | cut -d' ' -f1)
[[ $want == "$got" ]] || fail "10 MB message from kcat differs after our fetch"
grep -q ' S=10485760 ' "$work/ours" || fail "10 MB message has the wrong size"
echo "ok: 10 MB message from kcat fetched intact by us"

random_text 52428800 "$work/fifty"
printf '1600000000000\tkey-50mb\t%s\t\n' "$(cat "$work/fifty")" | "$tool" produce "$t" 0 zstd >/dev/null
kcat -C -b "$b" -t "$t" -o 1 -e -q -f '%s' "${big_opts[@]}" >"$work/theirs"
cmp -s "$work/fifty" "$work/theirs" || fail "50 MB message from us differs when read by kcat"
echo "ok: 50 MB message from us read intact by kcat"
echo "interop_kcat: all checks passed"
