#!/usr/bin/env bash
# Bad input to `kafka-backup backup`: each case must end with one clear error line
# on stderr naming the problem, a non-zero exit, and the backup untouched and
# resumable (same newest manifest, no lease left behind; a good re-run completes
# with every record exactly once). Cases: unreachable broker, wrong SASL
# password, a literal topic that does not exist, wrong S3 credentials, a missing
# bucket, and a full disk (a size-limited tmpfs; run in a user namespace when
# this user may not mount).
source "$(dirname "$0")/lib.sh"

# expect_failure LABEL PATTERN -- command...: exit 1, and apart from info-level
# log lines, stderr is one error line naming PATTERN.
expect_failure() {
    local label=$1 pattern=$2 rc=0
    shift 3
    timeout 120 "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" || rc=$?
    [ "$rc" -ne 124 ] || fail "$label: still running after 120 s"
    [ "$rc" -eq 1 ] || { cat "$WORK/$label.err"; fail "$label: exit code $rc, expected 1"; }
    grep -vE '^[0-9T:.-]+Z INFO ' "$WORK/$label.err" >"$WORK/$label.line" || true
    [ "$(wc -l <"$WORK/$label.line")" -eq 1 ] ||
        { cat "$WORK/$label.err"; fail "$label: expected one error line on stderr"; }
    grep -q "^kafka-backup: error: " "$WORK/$label.line" || fail "$label: not an error line: $(cat "$WORK/$label.line")"
    grep -qiE "$pattern" "$WORK/$label.line" ||
        fail "$label: the error does not name the problem ($pattern): $(cat "$WORK/$label.line")"
    echo "$label: exit 1: $(cat "$WORK/$label.line")"
}

# --- disk full (also the entry point of the user-namespace re-run) --------------
disk_full_case() {
    local mnt="$WORK/full" topic="$RUN_ID-full"
    mkdir -p "$mnt"
    mount -t tmpfs -o size=12m kb-disk-full "$mnt" || return 1
    create_topic "$topic" 2
    produce_mib_records "$topic" 40
    get_offsets "$topic" -1 >"$WORK/full.ends"
    local args=(backup --bootstrap-servers "$BS" --topics "$topic" --path "$mnt" --backup-id full
                --compression none --segment-max-bytes 3MiB --memory-budget 64MiB --no-progress)
    expect_failure disk_full "no space left|ENOSPC" -- "$KB_BIN/kafka-backup" "${args[@]}"
    grep -q "$mnt" "$WORK/disk_full.err" || fail "disk_full: the error does not name the path"
    # Nothing half-written: no temp files or partial objects in sight, and what the
    # newest manifest names reads back whole (backup_dump checks every checksum).
    [ -z "$(find "$mnt" -name '.kb-tmp*' -o -name '*.tmp')" ] ||
        fail "disk_full: temp files left: $(find "$mnt" -name '.kb-tmp*' | head -3)"
    if ls "$mnt"/full/manifests/manifest-*.json >/dev/null 2>&1; then
        "$KB_BIN/backup_dump" "$mnt" full >/dev/null || fail "disk_full: the published backup does not read back"
    fi
    mount -o remount,size=256m "$mnt"
    "$KB_BIN/kafka-backup" "${args[@]}" --output json >"$WORK/full.json" 2>"$WORK/full.log" ||
        { cat "$WORK/full.log"; fail "disk_full: the re-run with space failed"; }
    [ "$(jq -r .status "$WORK/full.json")" = complete ] || fail "disk_full: re-run not complete"
    assert_exactly_once "$mnt" full "$WORK/full.ends" disk_full
    echo "disk_full: after freeing space the re-run completed; every record exactly once"
    umount "$mnt"
}

if [ "${1:-}" = disk-full-only ]; then
    disk_full_case || fail "disk_full: could not mount a tmpfs even in a user namespace"
    exit 0
fi

