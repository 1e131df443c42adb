#!/usr/bin/env bash
# More hostile input to the real kafka-backup binary, against the real broker and
# MinIO of scripts/env.sh: each case must end with one clear error line, the
# documented exit code (2 for usage and config errors, 1 for failures) and no
# secret in any output. Cases: config files that are devices, FIFOs, directories
# or too large; overflowing sizes and numbers; 200,000 bootstrap servers; bad
# backup and snapshot ids, also huge ones; a missing CA file; credentials in URLs;
# a storage prefix with '..'; a manifest whose segment keys point into another
# backup (every command that follows keys); password files and KAFKA_USERNAME /
# KAFKA_PASSWORD; the metrics bind address; the S3 endpoint from the environment
# and an object store that cannot be reached.
source "$(dirname "$0")/../backup/lib.sh"
RUN_ID="badinput$$-$RANDOM"
KB="$KB_BIN/kafka-backup"
: "${KAFKA_SASL_BOOTSTRAP:?run under scripts/env.sh}" "${KAFKA_SCRAM_PASSWORD:?}"

# expect CODE LABEL PATTERN -- command...: exits CODE within 30 s, and apart from
# INFO/WARN log lines stderr is one line "kafka-backup: error: ..." matching PATTERN.
expect() {
    local code=$1 label=$2 pattern=$3 rc=0
    shift 4
    timeout 30 "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" || rc=$?
    [ "$rc" -ne 124 ] || fail "$label: still running after 30 s"
    [ "$rc" -eq "$code" ] || { head -c 2000 "$WORK/$label.err"; fail "$label: exit code $rc, expected $code"; }
    grep -avE '^[0-9T:.-]+Z (INFO|WARN) ' "$WORK/$label.err" >"$WORK/$label.line" || true
    [ "$(wc -l <"$WORK/$label.line")" -eq 1 ] ||
        { head -c 2000 "$WORK/$label.err"; fail "$label: expected one error line on stderr"; }
    grep -q "^kafka-backup: error: " "$WORK/$label.line" || fail "$label: not an error line: $(head -c 500 "$WORK/$label.line")"
    grep -qiE -- "$pattern" "$WORK/$label.line" ||
        fail "$label: the error does not name the problem ($pattern): $(head -c 500 "$WORK/$label.line")"
    echo "$label: exit $rc: $(head -c 300 "$WORK/$label.line")"
}
# short LABEL MAX: the error line of LABEL is at most MAX bytes.
short() {
    local n
    n=$(wc -c <"$WORK/$1.line")
    [ "$n" -le "$2" ] || fail "$1: the error line is $n bytes, expected at most $2"
}
# hidden LABEL SECRET: SECRET is in no output of LABEL.
hidden() {
    ! grep -qaF -- "$2" "$WORK/$1.out" "$WORK/$1.err" || fail "$1: the secret appears in its output"
}

fsdir="$WORK/fs"
mkdir -p "$fsdir"
flags=(--bootstrap-servers "$BS" --topics "$RUN_ID-t" --path "$fsdir" --no-progress)

# --- the config file itself (13) ----------------------------------------------------
expect 2 dev_zero "'/dev/zero' is not a regular file" -- "$KB" backup --config /dev/zero
mkfifo "$WORK/fifo"
expect 2 fifo "is not a regular file" -- "$KB" backup --config "$WORK/fifo"
expect 2 directory "is a directory, not a file" -- "$KB" restore --config "$WORK"
grep -qi "empty" "$WORK/directory.line" && fail "directory: still called empty"
head -c $((2 << 20)) /dev/zero | tr '\0' '#' >"$WORK/big.yaml"
expect 2 big_config "at most 1.0 MiB" -- "$KB" backup --config "$WORK/big.yaml"

# --- bounds and overflow (15) -------------------------------------------------------
cat >"$WORK/huge.yaml" <<YAML
backup_id: $RUN_ID
source: {bootstrap_servers: ["$BS"]}
storage: {backend: filesystem, path: $fsdir}
backup: {segment_max_bytes: 99999999999999999999999999}
YAML
expect 2 huge_segment "segment_max_bytes.*too large" -- "$KB" backup --config "$WORK/huge.yaml"
grep -q "at least" "$WORK/huge_segment.line" && fail "huge_segment: reported as too small"
expect 2 huge_flag "segment-max-bytes.*too large" -- \
    "$KB" backup "${flags[@]}" --backup-id x --segment-max-bytes 99999999999999999999999999
