# Shared helpers of the demos: sourced by every demo.sh, never executed.
#
# One switch selects where a demo runs:
#   DEMO_ENV=local    (default) the local environment of scripts/env.sh
#                     (Kafka on 127.0.0.1:39092, MinIO on 127.0.0.1:39000);
#   DEMO_ENV=compose  the docker compose environment of docker-compose.yml: the Kafka
#                     tools and kafka-backup run in its `kafka-cli` and `kafka-backup`
#                     services (`docker compose --profile tools run --rm ...`).
# Every call to the environment (topics, console producer/consumer, consumer groups,
# kafka-backup) goes through the functions below, so the demos read the same in both.
#
# DEMO_PREFIX (default empty) is put before every topic, group and backup id a demo
# creates, so that two runs on one cluster do not collide (CI leaves it empty: the
# demos run one at a time there).

DEMO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DEMO_ENV=${DEMO_ENV:-local}
DEMO_PREFIX=${DEMO_PREFIX:-}
DEMO_DATA=$DEMO_ROOT/demos/data

step() { printf '\n== %s\n' "$*"; }
say() { printf '   %s\n' "$*"; }
# fail MESSAGE: the expected outcome did not hold; the demo stops with exit 1.
fail() { printf 'DEMO FAILED: %s\n' "$*" >&2; exit 1; }
# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    [[ "$2" == "$3" ]] || fail "$1: expected $2, got $3"
    say "ok: $1 = $3"
}

# Cleanup actions run in reverse order when the demo exits, whatever the outcome.
DEMO_CLEANUP=()
on_exit() { DEMO_CLEANUP+=("$*"); }
_demo_cleanup() {
    local i
    for ((i = ${#DEMO_CLEANUP[@]} - 1; i >= 0; i--)); do eval "${DEMO_CLEANUP[i]}" >/dev/null 2>&1 || true; done
}
trap _demo_cleanup EXIT

# --- the environment -------------------------------------------------------------

case $DEMO_ENV in
local)
    if [[ -z ${KAFKA_BOOTSTRAP_SERVERS:-} || -z ${S3_ENDPOINT:-} ]]; then
        eval "$("$DEMO_ROOT/scripts/env.sh" up)"
    fi
    KB=${KB_BIN:-$DEMO_ROOT/build/bin}/kafka-backup
    [[ -x $KB ]] || fail "no kafka-backup at $KB (build it: scripts/setup.sh, or set KB_BIN to its directory)"
    DEMO_BUCKET=${DEMO_BUCKET:-$KB_TEST_BUCKET}
    ;;
compose)
    # Names as seen from inside the compose network; clients on the host (the Python
    # demo) use the published ports instead.
    DEMO_HOST_BOOTSTRAP=${DEMO_HOST_BOOTSTRAP:-localhost:9092}
    KAFKA_BOOTSTRAP_SERVERS=kafka-broker-1:9092
    S3_ENDPOINT=http://minio:9000
    DEMO_BUCKET=${DEMO_BUCKET:-kafka-backups}
    ;;
*) fail "DEMO_ENV must be local or compose, not '$DEMO_ENV'" ;;
esac
export KAFKA_BOOTSTRAP_SERVERS S3_ENDPOINT DEMO_BUCKET DEMO_PREFIX

