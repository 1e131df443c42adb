#!/usr/bin/env bash
# Transactions: Kafka's TransactionalMessageCopier copies 600 records into an output
# topic in transactions of 30, aborting some at random (and redoing them). Our client,
# fetching with isolation read_committed and dropping aborted data with the
# aborted-transaction list the broker returns, must see exactly the 600 input values in
# order — as kcat does with isolation.level=read_committed.
# Usage: transactions.sh <kafka_client_tool>; needs `eval "$(scripts/env.sh up)"`.
set -euo pipefail
tool=${1:?usage: transactions.sh <kafka_client_tool>}
: "${KAFKA_BOOTSTRAP_SERVERS:?is not set: start the environment with eval \"\$(scripts/env.sh up)\"}"
: "${KAFKA_BIN:?is not set: start the environment with eval \"\$(scripts/env.sh up)\"}"
b=$KAFKA_BOOTSTRAP_SERVERS
work=$(mktemp -d)
in="kb-txn-in-$$-$RANDOM" out="kb-txn-out-$$-$RANDOM"
cleanup() {
    timeout 30 "$tool" delete "$in" >/dev/null 2>&1 || true
    timeout 30 "$tool" delete "$out" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$tool" create "$in" 1 retention.ms=-1
"$tool" create "$out" 1 retention.ms=-1
now=$(($(date +%s) * 1000))
for i in $(seq 0 599); do printf '%s\tk%s\tvalue-%s\t\n' "$now" "$i" "$i"; done >"$work/input"
"$tool" produce "$in" 0 lz4 <"$work/input" >/dev/null
cut -f3 "$work/input" >"$work/want"

"$KAFKA_BIN/kafka-run-class.sh" org.apache.kafka.tools.TransactionalMessageCopier \
    --broker-list "$b" --input-topic "$in" --input-partition 0 --output-topic "$out" \
    --transactional-id "kb-txn-$$" --consumer-group "kb-txn-group-$$" \
    --transaction-size 30 --enable-random-aborts --max-messages -1 >"$work/copier" 2>&1 ||
    { tail -20 "$work/copier" >&2; fail "TransactionalMessageCopier failed"; }

"$tool" committed-values "$out" >"$work/ours" 2>"$work/aborted"
diff -u "$work/want" "$work/ours" >&2 || fail "read_committed values differ from the input"
echo "ok: read_committed fetch shows exactly the committed records ($(cat "$work/aborted") transactions)"
grep -qv '^aborted=0$' "$work/aborted" || fail "no transaction was aborted: the test proved nothing (rerun)"

kcat -C -b "$b" -t "$out" -e -q -X isolation.level=read_committed -f '%s\n' >"$work/kcat"
diff -u "$work/kcat" "$work/ours" >&2 || fail "kcat (read_committed) sees other records than we do"
echo "ok: kcat with isolation.level=read_committed sees the same records"
kcat -C -b "$b" -t "$out" -e -q -X isolation.level=read_uncommitted -f '%s\n' >"$work/all"
(($(wc -l <"$work/all") > 600)) || fail "read_uncommitted shows no aborted records"
echo "ok: read_uncommitted shows $(wc -l <"$work/all") records, aborted ones included"
