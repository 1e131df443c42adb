#!/usr/bin/env bash
# Continuous mode: a running `backup --continuous` picks up new records, a
# partition added with kafka-topics --alter, and a new topic matching its glob;
# /metrics and /health answer while it runs; SIGTERM stops it cleanly (exit 130)
# leaving every record exactly once in the published manifest's segments.
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || fail "curl is needed"

a="$RUN_ID-cont-a" b="$RUN_ID-cont-b"
create_topic "$a" 1
seq 1 10 | sed 's/^/first /' | kcat -P -b "$BS" -t "$a" -p 0
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
loc="$WORK/cont"

"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$RUN_ID-cont-*" --path "$loc" \
    --backup-id cont --continuous --segment-max-interval 1s --metrics-address "127.0.0.1:$port" \
    --no-progress >"$WORK/out" 2>"$WORK/log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; cleanup' EXIT

# Waits until the newest manifest says `topic` partition `p` is backed up to `end`.
wait_end() {  # topic partition end
    for _ in $(seq 1 120); do
        got=$(manifest_fs "$loc" cont 2>/dev/null |
            jq -r --arg t "$1" --argjson p "$2" '.topics[] | select(.name==$t) | .partitions[] |
                select(.partition==$p) | .end_offset' 2>/dev/null || true)
        [ "$got" = "$3" ] && return 0
        kill -0 $pid 2>/dev/null || { cat "$WORK/log"; fail "backup exited early"; }
        sleep 0.5
    done
    cat "$WORK/log"; fail "$1/$2 not backed up to $3 (last seen: ${got:-nothing})"
}

wait_end "$a" 0 10
seq 1 5 | sed 's/^/second /' | kcat -P -b "$BS" -t "$a" -p 0
wait_end "$a" 0 15
echo "continuous: new records picked up"

"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --alter --topic "$a" --partitions 2 >/dev/null
seq 1 4 | sed 's/^/new partition /' | kcat -P -b "$BS" -t "$a" -p 1
wait_end "$a" 1 4
echo "continuous: new partition picked up"

create_topic "$b" 1
seq 1 7 | sed 's/^/topic b /' | kcat -P -b "$BS" -t "$b" -p 0
wait_end "$b" 0 7
echo "continuous: new matching topic picked up"

metrics=$(curl -fsS "http://127.0.0.1:$port/metrics") || fail "GET /metrics failed"
echo "$metrics" | grep -q "^kafka_backup_records_total{topic=\"$a\"} 19$" ||
    fail "records_total for $a is not 19: $(echo "$metrics" | grep records_total)"
echo "$metrics" | grep -q "^kafka_backup_lag_records{topic=\"$b\",partition=\"0\"} 0$" ||
    fail "lag of $b is not 0: $(echo "$metrics" | grep lag_records)"
echo "$metrics" | grep -q '^kafka_backup_upload_seconds_count [1-9]' || fail "no upload latency"
[ "$(curl -fsS "http://127.0.0.1:$port/health" | jq -r .status)" = ok ] || fail "/health is not ok"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nope")" = 404 ] || fail "no 404"
echo "continuous: /metrics and /health answer"

kill -TERM $pid
rc=0; wait $pid || rc=$?
[ $rc -eq 130 ] || { cat "$WORK/log"; fail "SIGTERM exit code $rc, expected 130"; }
[ "$(manifest_fs "$loc" cont | jq -r .status)" = in_progress ] || fail "status after SIGTERM"
for t in "$a" "$b"; do
    dump_records "$loc" cont "$t" >"$WORK/dump"
    kcat_records "$t" >"$WORK/kcat"
    diff "$WORK/kcat" "$WORK/dump" >/dev/null || fail "records of $t differ from the topic"
done
echo "continuous: SIGTERM stopped it with exit 130; every record present exactly once"
