#!/usr/bin/env bash
# A Kafka cluster that is down when the backup starts, for longer than the first-contact
# limit (8 attempts / 15 s, meant for a mistyped address):
#   - a continuous backup waits for it under its retry deadline, then backs up every
#     record (before the fix it gave up after 15 s, as a snapshot does);
#   - a snapshot backup still gives up within that limit, with one line.
# The "cluster" is the shared broker behind a TCP forwarder that is only started after
# 25 s: until then nothing listens on the bootstrap port, as while a cluster is down.
# Nothing of the shared environment is stopped or restarted.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
: "${KAFKA_BIN:?run under scripts/env.sh}"
command -v jq >/dev/null || fail "jq is required"

src="$RUN_ID-fc-src"
topic_create "$src" 2 1
produce_numbered "$src" 300 1000
records=300
broker=${KAFKA_BOOTSTRAP_SERVERS%%,*}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
bootstrap="127.0.0.1:$port"

backup() {  # backup-id log extra-args...
    local id=$1 log=$2
    shift 2
    # exec: run in the background, the function's pid is the tool's (signals reach it).
    exec "$KB" backup --bootstrap-servers "$bootstrap" --topics "$src" --path "$WORK/b" \
        --backup-id "$id" --no-progress "$@" >/dev/null 2>"$WORK/$log"
}
backup fc-cont cont.log --continuous --segment-max-interval 1s --retry-deadline-secs 120 &
cont=$!
CLEANUPS+=("kill -9 $cont 2>/dev/null || true")
backup fc-snap snap.log --retry-deadline-secs 120 &
snap=$!
CLEANUPS+=("kill -9 $snap 2>/dev/null || true")
t0=$SECONDS
sleep 25

# The snapshot gave up within the first-contact limit, with one clear line.
kill -0 "$snap" 2>/dev/null && fail "the snapshot backup still waits after 25 s (first contact is limited to 15 s)"
rc=0
wait "$snap" || rc=$?
[[ $rc == 1 ]] || { cat "$WORK/snap.log" >&2; fail "snapshot backup: exit $rc, want 1"; }
grep -q "error" "$WORK/snap.log" || fail "snapshot backup: no error line"
note "snapshot backup gave up: $(grep -m1 error "$WORK/snap.log" | cut -c1-160)"

kill -0 "$cont" 2>/dev/null || { cat "$WORK/cont.log" >&2; fail "the continuous backup gave up before the cluster came up"; }
waits=$(grep -c 'next try in' "$WORK/cont.log" || true)
((waits > 0)) || { cat "$WORK/cont.log" >&2; fail "the continuous backup logged no retry wait"; }
note "continuous backup still waiting after $((SECONDS - t0)) s ($waits waits logged); the cluster comes up"

# The cluster "comes up": a forwarder on the bootstrap port to the shared broker.
python3 - "$port" "${broker%:*}" "${broker##*:}" >/dev/null 2>&1 <<'PY' &
import asyncio, sys
port, host, dport = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
async def pipe(r, w):
    try:
        while data := await r.read(65536):
            w.write(data)
            await w.drain()
    finally:
        w.close()
async def handle(r, w):
    ur, uw = await asyncio.open_connection(host, dport)
    await asyncio.gather(pipe(r, uw), pipe(ur, w), return_exceptions=True)
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        await server.serve_forever()
asyncio.run(main())
PY
CLEANUPS+=("kill $! 2>/dev/null || true")

backed_up() {  # records in the newest manifest of backup fc-cont
    local m
    m=$(ls "$WORK/b/fc-cont/manifests/"manifest-*.json 2>/dev/null | sort | tail -1)
    [[ -n $m ]] || { echo 0; return; }
    jq '[.topics[].partitions[].segments[].record_count] | add // 0' "$m"
}
for _ in $(seq 1 120); do
    (($(backed_up) >= records)) && break
    kill -0 "$cont" 2>/dev/null || { cat "$WORK/cont.log" >&2; fail "the continuous backup ended early"; }
    sleep 0.5
done
got=$(backed_up)
((got == records)) || { tail -20 "$WORK/cont.log" >&2; fail "continuous backup: $got records backed up, want $records"; }
grep -q "recovered after" "$WORK/cont.log" || { cat "$WORK/cont.log" >&2; fail "no 'recovered after' line logged"; }
kill -TERM "$cont"
rc=0
wait "$cont" || rc=$?
[[ $rc == 130 ]] || { tail -20 "$WORK/cont.log" >&2; fail "continuous backup: SIGTERM exit $rc, want 130"; }
note "ok: the continuous backup rode out 25 s of a cluster down at its start ($(grep -m1 'recovered after' "$WORK/cont.log" | grep -o 'recovered after [0-9.]* s')) and backed up all $got records"
