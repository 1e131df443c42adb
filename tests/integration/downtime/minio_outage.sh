#!/usr/bin/env bash
# MinIO goes down mid-backup for OUTAGE seconds (its process stopped, then started
# again on the same data): the snapshot backup waits it out under its retry deadline,
# logs the wait and the recovery, exits 0, and the backup restores byte-identical.
# Kafka is the shared environment's (only used); MinIO is a private process.
# Usage: minio_outage.sh OUTAGE_SECONDS
set -euo pipefail
outage=${1:?usage: minio_outage.sh OUTAGE_SECONDS}
source "$(dirname "$0")/lib.sh"
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${KAFKA_BIN:?run under scripts/env.sh}"
private_minio_up

src="$RUN_ID-minio-src" dst="$RUN_ID-minio-dst"
topic_create "$src" 3 1
topic_create "$dst" 3 1
produce_numbered "$src" 4000 10000  # 40 MB: more than a moment's work
records_of "$src" >"$WORK/before"
note "source: $(wc -l <"$WORK/before") records"

url=$(s3_url backups)
deadline=$((outage + 60))
"$KB" backup --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topics "$src" --path "$url" \
    --backup-id outage --segment-max-bytes 4MiB --memory-budget 64MiB \
    --retry-deadline-secs "$deadline" --no-progress >"$WORK/backup.out" 2>"$WORK/backup.log" &
pid=$!
CLEANUPS+=("kill -9 $pid")
# Down as soon as the backup is copying (it has taken its lease in the store by then).
for _ in $(seq 1 600); do
    grep -q "backup 'outage' to" "$WORK/backup.log" && break
    kill -0 $pid 2>/dev/null || { cat "$WORK/backup.log" >&2; fail "the backup ended before MinIO went down"; }
    sleep 0.05
done
stop_minio
note "MinIO stopped mid-backup; down for ${outage}s"
sleep "$outage"
kill -0 $pid 2>/dev/null || { cat "$WORK/backup.log" >&2; fail "the backup did not wait out a ${outage}s outage"; }
start_minio
note "MinIO started again"
rc=0
wait $pid || rc=$?
[[ $rc == 0 ]] || { tail -20 "$WORK/backup.log" >&2; fail "backup exit code $rc after the outage, want 0"; }
grep -q "\[retry\].*failed.*next try in" "$WORK/backup.log" || fail "no log line says the backup waited"
grep -q "\[retry\].*recovered after" "$WORK/backup.log" || fail "no log line says the backup recovered"
note "backup rode out the outage: exit 0; $(grep -c '\[retry\].*next try in' "$WORK/backup.log") retry waits logged, e.g.:"
grep -m1 "\[retry\].*next try in" "$WORK/backup.log"
grep -m1 "\[retry\].*recovered after" "$WORK/backup.log"

"$KB" restore --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --path "$url" --backup-id outage \
    --topic-map "$src:$dst" --no-progress >"$WORK/restore.out" 2>&1 ||
    { cat "$WORK/restore.out" >&2; fail "restore failed"; }
same_records "$WORK/before" "$dst" "backup through a ${outage}s MinIO outage, restored"
