#!/usr/bin/env bash
# S3 server-side encryption against MinIO (served over https with the env's test
# certificates, with its built-in KMS key): for SSE-S3, SSE-KMS and SSE-C, a backup
# whose segments (one of them a multipart upload) the store reports as encrypted
# that way, a restore byte-identical to the source, and validate --deep reading it.
# SSE-C: awscli cannot read a segment without the key; a wrong key is one clear
# line, a non-zero exit and nothing produced.
. "$(dirname "$0")/../restore/lib.sh"
KB_ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
eval "$("$KB_ROOT/scripts/env.sh" minio-tls)"
TLS_AWS="env AWS_CA_BUNDLE=$S3_TLS_CA_FILE ${KB_AWS_CLI:-/usr/bin/aws} --endpoint-url $S3_TLS_ENDPOINT"
tls_cleanup() { $TLS_AWS s3 rm --recursive "s3://$KB_TEST_BUCKET/$RUN_ID" >/dev/null 2>&1 || true; cleanup; }
trap tls_cleanup EXIT

T="sse-$RUN_ID"
create_topic "$T" 2 --config max.message.bytes=2000000
for i in $(seq 1 50); do echo "k$i:v$i"; done | kcat -P -b "$BS" -t "$T" -K: -p 1 -H h=1
# 12 x 1 MiB in partition 0: a segment above the 5 MiB part size goes up in parts.
"$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "$T" --num-records 12 --record-size 1048576 \
    --throughput -1 --producer-props bootstrap.servers="$BS" acks=1 max.request.size=2000000 \
    partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner >/dev/null
records "$T" >"$WORK/before"
[ "$(wc -l <"$WORK/before")" -eq 62 ] || fail "expected 62 source records, got $(wc -l <"$WORK/before")"

openssl rand -base64 32 >"$WORK/sse-c.key"
openssl rand -base64 32 >"$WORK/wrong.key"
base64 -d "$WORK/sse-c.key" >"$WORK/sse-c.raw"  # awscli takes the raw bytes

storage_yaml() {  # prefix mode [key file]
    cat <<YAML
storage:
  backend: s3
  bucket: $KB_TEST_BUCKET
  prefix: $RUN_ID/$1
  endpoint: $S3_TLS_ENDPOINT
  path_style: true
  ssl_ca_location: $S3_TLS_CA_FILE
  part_size: 5MiB
  server_side_encryption: "$2"
YAML
    case $2 in
        aws:kms) echo "  sse_kms_key_id: $KB_MINIO_KMS_KEY_ID" ;;
        customer) echo "  sse_customer_key_file: $3" ;;
    esac
}

backup_with() {  # prefix mode [key file]
    { printf 'mode: backup\nbackup_id: b1\nsource:\n  bootstrap_servers: [%s]\n  topics: {include: [%s]}\n' \
        "$BS" "$T"; storage_yaml "$@"; } >"$WORK/backup-$1.yaml"
    "$KB" backup --config "$WORK/backup-$1.yaml" --no-progress --log-level warn >"$WORK/b.out" 2>&1 ||
        { cat "$WORK/b.out"; fail "backup with SSE $2"; }
}

restore_with() {  # prefix mode key-file target-topic
    { printf 'mode: restore\nbackup_id: b1\ntarget:\n  bootstrap_servers: [%s]\n  topics: {include: [%s]}\n' \
        "$BS" "$T"; storage_yaml "$1" "$2" "$3"
      printf 'restore:\n  topic_mapping: {%s: %s}\n  create_topics: true\n' "$T" "$4"; } >"$WORK/restore-$1.yaml"
    "$KB" restore --config "$WORK/restore-$1.yaml" --no-progress --log-level warn >"$WORK/r.out" 2>&1
}

# The largest segment of a backup (the multipart one).
big_segment() { $TLS_AWS s3api list-objects-v2 --bucket "$KB_TEST_BUCKET" --prefix "$RUN_ID/$1/" \
    --query 'reverse(sort_by(Contents,&Size))[0].Key' --output text; }

