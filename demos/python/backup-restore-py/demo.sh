#!/usr/bin/env bash
# Runs demo_backup_restore.py in a venv with requirements.txt (cached under
# ~/.cache/kafka-backup/demo-python), with kafka-backup from this build.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../../lib/demo.sh"

prefix=${DEMO_PREFIX}demos/backup-restore-py
cleanup() {
    delete_groups "${DEMO_PREFIX}py-demo-verify"
    delete_topics "${DEMO_PREFIX}orders"
    delete_backup "$prefix"
}
cleanup
on_exit cleanup

venv=${XDG_CACHE_HOME:-$HOME/.cache}/kafka-backup/demo-python
if ! "$venv/bin/python" -c 'import confluent_kafka' 2>/dev/null ||
    ! cmp -s "$HERE/requirements.txt" "$venv/requirements.txt"; then
    step "python3 -m venv $venv && pip install -r requirements.txt"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r "$HERE/requirements.txt" || fail "pip could not install requirements.txt"
    cp "$HERE/requirements.txt" "$venv/requirements.txt"
fi
if [[ $DEMO_ENV == compose ]]; then
    # The script talks to Kafka from the host (the published port); kafka-backup runs in
    # the network, so its configs name the broker as seen there, and the directory the
    # script writes them to is mounted at the same path.
    export KAFKA_BACKUP="docker compose -f $DEMO_ROOT/docker-compose.yml --profile tools run --rm -T -v $DEMO_WORK:$DEMO_WORK kafka-backup"
    export DEMO_CONFIG_BOOTSTRAP=$KAFKA_BOOTSTRAP_SERVERS TMPDIR=$DEMO_WORK
    export KAFKA_BOOTSTRAP_SERVERS=$DEMO_HOST_BOOTSTRAP
else
    export KAFKA_BACKUP=$KB
fi
"$venv/bin/python" "$HERE/demo_backup_restore.py"