expect 2 huge_shards "shards.*outside" -- "$KB" backup "${flags[@]}" --backup-id x --shards 99999999999999999999

python3 -c 'print("backup_id: b\nsource:\n  bootstrap_servers: \"" + ",".join(["a:1"] * 200000) + "\"\nstorage: {backend: filesystem, path: /tmp/x}")' >"$WORK/servers.yaml"
start=$(date +%s%N)
expect 2 many_servers "200000 bootstrap servers are too many" -- "$KB" backup --config "$WORK/servers.yaml"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 5000 ] || fail "many_servers: took $ms ms"
echo "many_servers: refused in $ms ms"

# --- ids and echoed values (14, 16) -------------------------------------------------
expect 2 bad_backup_id "backup id 'a b' cannot be used" -- "$KB" backup "${flags[@]}" --backup-id 'a b'
expect 2 bad_id_describe "backup id 'x/../y' cannot be used" -- "$KB" describe --path "$fsdir" --backup-id 'x/../y'
big_id=$(head -c 100000 /dev/zero | tr '\0' i)
expect 2 huge_id "\(100000 bytes\)" -- "$KB" validate --path "$fsdir" --backup-id "$big_id"
short huge_id 400
printf 'backup_id: %s\nstorage: {backend: filesystem, path: /tmp/x}\n' "$(head -c 1000000 /dev/zero | tr '\0' i)" >"$WORK/id.yaml"
expect 2 huge_id_config "\(1000000 bytes\)" -- "$KB" backup --config "$WORK/id.yaml" --bootstrap-servers "$BS"
short huge_id_config 400
expect 2 bad_snapshot_id "snapshot-id 'a;b' is not a snapshot id" -- \
    "$KB" offset-rollback --path "$fsdir" --snapshot-id 'a;b' --bootstrap-servers "$BS"
expect 2 huge_topic_map "\(50000 bytes\)" -- \
    "$KB" restore --path "$fsdir" --backup-id x --bootstrap-servers "$BS" --topic-map "$(head -c 50000 /dev/zero | tr '\0' t)"
short huge_topic_map 400

# --- files the config names (16) ----------------------------------------------------
expect 2 missing_ca "ssl_ca_location '$WORK/no-ca.pem'.*No such file" -- \
    "$KB" backup "${flags[@]}" --backup-id x --security-protocol SSL --ssl-ca-location "$WORK/no-ca.pem"
expect 2 missing_password_file "sasl-password-file.*No such file" -- \
    "$KB" backup "${flags[@]}" --backup-id x --security-protocol SASL_PLAINTEXT \
    --sasl-mechanism PLAIN --sasl-username u --sasl-password-file "$WORK/none"

# --- credentials in URLs (14) -------------------------------------------------------
expect 2 url_userinfo "carries credentials" -- \
    "$KB" list --path "s3://AKIAKBTEST:kb-url-secret@$KB_TEST_BUCKET/p"
hidden url_userinfo kb-url-secret
hidden url_userinfo AKIAKBTEST
expect 2 url_userinfo_slash "carries credentials" -- \
    "$KB" list --path "s3://AKIAKBTEST:kb-url/secret@$KB_TEST_BUCKET/p"
hidden url_userinfo_slash kb-url
expect 2 endpoint_userinfo "carries credentials" -- \
    "$KB" list --path "s3://$KB_TEST_BUCKET/p?endpoint=http://AKIAKBTEST:kb-url-secret@127.0.0.1:1"
hidden endpoint_userinfo kb-url-secret

# --- paths outside the backup (5) ---------------------------------------------------
cat >"$WORK/prefix.yaml" <<YAML
backup_id: $RUN_ID
source: {bootstrap_servers: ["$BS"]}
storage: {backend: filesystem, path: $fsdir/inner, prefix: ../../escaped}
YAML
expect 2 prefix_dotdot "storage prefix '../../escaped' has a '..' component" -- \
    "$KB" backup --config "$WORK/prefix.yaml" --topics "$RUN_ID-t"
[ ! -e "$WORK/escaped" ] && [ ! -e "$fsdir/escaped" ] || fail "prefix_dotdot: something was written outside"

create_topic "$RUN_ID-t" 2
seq 1 40 | sed 's/^/rec /' | kcat -P -b "$BS" -t "$RUN_ID-t"
"$KB" backup "${flags[@]}" --backup-id good >/dev/null 2>"$WORK/good.log" || { cat "$WORK/good.log"; fail "backup 'good' failed"; }
# A second backup whose manifest names good's segments (a copy with backup_id edited).
mkdir -p "$fsdir/evil/manifests"
for m in "$fsdir"/good/manifests/manifest-*.json; do
    jq '.backup_id = "evil"' "$m" >"$fsdir/evil/manifests/$(basename "$m")"
