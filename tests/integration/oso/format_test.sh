#!/usr/bin/env bash
# Backups written by OSO kafka-backup (tests/fixtures/oso/<version>, made by the real
# OSO code) read by our list, describe, validate --deep and restore, from a directory
# and from MinIO; restored records are compared byte for byte with what OSO stored
# (expected.jsonl: what Kafka held plus the headers OSO appends). Every version folder
# with backups/ is tested: three backups (codecs none, zstd, lz4) of the same 70 records.
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${S3_ENDPOINT:?run under scripts/env.sh}" "${KB_TEST_BUCKET:?run under scripts/env.sh}"
: "${KAFKA_BIN:?run under scripts/env.sh}" "${KB_BIN:?set KB_BIN as ctest does}"
: "${KB_SOURCE_DIR:?set KB_SOURCE_DIR as ctest does}"

fail() { echo "FAIL: $*" >&2; exit 1; }
BS=$KAFKA_BOOTSTRAP_SERVERS
KB="$KB_BIN/kafka-backup"
AWS="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
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

S3_ROOT="s3://$KB_TEST_BUCKET/$RUN_ID"
s3_url() { echo "$S3_ROOT/$1?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"; }

# --- list, describe, validate ----------------------------------------------------
inspect_version() {  # fixture dir, copy of its backups
    local fix=$1 dir=$2 id
    "$KB" list --path "$dir" --format json >"$WORK/list.json" || fail "list failed"
    python3 - "$WORK/list.json" "$(ls "$fix/backups" | tr '\n' ' ')" <<'PY' || fail "list: $(cat "$WORK/list.json")"
import json, sys
b = {x["backup_id"]: x for x in json.load(open(sys.argv[1]))["backups"]}
assert sorted(b) == sorted(sys.argv[2].split()), (sorted(b), sys.argv[2])
for x in b.values():
    assert x["records"] == 70 and x["segments"] == 15 and x["status"] == "complete", x
    assert sorted(x["topics"]) == ["osoformat-fx-events", "osoformat-fx-orders"], x
PY
    for id in $(ls "$fix/backups"); do
        "$KB" describe --path "$dir" --backup-id "$id" --format json >"$WORK/describe.json" ||
            fail "describe $id failed"
        grep -q '"osoformat-fx-orders"' "$WORK/describe.json" || fail "describe $id: $(cat "$WORK/describe.json")"
        "$KB" describe --path "$dir" --backup-id "$id" | grep -q "osoformat-fx-events" ||
            fail "describe $id (text) does not name the topic"
        "$KB" validate --path "$dir" --backup-id "$id" --deep --format json >"$WORK/validate.json" ||
            fail "validate --deep $id: $(cat "$WORK/validate.json")"
        python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] and r["records_checked"] == 70 and r["segments_checked"] == 15, r' \
            "$WORK/validate.json" || fail "validate $id: $(cat "$WORK/validate.json")"
    done
}

# A damaged segment: validate --deep names it and exits 3.
damaged_segment_is_named() {  # copy of a version's backups, id of its lz4 backup
    local dir=$1 id=$2 rc
    cp -r "$dir/$id" "$dir/oso-bad"
    sed -i "s#\"$id#\"oso-bad#g" "$dir/oso-bad/manifest.json"
    local bad="$dir/oso-bad/topics/osoformat-fx-events/partition=1/segment-00000000000000000006.bin.lz4"
    printf 'X' | dd of="$bad" bs=1 seek=60 conv=notrunc status=none
    set +e
    "$KB" validate --path "$dir" --backup-id oso-bad --deep >"$WORK/validate-bad.txt" 2>&1
    rc=$?
    set -e
    [[ $rc == 3 ]] || fail "validate of a damaged OSO segment exited $rc: $(cat "$WORK/validate-bad.txt")"
    grep -q "partition=1/segment-00000000000000000006.bin.lz4.*CRC-32 mismatch" "$WORK/validate-bad.txt" ||
        fail "validate did not name the damaged segment: $(cat "$WORK/validate-bad.txt")"
    rm -rf "$dir/oso-bad"
}

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
expected_lines() {  # fixture dir, source topic
    python3 -c "$NORMALIZE" expected "$2" <"$1/expected.jsonl"
}
restored_lines() {  # target topic
    kcat -C -b "$BS" -t "$1" -o beginning -e -q -J | python3 -c "$NORMALIZE" kcat "$1"
}

restore_and_compare() {  # fixture dir, path, backup_id, label
    local fix=$1 path=$2 id=$3 label=$4
    local orders="osoformat-$RUN_ID-$label-orders" events="osoformat-$RUN_ID-$label-events"
    CREATED_TOPICS+=("$orders" "$events")
    "$KB" restore --bootstrap-servers "$BS" --path "$path" --backup-id "$id" \
        --topic-map "osoformat-fx-orders:$orders" --topic-map "osoformat-fx-events:$events" \
        --create-topics --no-progress --log-level warn >"$WORK/restore-$label.out" 2>&1 ||
        fail "restore of $id ($label) failed: $(cat "$WORK/restore-$label.out")"
    expected_lines "$fix" osoformat-fx-orders >"$WORK/want-orders"
    expected_lines "$fix" osoformat-fx-events >"$WORK/want-events"
    [[ $(wc -l <"$WORK/want-orders") == 42 && $(wc -l <"$WORK/want-events") == 28 ]] ||
        fail "$fix/expected.jsonl: expected 42 + 28 records"
    restored_lines "$orders" >"$WORK/got-orders-$label"
    restored_lines "$events" >"$WORK/got-events-$label"
    diff "$WORK/want-orders" "$WORK/got-orders-$label" >&2 || fail "$label: $orders differs from what OSO stored"
    diff "$WORK/want-events" "$WORK/got-events-$label" >&2 || fail "$label: $events differs from what OSO stored"
    echo "restored $id ($label): $(wc -l <"$WORK/got-orders-$label") + $(wc -l <"$WORK/got-events-$label") records, byte-exact"
}

tested=0
for fix in "$KB_SOURCE_DIR"/tests/fixtures/oso/*/; do
    fix=${fix%/}
    [[ -d $fix/backups ]] || continue
    v=$(basename "$fix")
    # The fixtures are copied: a restore keeps its checkpoint and mapping beside the backup.
    mkdir -p "$WORK/$v"
    cp -r "$fix/backups" "$WORK/$v/backups"
    inspect_version "$fix" "$WORK/$v/backups"
    for id in $(ls "$fix/backups"); do restore_and_compare "$fix" "$WORK/$v/backups" "$id" "$v-$id"; done
    zstd_id=$(ls "$fix/backups" | grep -- '-zstd$')
    $AWS s3 cp --recursive --quiet "$fix/backups/$zstd_id" "$S3_ROOT/$v/$zstd_id"
    "$KB" validate --path "$(s3_url "$v")" --backup-id "$zstd_id" --deep >"$WORK/validate-s3.txt" ||
        fail "validate --deep from MinIO: $(cat "$WORK/validate-s3.txt")"
    restore_and_compare "$fix" "$(s3_url "$v")" "$zstd_id" "$v-s3-$zstd_id"
    if [[ $tested == 0 ]]; then damaged_segment_is_named "$WORK/$v/backups" "$(ls "$fix/backups" | grep -- '-lz4$')"; fi
    tested=$((tested + 1))
done
[[ $tested -ge 1 ]] || fail "no OSO fixtures found under tests/fixtures/oso"
echo "PASS oso_format ($tested OSO versions)"
