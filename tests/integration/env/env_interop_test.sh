#!/usr/bin/env bash
# Kafka's Java console producer writes keyed records; kcat (librdkafka) reads them
# back exactly. awscli puts an object into MinIO and gets it back byte-exact.
set -euo pipefail
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh (eval \"\$(scripts/env.sh up)\")}"
: "${S3_ENDPOINT:?run under scripts/env.sh}" "${KB_TEST_BUCKET:?}" "${KAFKA_BIN:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

topic="env-interop-$$-$RANDOM"
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create \
    --topic "$topic" --partitions 1 --replication-factor 1 >/dev/null
for i in $(seq 1 20); do printf 'key-%d\tvalue %d with spaces\n' "$i" "$i"; done >"$work/in.txt"
"$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" \
    --topic "$topic" --reader-property parse.key=true --reader-property 'key.separator=	' <"$work/in.txt"
kcat -C -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$topic" -o beginning -e -q -f '%k\t%s\n' >"$work/out.txt"
diff "$work/in.txt" "$work/out.txt" || fail "kcat read back something other than what the console producer wrote"
echo "kafka: 20 keyed records from kafka-console-producer read back exactly by kcat"

aws="${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_ENDPOINT"
head -c 3000000 /dev/urandom >"$work/blob"
$aws s3 cp "$work/blob" "s3://$KB_TEST_BUCKET/env-interop/$topic.bin" >/dev/null
$aws s3 cp "s3://$KB_TEST_BUCKET/env-interop/$topic.bin" "$work/blob.back" >/dev/null
cmp "$work/blob" "$work/blob.back" || fail "MinIO returned different bytes"
$aws s3 rm "s3://$KB_TEST_BUCKET/env-interop/$topic.bin" >/dev/null
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --delete --topic "$topic"
echo "minio: 3 MB object put and got back byte-exact with awscli"
