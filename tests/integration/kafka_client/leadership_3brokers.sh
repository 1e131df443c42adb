#!/usr/bin/env bash
# Leadership moves in a three-broker cluster: while our idempotent producer writes a
# numbered sequence (several requests in flight), the partition leader is killed
# (SIGKILL). Every record must land exactly once and in order, under a new leader.
#
# Runs its own environment (scripts/env.sh with --brokers 3, its own name, ports and
# work dir) and stops it at the end; the shared single-broker environment is untouched.
# Usage: leadership_3brokers.sh <kafka_client_tool>
set -euo pipefail
tool=${1:?usage: leadership_3brokers.sh <kafka_client_tool>}
root=${KB_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
export KB_ENV_NAME=kb-client-3brokers
# The outer environment exports KB_ENV_DIR, which env.sh prefers over the name:
# without this, the three-broker cluster would replace the shared one.
unset KB_ENV_DIR
export KB_KAFKA_PORT=${KB_3BROKER_PORT:-49092}
fail() { echo "FAIL: $*" >&2; exit 1; }
stop_env() {  # KB_KEEP_ENV=1 leaves it running for a look at the brokers' logs
    [[ ${KB_KEEP_ENV:-} == 1 ]] || "$root/scripts/env.sh" down >/dev/null 2>&1 || true
}
exports=$("$root/scripts/env.sh" up --brokers 3 --no-minio) || fail "could not start a 3-broker environment"
trap stop_env EXIT
eval "$exports"
b=$KAFKA_BOOTSTRAP_SERVERS

leader_of() { kcat -L -b "$b" -t "$1" 2>/dev/null | awk '/partition 0,/ { gsub(",", "", $4); print $4 }'; }

t="kb-leader-$$-$RANDOM"
"$tool" create "$t" 1 replication.factor=3 min.insync.replicas=2 retention.ms=-1
old=$(leader_of "$t")
[[ $old =~ ^[1-3]$ ]] || fail "no leader found for $t (got '$old')"
echo "leader of $t is broker $old"

batches=150 per_batch=20
"$tool" produce-seq "$t" "$batches" "$per_batch" 40 >"$KB_ENV_DIR/produce.out" 2>&1 &
producer=$!
sleep 2
kill -9 "$(cat "$KB_ENV_DIR/kafka-$old.pid")"
echo "killed broker $old while producing"
wait "$producer" || { cat "$KB_ENV_DIR/produce.out" >&2; fail "the producer did not survive the leader's death"; }
cat "$KB_ENV_DIR/produce.out"

new=$(leader_of "$t")
[[ -n $new && $new != "$old" ]] || fail "leadership did not move (leader '$new')"
echo "new leader is broker $new"

total=$((batches * per_batch))
"$tool" consume "$t" >"$KB_ENV_DIR/consumed"
awk -v n="$total" '
    { split($0, f, " "); o = substr(f[2], 3); v = substr(f[7], 3)
      if (v != "seq-" o) { print "offset " o " holds " v > "/dev/stderr"; bad = 1 } }
    END { if (NR != n) { print NR " records, want " n > "/dev/stderr"; bad = 1 } exit bad }
' "$KB_ENV_DIR/consumed" || fail "records were lost, duplicated or reordered"
echo "ok: $total records exactly once and in order after the leader was killed"
