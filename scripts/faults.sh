#!/usr/bin/env bash
# The fault suite (issue 21): kill -9, broker and MinIO restarts, corrupted backups
# and foreign writes, each trial on fresh random topics, judged by an independent
# checker (tests/faults/campaigns/kafka_tool.py, confluent-kafka) that reads source
# and target topics itself. Prints every trial's outcome and a table.
#
#   scripts/faults.sh [--trials N] [--campaigns LIST] [--mb MB]
#
# --trials N      trials per campaign (default 3; CI's faults_core runs 1)
# --quick         CI's core: 4 MB topics, downtime up to 3 s, one restart per restart
#                 trial (mid-backup or mid-restore at random), every corruption
# --campaigns L   comma-separated subset of: backup_kill,restore_kill,broker_restart,
#                 minio_restart,corrupt,foreign_writes (default all)
# --mb MB         size of each trial's source topic (default 8)
# --max-down S    longest broker / MinIO downtime in the restart campaigns (default 8 s)
# --corruptions L the corrupt campaign's damages, comma-separated (default all):
#                 flip,truncate,swap,delete_entry,delete_first_entry,p1_over_p0
# It runs its own environment (name kb-faults, Kafka on 52092, MinIO on 52000; set
# KB_FAULTS_ENV_NAME / KB_FAULTS_KAFKA_PORT / KB_FAULTS_MINIO_PORT to move it), since it restarts the
# broker and MinIO, and stops it at the end. KB_BIN: the build's bin directory
# (default build/bin). KB_FAULTS_KEEP=1 keeps each trial's work directory.
# Exit 1 when any trial failed.
set -euo pipefail
KB_SCRIPT=faults
source "$(dirname "$0")/lib/common.sh"
TRIALS=3 MB=8
CAMPAIGNS=backup_kill,restore_kill,broker_restart,minio_restart,corrupt,foreign_writes
while (($#)); do
    case $1 in
        --trials) TRIALS=$2; shift 2 ;;
        --campaigns) CAMPAIGNS=$2; shift 2 ;;
        --mb) MB=$2; shift 2 ;;
        --quick)
            MB=4
            export KB_FAULTS_MAX_DOWN=3 KB_FAULTS_ONE_RESTART=1
            export KB_FAULTS_CORRUPTIONS="flip truncate swap delete_entry delete_first_entry p1_over_p0"
            shift ;;
        --max-down) export KB_FAULTS_MAX_DOWN=$2; shift 2 ;;
        --corruptions) export KB_FAULTS_CORRUPTIONS=${2//,/ }; shift 2 ;;
        *) echo "faults.sh: unknown option '$1' (options: --trials N, --quick, --campaigns LIST, --mb MB, --max-down S, --corruptions LIST)" >&2
           exit 2 ;;
    esac
done
[[ $TRIALS =~ ^[1-9][0-9]*$ ]] || { echo "faults.sh: --trials wants a positive number, got '$TRIALS'" >&2; exit 2; }
export KB_BIN=${KB_BIN:-$KB_ROOT/build/bin} KB_SOURCE_DIR=$KB_ROOT KB_FAULTS_MB=$MB
[[ -x $KB_BIN/kafka-backup ]] || die "no kafka-backup in $KB_BIN: build it (ninja -C build kafka-backup) or set KB_BIN"

# The checker's Kafka client, in the cached venv the other tests use.
VENV="${KB_CACHE_DIR:-$KB_CACHE}/py-confluent"
if ! "$VENV/bin/python" -c 'import confluent_kafka' 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q confluent-kafka ||
        die "could not install confluent-kafka into $VENV"
fi
export KB_FAULTS_PY="$VENV/bin/python"

# A private environment: never the shared one (its broker must not be restarted).
unset KB_ENV_DIR
export KB_ENV_NAME=${KB_FAULTS_ENV_NAME:-kb-faults} KB_KAFKA_PORT=${KB_FAULTS_KAFKA_PORT:-52092} KB_MINIO_PORT=${KB_FAULTS_MINIO_PORT:-52000}
exports=$("$KB_ROOT/scripts/env.sh" up) || die "could not start the fault environment"
# KB_FAULTS_KEEP_ENV=1 leaves it running (the next run reuses it; `scripts/env.sh down`
# with the same KB_ENV_NAME stops it).
[[ ${KB_FAULTS_KEEP_ENV:-} == 1 ]] || trap '"$KB_ROOT/scripts/env.sh" down >/dev/null 2>&1 || true' EXIT
eval "$exports"

RESULTS=$(mktemp)
t_all=$SECONDS
for campaign in ${CAMPAIGNS//,/ }; do
    for trial in $(seq 1 "$TRIALS"); do
        say "$campaign, trial $trial of $TRIALS"
        t0=$SECONDS
        rc=0
        out=$(bash "$KB_ROOT/tests/faults/campaigns/trial.sh" "$campaign") || rc=$?
        lines=$(grep '^OUTCOME ' <<<"$out" || true)
        if ((rc != 0)); then  # the trial script itself stopped: count it, never hide it
            lines+="${lines:+$'\n'}OUTCOME failed $campaign: the trial script stopped with exit $rc"
        fi
        [[ -n $lines ]] || lines="OUTCOME failed $campaign: the trial ended without an outcome"
        # A campaign's OUTCOME lines share its time (corrupt gives one per kind of damage).
        n=$(grep -c . <<<"$lines")
        while read -r _ result detail; do
            echo "  $result: $detail" >&2
            printf '%s\t%s\t%s\n' "${detail%%:*}" "$result" "$(((SECONDS - t0) / n))" >>"$RESULTS"
        done <<<"$lines"
    done
done

echo
printf '%-26s %6s %6s %6s %15s %7s\n' campaign trials passed failed refused-clearly time
awk -F'\t' '
    { t[$1]++; r[$1, $2]++; s[$1] += $3; if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
    END {
        for (i = 1; i <= n; i++) { c = order[i]
            printf "%-26s %6d %6d %6d %15d %6ds\n", c, t[c], r[c, "passed"], r[c, "failed"], r[c, "refused"], s[c]
            T += t[c]; P += r[c, "passed"]; F += r[c, "failed"]; R += r[c, "refused"] }
        printf "%-26s %6d %6d %6d %15d\n", "all", T, P, F, R
    }' "$RESULTS"
echo "total time $((SECONDS - t_all))s"
failed=$(awk -F'\t' '$2 == "failed"' "$RESULTS" | wc -l)
rm -f "$RESULTS"
((failed == 0)) || { echo "faults: $failed trial(s) failed" >&2; exit 1; }
