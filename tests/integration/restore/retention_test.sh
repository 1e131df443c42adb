#!/usr/bin/env bash
# Records older than the target's retention (issue 21 point 7). Partition 0 of the
# source holds 60 records stamped 30 days ago, partition 1 holds 40 stamped now
# (confluent-kafka sets the timestamps). Restored into a topic created with the
# broker's default retention (7 days), the 60 old records would be deleted by the
# broker soon after: the restore warns before producing (count and time range) and
# says so in its summary. With --keep-restored-records the topic is created with
# retention.ms=-1 and nothing is at risk.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || fail "jq is required"
VENV="${KB_CACHE_DIR:-$HOME/.cache/kafka-backup}/py-confluent"
if ! "$VENV/bin/python" -c 'import confluent_kafka' 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q confluent-kafka ||
        fail "could not install confluent-kafka into $VENV"
fi

SRC="rs-retention-$RUN_ID"
create_topic "$SRC" 2
"$VENV/bin/python" - "$BS" "$SRC" <<'PY'
import sys, time
from confluent_kafka import Producer
p = Producer({"bootstrap.servers": sys.argv[1]})
now = int(time.time() * 1000)
old = now - 30 * 86400 * 1000
for i in range(60):
    p.produce(sys.argv[2], key=b"old-%d" % i, value=b"x" * 100, partition=0, timestamp=old + i)
for i in range(40):
    p.produce(sys.argv[2], key=b"new-%d" % i, value=b"y" * 100, partition=1, timestamp=now + i)
assert p.flush(30) == 0
PY
backup "$WORK/b" b1 "$SRC"

run() {  # dst extra-args...: summary JSON to $WORK/<dst>.json, log to $WORK/<dst>.err
    local dst=$1; shift
    CREATED_TOPICS+=("$dst")
    "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn --path "$WORK/b" \
        --backup-id b1 --topic-map "$SRC:$dst" --create-topics --output json "$@" \
        >"$WORK/$dst.json" 2>"$WORK/$dst.err" || { cat "$WORK/$dst.err"; fail "restore into $dst failed"; }
    jq -e '.records == 100' "$WORK/$dst.json" >/dev/null || fail "restore into $dst: $(cat "$WORK/$dst.json")"
}

# Default retention: warned, and in the summary.
run "$SRC-default"
grep -q "WARN .*target topic $SRC-default: 60 records (up to 60) have timestamps from 20.* older than its retention.ms (604800000)" \
    "$WORK/$SRC-default.err" || fail "no warning about the records at risk: $(cat "$WORK/$SRC-default.err")"
grep -q -- "--keep-restored-records" "$WORK/$SRC-default.err" || fail "the warning does not offer --keep-restored-records"
jq -e --arg t "$SRC-default" '.records_at_risk_of_retention == [.records_at_risk_of_retention[0]] and
    (.records_at_risk_of_retention[0] | .topic == $t and .records == 60 and .retention_ms == 604800000)' \
    "$WORK/$SRC-default.json" >/dev/null || fail "summary: $(jq -c .records_at_risk_of_retention "$WORK/$SRC-default.json")"
echo "PASS warned: $(grep 'target topic' "$WORK/$SRC-default.err")"

# --keep-restored-records: created with retention.ms=-1, nothing at risk.
run "$SRC-kept" --keep-restored-records
[ ! -s "$WORK/$SRC-kept.err" ] || fail "warnings with --keep-restored-records: $(cat "$WORK/$SRC-kept.err")"
jq -e '.records_at_risk_of_retention == [] and .topics[0].created_with_unlimited_retention' \
    "$WORK/$SRC-kept.json" >/dev/null || fail "summary: $(cat "$WORK/$SRC-kept.json")"
"$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BS" --describe --entity-type topics \
    --entity-name "$SRC-kept" | grep -q "retention.ms=-1" || fail "$SRC-kept was not created with retention.ms=-1"
echo "PASS --keep-restored-records: created with retention.ms=-1, no records at risk"
