#!/usr/bin/env bash
# Offset reset, verified by a real consumer: a plain Java consumer (group
# payments-processor) processes `payments` up to offset N=100 on each of its 3
# partitions; `kafka-backup offset-reset` moves the group back by 20; the consumer
# runs again and must process exactly the last 20 records of every partition, once.
# See instructions.md. Exits non-zero, with a "DEMO FAILED:" line, when that does not hold.
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/java-demo.sh"

TOPIC=$(name payments)
GROUP=$(name payments-processor)
N=100
BACK=20
PARTITIONS=3
JAR=target/offset-reset-verify.jar
app() { java -jar "$HERE/$JAR" "$@" --bootstrap-servers "$BOOTSTRAP" --topic "$TOPIC" --group "$GROUP"; }
cleanup() {
    topic_delete "$TOPIC"
    group_delete "$GROUP"
}
on_exit cleanup

step "build the consumer (Maven, once)"
build_jar "$HERE" "$JAR"

step "create $TOPIC ($PARTITIONS partitions) and produce 150 payments to each partition"
cleanup
topic_create "$TOPIC" "$PARTITIONS"
app produce --per-partition 150

# Lines "P OFFSET" of a consumer log, sorted.
processed() { sed -n "s/^processed $TOPIC-\([0-9]*\)@\([0-9]*\) .*/\1 \2/p" "$1" | sort -n -k1,1 -k2,2; }
expected() { for p in $(seq 0 $((PARTITIONS - 1))); do seq "$1" "$2" | sed "s/^/$p /"; done; }
committed() { group_offsets "$GROUP" "$TOPIC" | awk '{print $1 "=" $2}' | paste -sd' '; }
all_at() { for p in $(seq 0 $((PARTITIONS - 1))); do echo "$p=$1"; done | paste -sd' '; }

step "run 1: the consumer processes offsets 0..$((N - 1)) of each partition and commits $N"
app consume --stop-at "$N" --log "$WORK/run1.log" | tail -n 2
head -n 2 "$WORK/run1.log" | sed 's/^/   log: /'
expect_eq "records processed in run 1" $((PARTITIONS * N)) "$(wc -l <"$WORK/run1.log")"
[[ "$(processed "$WORK/run1.log")" == "$(expected 0 $((N - 1)))" ]] || fail "run 1 did not process offsets 0..$((N - 1)) of every partition exactly once"
expect_eq "committed offsets after run 1" "$(all_at $N)" "$(committed)"

step "kafka-backup offset-reset: plan, then execute, --shift-by -$BACK"
"$KB" offset-reset plan --bootstrap-servers "$BOOTSTRAP" --groups "$GROUP" --shift-by -$BACK
"$KB" offset-reset execute --bootstrap-servers "$BOOTSTRAP" --groups "$GROUP" --shift-by -$BACK
expect_eq "committed offsets after the reset" "$(all_at $((N - BACK)))" "$(committed)"

step "run 2: the restarted consumer re-reads exactly the last $BACK records of each partition"
app consume --stop-at "$N" --log "$WORK/run2.log" | tail -n 2
head -n 2 "$WORK/run2.log" | sed 's/^/   log: /'
expect_eq "records processed in run 2" $((PARTITIONS * BACK)) "$(wc -l <"$WORK/run2.log")"
dups=$(processed "$WORK/run2.log" | uniq -d | wc -l)
expect_eq "records processed twice in run 2" 0 "$dups"
[[ "$(processed "$WORK/run2.log")" == "$(expected $((N - BACK)) $((N - 1)))" ]] ||
    fail "run 2 did not process exactly offsets $((N - BACK))..$((N - 1)) of every partition"
note "ok: run 2 processed offsets $((N - BACK))..$((N - 1)) of partitions 0..$((PARTITIONS - 1)), each once"
expect_eq "committed offsets after run 2" "$(all_at $N)" "$(committed)"

pass "the reset moved $GROUP back $BACK records and the consumer re-read exactly those, once each"
