#!/usr/bin/env bash
# Kafka brokers fail mid-backup and mid-restore, on a private three-broker cluster:
#   1. a leader change: the leader of partition 0 is killed (SIGKILL) and restarted;
#   2. a rolling restart: each broker stopped (SIGTERM, controlled shutdown) and
#      started again in turn, waiting for its replicas to catch up before the next.
# Each run must exit 0 and the restored topics must hold exactly the source records
# (count, and per record: partition, offset, timestamp, key, value hash).
#
# The runs are paced so that they are still going while brokers come and go: the
# backup by a broker quota (consumer_byte_rate for its client id), the restore by its
# own rate limit (restore.rate_limit_bytes_per_sec). A producer quota is not used: a
# throttled broker mutes the connection for the whole throttle time, which then
# outlasts the request timeout of the metadata requests queued behind it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
private_cluster_up
BS=$KAFKA_BOOTSTRAP_SERVERS
rate=${KB_DOWNTIME_RATE:-100000}  # bytes/s per broker for each throttled client

src="$RUN_ID-src"
topic_create "$src" 3 3 --config min.insync.replicas=2
produce_numbered "$src" 1200 10000  # 12 MB
records_of "$src" >"$WORK/before"
note "source: $(wc -l <"$WORK/before") records in 3 partitions, replication 3"

quota() {  # client-id config
    "$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$BS" --alter --entity-type clients \
        --entity-name "$1" --add-config "$2" >/dev/null
}
quota kafka-backup "consumer_byte_rate=$rate"

start_run() {  # name args...: the tool in the background, its pid in $run_pid
    local name=$1
    shift
    "$KB" "$@" --no-progress >"$WORK/$name.out" 2>"$WORK/$name.log" &
    run_pid=$!
    CLEANUPS+=("kill -9 $run_pid 2>/dev/null || true")
}
running() { kill -0 "$run_pid" 2>/dev/null; }
must_be_running() {  # what
    running || { tail -20 "$WORK/$run_name.log" >&2; fail "$run_name ended before $1: raise the data or lower KB_DOWNTIME_RATE"; }
}
finish_run() {  # name
    local rc=0
    wait "$run_pid" || rc=$?
    [[ $rc == 0 ]] || { tail -30 "$WORK/$1.log" >&2; fail "$1: exit code $rc, want 0"; }
    note "$1: exit 0 ($(grep -c '\[retry\].*next try in' "$WORK/$1.log" || true) retry waits logged)"
}

leader_change() {  # topic: kill -9 the leader of partition 0, start it again
    local leader
    sleep 2
    must_be_running "the leader was killed"
    leader=$(leader_of "$1" 0)
    [[ $leader =~ ^[1-3]$ ]] || fail "no leader for $1/0 (got '$leader')"
    kill_broker "$leader"
    note "$run_name: killed broker $leader, leader of $1/0"
    sleep 5
    start_broker "$leader"
    note "$run_name: broker $leader started again"
    wait_in_sync "$1"
}

rolling_restart() {  # topic
    local b
    sleep 1
    for b in 1 2 3; do
        must_be_running "broker $b was stopped"
        stop_broker "$b"
        note "$run_name: broker $b stopped"
        start_broker "$b"
        wait_in_sync "$1"
        note "$run_name: broker $b back and in sync"
    done
}

url="$WORK/backups"
# Small fetches, so that the quota paces the backup (a throttled broker answers, then
# holds the next request back for as long as the answer overdrew the rate).
backup_config() {  # backup id
    cat >"$WORK/backup-$1.yaml" <<YAML
mode: backup
backup_id: $1
source:
  bootstrap_servers: [${BS//,/, }]
  topics:
    include: [$src]
storage:
  backend: filesystem
  path: $url
backup:
  segment_max_bytes: 2MiB
  fetch_max_bytes: 262144
YAML
    echo "$WORK/backup-$1.yaml"
}
backup_args() { echo backup --config "$(backup_config "$1")"; }
restore_config() {
    cat >"$WORK/restore.yaml" <<YAML
mode: restore
target:
  bootstrap_servers: [${BS//,/, }]
storage:
  backend: filesystem
  path: $url
restore:
  rate_limit_bytes_per_sec: ${KB_DOWNTIME_RESTORE_RATE:-120000}
YAML
    echo "$WORK/restore.yaml"
}

run_name=backup-leader-change
start_run $run_name $(backup_args lc)
leader_change "$src"
finish_run $run_name

run_name=backup-rolling-restart
start_run $run_name $(backup_args rr)
rolling_restart "$src"
finish_run $run_name

for id in lc rr; do
    dst="$RUN_ID-dst-$id"
    topic_create "$dst" 3 3 --config min.insync.replicas=2
    run_name=restore-$([[ $id == lc ]] && echo leader-change || echo rolling-restart)
    start_run $run_name restore --config "$(restore_config)" --backup-id "$id" \
        --topic-map "$src:$dst"
    if [[ $id == lc ]]; then leader_change "$dst"; else rolling_restart "$dst"; fi
    finish_run $run_name
done

same_records "$WORK/before" "$RUN_ID-dst-lc" "backup and restore through leader changes"
same_records "$WORK/before" "$RUN_ID-dst-rr" "backup and restore through rolling restarts"
