#!/usr/bin/env bash
# Snapshot, point-in-time restore, offset reset, verification, rollback, end to end:
#  1. normal traffic: 100 payments, consumed by payments-processor;
#  2. an offset snapshot of the group (offset-rollback snapshot), time T noted;
#  3. a faulty release: 20 corrupted payments, and the group rewound to the start;
#     the verification detects both;
#  4. a backup, then a point-in-time restore of payments up to T, with the group's
#     recorded offsets translated and committed (the offset reset);
#  5. the verification finds the topic clean but the group's offsets still wrong (the
#     backup recorded the faulty release's rewind: the processor would charge 100
#     payments again), so the offsets are rolled back from the snapshot;
#  6. the verification runs clean.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/demo.sh"

topic=${DEMO_PREFIX}payments group=${DEMO_PREFIX}payments-processor
prefix=${DEMO_PREFIX}demos/pitr-rollback url=$(storage_url "$prefix")
id=${DEMO_PREFIX}payments-incident
cleanup() { delete_groups "$group"; delete_topics "$topic"; delete_backup "$prefix"; }
cleanup
on_exit cleanup

payments() { # FIRST LAST [bad]
    local i
    for i in $(seq "$1" "$2"); do
        if [[ ${3:-} == bad ]]; then
            printf 'PAY-%03d\t{"payment_id":"PAY-%03d","amount":-%d.00,"currency":"EUR"}\n' "$i" "$i" "$i"
            ((i % 5 == 0)) && printf 'PAY-%03d\t{"payment_id":"PAY-%03d","amount":"NaN\n' "$i" "$i"
        else
            printf 'PAY-%03d\t{"payment_id":"PAY-%03d","amount":%d.%02d,"currency":"EUR"}\n' "$i" "$i" $((i % 90 + 10)) $((i % 100))
        fi
    done | kafka_console_producer --topic "$topic" --reader-property parse.key=true --reader-property 'key.separator=	'
}

# verify: the verification script. Clean when every payment in the topic is valid
# and the group's committed offsets are the snapshot's (kafka-backup offset-rollback
# verify). Prints the state either way; returns 1 on an anomaly.
verify() {
    local ok=0
    say "end offsets:       $(end_offsets "$topic" | tr '\n' ' ')"
    say "committed offsets: $(committed_offsets "$group" | awk '{print $2, $3}' | tr '\n' ' ')"
    kafka_console_consumer --topic "$topic" --from-beginning --timeout-ms 8000 |
        python3 "$HERE/verify_payments.py" || { ok=1; say "ANOMALY: corrupted payments in $topic"; }
    if kafka_backup offset-rollback verify -p "$url" -s "$snapshot" \
        --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" >"$DEMO_WORK/verify.out" 2>&1; then
        say "group offsets equal the snapshot's"
    else
        sed 's/^/     /' "$DEMO_WORK/verify.out"
        ok=1; say "ANOMALY: $group's committed offsets differ from the snapshot"
    fi
    return $ok
}

step "1. normal traffic: 100 payments; $group processes them"
kafka_topics --create --topic "$topic" --partitions 3 --replication-factor 1 >/dev/null
payments 1 100
kafka_console_consumer --topic "$topic" --group "$group" --from-beginning --max-messages 100 \
    --timeout-ms 15000 >/dev/null

step "2. kafka-backup offset-rollback snapshot -p ... -g $group (before the release)"
snapshot=$(kafka_backup offset-rollback snapshot -p "$url" -g "$group" \
    --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" -d "before release 2.4" -f json | jq -r .snapshot_id)
[[ -n $snapshot && $snapshot != null ]] || fail "offset-rollback snapshot printed no snapshot id"
say "snapshot $snapshot"
sleep 1
CUTOFF=$(date +%s%3N)
export CUTOFF
say "T = $CUTOFF ($(date -u -d "@${CUTOFF:0:10}" +%FT%TZ)): everything after T is the incident"
sleep 1
verify || fail "verification must be clean before the release"

step "3. the faulty release: corrupted payments, and the group rewound to the start"
payments 101 120 bad
kafka_consumer_groups --reset-offsets --group "$group" --topic "$topic" --to-earliest --execute >/dev/null
if verify; then fail "the verification did not detect the incident"; fi
say "(detected, as expected)"

step "4. back up, then point-in-time restore of $topic up to T, with the group's offsets reset"
kafka_backup backup --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS" --topics "$topic" \
    --path "$url" --backup-id "$id" --no-progress --log-level warn >/dev/null
delete_topics "$topic"
kafka_backup restore --config "$HERE/restore-pitr.yaml" --no-progress
expect_eq "records restored up to T" 100 "$(end_offsets "$topic" | awk '{s += $2} END {print s}')"

step "5. verification after the restore"
if verify; then fail "the verification did not detect the offsets inherited from the faulty release"; fi
say "(detected: the topic is clean, the offsets are not) -> roll back from the snapshot"
kafka_backup offset-rollback rollback -p "$url" -s "$snapshot" --bootstrap-servers "$KAFKA_BOOTSTRAP_SERVERS"

step "6. verification after the rollback"
verify || fail "the state is not clean after the rollback"
expect_eq "lag of $group" 0 "$(kafka_consumer_groups --describe --group "$group" 2>/dev/null |
    awk 'NR > 1 && $6 ~ /^[0-9]+$/ {s += $6} END {print s + 0}')"
echo "PASS: incident detected, topic restored to T, offsets rolled back to the snapshot, verification clean"
