#!/usr/bin/env bash
# The docker compose environment (docker-compose.yml), run for real on this machine.
#
#   scripts/compose.sh up      engine (installed and started if missing), images, `docker compose up -d`
#   scripts/compose.sh test    up from scratch, the offset-report document's commands, the ten
#                              demos with DEMO_ENV=compose, then down; prints the times
#   scripts/compose.sh down    `docker compose down -v`, and stops dockerd if this script started it
#   scripts/compose.sh images  only (re)build the images
#
# Docker Hub is out of reach here, so `up` builds local stand-ins for the official images
# from package registries (scripts/lib/compose_images.sh) and writes their names to .env
# beside docker-compose.yml, where every later `docker compose` command finds them.
# KB_COMPOSE_IMAGES=official skips that and uses the official images (machines with
# Docker Hub). KB_BIN: the directory of the kafka-backup binary put in our image
# (default build/bin, the Release build).
set -euo pipefail
KB_SCRIPT=compose
source "$(dirname "$0")/lib/common.sh"
COMPOSE_DIR=$KB_CACHE/compose
mkdir -p "$COMPOSE_DIR"
ENV_DIR=$COMPOSE_DIR/kafka-tools  # where kafka.sh's helpers write (wrappers are made per image)
source "$KB_ROOT/scripts/lib/kafka.sh"
source "$KB_ROOT/scripts/lib/minio.sh"
source "$KB_ROOT/scripts/lib/compose_engine.sh"
source "$KB_ROOT/scripts/lib/compose_images.sh"

COMPOSE_FILE=$KB_ROOT/docker-compose.yml
DOTENV=$KB_ROOT/.env
compose() { docker compose -f "$COMPOSE_FILE" "$@"; }

# timed NAME COMMAND...: runs it and records "NAME SECONDS" for the summary.
TIMES=()
timed() {
    local name=$1 start=$SECONDS rc=0
    shift
    "$@" || rc=$?
    TIMES+=("$name $((SECONDS - start))")
    return $rc
}
print_times() {
    local t
    say "times (s):"
    for t in "${TIMES[@]}"; do say "  $t"; done
}

images() {
    if [[ ${KB_COMPOSE_IMAGES:-local} == official ]]; then
        rm -f "$DOTENV"
        return 0
    fi
    timed image_base base_image
    timed image_kafka kafka_image
    timed image_minio minio_image
    timed image_kafka_backup kafka_backup_image
    {
        echo "# Written by scripts/compose.sh: the local stand-ins for the official images."
        image_exports | sed 's/^export //' | tr ' ' '\n'
    } >"$DOTENV"
}

# The broker, MinIO and the one-shot setup; returns when kafka-setup has finished.
start_services() {
    compose up -d --quiet-pull >&2 || die "docker compose up failed"
    wait_for "kafka-setup to finish" 300 setup_done || {
        compose logs kafka-setup >&2
        die "kafka-setup did not finish"
    }
    compose logs kafka-setup | tail -1 >&2
}
setup_done() {
    local id
    id=$(compose ps -a -q kafka-setup) && [[ -n $id ]] &&
        [[ $(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$id") == "exited 0" ]]
}

prepare() {
    timed engine_install engine_install
    timed engine_start engine_start
    images
}

cmd_up() {
    prepare
    timed compose_up start_services
    say "up: Kafka on localhost:${KB_COMPOSE_KAFKA_PORT:-9092} (kafka-broker-1:9092 inside)," \
        "MinIO on localhost:${KB_COMPOSE_MINIO_PORT:-9000} (bucket kafka-backups)"
}

cmd_down() {
    if engine_running && docker compose version >/dev/null 2>&1; then
        compose --profile tools down -v --remove-orphans >&2 || true
    fi
    rm -f "$DOTENV"
    engine_stop
}

cmd_test() {
    local failed=() demo name
    # Whatever happens, the environment goes, and the engine too if this run started it.
    trap 'compose --profile tools down -v --remove-orphans >&2 || true; ((ENGINE_STARTED)) && engine_stop' EXIT
    prepare
    # A fresh environment: no topics, groups or backups from an earlier run.
    compose --profile tools down -v --remove-orphans >&2
    timed compose_up start_services
    timed offset_report_document bash "$KB_ROOT/tests/integration/compose/offset_report_document.sh" ||
        failed+=(offset_report_document)
    # Demos leave their reports (offset-report.json, ...) in the current directory.
    mkdir -p "$COMPOSE_DIR/demo-output" && cd "$COMPOSE_DIR/demo-output"
    for demo in "$KB_ROOT"/demos/*/*/demo.sh; do
        name=$(basename "$(dirname "$(dirname "$demo")")")/$(basename "$(dirname "$demo")")
        say "demo $name (DEMO_ENV=compose)"
        timed "demo $name" env DEMO_ENV=compose bash "$demo" || failed+=("demo $name")
    done
    print_times
    ((${#failed[@]} == 0)) || die "failed: ${failed[*]}"
    say "PASS: the offset-report document and every demo ran through docker compose"
}

case ${1:-} in
up) cmd_up ;;
down) cmd_down ;;
test) cmd_test ;;
images) prepare ;;
*) die "usage: scripts/compose.sh up|down|test|images" ;;
esac
