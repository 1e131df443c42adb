#!/usr/bin/env bash
# Large messages (1-10 MB) produced by kcat with each producer codec (none, gzip,
# snappy, lz4, zstd), with keys, null values, and headers with duplicate keys and
# null values, backed up with each of our segment codecs. Every record read back
# from the backup (through frame checksums and Kafka batch CRCs) equals what kcat
# reads from the topic: offsets, timestamps, keys, values, headers; and every
# stored batch keeps the producer's codec.
source "$(dirname "$0")/lib.sh"

gen() {  # seed: key<TAB>value lines, values of 1-10 MB of JSON-like text, plus small ones
    python3 - "$1" <<'PY'
import random, sys
r = random.Random(int(sys.argv[1]))
words = ["alpha", "beta", "gamma", "delta", "order", "payment", "1234", "ZZ"]
for i in range(3):
    n = r.randint(1 << 20, 10 << 20)
    chunk = "".join('{"id":%d,"w":"%s","r":"%08x"},' % (j, r.choice(words), r.getrandbits(32)) for j in range(2000))
    body = (chunk * (n // len(chunk) + 1))[:n]
    print("big-%d\t%s" % (i, body))
print("tombstone\t")            # null value (-Z)
print("\tvalue with empty key")
for i in range(5):
    print("small-%d\tsmall value %d" % (i, i))
PY
}

codecs=(none gzip snappy lz4 zstd)
ours=(zstd lz4 gzip none zstd)
loc="$(s3_url fidelity)"
# Kafka's DumpLogSegments under the distribution's name (env.sh writes it for every
# version); an environment started before that wrapper existed has the 4.x class.
dump_log() {
    if [ -x "$KAFKA_BIN/kafka-dump-log.sh" ]; then "$KAFKA_BIN/kafka-dump-log.sh" "$@"
    else "$KAFKA_BIN/kafka-run-class.sh" org.apache.kafka.tools.DumpLogSegments "$@"; fi
}

for i in "${!codecs[@]}"; do
    c=${codecs[$i]} t="$RUN_ID-fid-${codecs[$i]}"
    create_topic "$t" 1 --config max.message.bytes=16777216
    gen "$i" | kcat -P -b "$BS" -t "$t" -p 0 -z "$c" -K '	' -Z -H "dup=first" -H "dup=second" -H "nullh" \
        -H "empty=" -X message.max.bytes=16000000 -X batch.num.messages=3
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$t" --path "$loc" \
        --backup-id "fid-$c" --compression "${ours[$i]}" --no-progress --log-level warn >/dev/null ||
        fail "backup of $t failed"
    dump_records "$loc" "fid-$c" "$t" >"$WORK/dump"
    kcat_records "$t" >"$WORK/kcat"
    [ "$(wc -l <"$WORK/kcat")" -eq 10 ] || fail "kcat read $(wc -l <"$WORK/kcat") records from $t"
    diff -q "$WORK/kcat" "$WORK/dump" >/dev/null || {
        diff <(cut -c1-200 "$WORK/kcat") <(cut -c1-200 "$WORK/dump") | head; fail "$t: records differ"; }
    grep -q ' -1 - ' "$WORK/dump" || fail "$t: the null value did not come back as null"
    grep -q 'dup=.* dup=.* nullh=-1:-' "$WORK/dump" || fail "$t: headers lost duplicates or null values"
    # Each stored batch keeps the codec the broker holds it with (librdkafka sends a
    # batch uncompressed when compression would not shrink it), per Kafka's own dump tool.
    # (Kafka before 3.0 prints the codec in capitals.)
    dump_log --files "$KB_ENV_DIR/kafka-1/data/$t-0/00000000000000000000.log" 2>/dev/null |
        grep -o "baseOffset: [0-9]*.*compresscodec: [A-Za-z0-9]*" |
        sed -E 's/baseOffset: ([0-9]+).*compresscodec: ([A-Za-z0-9]+)/\1 \2/' | tr 'A-Z' 'a-z' >"$WORK/broker-codecs"
    "$KB_BIN/backup_dump" "$loc" "fid-$c" | awk '$1 == "B" {
        split("none gzip snappy lz4 zstd", n, " "); print $4, n[$6 + 1] }' >"$WORK/our-codecs"
    [ -s "$WORK/broker-codecs" ] || fail "DumpLogSegments listed no batches for $t"
    diff "$WORK/broker-codecs" "$WORK/our-codecs" || fail "$t: stored batch codecs differ from the broker's"
    grep -q " $c\$" "$WORK/our-codecs" || [ "$c" = none ] || fail "$t: no batch compressed with $c"
    echo "fidelity: producer codec $c, segment codec ${ours[$i]}: 10 records (3 of 1-10 MB) byte-exact"
done
