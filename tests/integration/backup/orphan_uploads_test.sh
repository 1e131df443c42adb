#!/usr/bin/env bash
# A SIGKILL while a segment is being uploaded leaves an incomplete multipart
# upload behind (on S3 its parts are billed until someone aborts it). The run
# that resumes the backup, once it holds the writer lease, aborts the uploads
# under the backup's segments and says how many; afterwards none remain, and the
# backup holds every record exactly once. MinIO (checked with awscli), then a
# directory (its multipart staging directories).
source "$(dirname "$0")/lib.sh"

topic="$RUN_ID-orphans"
create_topic "$topic" 3
produce_mib_records "$topic" 200
get_offsets "$topic" -1 >"$WORK/ends"

# The arguments of a backup of the topic (kafka-backup is started directly, never
# through a shell function, so that the SIGKILL reaches it).
args_for() {  # location backup_id
    ARGS=(backup --bootstrap-servers "$BS" --topics "$topic" --path "$1" --backup-id "$2"
          --compression none --segment-max-bytes 64MiB --memory-budget 1GiB --no-progress)
}

# Starts a backup and SIGKILLs it as soon as `probe` sees an upload in progress.
# (Large segments: each upload lasts long enough for a poll to see it.)
# Returns 0 when the kill landed while one was in progress.
kill_mid_upload() {  # location backup_id probe-command...
    local loc=$1 id=$2
    shift 2
    args_for "$loc" "$id"
    "$KB_BIN/kafka-backup" "${ARGS[@]}" --log-level warn >/dev/null 2>"$WORK/killed.log" &
    local pid=$! seen=0
    for _ in $(seq 1 1500); do
        kill -0 "$pid" 2>/dev/null || break
        if [ "$("$@")" -gt 0 ]; then
            kill -9 "$pid" 2>/dev/null && seen=1
            break
        fi
        sleep 0.005
    done
    wait "$pid" 2>/dev/null || true
    [ $seen -eq 1 ] && [ "$("$@")" -gt 0 ]
}

resume_and_check() {  # location backup_id label remaining-probe-command...
    local loc=$1 id=$2 label=$3 left
    shift 3
    args_for "$loc" "$id"
    "$KB_BIN/kafka-backup" "${ARGS[@]}" --log-level info --output json >"$WORK/resume.json" 2>"$WORK/resume.log" ||
        { cat "$WORK/resume.log"; fail "$label: the resumed backup failed"; }
    [ "$(jq -r .status "$WORK/resume.json")" = complete ] || fail "$label: resumed run not complete"
    [ "$(jq -r .resumed "$WORK/resume.json")" = true ] || fail "$label: the second run did not resume"
    grep -E "aborted [0-9]+ unfinished multipart upload" "$WORK/resume.log" ||
        { cat "$WORK/resume.log"; fail "$label: the resumed run did not report aborting the uploads"; }
    left=$("$@")
    [ "$left" -eq 0 ] || fail "$label: $left multipart upload(s) still in progress after the resumed run"
    assert_exactly_once "$loc" "$id" "$WORK/ends" "$label"
}

# --- MinIO -------------------------------------------------------------------
s3_loc=$(s3_url orphans)
caught=""
for round in 1 2 3 4 5 6 7 8; do
    id="orph$round"  # a fresh backup each round: a round may run to the end
    probe=(s3_uploads_fast "$RUN_ID/orphans/$id/segments/")
    if kill_mid_upload "$s3_loc" "$id" "${probe[@]}"; then caught=$id; break; fi
    echo "minio: round $round: no upload in progress when killed; again"
done
[ -n "$caught" ] || fail "minio: never caught a multipart upload in progress in 8 rounds"
left=$(s3_uploads_awscli "$RUN_ID/orphans/$caught/segments/")
[ "$left" -gt 0 ] || fail "minio: awscli shows no upload in progress after the SIGKILL"
echo "minio: SIGKILL mid-upload left $left multipart upload(s) (aws s3api list-multipart-uploads)"
resume_and_check "$s3_loc" "$caught" minio s3_uploads_awscli "$RUN_ID/orphans/$caught/segments/"
echo "minio: the resumed run aborted them; none left; every record exactly once"

# --- a directory ---------------------------------------------------------------
fs_root="$WORK/fs"
mkdir -p "$fs_root"
fs_staged() { { find "$fs_root/.kb-multipart" -mindepth 2 -maxdepth 2 -name key 2>/dev/null || true; } | wc -l; }
fs_staged_ours() { { grep -l "^orphfs/segments/" "$fs_root"/.kb-multipart/*/key 2>/dev/null || true; } | wc -l; }
caught=""
for round in 1 2 3; do
    id="orph$round"
    if kill_mid_upload "$fs_root" "$id" fs_staged; then caught=$id; break; fi
done
if [ -n "$caught" ]; then
    echo "disk: SIGKILL mid-upload left $(fs_staged) staged upload(s) in .kb-multipart/"
    resume_and_check "$fs_root" "$caught" disk fs_staged
    echo "disk: the resumed run removed them; every record exactly once"
    exit 0
fi
# This build writes segments to disk without multipart staging, so a kill leaves
# no upload there. Leave one the way a killed multipart writer does (staging
# directory with its key file and a part) and check that a resume clears it.
id=orphfs
args_for "$fs_root" "$id"
"$KB_BIN/kafka-backup" "${ARGS[@]}" --log-level warn >/dev/null 2>"$WORK/fs.log" || { cat "$WORK/fs.log"; fail "disk: backup failed"; }
staging="$fs_root/.kb-multipart/0123456789abcdef0123456789abcdef"
mkdir -p "$staging"
printf '%s' "$id/segments/$topic/0/00000000000000000000-00000000000000000009.seg" >"$staging/key"
head -c 1000 /dev/urandom >"$staging/part-00001"
outside="$fs_root/.kb-multipart/fedcba9876543210fedcba9876543210"
mkdir -p "$outside"
printf '%s' "other-backup/segments/t/0/x.seg" >"$outside/key"
resume_and_check "$fs_root" "$id" disk fs_staged_ours
[ -d "$outside" ] || fail "disk: the resume removed an upload outside its backup"
echo "disk: a staged upload left under the backup was removed by the resume; others kept"
