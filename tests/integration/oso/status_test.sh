#!/usr/bin/env bash
# status (OSO's command): -p/-b reads a backup's totals and per-partition progress
# from its location (text and json); -c reads a running continuous backup's metrics
# endpoint, and --watch refreshes until interrupted. Bad input exits 2, an unknown
# backup or an unreachable endpoint 1.
source "$(dirname "$0")/lib.sh"

T="osocmds-status-$RUN_ID"
ID="status-$RUN_ID"
fresh_topic "$T" 2
produce_to "$T" 0 a 6
produce_to "$T" 1 b 4
PORT=$((20000 + RANDOM % 20000))
config() {  # config BACKUP_ID CONTINUOUS
    backup_yaml "$1" "$T" "  continuous: $2
  segment_max_interval_ms: 1000"
    cat <<YAML
metrics:
  enabled: true
  bind_address: 0.0.0.0
  port: $PORT
YAML
}
config "$ID" false >"$WORK/once.yaml"
run_backup "$WORK/once.yaml"

# --- stored status, json and text
expect_exit 0 "$KB" status --path "$S3_URL" --backup-id "$ID" --format json
cp "$WORK/last.out" "$WORK/status.json"
eq "$(jq -c '[.state, .in_progress, .topics, .partitions, .segments, .records]' "$WORK/status.json")" \
    '["complete",false,1,2,2,10]' "stored totals"
jq -e '.compressed_bytes > 0 and .uncompressed_bytes > 0 and .compression_ratio > 0' "$WORK/status.json" >/dev/null ||
    fail "sizes: $(cat "$WORK/status.json")"
eq "$(jq -c '[.partition_status[] | [.partition, .last_offset, .end_offset, .state]] | sort' "$WORK/status.json")" \
    '[[0,5,6,"up-to-date"],[1,3,4,"up-to-date"]]' "per-partition progress"
expect_exit 0 "$KB" status --path "$S3_URL" --backup-id "$ID"
for line in "=== Backup Status: $ID ===" "Backup in progress: no" "  Total Records: 10" "  Segments: 2" \
    "    partition-0: offset 5 (end offset: 6) [up-to-date]"; do
    grep -qxF -- "$line" "$WORK/last.out" || fail "text status lacks '$line': $(cat "$WORK/last.out")"
done
grep -Eq '^  Compression Ratio: [0-9]+\.[0-9]{2}x$' "$WORK/last.out" || fail "no compression ratio: $(cat "$WORK/last.out")"
echo "PASS stored status (json, text)"

# A backup OSO 0.17.4 wrote (tests/fixtures/oso) reads the same way.
expect_exit 0 "$KB" status --path "$KB_SOURCE_DIR/tests/fixtures/oso/0.17.4/backups" --backup-id oso-zstd -f json
eq "$(jq -c '[.state, .in_progress, .topics, .partitions, .segments, .records]' "$WORK/last.out")" \
    '["complete",false,2,5,15,70]' "status of an OSO backup"
echo "PASS stored status of an OSO-written backup"

# --- live status of a running continuous backup
config "$ID-live" true >"$WORK/live.yaml"
"$KB" backup -c "$WORK/live.yaml" --no-progress --log-level warn >"$WORK/live.out" 2>&1 &
BACKUP_PID=$!
CLEANUP_PIDS+=("$BACKUP_PID")
records=""
for _ in $(seq 1 60); do
    if "$KB" status -c "$WORK/live.yaml" --format json >"$WORK/live.json" 2>"$WORK/live.err"; then
        records="$(jq .records "$WORK/live.json")"
        [[ "$records" == 10 ]] && break
    fi
    sleep 1
done
eq "$records" 10 "records reported by the live endpoint ($(cat "$WORK/live.err" 2>/dev/null))"
eq "$(jq -r '[.endpoint, .health, .backup_id] | join(" ")' "$WORK/live.json")" \
    "http://127.0.0.1:$PORT ok $ID-live" "live endpoint and health"
expect_exit 0 "$KB" status -c "$WORK/live.yaml"
grep -q "^  |- Records: 10$" "$WORK/last.out" || fail "live text: $(cat "$WORK/last.out")"
# While the job runs, the stored view shows it holding the backup.
expect_exit 0 "$KB" status --path "$S3_URL" --backup-id "$ID-live" --format json
eq "$(jq -c '[.in_progress, .state]' "$WORK/last.out")" '[true,"running"]' "stored view of a running backup"
# --watch refreshes until SIGINT, then exits 0.
rc=0
timeout --preserve-status -s INT 3.5 "$KB" status -c "$WORK/live.yaml" --watch --interval 1 --format json >"$WORK/watch.out" 2>&1 || rc=$?
eq "$rc" 0 "exit code of --watch after SIGINT ($(cat "$WORK/watch.out"))"
n="$(jq -s 'map(select(.records == 10)) | length' "$WORK/watch.out")"
[[ "$n" -ge 2 ]] || fail "--watch refreshed $n times in 3.5 s: $(cat "$WORK/watch.out")"
kill -TERM "$BACKUP_PID"
wait "$BACKUP_PID" || true
echo "PASS live status and --watch ($n refreshes)"

# --- failures
expect_exit 1 "$KB" status -c "$WORK/live.yaml"  # nobody listens any more
grep -q "127.0.0.1:$PORT" "$WORK/last.err" || fail "unreachable endpoint not named: $(cat "$WORK/last.err")"
expect_exit 1 "$KB" status --path "$S3_URL" --backup-id "no-such-$RUN_ID"
grep -q "not found" "$WORK/last.err" || fail "unknown backup: $(cat "$WORK/last.err")"
expect_exit 2 "$KB" status
expect_exit 2 "$KB" status --path "$S3_URL" --backup-id "$ID" --watch
expect_exit 2 "$KB" status -c "$WORK/live.yaml" --path "$S3_URL"
echo "PASS status failures"
