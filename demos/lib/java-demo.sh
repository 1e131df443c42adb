# Shared by the Java and Spring Boot demos (demos/java-streams/*, demos/springboot/*).
# Source it from a demo.sh; it sets up the environment and gives small helpers:
#   build_jar DIR            build DIR's Maven project once (again only when its sources change)
#   name X                   X with $DEMO_PREFIX in front (isolates a run on a shared broker)
#   topic_create T P / topic_delete T / topic_records T / topic_end_offsets T
#   group_offsets G T        "P OFFSET" lines of group G's committed offsets on topic T
#   consume T [FORMAT]       every record of T (kcat format, default '%p %o %k %s')
#   render FILE              FILE with the demo's topic/group/backup names prefixed, into $WORK
#   start_bg NAME CMD...     run CMD in the background (log $WORK/NAME.log), stopped at exit
#   stop_bg NAME             SIGTERM it and wait
#   wait_for TIMEOUT_S DESC CMD...   retry CMD every 0.5 s until it succeeds
#   step / note / fail / expect_eq / pass
# Names used by a demo (topics, groups, the backup id) are those of the PRD; set
# DEMO_PREFIX (e.g. DEMO_PREFIX=me-) to run a private copy beside other users.
# Output follows demos/lib/demo.sh: 'PASS: ...' at the end, or one line
# 'DEMO FAILED: <why>' and exit 1. These demos run their Java apps on this machine,
# against the local environment (scripts/env.sh, DEMO_ENV=local, the default) or the
# docker compose one (DEMO_ENV=compose: demos/lib/java-compose.sh).
set -euo pipefail

DEMOS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KB_ROOT=${KB_SOURCE_DIR:-$(cd "$DEMOS_ROOT/.." && pwd)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kb-demo.XXXXXX")
case ${DEMO_ENV:-local} in
local)
    [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} && -n ${S3_ENDPOINT:-} ]] || eval "$("$KB_ROOT/scripts/env.sh" up)"
    KB=${KB:-${KB_BIN:-$KB_ROOT/build/bin}/kafka-backup}
    [[ -x $KB ]] || { echo "DEMO FAILED: no kafka-backup at $KB (build it: ninja -C build kafka-backup, or set KB_BIN)" >&2; exit 1; }
    BOOTSTRAP=$KAFKA_BOOTSTRAP_SERVERS
    ;;
compose) source "$DEMOS_ROOT/lib/java-compose.sh" ;;
*) echo "DEMO FAILED: DEMO_ENV must be local or compose, not '$DEMO_ENV'" >&2; exit 1 ;;
esac
export KAFKA_BOOTSTRAP_SERVERS S3_ENDPOINT KB_TEST_BUCKET
DEMO_PREFIX=${DEMO_PREFIX:-}
export DEMO_PREFIX
declare -a DEMO_BG_NAMES=()
declare -a DEMO_CLEANUPS=()
SECONDS=0

step() { printf '\n== [%3ss] %s\n' "$SECONDS" "$*"; }
note() { printf '   %s\n' "$*"; }
fail() {
    echo "DEMO FAILED: $*" >&2
    exit 1
}
expect_eq() { # WHAT EXPECTED ACTUAL
    [[ "$2" == "$3" ]] || fail "$1: expected $2, got $3"
    note "ok: $1 = $3"
}
pass() { printf '\nPASS: %s (%ss)\n' "$*" "$SECONDS"; }

name() { printf '%s%s' "$DEMO_PREFIX" "$1"; }

