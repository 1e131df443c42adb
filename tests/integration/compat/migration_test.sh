#!/usr/bin/env bash
# The migration case of the version matrix: back up a topic and a consumer group from
# a cluster of one Kafka version and restore them into a cluster of another, e.g. an
# old ZooKeeper cluster into a new KRaft one:
#
#   migration_test.sh 2.8.2-zk 4.4.0      migration_test.sh 4.4.0 3.7.1
#
# Starts both clusters as private environments (scripts/env.sh; MinIO with the source),
# then checks that every record comes back byte-exact (key, value, headers,
# timestamps, offsets), that the topic's configs came across, and that the group's
# committed offsets were translated so that its consumer reads exactly the rest.
# Ports: KB_COMPAT_PORT (default 53092) and +100; KB_COMPAT_MINIO_PORT (default 53000).
# Clusters already running (core_test.sh): KB_MIG_SRC_EXPORTS and KB_MIG_DST_EXPORTS name
# files holding each one's `scripts/env.sh up` exports (the source's with MinIO); then
# nothing is started or stopped here.
set -euo pipefail
SRC_VERSION=${1:?usage: migration_test.sh SOURCE_VERSION[-zk] TARGET_VERSION[-zk]}
DST_VERSION=${2:?usage: migration_test.sh SOURCE_VERSION[-zk] TARGET_VERSION[-zk]}
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"
ROOT=${KB_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
PORT=${KB_COMPAT_PORT:-53092}
MINIO_PORT=${KB_COMPAT_MINIO_PORT:-53000}
SRC_ENV=kb-mig-src-$SRC_VERSION DST_ENV=kb-mig-dst-$DST_VERSION
WORK=$(mktemp -d)
RUN_ID="mig$$-$RANDOM"
fail() { echo "FAIL: $*" >&2; exit 1; }

env_sh() {  # NAME KAFKA_PORT args...: scripts/env.sh for a private environment
    local name=$1 port=$2; shift 2
    env -u KB_ENV_DIR KB_ENV_NAME="$name" KB_KAFKA_PORT="$port" KB_MINIO_PORT="$MINIO_PORT" \
        "$ROOT/scripts/env.sh" "$@"
}
STARTED=0
cleanup() {
    if ((STARTED)); then
        env_sh "$SRC_ENV" "$PORT" down >/dev/null 2>&1 || true
        env_sh "$DST_ENV" "$((PORT + 100))" down >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n ${KB_MIG_SRC_EXPORTS:-} && -n ${KB_MIG_DST_EXPORTS:-} ]]; then
    cp "$KB_MIG_SRC_EXPORTS" "$WORK/src.env"
    cp "$KB_MIG_DST_EXPORTS" "$WORK/dst.env"
else
    STARTED=1
    env_sh "$SRC_ENV" "$PORT" up --kafka-version "$SRC_VERSION" >"$WORK/src.env" 2>"$WORK/src.log" ||
        { cat "$WORK/src.log" >&2; fail "could not start Kafka $SRC_VERSION"; }
    env_sh "$DST_ENV" "$((PORT + 100))" up --no-minio --kafka-version "$DST_VERSION" >"$WORK/dst.env" 2>"$WORK/dst.log" ||
        { cat "$WORK/dst.log" >&2; fail "could not start Kafka $DST_VERSION"; }
fi
# shellcheck disable=SC1091
{ source "$WORK/dst.env"; DST_BS=$KAFKA_BOOTSTRAP_SERVERS DST_BIN=$KAFKA_BIN; }
# shellcheck disable=SC1091
{ source "$WORK/src.env"; SRC_BS=$KAFKA_BOOTSTRAP_SERVERS SRC_BIN=$KAFKA_BIN; }
URL="s3://$KB_TEST_BUCKET/$RUN_ID?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"

# Every record as one line: partition|offset|timestamp|key|value length|headers|sha256.
records() {  # bootstrap topic
    kcat -C -b "$1" -t "$2" -o beginning -e -q -X fetch.message.max.bytes=67108864 \
        -D '\x1e' -f '%p|%o|%T|%k|%S|%h|%s\x1e' | python3 -c '
import sys, hashlib
out = []
for rec in sys.stdin.buffer.read().split(b"\x1e"):
    if not rec.strip(): continue
    parts = rec.split(b"|", 6)
    line = b"|".join(parts[:6]).decode(errors="replace") + "|" + hashlib.sha256(parts[6]).hexdigest()[:16]
    out.append((int(parts[0]), int(parts[1]), line))
for p, o, line in sorted(out): print(line)
'
}
committed() {  # bin bootstrap group topic: "partition offset" lines
    "$1/kafka-consumer-groups.sh" --bootstrap-server "$2" --describe --group "$3" 2>/dev/null |
        awk -v t="$4" '$2 == t { print $3, $4 }' | sort -n
}