for mode in AES256 aws:kms customer; do
    prefix=${mode//:/-}
    backup_with "$prefix" "$mode" "$WORK/sse-c.key"
    SEG=$(big_segment "$prefix")
    [[ $SEG == *.seg* || $SEG == *segments* ]] || fail "no segment found under $prefix: $SEG"
    if [ "$mode" = customer ]; then
        $TLS_AWS s3api head-object --bucket "$KB_TEST_BUCKET" --key "$SEG" >/dev/null 2>&1 &&
            fail "an SSE-C segment could be read without its key"
        $TLS_AWS s3api head-object --bucket "$KB_TEST_BUCKET" --key "$SEG" --sse-customer-algorithm AES256 \
            --sse-customer-key "fileb://$WORK/sse-c.raw" >"$WORK/head.json" 2>"$WORK/head.err" ||
            { cat "$WORK/head.err"; fail "awscli cannot read the SSE-C segment with its key"; }
        jq -e '.SSECustomerAlgorithm == "AES256"' "$WORK/head.json" >/dev/null || fail "SSE-C head: $(cat "$WORK/head.json")"
    else
        $TLS_AWS s3api head-object --bucket "$KB_TEST_BUCKET" --key "$SEG" >"$WORK/head.json"
        jq -e --arg m "$mode" '.ServerSideEncryption == $m' "$WORK/head.json" >/dev/null ||
            fail "$mode: the store reports $(jq -c '{ServerSideEncryption,SSEKMSKeyId}' "$WORK/head.json") for $SEG"
        [ "$mode" != aws:kms ] || jq -e --arg k "$KB_MINIO_KMS_KEY_ID" '.SSEKMSKeyId | contains($k)' \
            "$WORK/head.json" >/dev/null || fail "SSE-KMS key id: $(cat "$WORK/head.json")"
    fi
    restore_with "$prefix" "$mode" "$WORK/sse-c.key" "$T-$prefix" || { cat "$WORK/r.out"; fail "restore with $mode"; }
    CREATED_TOPICS+=("$T-$prefix")
    records "$T-$prefix" >"$WORK/after-$prefix"
    diff "$WORK/before" "$WORK/after-$prefix" >/dev/null || fail "records restored from $mode differ"
    "$KB" validate --config "$WORK/backup-$prefix.yaml" --backup-id b1 --deep >"$WORK/v.out" 2>&1 ||
        { cat "$WORK/v.out"; fail "validate --deep with $mode"; }
    # Every object of the backup (lease, manifest, segments) is written the same way.
    if [ "$mode" != customer ]; then
        for k in $($TLS_AWS s3api list-objects-v2 --bucket "$KB_TEST_BUCKET" --prefix "$RUN_ID/$prefix/" \
            --query 'Contents[].Key' --output text); do
            $TLS_AWS s3api head-object --bucket "$KB_TEST_BUCKET" --key "$k" |
                jq -e --arg m "$mode" '.ServerSideEncryption == $m' >/dev/null || fail "$k is not encrypted with $mode"
        done
    fi
    echo "SSE $mode: segment $SEG encrypted; restore identical; validate --deep clean"
done

# A wrong SSE-C key: one line naming the problem, non-zero exit, nothing produced.
if restore_with customer customer "$WORK/wrong.key" "$T-wrongkey"; then fail "restore with a wrong SSE-C key succeeded"; fi
CREATED_TOPICS+=("$T-wrongkey")
[ "$(grep -c . "$WORK/r.out")" -eq 1 ] || { cat "$WORK/r.out"; fail "expected one error line"; }
grep -q "SSE-C key whose MD5 is" "$WORK/r.out" || fail "the error does not name the SSE-C key: $(cat "$WORK/r.out")"
[ -z "$(records "$T-wrongkey" 2>/dev/null)" ] || fail "records were produced with a wrong key"
echo "wrong SSE-C key: $(cat "$WORK/r.out")"
echo "PASS"
