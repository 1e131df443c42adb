#!/usr/bin/env bash
# Backups written by OSO kafka-backup 0.17.4 (tests/fixtures/oso/0.17.4, made by the
# real OSO binary) read by our list, describe, validate --deep and restore, from a
# directory and from MinIO; restored records are compared byte for byte with what
# OSO stored (expected.jsonl: what Kafka held plus the headers OSO appends).
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${S3_ENDPOINT:?run under scripts/env.sh}" "${KB_TEST_BUCKET:?run under scripts/env.sh}"
: "${KAFKA_BIN:?run under scripts/env.sh}" "${KB_BIN:?set KB_BIN as ctest does}"
: "${KB_SOURCE_DIR:?set KB_SOURCE_DIR as ctest does}"

fail() { echo "FAIL: $*" >&2; exit 1; }
BS=$KAFKA_BOOTSTRAP_SERVERS
KB="$KB_BIN/kafka-backup"
AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
FIX="$KB_SOURCE_DIR/tests/fixtures/oso/0.17.4"
RUN_ID="osoformat$$-$RANDOM"
WORK=$(mktemp -d)
CREATED_TOPICS=()
cleanup() {
    for t in "${CREATED_TOPICS[@]}"; do
        "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$t" >/dev/null 2>&1 || true
    done
    $AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$RUN_ID" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# The fixtures are copied: a restore keeps its checkpoint beside the backup.
cp -r "$FIX/backups" "$WORK/backups"
$AWS s3 cp --recursive --quiet "$FIX/backups/oso-zstd" "s3://$KB_TEST_BUCKET/$RUN_ID/oso-zstd"
S3="s3://$KB_TEST_BUCKET/$RUN_ID?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"

# --- list, describe, validate ----------------------------------------------------
"$KB" list --path "$WORK/backups" --format json >"$WORK/list.json" || fail "list failed"
python3 - "$WORK/list.json" <<'PY' || fail "list: $(cat "$WORK/list.json")"
import json, sys
b = {x["backup_id"]: x for x in json.load(open(sys.argv[1]))["backups"]}
assert sorted(b) == ["oso-lz4", "oso-none", "oso-zstd"], sorted(b)
for x in b.values():
    assert x["records"] == 70 and x["segments"] == 15 and x["status"] == "complete", x
    assert sorted(x["topics"]) == ["osoformat-fx-events", "osoformat-fx-orders"], x
PY
"$KB" describe --path "$WORK/backups" --backup-id oso-lz4 --format json >"$WORK/describe.json" ||
    fail "describe failed"
python3 - "$WORK/describe.json" <<'PY' || fail "describe: $(cat "$WORK/describe.json")"
import json, sys
d = json.load(open(sys.argv[1]))
text = json.dumps(d)
assert "osoformat-fx-orders" in text and "osoformat-fx-events" in text, text
PY
"$KB" describe --path "$WORK/backups" --backup-id oso-none | grep -q osoformat-fx-orders ||
    fail "describe text does not name the topic"

for codec in none zstd lz4; do
    "$KB" validate --path "$WORK/backups" --backup-id "oso-$codec" --deep --format json \
        >"$WORK/validate-$codec.json" || fail "validate --deep oso-$codec: $(cat "$WORK/validate-$codec.json")"
    python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] and r["records_checked"] == 70 and r["segments_checked"] == 15, r' \
        "$WORK/validate-$codec.json" || fail "validate oso-$codec: $(cat "$WORK/validate-$codec.json")"
done
"$KB" validate --path "$S3" --backup-id oso-zstd --deep >"$WORK/validate-s3.txt" ||
    fail "validate --deep from MinIO: $(cat "$WORK/validate-s3.txt")"