# Files a demo writes and hands to kafka-backup (configs, reports) live here; in
# compose mode the directory is mounted at the same path in the containers.
DEMO_WORK=${DEMO_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/kb-demo.XXXXXX")}
on_exit rm -rf "$DEMO_WORK"
# The containers' users (kafka-backup runs as a non-root user) read and write it too.
[[ $DEMO_ENV == compose ]] && chmod 0777 "$DEMO_WORK"

_compose() { docker compose -f "$DEMO_ROOT/docker-compose.yml" "$@"; }

# The variables the demo configs read (${VAR}) go along; one unset here stays unset there.
_compose_tool() {
    local service=$1; shift
    _compose --profile tools run --rm -T \
        -v "$DEMO_ROOT:$DEMO_ROOT:ro" -v "$DEMO_WORK:$DEMO_WORK" -w "$DEMO_WORK" \
        -e DEMO_PREFIX -e DEMO_BUCKET -e KAFKA_BOOTSTRAP_SERVERS -e S3_ENDPOINT -e CUTOFF \
        "$service" "$@"
}

# kafka_tool NAME ARGS...: one of Kafka's CLI tools (kafka-topics.sh, ...), with
# --bootstrap-server given.
kafka_tool() {
    local tool=$1; shift
    if [[ $DEMO_ENV == compose ]]; then
        _compose_tool kafka-cli "$tool" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" "$@"
    else
        "$KAFKA_BIN/$tool" --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" "$@"
    fi
}
kafka_topics() { kafka_tool kafka-topics.sh "$@"; }
kafka_console_producer() { kafka_tool kafka-console-producer.sh "$@"; }
kafka_console_consumer() { kafka_tool kafka-console-consumer.sh "$@" 2>/dev/null; }
kafka_consumer_groups() { kafka_tool kafka-consumer-groups.sh "$@"; }
kafka_get_offsets() { kafka_tool kafka-get-offsets.sh "$@"; }

# kafka_backup ARGS...: the tool under demonstration.
kafka_backup() {
    if [[ $DEMO_ENV == compose ]]; then _compose_tool kafka-backup "$@"; else "$KB" "$@"; fi
}

# storage_url PREFIX: the --path of backups under PREFIX in the demo bucket.
storage_url() {
    echo "s3://$DEMO_BUCKET/$1?endpoint=$S3_ENDPOINT&path_style=true&allow_http=true"
}

# --- topics, groups, data ------------------------------------------------------------

# recreate_topic NAME PARTITIONS [--config k=v ...]: a fresh, empty topic.
recreate_topic() {
    local name=$1 parts=$2; shift 2
    delete_topics "$name"
    kafka_topics --create --topic "$name" --partitions "$parts" --replication-factor 1 "$@" >/dev/null
    wait_for_leaders "$name" "$parts"
}
# wait_for_leaders NAME PARTITIONS: the controller acknowledges a creation before the
# brokers serve the topic; a restore started in between would find no such topic.
wait_for_leaders() {
    [[ $DEMO_ENV == local ]] && command -v kcat >/dev/null || { sleep 2; return 0; }
    local i
    for i in $(seq 1 150); do
        [[ $(kcat -b "$KAFKA_BOOTSTRAP_SERVERS" -L -J -t "$1" 2>/dev/null |
            jq '[.topics[0].partitions[]? | select(.leader >= 0)] | length') == "$2" ]] && return 0
        sleep 0.2
    done
    fail "topic $1 has no leader on all $2 partitions after 30 s"
}
# delete_topics NAME...: deletes those that exist (one call: each JVM start costs
# seconds) and waits until they are gone.
delete_topics() {
    local regex i
    regex=$(printf '%s\n' "$@" | sed 's/[.]/\\./g' | paste -sd'|')
    kafka_topics --delete --if-exists --topic "^($regex)\$" >/dev/null 2>&1 || true
    for i in $(seq 1 150); do
        topics_exist "$@" || return 0
        sleep 0.2
    done
    fail "topics $* were not deleted within 30 s"
}
# topics_exist NAME...: true if any of them exists (kcat locally: no JVM start).
topics_exist() {
    local listed
    if [[ $DEMO_ENV == local ]] && command -v kcat >/dev/null; then
        listed=$(kcat -b "$KAFKA_BOOTSTRAP_SERVERS" -L -J 2>/dev/null | jq -r '.topics[].topic')
    else
        listed=$(kafka_topics --list 2>/dev/null)
    fi
    grep -qxF -f <(printf '%s\n' "$@") <<<"$listed"
}
# delete_groups GROUP...: deletes those that exist.
delete_groups() {
    local args=() g
    for g in "$@"; do args+=(--group "$g"); done
    kafka_consumer_groups --delete "${args[@]}" >/dev/null 2>&1 || true
}
# delete_backup PREFIX: removes every object under PREFIX in the demo bucket.
delete_backup() {
    if [[ $DEMO_ENV == compose ]]; then
        _compose exec -T minio mc rm --recursive --force "local/$DEMO_BUCKET/$1/" >/dev/null 2>&1 || true
        return 0
    fi
    aws --endpoint-url "$S3_ENDPOINT" s3 rm --recursive --quiet "s3://$DEMO_BUCKET/$1/" >/dev/null 2>&1 || true
}

# end_offsets TOPIC: "partition offset" lines, sorted.
end_offsets() {
    kafka_get_offsets --topic "$1" --time latest | awk -F: '{print $2, $3}' | sort -n
}
# committed_offsets GROUP: "topic partition offset" lines of kafka-consumer-groups.sh.
committed_offsets() {
    kafka_consumer_groups --describe --group "$1" 2>/dev/null |
        awk 'NR > 1 && $1 != "" && $3 ~ /^[0-9]+$/ {print $2, $3, $4}' | sort
}
