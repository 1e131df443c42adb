#!/usr/bin/env bash
# SIGTERM (and SIGINT) during a backup: the process stops fetching, finishes or
# aborts its uploads, publishes what is durable and exits with 130 (documented in
# --help). Checks: the exit code; the JSON summary says "interrupted"; the newest
# manifest holds part of the topic; every segment object in storage is in that
# manifest (nothing durable left unpublished) and no multipart upload is left in
# progress; a re-run resumes and the backup then holds every record exactly once.
source "$(dirname "$0")/lib.sh"

topic="$RUN_ID-term"
create_topic "$topic" 3
produce_mib_records "$topic" 240
get_offsets "$topic" -1 >"$WORK/ends"
total=$(awk -F: '{s += $3} END {print s}' "$WORK/ends")

"$KB_BIN/kafka-backup" backup --help | grep -q "130 .*SIGINT/SIGTERM" ||
    fail "--help does not document exit code 130 for SIGINT/SIGTERM"

# The arguments of a backup of the topic (the signals must reach kafka-backup
# itself, so it is started directly, never through a shell function).
args_for() {  # location backup_id
    ARGS=(backup --bootstrap-servers "$BS" --topics "$topic" --path "$1" --backup-id "$2"
          --compression zstd --compression-level 1 --segment-max-bytes 16MiB
          --memory-budget 128MiB --no-progress --output json)
}

# How many manifest versions a backup has (the first one, written at the start,
# holds no segment; every later one adds some). Cheap enough to poll.
s3_manifest_versions() {  # s3-key-prefix-of-the-backup
    local prefix="${1//\//%2F}manifests%2F"
    { curl -sf --aws-sigv4 "aws:amz:${AWS_REGION:-us-east-1}:s3" \
        --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        "$S3_ENDPOINT/$KB_TEST_BUCKET?list-type=2&prefix=$prefix" || true; } |
        { grep -o "<Key>[^<]*manifest-[0-9]*\.json</Key>" || true; } | wc -l
}
fs_manifest_versions() {  # backup-dir
    { ls "$1/manifests/" 2>/dev/null || true; } | { grep -c '^manifest-' || true; }
}

# Sends `signal` as soon as a second manifest (one with a segment) is published.
stop_with() {  # signal location label versions-command manifest-command...
    local sig=$1 loc=$2 label=$3 versions=$4 rc=0 n=0
    shift 4
    args_for "$loc" "$label"
    "$KB_BIN/kafka-backup" "${ARGS[@]}" >"$WORK/$label.json" 2>"$WORK/$label.log" &
    local pid=$!
    for _ in $(seq 1 3000); do
        [ "$($versions)" -ge 2 ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    kill "-$sig" "$pid" 2>/dev/null || fail "$label: the backup ended before the $sig"
    wait "$pid" || rc=$?
    [ "$rc" -eq 130 ] || { cat "$WORK/$label.log"; fail "$label: exit code $rc after $sig, expected 130"; }
    [ "$(jq -r .status "$WORK/$label.json")" = interrupted ] || fail "$label: summary is not 'interrupted'"
    grep -q "stopping" "$WORK/$label.log" || fail "$label: no 'stopping' message on stderr"
    ! grep -q "kafka-backup: error" "$WORK/$label.log" || { cat "$WORK/$label.log"; fail "$label: failed instead of stopping"; }
    "$@" >"$WORK/$label.manifest"
    n=$(manifest_record_count <"$WORK/$label.manifest")
    [ "$(jq -r .status "$WORK/$label.manifest")" != complete ] || fail "$label: manifest says complete"
    [ "$n" -gt 0 ] && [ "$n" -lt "$total" ] || fail "$label: manifest holds $n of $total records"
    jq -r '.topics[].partitions[].segments[].key' "$WORK/$label.manifest" | sort >"$WORK/$label.published"
    echo "$label: $sig -> exit 130, $n of $total records published"
}

# Segment objects in storage that the manifest does not name.
unpublished() {  # stored-keys-file published-file
    comm -23 "$1" "$2"
}

# --- SIGTERM, MinIO ---------------------------------------------------------------
loc=$(s3_url term)
term_versions() { s3_manifest_versions "$RUN_ID/term/term/"; }
stop_with TERM "$loc" term term_versions manifest_s3 term term
$AWS s3 ls --recursive "s3://$KB_TEST_BUCKET/$RUN_ID/term/term/segments/" |
    awk '{print $4}' | sed "s|^$RUN_ID/term/||" | sort >"$WORK/term.stored"
[ -z "$(unpublished "$WORK/term.stored" "$WORK/term.published")" ] ||
    fail "term: segments durable but not published: $(unpublished "$WORK/term.stored" "$WORK/term.published" | head -3)"
left=$(s3_uploads_awscli "$RUN_ID/term/term/segments/")
[ "$left" -eq 0 ] || fail "term: $left multipart upload(s) left in progress after SIGTERM"
args_for "$loc" term
"$KB_BIN/kafka-backup" "${ARGS[@]}" >"$WORK/term2.json" 2>"$WORK/term2.log" || { cat "$WORK/term2.log"; fail "term: re-run failed"; }
[ "$(jq -r .status "$WORK/term2.json")" = complete ] || fail "term: re-run not complete"
[ "$(jq -r .resumed "$WORK/term2.json")" = true ] || fail "term: re-run did not resume"
assert_exactly_once "$loc" term "$WORK/ends" term
echo "term: re-run completed; all $total records exactly once"

# --- SIGINT, a directory --------------------------------------------------------
fs_root="$WORK/fs"
mkdir -p "$fs_root"
int_versions() { fs_manifest_versions "$fs_root/int"; }
stop_with INT "$fs_root" int int_versions manifest_fs "$fs_root" int
(cd "$fs_root" && find int/segments -type f -name '*.seg' | sort) >"$WORK/int.stored"
[ -z "$(unpublished "$WORK/int.stored" "$WORK/int.published")" ] ||
    fail "int: segments durable but not published: $(unpublished "$WORK/int.stored" "$WORK/int.published" | head -3)"
args_for "$fs_root" int
"$KB_BIN/kafka-backup" "${ARGS[@]}" >"$WORK/int2.json" 2>"$WORK/int2.log" || { cat "$WORK/int2.log"; fail "int: re-run failed"; }
[ "$(jq -r .status "$WORK/int2.json")" = complete ] || fail "int: re-run not complete"
assert_exactly_once "$fs_root" int "$WORK/ends" int
echo "int: SIGINT then re-run: all $total records exactly once"
