# Helpers for the downtime scripts (sourced, not run): outages of MinIO and of Kafka
# brokers while a backup or a restore runs. Everything these scripts stop or restart
# is their own (a private MinIO process, a private three-broker cluster); the shared
# environment is only used, never touched.
set -euo pipefail
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"
ROOT=${KB_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
KB="$KB_BIN/kafka-backup"
RUN_ID="dt$$-$RANDOM"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kb-downtime.XXXXXX")
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "[$(date +%T)] $*"; }
CLEANUPS=()
# Last in, first out: a topic is deleted before the environment it lives in goes down
# (the other way round, each deletion waited a minute for a broker that was gone).
cleanup() {  # keeps the script's exit status; a failing step is named, not fatal
    local rc=$? i c
    for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do
        c=${CLEANUPS[i]}
        (eval "$c") >/dev/null 2>&1 || echo "cleanup step failed: $c" >&2
    done
    [[ ${KB_KEEP_WORK:-} == 1 ]] || rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT

# Runs a function of scripts/lib (kafka.sh, minio.sh) against an environment dir.
env_lib() {  # env_dir kafka_port minio_port function args...
    local dir=$1 kport=$2 mport=$3
    shift 3
    (
        KB_SCRIPT=downtime ENV_DIR=$dir KAFKA_PORT=$kport MINIO_PORT=$mport BROKERS=3
        TEST_BUCKET=${KB_TEST_BUCKET:-kb-test}
        source "$ROOT/scripts/lib/common.sh"
        source "$ROOT/scripts/lib/kafka.sh"
        source "$ROOT/scripts/lib/minio.sh"
        KAFKA_VERSION=${KB_KAFKA_VERSION:-$KAFKA_VERSION} KAFKA_MODE=${KB_KAFKA_MODE:-kraft}
        ! declare -F kafka_use_version >/dev/null || kafka_use_version
        "$@"
    )
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {  # port open|closed seconds
    local i
    for ((i = 0; i < $3 * 10; i++)); do
        if [[ $2 == open ]]; then port_open "$1" && return 0; else port_open "$1" || return 0; fi
        sleep 0.1
    done
    return 1
}

# --- a private MinIO (its own process, data dir and port) -----------------------------
MINIO_DIR="$WORK/minio-env"
MINIO_PORT=${KB_DOWNTIME_MINIO_PORT:-51000}
start_minio() {
    port_open "$MINIO_PORT" && fail "port $MINIO_PORT is taken (set KB_DOWNTIME_MINIO_PORT)"
    env_lib "$MINIO_DIR" 0 "$MINIO_PORT" minio_start
    wait_port "$MINIO_PORT" open 60 || fail "MinIO did not start on $MINIO_PORT"
}
stop_minio() {  # the process, as an operator's restart would
    local pid
    pid=$(cat "$MINIO_DIR/minio.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait_port "$MINIO_PORT" closed 10 || fail "MinIO still answers after being stopped"
}
private_minio_up() {
    mkdir -p "$MINIO_DIR"
    start_minio
    CLEANUPS+=("stop_minio")
    export S3_ENDPOINT="http://127.0.0.1:$MINIO_PORT" AWS_ACCESS_KEY_ID=kbadmin
    export AWS_SECRET_ACCESS_KEY=kbadmin-secret-key AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    BUCKET=kb-downtime
    for _ in $(seq 1 100); do
        /usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3 mb "s3://$BUCKET" >/dev/null 2>&1 && return 0
        /usr/bin/aws --endpoint-url "$S3_ENDPOINT" s3 ls "s3://$BUCKET" >/dev/null 2>&1 && return 0
        sleep 0.3
    done
    fail "could not create bucket $BUCKET in the private MinIO"
}
s3_url() { echo "s3://$BUCKET/$RUN_ID/$1?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"; }

# --- a private three-broker cluster ----------------------------------------------------
private_cluster_up() {
    unset KB_ENV_DIR
    export KB_ENV_NAME=${KB_DOWNTIME_ENV_NAME:-kb-brokers3}
    export KB_KAFKA_PORT=${KB_DOWNTIME_KAFKA_PORT:-51092}
    local exports
    exports=$("$ROOT/scripts/env.sh" up --brokers 3 --no-minio) || fail "could not start a 3-broker environment"
    [[ ${KB_KEEP_ENV:-} == 1 ]] || CLEANUPS+=("'$ROOT/scripts/env.sh' down")
    eval "$exports"
}
broker_port() { echo $((KB_KAFKA_PORT + ($1 - 1) * 10)); }
broker_pid() { cat "$KB_ENV_DIR/kafka-$1.pid"; }
kill_broker() {  # id: SIGKILL, no controlled shutdown
    kill -9 "$(broker_pid "$1")"
    wait_port "$(broker_port "$1")" closed 20 || fail "broker $1 still listens after kill -9"
}
stop_broker() {  # id: SIGTERM, a controlled shutdown as in a rolling restart
    local pid
    pid=$(broker_pid "$1")
    kill -TERM "$pid"
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    fail "broker $1 did not stop within 60 s"
}
start_broker() {  # id
    env_lib "$KB_ENV_DIR" "$KB_KAFKA_PORT" 0 kafka_start_node $(($1 - 1))
    wait_port "$(broker_port "$1")" open 120 || fail "broker $1 did not come back"
}
# Every partition of `topic` has all three replicas in sync again.
wait_in_sync() {  # topic
    for _ in $(seq 1 600); do
        if kcat -L -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$1" 2>/dev/null |
            awk '/partition [0-9]+,/ { n++; if ($0 ~ /isrs: [0-9]+,[0-9]+,[0-9]+/) ok++ }
                 END { exit !(n > 0 && n == ok) }'; then
            return 0
        fi
        sleep 0.2
    done
    fail "replicas of $1 did not get back in sync"
}
leader_of() {  # topic partition
    kcat -L -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$1" 2>/dev/null |
        awk -v p="$2" '$1 == "partition" && $2 == p"," { gsub(",", "", $4); print $4 }'
}

# --- data and the checker -------------------------------------------------------------
topic_create() {  # name partitions replication [configs...]
    local name=$1 parts=$2 rf=$3
    shift 3
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create \
        --topic "$name" --partitions "$parts" --replication-factor "$rf" "$@" >/dev/null
    CLEANUPS+=("'$KAFKA_BIN/kafka-topics.sh' --bootstrap-server '$KAFKA_BOOTSTRAP_SERVERS' --delete --topic '$name'")
}
# `count` records keyed k<i> whose values are <size> bytes derived from i (hashes, so
# they do not compress: the bytes on the wire are the bytes asked for), so a value that
# was swapped, cut or duplicated shows in the checker.
produce_numbered() {  # topic count size
    python3 - "$2" "$3" <<'PY' >"$WORK/records.txt"
import hashlib, sys
count, size = int(sys.argv[1]), int(sys.argv[2])
for i in range(count):
    chunks = (hashlib.sha256(f"{i}.{j}".encode()).hexdigest() for j in range(size // 64 + 1))
    print(f"k{i}:v{i}-" + "".join(chunks)[:size])
PY
    kcat -P -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$1" -K: -z none -X linger.ms=20 \
        -X message.max.bytes=10000000 -X acks=all <"$WORK/records.txt" || fail "producing to $1 failed"
}
# One line per record: partition|offset|timestamp|key|sha256(value), sorted. Two topics
# with the same lines hold the same records in the same places: nothing lost,
# duplicated, reordered or altered.
records_of() {  # topic
    kcat -C -b "$KAFKA_BOOTSTRAP_SERVERS" -t "$1" -o beginning -e -q \
        -X fetch.message.max.bytes=67108864 -D '\x1e' -f '%p|%o|%T|%k|%s\x1e' |
        python3 -c '
import hashlib, sys
out = []
for rec in sys.stdin.buffer.read().split(b"\x1e"):
    if not rec.strip(b"\n"):
        continue
    p, o, ts, key, value = rec.lstrip(b"\n").split(b"|", 4)
    out.append((int(p), int(o), f"{int(p)}|{int(o)}|{ts.decode()}|{key.decode()}|" + hashlib.sha256(value).hexdigest()[:20]))
for *_, line in sorted(out):
    print(line)
'
}
same_records() {  # expected_file topic what
    records_of "$2" >"$WORK/got"
    local want got
    want=$(wc -l <"$1") got=$(wc -l <"$WORK/got")
    [[ $want == "$got" ]] || fail "$3: $got records in $2, want $want"
    diff "$1" "$WORK/got" >"$WORK/diff" || { head -5 "$WORK/diff" >&2; fail "$3: records of $2 differ from the source"; }
    note "ok: $3: $got records, each in place and byte-identical"
}
