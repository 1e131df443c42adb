# Kafka helpers the integration scripts share (sourced, not run): topics made and
# removed per run, and every record of a topic as one comparable line. Needs BS,
# KAFKA_BIN, WORK and fail from the sourcing script.

CREATED_TOPICS=()

create_topic() {  # name partitions [extra args]
    local name=$1 parts=$2; shift 2
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$name" \
        --partitions "$parts" --replication-factor 1 "$@" >/dev/null
    CREATED_TOPICS+=("$name")
}
delete_topic() {
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$1" >/dev/null
    for _ in $(seq 1 50); do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --list | grep -qx "$1" || return 0
        sleep 0.2
    done
    fail "topic $1 still exists after delete"
}
delete_created_topics() {
    local t
    for t in "${CREATED_TOPICS[@]}"; do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$t" >/dev/null 2>&1 || true
    done
}

# Every record as one line: partition|offset|timestamp type+ts|key length|value length|headers
# (in wire order, duplicates kept)|sha256 of key and value. Sorted by partition, offset.
records() {  # topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -X fetch.message.max.bytes=67108864 \
        -X receive.message.max.bytes=200000000 -D '\x1e' -f '%p|%o|%T|%K|%S|%h|%k|%s\x1e' |
        python3 -c '
import sys, hashlib
out = []
for rec in sys.stdin.buffer.read().split(b"\x1e"):
    if not rec.strip(): continue
    parts = rec.split(b"|", 7)
    h = hashlib.sha256(parts[7]).hexdigest()[:16]
    out.append((int(parts[0]), int(parts[1]), b"|".join(parts[:7]).decode(errors="replace") + "|" + h))
for p, o, line in sorted(out): print(line)
'
}