done
jq -e '[.topics[].partitions[].segments[].key] | all(startswith("good/"))' "$fsdir"/evil/manifests/manifest-*.json >/dev/null ||
    fail "the copied manifest does not name good's segments"
segments_before=$(find "$fsdir/good/segments" -type f | sort)
evil=(--path "$fsdir" --backup-id evil)
expect 1 evil_describe "lies outside backup 'evil'" -- "$KB" describe "${evil[@]}"
expect 1 evil_validate "lies outside backup 'evil'" -- "$KB" validate "${evil[@]}" --deep
expect 1 evil_mapping "lies outside backup 'evil'" -- "$KB" show-offset-mapping "${evil[@]}"
expect 1 evil_prune "lies outside backup 'evil'" -- "$KB" prune "${evil[@]}" --keep-segments 0 --execute
expect 1 evil_restore "lies outside backup 'evil'" -- \
    "$KB" restore "${evil[@]}" --bootstrap-servers "$BS" --topic-map "$RUN_ID-t:$RUN_ID-restored" \
    --create-topics --no-progress
[ "$(find "$fsdir/good/segments" -type f | sort)" = "$segments_before" ] || fail "evil_prune: good's segments changed"
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --list | grep -qx "$RUN_ID-restored" &&
    { CREATED_TOPICS+=("$RUN_ID-restored"); fail "evil_restore: the target topic was created"; }
# A key that climbs out with '..' (in the newest version, which every command reads).
latest=$(ls "$fsdir"/evil/manifests/manifest-*.json | sort | tail -1)
jq '(.topics[] | select(.partitions | length > 0) | .partitions[0].segments[0].key) =
    "evil/segments/'"$RUN_ID"'-t/0/../../../../good/segments/x.seg"' "$latest" >"$WORK/dotdot.json"
mv "$WORK/dotdot.json" "$latest"
expect 1 evil_dotdot "lies outside backup 'evil'" -- "$KB" describe "${evil[@]}"
"$KB" describe --path "$fsdir" --backup-id good >/dev/null 2>&1 || fail "the honest backup no longer describes"

# --- secrets: files and KAFKA_USERNAME/KAFKA_PASSWORD (17) --------------------------
sasl=(--bootstrap-servers "$KAFKA_SASL_BOOTSTRAP" --security-protocol SASL_PLAINTEXT
      --sasl-mechanism SCRAM-SHA-256 --topics "$RUN_ID-t" --path "$fsdir" --no-progress -v)
printf '%s\n' "$KAFKA_SCRAM_PASSWORD" >"$WORK/pw"
chmod 600 "$WORK/pw"
"$KB" backup "${sasl[@]}" --backup-id pwfile --sasl-username "$KAFKA_SCRAM_USER" \
    --sasl-password-file "$WORK/pw" >"$WORK/pwfile.out" 2>"$WORK/pwfile.err" ||
    { tail -5 "$WORK/pwfile.err"; fail "pwfile: the backup with --sasl-password-file failed"; }
hidden pwfile "$KAFKA_SCRAM_PASSWORD"
echo "pwfile: backup over SASL with --sasl-password-file (newline dropped) completed"
KAFKA_USERNAME=$KAFKA_SCRAM_USER KAFKA_PASSWORD=$KAFKA_SCRAM_PASSWORD \
    "$KB" backup "${sasl[@]}" --backup-id pwenv >"$WORK/pwenv.out" 2>"$WORK/pwenv.err" ||
    { tail -5 "$WORK/pwenv.err"; fail "pwenv: the backup with KAFKA_USERNAME/KAFKA_PASSWORD failed"; }
hidden pwenv "$KAFKA_SCRAM_PASSWORD"
echo "pwenv: backup over SASL with KAFKA_USERNAME/KAFKA_PASSWORD completed"
printf 'kb-wrong-secret\n' >"$WORK/wrong"
chmod 644 "$WORK/wrong"
expect 1 wrong_pwfile "authentication failed" -- "$KB" backup "${sasl[@]}" --backup-id pwfile \
    --sasl-username "$KAFKA_SCRAM_USER" --sasl-password-file "$WORK/wrong"
