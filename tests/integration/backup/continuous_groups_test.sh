#!/usr/bin/env bash
# Continuous mode follows the consumer groups: a group that first commits after the
# backup started, and then commits again, shows up in the published manifest with
# its newest offsets (a point-in-time restore translates those; before, a continuous
# backup kept the groups as they were at its start, so a restored Kafka Streams app
# re-processed everything).
source "$(dirname "$0")/lib.sh"

t="$RUN_ID-cgroups" g="$RUN_ID-cgroups-app"
create_topic "$t" 2
seq 1 30 | sed 's/^/r/' | kcat -P -b "$BS" -t "$t" -p 0
seq 1 30 | sed 's/^/r/' | kcat -P -b "$BS" -t "$t" -p 1
loc="$WORK/cg"
delete_group() { "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --delete --group "$g" >/dev/null 2>&1 || true; }

"$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$t" --path "$loc" \
    --backup-id cg --continuous --segment-max-interval 1s --no-progress >"$WORK/out" 2>"$WORK/log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; delete_group; cleanup' EXIT

# The group's offsets in the newest manifest, "partition=offset" sorted.
manifest_group() {
    manifest_fs "$loc" cg 2>/dev/null | jq -r --arg g "$g" '.consumer_groups[]? |
        select(.group_id == $g) | .offsets[] | "\(.partition)=\(.offset)"' 2>/dev/null | sort | paste -sd' '
}
commit() {  # offset: the group's committed offset on every partition, set without a member
    "$KAFKA_BIN/kafka-consumer-groups.sh" --bootstrap-server "$BS" --group "$g" --topic "$t" \
        --reset-offsets --to-offset "$1" --execute >/dev/null
}
wait_group() {  # expected
    for _ in $(seq 1 40); do
        got=$(manifest_group)
        [ "$got" = "$1" ] && return 0
        kill -0 $pid 2>/dev/null || { cat "$WORK/log"; fail "backup exited early"; }
        sleep 0.5
    done
    cat "$WORK/log"; fail "manifest group offsets: expected '$1', last seen '${got}'"
}

# The backup is running before the group exists.
for _ in $(seq 1 40); do manifest_fs "$loc" cg >/dev/null 2>&1 && break; sleep 0.5; done
[ -z "$(manifest_group)" ] || fail "group present before it committed anything"
commit 12
wait_group "0=12 1=12"
echo "continuous groups: a group that committed after the start is recorded"
commit 25
wait_group "0=25 1=25"
echo "continuous groups: its newer commit replaces the old one"

kill -TERM $pid
rc=0; wait $pid || rc=$?
[ $rc -eq 130 ] || { cat "$WORK/log"; fail "SIGTERM exit code $rc, expected 130"; }
[ "$(manifest_group)" = "0=25 1=25" ] || fail "final manifest lost the group offsets"
echo "continuous groups: the final manifest keeps the newest offsets"
