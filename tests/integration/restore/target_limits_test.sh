#!/usr/bin/env bash
# Target preflight and batch splitting against the real broker:
#  1. an existing target topic with fewer partitions than needed: one clear line,
#     non-zero exit, nothing produced;
#  2. a record larger than the target topic's max.message.bytes: the same;
#  3. batches larger than the target's max.message.bytes whose records fit: split
#     into smaller batches, every record byte-identical (key, value, headers,
#     timestamp) in the same order.
. "$(dirname "$0")/lib.sh"
DIR="$WORK/backups"

expect_refusal() {  # what grep_pattern target args...
    local what=$1 pattern=$2 target=$3; shift 3
    if "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn "$@" \
        >"$WORK/refused.out" 2>"$WORK/refused.err"; then
        fail "$what: restore succeeded, expected a refusal"
    fi
    [ "$(grep -c . "$WORK/refused.err")" -eq 1 ] ||
        { cat "$WORK/refused.err"; fail "$what: expected one error line"; }
    grep -q "$pattern" "$WORK/refused.err" || { cat "$WORK/refused.err"; fail "$what: unclear error"; }
    local n
    n=$("$KAFKA_BIN/kafka-get-offsets.sh" --bootstrap-server "$BS" --topic "$target" --time -1 |
        awk -F: '{s += $3} END {print s + 0}')
    [ "$n" -eq 0 ] || fail "$what: $n records were produced to $target"
    echo "PASS $what: $(cat "$WORK/refused.err")"
}

# --- 1. too few partitions on an existing target.
A="rs-lim-parts-$RUN_ID"
create_topic "$A" 3
for i in $(seq 1 30); do echo "k$i:v$i"; done | kcat -P -b "$BS" -t "$A" -K:
backup "$DIR" parts "$A"
create_topic "$A-one" 1
expect_refusal "too few partitions" "exists with 1 partitions, 3 needed" "$A-one" \
    --path "$DIR" --backup-id parts --topic-map "$A:$A-one"

# --- 2. a record larger than the target's max.message.bytes (each big record is its own
# batch: larger than librdkafka's batch.size).
B="rs-lim-big-$RUN_ID"
create_topic "$B" 1 --config max.message.bytes=4000000
for i in 1 2 3; do head -c 1500000 /dev/urandom | base64 -w0; echo; done >"$WORK/big"
kcat -P -b "$BS" -t "$B" -l -X message.max.bytes=4000000 -X batch.size=1000000 "$WORK/big"
backup "$DIR" big "$B"
create_topic "$B-small" 1 --config max.message.bytes=1000000
expect_refusal "record larger than max.message.bytes" \
    "record at offset 0 of $B-0 is [0-9]* bytes, more than its max.message.bytes (1000000)" \
    "$B-small" --path "$DIR" --backup-id big --topic-map "$B:$B-small"

# --- 3. batches of many small records, larger than the target's limit: split.
C="rs-lim-split-$RUN_ID"
create_topic "$C" 2
for codec in none lz4 zstd; do
    for i in $(seq 1 400); do printf 'k%d-%s:%s\n' "$i" "$codec" "$(head -c 600 /dev/urandom | base64 -w0)"; done |
        kcat -P -b "$BS" -t "$C" -K: -X compression.codec=$codec -X linger.ms=200 -X batch.size=900000 \
            -H "codec=$codec" -H dup=1 -H dup=2
done
records "$C" >"$WORK/before"
[ "$(wc -l <"$WORK/before")" -eq 1200 ] || fail "expected 1200 source records"
backup "$DIR" split "$C"
create_topic "$C-small" 2 --config max.message.bytes=20000
restore --path "$DIR" --backup-id split --topic-map "$C:$C-small" --output json
jq -e '.records == 1200 and .batches_reencoded > 0' "$WORK/restore.out" >/dev/null ||
    fail "summary: $(cat "$WORK/restore.out")"
records "$C-small" >"$WORK/after"
diff "$WORK/before" "$WORK/after" >"$WORK/diff" || { head -5 "$WORK/diff"; fail "split records differ"; }
echo "PASS split: 1200 records in batches over 20000 bytes restored byte-identical into max.message.bytes=20000"