hidden wrong_pwfile kb-wrong-secret
grep -q "readable by every user" "$WORK/wrong_pwfile.err" || fail "wrong_pwfile: no warning about a world-readable file"
cat >"$WORK/sasl.yaml" <<YAML
backup_id: pwconfig
source:
  bootstrap_servers: ["$KAFKA_SASL_BOOTSTRAP"]
  topics: {include: ["$RUN_ID-t"]}
  security:
    security_protocol: SASL_PLAINTEXT
    sasl_mechanism: SCRAM-SHA-512
    sasl_username: $KAFKA_SCRAM_USER
    sasl_password_file: $WORK/pw
storage: {backend: filesystem, path: $fsdir}
YAML
"$KB" backup --config "$WORK/sasl.yaml" --no-progress -v >"$WORK/pwconfig.out" 2>"$WORK/pwconfig.err" ||
    { tail -5 "$WORK/pwconfig.err"; fail "pwconfig: the backup with sasl_password_file failed"; }
hidden pwconfig "$KAFKA_SCRAM_PASSWORD"
echo "pwconfig: backup with security.sasl_password_file completed"

# --- metrics bind address (17) ------------------------------------------------------
printf 'metrics:\n  port: 0\n' >"$WORK/metrics.yaml"
"$KB" backup --config "$WORK/metrics.yaml" "${flags[@]}" --backup-id metrics >/dev/null 2>"$WORK/metrics.err" ||
    { tail -5 "$WORK/metrics.err"; fail "metrics: backup failed"; }
grep -q "metrics on http://127.0.0.1:" "$WORK/metrics.err" ||
    fail "metrics: not served on 127.0.0.1 by default: $(grep metrics "$WORK/metrics.err")"
"$KB" backup "${flags[@]}" --backup-id metrics --metrics-address 0 >/dev/null 2>"$WORK/metrics2.err" ||
    { tail -5 "$WORK/metrics2.err"; fail "metrics: backup with --metrics-address PORT failed"; }
grep -q "metrics on http://127.0.0.1:" "$WORK/metrics2.err" || fail "metrics: --metrics-address PORT is not on 127.0.0.1"
echo "metrics: served on 127.0.0.1 unless an address is given"

# --- the S3 endpoint from the environment, an unreachable store (issue 23) ---------
unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3
start=$(date +%s%N)
expect 1 s3_no_endpoint "s3://$KB_TEST_BUCKET" -- "$KB" list --path "s3://$KB_TEST_BUCKET/$RUN_ID"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 10000 ] || fail "s3_no_endpoint: took $ms ms"
echo "s3_no_endpoint: failed in $ms ms"
start=$(date +%s%N)
expect 1 s3_refused "Connection refused" -- "$KB" list --path "s3://$KB_TEST_BUCKET/$RUN_ID?endpoint=http://127.0.0.1:1"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 10000 ] || fail "s3_refused: took $ms ms"
echo "s3_refused: failed in $ms ms"
s3loc="s3://$KB_TEST_BUCKET/$RUN_ID?path_style=true"
AWS_ENDPOINT_URL=$S3_ENDPOINT "$KB" backup --bootstrap-servers "$BS" --topics "$RUN_ID-t" --no-progress \
    --path "$s3loc" --backup-id envep >/dev/null 2>"$WORK/envep.err" ||
    { tail -5 "$WORK/envep.err"; fail "envep: backup with AWS_ENDPOINT_URL failed"; }
AWS_ENDPOINT_URL_S3=$S3_ENDPOINT AWS_ENDPOINT_URL=http://127.0.0.1:1 "$KB" list --path "$s3loc" >"$WORK/envs3.out" 2>&1 ||
    { cat "$WORK/envs3.out"; fail "envs3: AWS_ENDPOINT_URL_S3 does not win over AWS_ENDPOINT_URL"; }
grep -q envep "$WORK/envs3.out" || fail "envs3: the backup is not listed"
AWS_ENDPOINT_URL=http://127.0.0.1:1 "$KB" list --path "s3://$KB_TEST_BUCKET/$RUN_ID?endpoint=$S3_ENDPOINT&path_style=true" >"$WORK/envurl.out" 2>&1 ||
    { cat "$WORK/envurl.out"; fail "envurl: the endpoint in --path does not win over the environment"; }
grep -q envep "$WORK/envurl.out" || fail "envurl: the backup is not listed"
echo "endpoint: AWS_ENDPOINT_URL works, AWS_ENDPOINT_URL_S3 wins over it, --path wins over both"

echo "all bad-input cases passed"
