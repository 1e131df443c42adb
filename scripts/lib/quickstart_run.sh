#!/usr/bin/env bash
# Quickstart's real run: 40 messages of 1-10 MB (about 200 MB) backed up to MinIO
# with zstd, the topic deleted, restored, and compared record by record with kcat.
set -euo pipefail
KB_SCRIPT=quickstart
source "$(dirname "$0")/common.sh"
KB=$KB_ROOT/build/bin/kafka-backup
topic=quickstart-large
backup_id=quickstart-$(date +%Y%m%d-%H%M%S)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

say "creating topic $topic (3 partitions) and producing 40 messages of 1-10 MB with kcat"
"$KAFKA_TOPICS" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --delete --topic "$topic" >/dev/null 2>&1 || true
sleep 1
"$KAFKA_TOPICS" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --topic "$topic" \
    --partitions 3 --replication-factor 1 --config max.message.bytes=16777216 >/dev/null
python3 - "$work" <<'PY'
import json, os, random, sys
random.seed(42)
out = sys.argv[1]
for i in range(40):
    size = random.randint(1, 10) * 1024 * 1024
    # JSON-like, half compressible text and half random bytes in hex.
    body = json.dumps({"id": i, "note": "order " * (size // 24)})[: size // 2]
    body += os.urandom(size // 4).hex()
    open(f"{out}/msg-{i:03d}", "w").write(body)
PY
for f in "$work"/msg-*; do
    kcat -P -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$topic" -k "$(basename "$f")" -z lz4 \
        -X message.max.bytes=16777216 "$f"
done
kcat -C -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$topic" -e -q -f '%p %o %k %S\n' | sort >"$work/before.txt"

url="s3://$KB_TEST_BUCKET/quickstart?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"
say "backing up to $url as $backup_id"
"$KB" backup --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topics "$topic" --path "$url" \
    --backup-id "$backup_id" --compression zstd --compression-level 3
say "deleting the topic, then restoring it"
"$KAFKA_TOPICS" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --delete --topic "$topic"
sleep 2
"$KB" restore --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --path "$url" --backup-id "$backup_id" \
    --topics "$topic" --create-topics
kcat -C -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$topic" -e -q -f '%p %o %k %S\n' | sort >"$work/after.txt"
if diff -q "$work/before.txt" "$work/after.txt" >/dev/null; then
    say "restored $(wc -l <"$work/after.txt") records: same partitions, offsets, keys and sizes as before"
else
    diff "$work/before.txt" "$work/after.txt" | head >&2
    die "the restored topic differs from the original"
fi