# --- a backup to damage ----------------------------------------------------------
topic="$RUN_ID-bad"
create_topic "$topic" 3
seq 1 60 | sed 's/^/first /' | kcat -P -b "$BS" -t "$topic"
loc=$(s3_url bad)
good=(backup --bootstrap-servers "$BS" --topics "$topic" --path "$loc" --backup-id bad --no-progress)
"$KB_BIN/kafka-backup" "${good[@]}" >/dev/null 2>"$WORK/first.log" || { cat "$WORK/first.log"; fail "first backup failed"; }
seq 1 30 | sed 's/^/second /' | kcat -P -b "$BS" -t "$topic"
get_offsets "$topic" -1 >"$WORK/ends"
backup_keys() { $AWS s3 ls --recursive "s3://$KB_TEST_BUCKET/$RUN_ID/bad/bad/" | awk '{print $4}' | sort; }
backup_keys >"$WORK/keys.before"

unchanged() {  # label
    backup_keys >"$WORK/keys.after"
    diff -u "$WORK/keys.before" "$WORK/keys.after" >&2 || fail "$1: the failed run changed the backup"
}

with_topic=(--topics "$topic" --path "$loc" --backup-id bad --no-progress)
expect_failure unreachable_broker "127\.0\.0\.1:1\b" -- \
    "$KB_BIN/kafka-backup" backup --bootstrap-servers 127.0.0.1:1 "${with_topic[@]}"
unchanged unreachable_broker

: "${KAFKA_SASL_BOOTSTRAP:?run under scripts/env.sh}"
expect_failure sasl_auth "authentication failed.*kbuser|kbuser.*authentication failed" -- \
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$KAFKA_SASL_BOOTSTRAP" \
    --security-protocol SASL_PLAINTEXT --sasl-mechanism SCRAM-SHA-256 --sasl-username kbuser \
    --sasl-password not-the-password "${with_topic[@]}"
grep -q "not-the-password" "$WORK/sasl_auth.err" && fail "sasl_auth: the password is in the error"
unchanged sasl_auth

expect_failure unknown_topic "topic '$RUN_ID-nosuch' does not exist" -- \
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topic,$RUN_ID-nosuch" \
    --path "$loc" --backup-id bad --no-progress
grep -q "kafka-backup list" "$WORK/unknown_topic.err" && fail "unknown_topic: advice points at backups"
unchanged unknown_topic

expect_failure s3_credentials "rejected the credentials" -- \
    env AWS_SECRET_ACCESS_KEY=not-the-secret "$KB_BIN/kafka-backup" "${good[@]}"
grep -q "not-the-secret" "$WORK/s3_credentials.err" && fail "s3_credentials: the secret is in the error"
unchanged s3_credentials

missing_bucket="kb-missing-$RUN_ID"
missing_bucket=${missing_bucket,,}
expect_failure missing_bucket "bucket '$missing_bucket' does not exist" -- \
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topic" --backup-id bad \
    --path "s3://$missing_bucket/x?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true" --no-progress
$AWS s3api head-bucket --bucket "$missing_bucket" >/dev/null 2>&1 && fail "missing_bucket: the bucket was created"

# Still resumable after all of that.
"$KB_BIN/kafka-backup" "${good[@]}" --output json >"$WORK/resume.json" 2>"$WORK/resume.log" ||
    { cat "$WORK/resume.log"; fail "the good re-run failed"; }
[ "$(jq -r .status "$WORK/resume.json")" = complete ] || fail "the good re-run is not complete"
[ "$(jq -r .resumed "$WORK/resume.json")" = true ] || fail "the good re-run did not resume"
[ "$(jq -r .records "$WORK/resume.json")" -eq 30 ] || fail "the re-run copied $(jq -r .records "$WORK/resume.json") records, expected the 30 new ones"
assert_exactly_once "$loc" bad "$WORK/ends" resume
echo "after the failures the backup resumed: all 90 records exactly once"

# --- disk full -------------------------------------------------------------------
probe="$WORK/probe"
mkdir -p "$probe"
if [ "${KB_TEST_FORCE_USERNS:-0}" != 1 ] && mount -t tmpfs -o size=1m kb-probe "$probe" 2>/dev/null; then
    umount "$probe"
    disk_full_case
elif unshare --user --map-root-user --mount true 2>/dev/null; then
    echo "disk_full: not allowed to mount here; running it in a user + mount namespace"
    unshare --user --map-root-user --mount --propagation private bash "$0" disk-full-only ||
        fail "disk_full case failed in the namespace"
else
    echo "disk_full: SKIPPED: this user may neither mount a tmpfs nor create a user namespace"
fi