# Runs CMD at exit (reverse order of registration).
on_exit() { DEMO_CLEANUPS+=("$*"); }
demo_cleanup() {
    local rc=$? i
    for ((i = ${#DEMO_BG_NAMES[@]} - 1; i >= 0; i--)); do stop_bg "${DEMO_BG_NAMES[i]}" || true; done
    for ((i = ${#DEMO_CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${DEMO_CLEANUPS[i]}" >/dev/null 2>&1 || true; done
    if [[ $rc -ne 0 && -n ${KEEP_WORK_ON_FAIL:-} ]]; then
        echo "work dir kept: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap demo_cleanup EXIT
trap 'exit 130' INT TERM

# --- Maven ------------------------------------------------------------------

# Builds the project in DIR unless its jar is newer than pom.xml and every source.
# Offline first (the local repository is filled by the first build), online if that fails.
build_jar() {
    local dir=$1 jar=$2
    if [[ -f $dir/$jar && -z $(find "$dir/pom.xml" "$dir/src" -newer "$dir/$jar" -print -quit) ]]; then
        note "up to date: $jar"
        return
    fi
    note "building $(basename "$dir") with Maven"
    (cd "$dir" && { mvn -q -B -o package -DskipTests >"$WORK/mvn.log" 2>&1 ||
        mvn -q -B package -DskipTests >"$WORK/mvn.log" 2>&1; }) ||
        { tail -40 "$WORK/mvn.log" >&2; fail "Maven build of $dir failed"; }
}

# --- Kafka --------------------------------------------------------------------

# Deletes the topics named (those that exist) and waits until the broker no longer
# lists them; the delete is sent again while any is still listed.
topic_delete() {
    local t present=() deadline=$((SECONDS + 60))
    for t in "$@"; do topic_absent "$t" || present+=("$t"); done
    while ((${#present[@]})); do
        ((SECONDS < deadline)) || fail "topics not deleted within 60 s: ${present[*]}"
        "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --delete --if-exists \
            --topic "^($(printf '%s|' "${present[@]}" | sed 's/|$//; s/\./\\./g'))\$" >/dev/null 2>&1 || true
        sleep 1
        local left=()
        for t in "${present[@]}"; do topic_absent "$t" || left+=("$t"); done
        present=("${left[@]+"${left[@]}"}")
    done
}
# The broker's topic names; fails (rather than print nothing) when it cannot be asked.
topic_names() {
    local json
    json=$(kcat -L -b "$BOOTSTRAP" -J -m 15 2>/dev/null) || return 1
    jq -e -r '.topics[].topic' <<<"$json"
}
topic_absent() {
    local names
    names=$(topic_names) || return 1
    ! grep -qx -- "$1" <<<"$names"
}
topic_create() {
    wait_for 30 "topic $1 created" "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" --create \
        --if-not-exists --topic "$1" --partitions "$2" --replication-factor 1
}
# "PARTITION END_OFFSET" lines.
topic_end_offsets() {
    "$KAFKA_GET_OFFSETS" --bootstrap-server "$BOOTSTRAP" --topic "$1" --time latest 2>/dev/null |
        awk -F: '{print $2, $3}' | sort -n
}
consume() { kcat -C -b "$BOOTSTRAP" -t "$1" -e -q -f "${2:-%p %o %k %s\n}"; }
topic_records() { consume "$1" '%o\n' | wc -l; }
# "PARTITION OFFSET" lines of group G on topic T ("-" when not committed).
group_offsets() {
    "$KAFKA_CONSUMER_GROUPS" --bootstrap-server "$BOOTSTRAP" --describe --group "$1" 2>/dev/null |
        awk -v t="$2" '$2 == t {print $3, $4}' | sort -n
}
group_delete() {
    "$KAFKA_CONSUMER_GROUPS" --bootstrap-server "$BOOTSTRAP" --delete --group "$1" >/dev/null 2>&1 || true
}

# --- kafka-backup configs and storage -------------------------------------------

# The demo's YAML with its names prefixed by $DEMO_PREFIX; prints the new path.
# NAMES are the whole words (topics, groups, the backup id, the storage prefix) to prefix.
render() {
    local src=$1 out=$WORK/$(basename "$1")
    shift
    if [[ -z $DEMO_PREFIX ]]; then
        cp "$src" "$out"
    else
        NAMES="$*" PREFIX=$DEMO_PREFIX perl -pe 'BEGIN { $re = join "|", map { quotemeta }
            sort { length $b <=> length $a } split " ", $ENV{NAMES} }
            s{(?<![\w./-])($re)(?![\w.-])}{$ENV{PREFIX}$1}g' "$src" >"$out"
    fi
    printf '%s' "$out"
}

# Deletes every object under s3://$KB_TEST_BUCKET/PREFIX/ (a demo's backups).
s3_remove_prefix() {
    [[ ${DEMO_ENV:-local} == compose ]] && { compose_s3_remove_prefix "$1"; return 0; }
    aws --endpoint-url "$S3_ENDPOINT" s3 rm --recursive --quiet "s3://$KB_TEST_BUCKET/$1/" >/dev/null 2>&1 || true
}

# --- processes --------------------------------------------------------------------

# Each background command gets its own process group (set -m), so stopping it also
# stops what it started (a shell function's java child, for instance).
start_bg() {
    local n=$1
    shift
    set -m
    "$@" >"$WORK/$n.log" 2>&1 &
    echo $! >"$WORK/$n.pid"
    set +m
    DEMO_BG_NAMES+=("$n")
}
stop_bg() {
    local pidfile=$WORK/$1.pid pid
    [[ -f $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    rm -f "$pidfile"
    kill -TERM -- "-$pid" 2>/dev/null || return 0
    for _ in $(seq 1 150); do
        kill -0 -- "-$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.2
    done
    echo "   $1 did not stop within 30 s of SIGTERM: killing it" >&2
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
bg_running() { [[ -f $WORK/$1.pid ]] && kill -0 "$(cat "$WORK/$1.pid")" 2>/dev/null; }

wait_for() {
    local timeout=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || fail "timed out after ${timeout}s waiting for: $what"
        sleep 0.5
    done
}
