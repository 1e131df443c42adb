#!/usr/bin/env bash
# The local test environment: Apache Kafka (KRaft) and MinIO on 127.0.0.1.
#
#   eval "$(scripts/env.sh up)"     start (or reuse) and export the connection settings
#   scripts/env.sh status           what is running
#   scripts/env.sh gcs              add fake-gcs-server to the running environment
#   scripts/env.sh down             stop everything this environment started
#   eval "$(scripts/env.sh azurite)" start (or reuse) Azurite alone in this environment
#                                   and export its AZURE_* settings (tests use this)
#   eval "$(scripts/env.sh minio-tls)" add a MinIO serving https (env certs) with a KMS key, for SSE tests
#
# Options for `up`: --brokers N (default 1; 3 for replication tests), --no-minio,
# --gcs (also fake-gcs-server on KB_GCS_PORT, default 55000; added to a running
# environment without restarting it),
# --azurite (also start Azurite, the Azure Storage emulator, on KB_AZURITE_PORT, default
# 54000; it joins a running environment without restarting it),
# --kafka-version V (default scripts/versions.env's; 2.8.x to 4.x; a "-zk" suffix or
# --zookeeper runs it with ZooKeeper, the default and only mode before 3.0; 4.x is KRaft
# only), --authorizer (KRaft's StandardAuthorizer; User:ANONYMOUS, i.e. the plaintext
# listener, and the SCRAM user are super users: for ACL tests, in a private environment).
# Give the version to `down`/`exports` too or not at all (the state file has it).
# Settings (environment): KB_ENV_DIR (work dir, default <cache>/env/<name>), KB_ENV_NAME
# (default "default"), KB_KAFKA_PORT (default 39092; node i uses PORT+10i .. +5),
# KB_MINIO_PORT (default 39000). Two environments side by side need distinct
# names and ports. Everything downloaded or built is cached under
# ${XDG_CACHE_HOME:-$HOME/.cache}/kafka-backup/.
set -euo pipefail
KB_SCRIPT=env
source "$(dirname "$0")/lib/common.sh"

ENV_NAME=${KB_ENV_NAME:-default}
ENV_DIR=${KB_ENV_DIR:-$KB_CACHE/env/$ENV_NAME}
KAFKA_PORT=${KB_KAFKA_PORT:-39092}
MINIO_PORT=${KB_MINIO_PORT:-39000}
AZURITE_PORT=${KB_AZURITE_PORT:-54000}
WITH_AZURITE=0
TEST_BUCKET=${KB_TEST_BUCKET:-kb-test}
SCRAM_USER=kbuser
SCRAM_PASSWORD=kbuser-secret
BROKERS=1
WITH_MINIO=1
WITH_GCS=0
GCS_PORT=${KB_GCS_PORT:-55000}
KAFKA_MODE=""  # kraft | zk; empty: the version's default (version_mode)
AUTHORIZER=0

source "$KB_ROOT/scripts/lib/kafka.sh"
source "$KB_ROOT/scripts/lib/zookeeper.sh"
source "$KB_ROOT/scripts/lib/minio.sh"
source "$KB_ROOT/scripts/lib/gcs.sh"
source "$KB_ROOT/scripts/lib/azurite.sh"

