#!/usr/bin/env bash
# A broker fetch quota (consumer_byte_rate for the backup's client id) throttles the
# backup: a throttled broker answers a Fetch with no partitions and a throttle time
# (KIP-219). The backup waits that time and asks again (it crashed with SIGSEGV on
# such an answer before e1b0c1e): exit 0 after being held back, and the restored
# topic holds exactly the source records.
# Runs on a private single broker (it sets a quota for every client named
# kafka-backup): KB_ENV_NAME kb-faults, Kafka on 52092 (KB_QUOTA_KAFKA_PORT).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
unset KB_ENV_DIR
export KB_ENV_NAME=kb-faults KB_KAFKA_PORT=${KB_QUOTA_KAFKA_PORT:-52092}
exports=$("$ROOT/scripts/env.sh" up --no-minio) || fail "could not start the private broker"
[[ ${KB_KEEP_ENV:-} == 1 ]] || CLEANUPS+=("'$ROOT/scripts/env.sh' down")
eval "$exports"
BS=$KAFKA_BOOTSTRAP_SERVERS

src="$RUN_ID-quota-src" dst="$RUN_ID-quota-dst"
topic_create "$src" 2 1
topic_create "$dst" 2 1
produce_numbered "$src" 200 5000  # 1 MB of incompressible values
records_of "$src" >"$WORK/before"

quota() {  # --add-config X | --delete-config X
    "$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BS" --alter --entity-type clients \
        --entity-name kafka-backup "$@" >/dev/null
}
quota --add-config consumer_byte_rate=50000
CLEANUPS+=("quota --delete-config consumer_byte_rate")  # a kept environment stays usable

# Small fetches, so that the backup asks again while the broker still holds it back.
cat >"$WORK/backup.yaml" <<YAML
mode: backup
backup_id: quota
source:
  bootstrap_servers: [$BS]
  topics:
    include: [$src]
storage:
  backend: filesystem
  path: $WORK/backups
backup:
  fetch_max_bytes: 131072
YAML
# Unthrottled, this backup takes about a second. The broker measures the rate over a
# window of about 10 s: 1 MB at 50 kB/s is held back about 10 s, so the time shows
# the quota throttled it.
t0=$SECONDS
rc=0
"$KB" backup --config "$WORK/backup.yaml" --no-progress >/dev/null 2>"$WORK/backup.log" || rc=$?
took=$((SECONDS - t0))
[[ $rc == 0 ]] || { tail -20 "$WORK/backup.log" >&2; fail "backup under a fetch quota: exit $rc, want 0"; }
((took >= 5)) || fail "the backup took ${took} s: the quota did not throttle it (raise the data or lower the rate)"
note "backup under a 50 kB/s fetch quota: exit 0 after ${took} s of throttled fetches"

quota --delete-config consumer_byte_rate
unset 'CLEANUPS[-1]'
"$KB" restore --bootstrap-servers "$BS" --path "$WORK/backups" --backup-id quota \
    --topic-map "$src:$dst" --no-progress >/dev/null 2>"$WORK/restore.log" ||
    { tail -20 "$WORK/restore.log" >&2; fail "restore failed"; }
same_records "$WORK/before" "$dst" "backup under a fetch quota, then restore"