# --- on the source: a topic with configs, keyed records (some compressed, with headers,
# a tombstone), and a group that has read 30 of them.
T="orders-$RUN_ID" G="orders-app-$RUN_ID"
"$SRC_BIN/kafka-topics.sh" --bootstrap-server "$SRC_BS" --create --topic "$T" --partitions 3 \
    --replication-factor 1 --config retention.ms=604800000 --config max.message.bytes=2097152 >/dev/null
for i in $(seq 1 40); do echo "k$((i % 7))	order-$i-$(head -c $((i * 37)) /dev/zero | tr '\0' x)"; done |
    kcat -P -b "$SRC_BS" -t "$T" -K '	' -H "source=v$SRC_VERSION" -H "dup=a" -H "dup=b" -z lz4
for i in $(seq 41 60); do echo "k$((i % 7))	order-$i"; done | kcat -P -b "$SRC_BS" -t "$T" -K '	' -z zstd
echo "k3	" | kcat -P -b "$SRC_BS" -t "$T" -K '	' -Z
"$SRC_BIN/kafka-console-consumer.sh" --bootstrap-server "$SRC_BS" --topic "$T" --group "$G" \
    --from-beginning --max-messages 30 >/dev/null 2>&1
records "$SRC_BS" "$T" >"$WORK/src.records"
committed "$SRC_BIN" "$SRC_BS" "$G" "$T" >"$WORK/src.committed"
[ "$(wc -l <"$WORK/src.records")" -eq 61 ] || fail "source holds $(wc -l <"$WORK/src.records") records, expected 61"
sum=$(awk '{s += $2} END {print s + 0}' "$WORK/src.committed")
[ "$sum" -ge 30 ] || fail "the group committed $sum on the source, expected >= 30"

# --- back up from the source, restore into the target with the group translated.
"$KB_BIN/kafka-backup" backup --bootstrap-servers "$SRC_BS" --path "$URL" --backup-id mig \
    --topics "$T" --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
    { cat "$WORK/backup.out"; fail "backup from Kafka $SRC_VERSION failed"; }
"$KB_BIN/kafka-backup" restore --bootstrap-servers "$DST_BS" --path "$URL" --backup-id mig \
    --create-topics --reset-consumer-offsets --consumer-groups "$G" --no-progress --log-level warn \
    --output json >"$WORK/restore.out" 2>&1 ||
    { cat "$WORK/restore.out"; fail "restore into Kafka $DST_VERSION failed"; }

records "$DST_BS" "$T" >"$WORK/dst.records"
diff "$WORK/src.records" "$WORK/dst.records" >"$WORK/diff" ||
    { head "$WORK/diff"; fail "records on Kafka $DST_VERSION differ from Kafka $SRC_VERSION's"; }
echo "PASS records: 61 byte-exact (offsets, timestamps, keys, values, headers, tombstone)"

"$DST_BIN/kafka-configs.sh" --bootstrap-server "$DST_BS" --describe --entity-type topics \
    --entity-name "$T" >"$WORK/dst.configs" 2>&1
grep -q "retention.ms=604800000" "$WORK/dst.configs" && grep -q "max.message.bytes=2097152" "$WORK/dst.configs" ||
    { cat "$WORK/dst.configs"; fail "topic configs did not come across"; }
echo "PASS topic configs: retention.ms and max.message.bytes"

committed "$DST_BIN" "$DST_BS" "$G" "$T" >"$WORK/dst.committed"
diff "$WORK/src.committed" "$WORK/dst.committed" ||
    fail "the group's offsets on Kafka $DST_VERSION differ from those on Kafka $SRC_VERSION"
"$DST_BIN/kafka-console-consumer.sh" --bootstrap-server "$DST_BS" --topic "$T" --group "$G" \
    --timeout-ms 8000 2>/dev/null >"$WORK/rest" || true
[ "$(wc -l <"$WORK/rest")" -eq $((61 - sum)) ] ||
    fail "the group's consumer read $(wc -l <"$WORK/rest") records on Kafka $DST_VERSION, expected $((61 - sum))"
echo "PASS consumer group: $sum committed on $SRC_VERSION -> translated; the consumer read exactly the other $((61 - sum)) on $DST_VERSION"