# Splits "3.7.1-zk" into KAFKA_VERSION and KAFKA_MODE and checks the pair.
set_version() {
    local v=$1
    [[ $v == *-zk ]] && { KAFKA_MODE=zk; v=${v%-zk}; }
    [[ $v =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "--kafka-version '$1' is not a version like 3.7.1 or 3.7.1-zk"
    KAFKA_VERSION=$v
}

version_mode() {
    local major=${KAFKA_VERSION%%.*}
    [[ -n $KAFKA_MODE ]] || { ((major < 3)) && KAFKA_MODE=zk || KAFKA_MODE=kraft; }
    ((major >= 4)) && [[ $KAFKA_MODE == zk ]] &&
        die "Kafka $KAFKA_VERSION has no ZooKeeper mode (removed in 4.0): use 3.9.x for ZooKeeper"
    ((major < 3)) && [[ $KAFKA_MODE == kraft ]] &&
        die "Kafka $KAFKA_VERSION's KRaft mode is early access only: run it with ZooKeeper (drop --kraft)"
    [[ $(printf '2.8.0\n%s\n' "$KAFKA_VERSION" | sort -V | head -1) == 2.8.0 ]] ||
        die "Kafka $KAFKA_VERSION is older than 2.8, which kafka-backup does not support"
    kafka_use_version
}

print_exports() {
    local bin=$ENV_DIR/bin
    cat <<EXPORTS
export KB_ENV_DIR='$ENV_DIR'
export KB_KAFKA_VERSION='$KAFKA_VERSION'
export KB_KAFKA_MODE='$KAFKA_MODE'
export KAFKA_BOOTSTRAP_SERVERS='$(kafka_bootstrap 0)'
export KAFKA_SASL_BOOTSTRAP='$(kafka_bootstrap 1)'
export KAFKA_SSL_BOOTSTRAP='$(kafka_bootstrap 2)'
export KAFKA_SASL_SSL_BOOTSTRAP='$(kafka_bootstrap 3)'
export KAFKA_SCRAM_USER='$SCRAM_USER'
export KAFKA_SCRAM_PASSWORD='$SCRAM_PASSWORD'
export KAFKA_CA_FILE='$ENV_DIR/tls/ca.pem'
export KAFKA_CLIENT_CERT='$ENV_DIR/tls/client.pem'
export KAFKA_CLIENT_KEY='$ENV_DIR/tls/client.key'
export KAFKA_CLIENT_P12='$ENV_DIR/tls/client.p12'
export KAFKA_CLIENT_P12_PASSWORD='kb-keystore-secret'
export KAFKA_BIN='$bin'
export KAFKA_TOPICS='$bin/kafka-topics.sh'
export KAFKA_CONSOLE_PRODUCER='$bin/kafka-console-producer.sh'
export KAFKA_CONSOLE_CONSUMER='$bin/kafka-console-consumer.sh'
export KAFKA_CONSUMER_GROUPS='$bin/kafka-consumer-groups.sh'
export KAFKA_CONFIGS='$bin/kafka-configs.sh'
export KAFKA_GET_OFFSETS='$bin/kafka-get-offsets.sh'
export KAFKA_PRODUCER_PERF_TEST='$bin/kafka-producer-perf-test.sh'
EXPORTS
    if ((WITH_MINIO)); then
        cat <<EXPORTS
export S3_ENDPOINT='http://127.0.0.1:$MINIO_PORT'
export AWS_ACCESS_KEY_ID='$MINIO_USER'
export AWS_SECRET_ACCESS_KEY='$MINIO_PASSWORD'
export AWS_REGION='us-east-1'
export AWS_EC2_METADATA_DISABLED=true
export KB_TEST_BUCKET='$TEST_BUCKET'
export KB_AWS_CLI='$AWS_CLI'
EXPORTS
    fi
    ((WITH_GCS == 0)) || gcs_exports
    ! azurite_running || azurite_exports
}

# Remember how `up` was called so status/exports and `down` agree with it.
save_state() {
    printf 'BROKERS=%s\nWITH_MINIO=%s\nWITH_GCS=%s\nKAFKA_VERSION=%s\nKAFKA_MODE=%s\nAUTHORIZER=%s\n' \
        "$BROKERS" "$WITH_MINIO" "$WITH_GCS" "$KAFKA_VERSION" "$KAFKA_MODE" "$AUTHORIZER" >"$ENV_DIR/state"
}
load_state() { [[ -f $ENV_DIR/state ]] && source "$ENV_DIR/state" || true; version_mode; }

all_running() {
    local i
    for ((i = 1; i <= BROKERS; i++)); do pid_alive "$ENV_DIR/kafka-$i.pid" || return 1; done
    [[ $KAFKA_MODE != zk ]] || pid_alive "$ENV_DIR/zookeeper.pid" || return 1
    ((WITH_MINIO == 0)) || pid_alive "$ENV_DIR/minio.pid"
}

cmd_up() {
    mkdir -p "$ENV_DIR"
    exec 9>"$ENV_DIR/.lock"
    flock 9  # concurrent `up` calls wait for the first and then reuse its environment
    if [[ -f $ENV_DIR/state ]]; then
        local want_brokers=$BROKERS want_minio=$WITH_MINIO want_gcs=$WITH_GCS
        local want_version=$KAFKA_VERSION want_mode=$KAFKA_MODE want_authorizer=$AUTHORIZER
        AUTHORIZER=0  # a state file from before --authorizer has none
        load_state
        if all_running && ((BROKERS == want_brokers)) && ((WITH_MINIO >= want_minio)) &&
            ((AUTHORIZER == want_authorizer)) &&
            [[ $KAFKA_VERSION == "$want_version" && $KAFKA_MODE == "$want_mode" ]]; then
            say "already running in $ENV_DIR"
            if ((want_gcs || WITH_GCS)); then
                WITH_GCS=1
                gcs_up || exit 1
                save_state
            fi
            ((WITH_AZURITE == 0)) || azurite_up
            print_exports
            return 0
        fi
        BROKERS=$want_brokers WITH_MINIO=$want_minio WITH_GCS=$want_gcs
        KAFKA_VERSION=$want_version KAFKA_MODE=$want_mode AUTHORIZER=$want_authorizer
        kafka_use_version
        cmd_down_locked
    fi
    local t0=$SECONDS i
    check_ports_free
    kafka_fetch
    ((WITH_MINIO == 0)) || minio_fetch
    kafka_write_log4j
    kafka_write_wrappers
    kafka_make_tls
    [[ $KAFKA_MODE == zk ]] ||
        CLUSTER_ID=$(java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null)
    for ((i = 0; i < BROKERS; i++)); do kafka_format_node "$i"; done
    save_state
    if [[ $KAFKA_MODE == zk ]]; then
        zk_start || { cmd_down_locked; exit 1; }
        zk_add_scram_user
    fi
    for ((i = 0; i < BROKERS; i++)); do kafka_start_node "$i"; done
    ((WITH_MINIO == 0)) || minio_start
    for ((i = 0; i < BROKERS; i++)); do
        wait_for "Kafka node $((i + 1)) on port $(node_port "$i" 0)" 90 port_open "$(node_port "$i" 0)" ||
            { tail -20 "$ENV_DIR/kafka-$((i + 1))/server.log" >&2; cmd_down_locked; exit 1; }
    done
    wait_for "Kafka to accept a topic and a record" 90 kafka_ready || { cmd_down_locked; exit 1; }
    if ((WITH_MINIO)); then
        wait_for "MinIO bucket $TEST_BUCKET" 60 minio_ready ||
            { tail -20 "$ENV_DIR/minio/server.log" >&2; cmd_down_locked; exit 1; }
    fi
    if ((WITH_GCS)); then gcs_up || { cmd_down_locked; exit 1; }; fi
    ((WITH_AZURITE == 0)) || azurite_up
    say "up in $((SECONDS - t0))s: Kafka $KAFKA_VERSION ($KAFKA_MODE) x$BROKERS at $(kafka_bootstrap 0)$( ((WITH_MINIO)) && echo ", MinIO at http://127.0.0.1:$MINIO_PORT")"
    print_exports
}

check_ports_free() {
    local i p
    for ((i = 0; i < BROKERS; i++)); do
        for p in 0 1 2 3 5; do
            ! port_open "$(node_port "$i" $p)" ||
                die "port $(node_port "$i" $p) is taken: stop what uses it or set KB_KAFKA_PORT"
        done
    done
    [[ $KAFKA_MODE != zk ]] || ! port_open "$(zk_port)" ||
        die "port $(zk_port) (ZooKeeper) is taken: stop what uses it or set KB_KAFKA_PORT"
    ((WITH_MINIO == 0)) || ! port_open "$MINIO_PORT" ||
        die "port $MINIO_PORT is taken: stop what uses it or set KB_MINIO_PORT"
}

cmd_down_locked() {
    local f
    # Brokers before ZooKeeper: a broker whose ZooKeeper is gone does not stop cleanly.
    for f in "$ENV_DIR"/kafka-*.pid "$ENV_DIR"/zookeeper.pid "$ENV_DIR"/minio.pid "$ENV_DIR"/minio-tls.pid "$ENV_DIR"/gcs.pid "$ENV_DIR"/azurite.pid; do
        [[ -e $f ]] && stop_pid "$f"
    done
    # Anything still carrying this env dir on its command line is ours: make sure.
    pkill -9 -f -- "-Dkb.env.dir=$ENV_DIR" 2>/dev/null || true
    pkill -9 -f -- "minio server $ENV_DIR/" 2>/dev/null || true
    rm -f "$ENV_DIR/state"
}

cmd_down() {
    [[ -d $ENV_DIR ]] || { say "nothing to stop"; return 0; }
    exec 9>"$ENV_DIR/.lock"
    flock 9
    cmd_down_locked
    say "stopped ($ENV_DIR)"
}

cmd_status() {
    local i rc=0
    for ((i = 1; i <= BROKERS; i++)); do
        if pid_alive "$ENV_DIR/kafka-$i.pid"; then
            echo "kafka-$i: running (pid $(cat "$ENV_DIR/kafka-$i.pid"), port $(node_port $((i - 1)) 0))"
        else echo "kafka-$i: stopped"; rc=1; fi
    done
    if [[ $KAFKA_MODE == zk ]]; then
        if pid_alive "$ENV_DIR/zookeeper.pid"; then
            echo "zookeeper: running (pid $(cat "$ENV_DIR/zookeeper.pid"), port $(zk_port))"
        else echo "zookeeper: stopped"; rc=1; fi
    fi
    if ((WITH_MINIO)); then
        if pid_alive "$ENV_DIR/minio.pid"; then
            echo "minio: running (pid $(cat "$ENV_DIR/minio.pid"), port $MINIO_PORT)"
        else echo "minio: stopped"; rc=1; fi
    fi
    if ((WITH_GCS)); then
        if pid_alive "$ENV_DIR/gcs.pid"; then
            echo "fake-gcs-server: running (pid $(cat "$ENV_DIR/gcs.pid"), port $GCS_PORT)"
        else echo "fake-gcs-server: stopped"; rc=1; fi
    fi
    return $rc
}

# `env.sh gcs`: adds fake-gcs-server to the environment that is up (Kafka and
# MinIO untouched, whatever version or broker count they run) and prints the exports.
cmd_gcs() {
    mkdir -p "$ENV_DIR"
    exec 9>"$ENV_DIR/.lock"
    flock 9
    WITH_GCS=1
    gcs_up || exit 1
    [[ ! -f $ENV_DIR/state ]] || save_state
    print_exports
}

cmd=${1:-}
shift || true
while (($#)); do
    case $1 in
        --brokers) BROKERS=$2; shift 2 ;;
        --no-minio) WITH_MINIO=0; shift ;;
        --gcs) WITH_GCS=1; shift ;;
        --azurite) WITH_AZURITE=1; shift ;;
        --kafka-version) [[ $# -ge 2 ]] || die "--kafka-version needs a version (e.g. 3.7.1)"
            set_version "$2"; shift 2 ;;
        --zookeeper) KAFKA_MODE=zk; shift ;;
        --kraft) KAFKA_MODE=kraft; shift ;;
        --authorizer) AUTHORIZER=1; shift ;;
        *) die "unknown option '$1' (options: --brokers N, --no-minio, --gcs, --azurite, --kafka-version V, --zookeeper, --kraft, --authorizer)" ;;
    esac
done
version_mode
((!AUTHORIZER)) || [[ $KAFKA_MODE == kraft ]] ||
    die "--authorizer needs KRaft (StandardAuthorizer): drop --zookeeper or pick Kafka 3.x/4.x in KRaft mode"
case $cmd in
    up) cmd_up ;;
    down) load_state; cmd_down ;;
    status) load_state; cmd_status ;;
    exports) load_state; print_exports ;;
    gcs) load_state; cmd_gcs ;;
    azurite) mkdir -p "$ENV_DIR"; exec 9>"$ENV_DIR/.azurite-lock"; flock 9; azurite_up; azurite_exports ;;
    minio-tls) mkdir -p "$ENV_DIR"; exec 9>"$ENV_DIR/.minio-tls-lock"; flock 9; minio_tls_up || exit 1
        minio_tls_exports ;;
    *) echo "usage: scripts/env.sh up [--brokers N] [--no-minio] [--gcs] [--azurite] [--kafka-version V[-zk]] [--zookeeper|--kraft] [--authorizer] | gcs | azurite | minio-tls | down | status | exports" >&2; exit 2 ;;
esac
