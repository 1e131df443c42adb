#!/usr/bin/env bash
# Restore does not trust placement (issue 21 point 4). A backup on the filesystem
# backend (2 partitions, several segments each) is damaged three ways, and each
# restore must exit non-zero with one line naming the segment or the partition and
# offsets, producing nothing past the damage:
#  1. a partition-1 segment copied over a partition-0 segment: partition 0 gets
#     only the records before it;
#  2. two manifest keys of partition 0 swapped: the same;
#  3. a manifest entry of partition 0 deleted (a silent gap): nothing at all.
# The undamaged backup then restores every record.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is required"

SRC="rs-damaged-$RUN_ID"
create_topic "$SRC" 2
for i in $(seq 1 300); do echo "k$i:$(head -c 300 /dev/urandom | base64 -w0)"; done |
    kcat -P -b "$BS" -t "$SRC" -K: -X linger.ms=0 -X batch.num.messages=10
ORIG="$WORK/orig"
"$KB" backup --bootstrap-servers "$BS" --path "$ORIG" --backup-id b1 --topics "$SRC" \
    --segment-max-bytes 20KiB --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
    { cat "$WORK/backup.out"; fail "backup failed"; }
SEGS="b1/segments/$SRC"
MANIFEST=$(ls "$ORIG"/b1/manifests/manifest-*.json | sort | tail -1)
MANIFEST=${MANIFEST#"$ORIG"/}
keys0=$(jq -r '.topics[0].partitions[] | select(.partition == 0) | .segments[].key' "$ORIG/$MANIFEST")
[ "$(echo "$keys0" | wc -l)" -ge 3 ] || fail "expected at least 3 segments in partition 0: $keys0"
second=$(echo "$keys0" | sed -n 2p)
third=$(echo "$keys0" | sed -n 3p)
first_last=$(jq -r '.topics[0].partitions[] | select(.partition == 0) | .segments[0].last_offset' "$ORIG/$MANIFEST")
before_second=$((first_last + 1))  # records of partition 0 before its second segment

ends() {  # topic: "p0 p1" end offsets (0 0 when the topic does not exist)
    { "$KAFKA_BIN/kafka-get-offsets.sh" --bootstrap-server "$BS" --topic "$1" --time -1 2>/dev/null || true; } |
        awk -F: '{e[$2] = $3} END {printf "%d %d\n", e[0], e[1]}'
}
expect_damaged() {  # case pattern want_p0 dir
    local what=$1 pattern=$2 want_p0=$3 dir=$4 dst="$SRC-$1"
    CREATED_TOPICS+=("$dst")
    if "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn --path "$dir" \
        --backup-id b1 --topic-map "$SRC:$dst" --create-topics >"$WORK/$what.out" 2>"$WORK/$what.err"; then
        fail "$what: restore of a damaged backup exited 0"
    fi
    [ "$(grep -c . "$WORK/$what.err")" -eq 1 ] || { cat "$WORK/$what.err"; fail "$what: expected one error line"; }
    grep -q "$pattern" "$WORK/$what.err" || { cat "$WORK/$what.err"; fail "$what: unclear error"; }
    local p0
    p0=$(ends "$dst" | cut -d' ' -f1)
    [ "$p0" -eq "$want_p0" ] || fail "$what: partition 0 of $dst holds $p0 records, expected $want_p0 (nothing past the damage)"
    echo "PASS $what: $(cat "$WORK/$what.err") (partition 0: $p0 records)"
}
fresh_copy() { rm -rf "$WORK/damaged"; cp -r "$ORIG" "$WORK/damaged"; echo "$WORK/damaged"; }

# 1. Partition 1's second segment copied over partition 0's.
D=$(fresh_copy)
second1=$(jq -r '.topics[0].partitions[] | select(.partition == 1) | .segments[1].key' "$ORIG/$MANIFEST")
cp "$D/$second1" "$D/$second"
expect_damaged copied "segment $second holds $SRC-1 offsets .* but the manifest lists it for $SRC-0" \
    "$before_second" "$D"

# 2. Two manifest keys of partition 0 swapped (second and third segments).
D=$(fresh_copy)
jq '(.topics[0].partitions[] | select(.partition == 0) | .segments) |= (
        (.[1].key) as $a | (.[2].key) as $b | .[1].key = $b | .[2].key = $a)' \
    "$D/$MANIFEST" >"$WORK/m.json" && mv "$WORK/m.json" "$D/$MANIFEST"
expect_damaged swapped "segment $third holds $SRC-0 offsets .* but the manifest lists it for $SRC-0 offsets $before_second\.\." \
    "$before_second" "$D"

# 3. The manifest entry of partition 0's second segment deleted.
D=$(fresh_copy)
jq '(.topics[0].partitions[] | select(.partition == 0) | .segments) |= del(.[1])' \
    "$D/$MANIFEST" >"$WORK/m.json" && mv "$WORK/m.json" "$D/$MANIFEST"
expect_damaged deleted "$SRC-0: offsets $before_second\.\.[0-9]* are missing between segments" 0 "$D"

# The undamaged backup restores everything.
restore --path "$ORIG" --backup-id b1 --topic-map "$SRC:$SRC-whole" --create-topics --output json
CREATED_TOPICS+=("$SRC-whole")
jq -e '.records == 300' "$WORK/restore.out" >/dev/null || fail "undamaged restore: $(cat "$WORK/restore.out")"
echo "PASS damaged backups refused; the undamaged one restores all 300 records"