# A damaged segment: validate --deep names it and exits 3.
cp -r "$WORK/backups/oso-lz4" "$WORK/backups/oso-bad"
sed -i 's#"oso-lz4#"oso-bad#g' "$WORK/backups/oso-bad/manifest.json"
bad="$WORK/backups/oso-bad/topics/osoformat-fx-events/partition=1/segment-00000000000000000006.bin.lz4"
printf 'X' | dd of="$bad" bs=1 seek=60 conv=notrunc status=none
set +e
"$KB" validate --path "$WORK/backups" --backup-id oso-bad --deep >"$WORK/validate-bad.txt" 2>&1
rc=$?
set -e
[[ $rc == 3 ]] || fail "validate of a damaged OSO segment exited $rc: $(cat "$WORK/validate-bad.txt")"
grep -q "partition=1/segment-00000000000000000006.bin.lz4.*CRC-32 mismatch" "$WORK/validate-bad.txt" ||
    fail "validate did not name the damaged segment: $(cat "$WORK/validate-bad.txt")"

# --- restore, byte for byte ---------------------------------------------------------
# One line per record: partition, offset, timestamp, then key, value and headers
# (wire order) as base64 (null stays null). kcat -J escapes control bytes as \u00XX
# and passes other bytes through, so reading its output as Latin-1 gives back the
# exact bytes of keys, values and binary header values.
NORMALIZE='
import base64, json, sys
def b64(s): return None if s is None else base64.b64encode(s.encode("latin-1")).decode()
mode, topic = sys.argv[1], sys.argv[2]
out = []
for line in sys.stdin.buffer.read().decode("latin-1").splitlines():
    if not line.strip(): continue
    r = json.loads(line)
    if mode == "kcat":
        h = r.get("headers") or []
        rec = [r["partition"], r["offset"], r["ts"], b64(r["key"]), b64(r["payload"]),
               [[h[i], b64(h[i + 1])] for i in range(0, len(h), 2)]]
    else:
        if r["topic"] != topic: continue
        rec = [r["partition"], r["offset"], r["timestamp"], r["key"], r["value"], r["headers"]]
    out.append(rec)
for rec in sorted(out, key=lambda x: (x[0], x[1])): print(json.dumps(rec))
'
expected_lines() {  # source topic
    python3 -c "$NORMALIZE" expected "$1" <"$FIX/expected.jsonl"
}
restored_lines() {  # target topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -J | python3 -c "$NORMALIZE" kcat "$1"
}

restore_and_compare() {  # path backup_id label
    local path=$1 id=$2 label=$3
    local orders="osoformat-$RUN_ID-$label-orders" events="osoformat-$RUN_ID-$label-events"
    CREATED_TOPICS+=("$orders" "$events")
    "$KB" restore --bootstrap-servers "$BS" --path "$path" --backup-id "$id" \
        --topic-map "osoformat-fx-orders:$orders" --topic-map "osoformat-fx-events:$events" \
        --create-topics --no-progress --log-level warn >"$WORK/restore-$label.out" 2>&1 ||
        fail "restore of $id ($label) failed: $(cat "$WORK/restore-$label.out")"
    expected_lines osoformat-fx-orders >"$WORK/want-orders"
    expected_lines osoformat-fx-events >"$WORK/want-events"
    restored_lines "$orders" >"$WORK/got-orders-$label"
    restored_lines "$events" >"$WORK/got-events-$label"
    diff "$WORK/want-orders" "$WORK/got-orders-$label" >&2 || fail "$label: $orders differs from what OSO stored"
    diff "$WORK/want-events" "$WORK/got-events-$label" >&2 || fail "$label: $events differs from what OSO stored"
    echo "restored $id ($label): $(wc -l <"$WORK/got-orders-$label") + $(wc -l <"$WORK/got-events-$label") records, byte-exact"
}

for codec in none zstd lz4; do restore_and_compare "$WORK/backups" "oso-$codec" "fs-$codec"; done
restore_and_compare "$S3" oso-zstd s3-zstd
[[ $(wc -l <"$WORK/want-orders") == 42 && $(wc -l <"$WORK/want-events") == 28 ]] ||
    fail "expected 42 + 28 records"
echo "PASS oso_format"
