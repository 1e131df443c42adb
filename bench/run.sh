#!/usr/bin/env bash
# The whole bench in one command: our kafka-backup beside OSO's engine (kafka-backup-core,
# bench/peers/oso) on the same data, interleaved (ours, OSO, ours, OSO...), with the
# references measured in the same run. Not a test: it asserts only that each run succeeds and
# that each restore is complete (see below).
#
#   KB_BIN=build/bin bench/run.sh [--quick] [--large-mb N] [--small-mb N] [--rounds N] [--out DIR]
#                                 [--no-peer]
#
# Default (full): 1024 MB of 5 MB records and 512 MB of 1 KB records, 2 rounds per row
# (the best round is reported). --quick: 256 MB and 64 MB, 1 round (a few minutes once the
# tools are built). Cases: disk and MinIO, none and zstd (level 3, OSO's default), large and
# small records, 1 and 4 partitions, a producer-compressed (zstd) topic, backup and restore.
# Both tools read the same OSO-style config file per case (ours reads OSO's keys).
# Each row: MB/s (payload MB over wall time), peak RSS, CPU s/GB (/usr/bin/time -v), and for
# MinIO rows the S3 requests per GB counted by MinIO itself.
# References: kcat -C -e -q fetch-only; dd oflag=direct of the same bytes; s5cmd and
# `aws s3 cp` uploads of the same bytes to the same MinIO; kafka-producer-perf-test with the
# same record sizes (idempotent); zstd -1/-3 and lz4 CLI on one core.
# Every restore is checked: the new topic must hold exactly the source's record count.
# Output: bench/results/<date>/ (or --out): table.md, chart.png, rows.tsv, requests.tsv.
#
# It runs its own Kafka and MinIO (scripts/env.sh, name kb-bench, ports KB_KAFKA_PORT=59092,
# KB_MINIO_PORT=59000) and stops them at the end, so other work does not disturb it.
# First use builds the OSO peer (cargo), s5cmd (Go proxy) and a matplotlib venv (PyPI),
# all pinned and cached under ${XDG_CACHE_HOME:-~/.cache}/kafka-backup/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
LARGE_MB=1024 SMALL_MB=512 ROUNDS=2 OUT="" PEER=1
while (($#)); do
    case $1 in
        --quick) LARGE_MB=256 SMALL_MB=64 ROUNDS=1; shift ;;
        --large-mb) LARGE_MB=$2; shift 2 ;;
        --small-mb) SMALL_MB=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --no-peer) PEER=0; shift ;;  # ours and the references only (no cargo build)
        *) echo "bench/run.sh: unknown option $1 (see the header of bench/run.sh)" >&2; exit 2 ;;
    esac
done
KB_BIN=${KB_BIN:-$root/build/bin}
KB_BIN=$(cd "$KB_BIN" 2>/dev/null && pwd) ||
    { echo "bench/run.sh: KB_BIN=$KB_BIN is not a directory: set it to a Release build's bin" >&2; exit 2; }
[[ -x $KB_BIN/kafka-backup ]] ||
    { echo "bench/run.sh: no $KB_BIN/kafka-backup: build it (Release) or set KB_BIN" >&2; exit 2; }
OUT=${OUT:-$here/results/$(date -u +%F)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
source "$here/lib.sh"
source "$here/tools.sh"

# Tools first (they may take minutes to build), then the private environment.
OSO=""
TOOLS=(ours)
if [[ $PEER == 1 ]]; then OSO=$("$here/peers/oso/build.sh"); TOOLS=(ours oso); fi
S5CMD=$(s5cmd_bin)
PLOT_PY=$(plot_python)

unset KB_ENV_DIR
export KB_ENV_NAME=kb-bench KB_KAFKA_PORT=${KB_KAFKA_PORT:-59092} KB_MINIO_PORT=${KB_MINIO_PORT:-59000}
WORK=$(mktemp -d /tmp/kb-bench.XXXXXX)
stop_env() { "$root/scripts/env.sh" down >/dev/null 2>&1 || true; rm -rf "$WORK"; }
exports=$("$root/scripts/env.sh" up) || { echo "bench/run.sh: could not start the bench environment" >&2; exit 1; }
trap stop_env EXIT
eval "$exports"
BS=$KAFKA_BOOTSTRAP_SERVERS
export KB_BENCH_TSV=$OUT/rows.tsv
REQ_TSV=$OUT/requests.tsv
: >"$KB_BENCH_TSV"
: >"$REQ_TSV"
cd "$WORK"  # OSO keeps local state files in its working directory
LOG=$OUT/run.log
: >"$LOG"
say() { echo "[bench $(date -u +%T)] $*" | tee -a "$LOG" >&2; }

# ---- data: one large and one small data set, each loaded into every topic shape ----------
topic_create() {  # name partitions
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$1" --partitions "$2" \
        --replication-factor 1 --config max.message.bytes=16777216 >/dev/null
}
topic_load() {  # name partitions file [codec]
    topic_create "$1" "$2"
    kcat -P -b "$BS" -t "$1" -K '	' -l -z "${4:-none}" -X message.max.bytes=16000000 \
        -X queue.buffering.max.kbytes=1048576 "$3"
}
say "generating $LARGE_MB MB of 5 MB records and $SMALL_MB MB of 1 KB records"
generate "$LARGE_MB" large.txt 5
generate_small "$SMALL_MB" small.txt
cut -f2- large.txt >large.bin
cut -f2- small.txt >small.bin
MB_large=$(( $(stat -c %s large.bin) / 1048576 ))
MB_small=$(( $(stat -c %s small.bin) / 1048576 ))
N_large=$(wc -l <large.txt) N_small=$(wc -l <small.txt)
# Shapes: name -> data set, partitions, producer codec.
SHAPES=(large-p4 large-p1 small-p4 small-p1 small-p4-zstdtopic)
declare -A DATA=([large-p4]=large [large-p1]=large [small-p4]=small [small-p1]=small [small-p4-zstdtopic]=small)
declare -A PARTS=([large-p4]=4 [large-p1]=1 [small-p4]=4 [small-p1]=1 [small-p4-zstdtopic]=4)
declare -A CODEC=([small-p4-zstdtopic]=zstd)
for s in "${SHAPES[@]}"; do
    say "loading topic $s"
    topic_load "$s" "${PARTS[$s]}" "${DATA[$s]}.txt" "${CODEC[$s]:-none}"
done
rm -f large.txt small.txt
mb_of() { local d=${DATA[$1]:-$1}; eval echo "\$MB_$d"; }
records_of() { local d=${DATA[$1]:-$1}; eval echo "\$N_$d"; }

# ---- S3 requests, counted by MinIO (its v3 metrics; a bearer token signed with the key) -----
minio_token=$(python3 - "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" <<'PY'
import base64, hashlib, hmac, json, sys, time
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=")
head = b64(json.dumps({"alg": "HS512", "typ": "JWT"}).encode())
body = b64(json.dumps({"exp": int(time.time()) + 86400, "sub": sys.argv[1], "iss": "prometheus"}).encode())
sig = b64(hmac.new(sys.argv[2].encode(), head + b"." + body, hashlib.sha512).digest())
print((head + b"." + body + b"." + sig).decode())
PY
)
s3_counts() {  # -> "put_class get_class": PUT/POST/COPY/LIST and GET/HEAD requests so far
    curl -sf -H "Authorization: Bearer $minio_token" "$S3_ENDPOINT/minio/metrics/v3/api/requests" |
        awk '/^minio_api_requests_total\{/ && /type="s3"/ {
                 match($0, /name="[A-Za-z0-9]+"/); n = substr($0, RSTART + 6, RLENGTH - 7)
                 if (n ~ /^(Put|Post|Copy|List|NewMultipart|CompleteMultipart)/) p += $NF
                 else if (n ~ /^(Get|Head)/) g += $NF }
             END { printf "%d %d\n", p, g }'
}

# ---- one measured row; MinIO rows also record the requests MinIO counted -----------------
row() {  # label mb s3(0|1) command...
    local label=$1 mb=$2 s3=$3; shift 3
    local before after
    [[ $s3 == 0 ]] || before=$(s3_counts)
    measure "$label" "$mb" "$@" | tee -a "$LOG"
    if [[ $s3 == 1 ]]; then
        sleep 1  # let MinIO count the last requests
        after=$(s3_counts)
        echo "$label	$before	$after" | awk -F'\t' '{ split($2, b, " "); split($3, a, " ");
            printf "%s\t%d\t%d\n", $1, a[1] - b[1], a[2] - b[2] }' >>"$REQ_TSV"
    fi
}

# ---- the OSO-style config both tools read --------------------------------------------------
storage_yaml() {  # target(disk|minio) prefix
    if [[ $1 == disk ]]; then
        printf 'storage:\n  backend: filesystem\n  path: %s\n' "$WORK/store/$2"
    else
        printf 'storage:\n  backend: s3\n  bucket: %s\n  prefix: %s\n  endpoint: %s\n  region: %s\n  path_style: true\n  allow_http: true\n' \
            "$KB_TEST_BUCKET" "bench/$2" "$S3_ENDPOINT" "$AWS_REGION"
    fi
}
backup_config() {  # file id topic target compression prefix
    cat >"$1" <<YAML
mode: backup
backup_id: $2
source:
  bootstrap_servers: [$BS]
  topics:
    include: [$3]
$(storage_yaml "$4" "$6")
backup:
  compression: $5
  compression_level: 3
  stop_at_current_offsets: true
YAML
}
restore_config() {  # file id topic target prefix restored_topic
    cat >"$1" <<YAML
mode: restore
backup_id: $2
target:
  bootstrap_servers: [$BS]
$(storage_yaml "$4" "$5")
restore:
  topic_mapping: {$3: $6}
  create_topics: true
YAML
}
tool_argv() {  # tool(ours|oso) mode config
    if [[ $1 == ours ]]; then
        ARGV=("$KB_BIN/kafka-backup" "$2" -c "$3" --no-progress --log-level warn)
    else
        ARGV=("$OSO" "$2" "$3")
    fi
}
# Records in a topic: the sum of its partitions' end offsets (a restore into a new topic has
# no gaps, so fewer means lost records and more means duplicates).
topic_records() {  # topic partitions
    local p args=()
    for ((p = 0; p < $2; p++)); do args+=(-t "$1:$p:-1"); done
    kcat -Q -b "$BS" "${args[@]}" | awk '/ offset / { n += $NF } END { print n + 0 }'
}
# A restore row counts only if the topic got every record, once.
check_restored() {  # topic partitions expected label
    local got
    got=$(topic_records "$1" "$2")
    [[ $got == "$3" ]] || { say "FAIL: $4 restored $got records, want $3"; exit 1; }
}
drop_topic() { "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$1" >/dev/null 2>&1 || true; }
drop_store() {  # target prefix
    if [[ $1 == disk ]]; then rm -rf "$WORK/store/$2"
    else "$KB_AWS_CLI" --endpoint-url "$S3_ENDPOINT" s3 rm --recursive --only-show-errors \
        "s3://$KB_TEST_BUCKET/bench/$2" >/dev/null 2>&1 || true; fi
}

# Backup cases: shape target compression. Restore cases restore the backup of the same case.
BACKUPS=(
    "large-p4 disk none" "large-p4 disk zstd" "large-p4 minio none" "large-p4 minio zstd"
    "large-p1 disk none" "large-p1 disk zstd"
    "small-p4 disk none" "small-p4 disk zstd" "small-p4 minio none" "small-p4 minio zstd"
    "small-p1 disk zstd"
    "small-p4-zstdtopic disk none"
)
RESTORES=("large-p4 minio none" "large-p4 minio zstd" "large-p1 disk zstd" "small-p4 minio zstd"
    "small-p4-zstdtopic disk none")
is_restored() { local c; for c in "${RESTORES[@]}"; do [[ $c == "$1" ]] && return 0; done; return 1; }

run_case() {  # shape target compression round
    local shape=$1 target=$2 comp=$3 round=$4 tool mb s3=0 id
    mb=$(mb_of "$shape")
    [[ $target == disk ]] || s3=1
    for tool in "${TOOLS[@]}"; do
        id="$shape-$target-$comp-$tool-r$round"
        backup_config "$WORK/b.yaml" "$id" "$shape" "$target" "$comp" "$id"
        tool_argv "$tool" backup "$WORK/b.yaml"
        rm -f "$WORK"/offsets.db*  # OSO's local offset store (./offsets.db): each run starts fresh
        row "backup $shape $target $comp|$tool" "$mb" "$s3" "${ARGV[@]}"
        if is_restored "$shape $target $comp"; then
            # The target topic exists before either tool starts (same partitions, 16 MiB records
            # allowed), so neither pays for creating it and OSO need not copy its configs.
            topic_create "$id-restored" "${PARTS[$shape]}"
            restore_config "$WORK/r.yaml" "$id" "$shape" "$target" "$id" "$id-restored"
            tool_argv "$tool" restore "$WORK/r.yaml"
            row "restore $shape $target $comp|$tool" "$mb" "$s3" "${ARGV[@]}"
            check_restored "$id-restored" "${PARTS[$shape]}" "$(records_of "$shape")" "restore $shape $target $comp|$tool"
            drop_topic "$id-restored"
        fi
        drop_store "$target" "$id"
    done
}

references() {
    local s d
    for s in "${SHAPES[@]}"; do
        row "ref fetch-only kcat $s|ref" "$(mb_of "$s")" 0 kcat -C -b "$BS" -t "$s" -e -o beginning -q \
            -X fetch.message.max.bytes=16777216 -X receive.message.max.bytes=100000000
    done
    for d in large small; do
        local mb n size
        mb=$(mb_of "$d")
        cat "$d.bin" >/dev/null  # from the page cache, like the tools' reads of Kafka
        row "ref disk dd oflag=direct $d|ref" "$mb" 0 dd if="$d.bin" of="$WORK/dd.out" bs=1M oflag=direct \
            conv=fsync status=none
        rm -f "$WORK/dd.out"
        row "ref zstd -1 one core $d|ref" "$mb" 0 zstd -1 -T1 -q -c "$d.bin"
        row "ref zstd -3 one core $d|ref" "$mb" 0 zstd -3 -T1 -q -c "$d.bin"
        row "ref lz4 one core $d|ref" "$mb" 0 lz4 -1 -q -c "$d.bin"
        row "ref upload s5cmd $d|ref" "$mb" 1 "$S5CMD" --endpoint-url "$S3_ENDPOINT" cp "$d.bin" \
            "s3://$KB_TEST_BUCKET/bench/ref/s5cmd-$d.bin"
        row "ref upload aws s3 cp $d|ref" "$mb" 1 "$KB_AWS_CLI" --endpoint-url "$S3_ENDPOINT" s3 cp \
            --only-show-errors "$d.bin" "s3://$KB_TEST_BUCKET/bench/ref/aws-$d.bin"
        drop_store minio ref
        if [[ $d == large ]]; then n=$N_large size=5242880; else n=$N_small size=1024; fi
        topic_create "perf-$d" 4
        row "ref produce perf-test $d|ref" "$mb" 0 env KAFKA_HEAP_OPTS=-Xmx1G \
            "$KAFKA_BIN/kafka-producer-perf-test.sh" --topic "perf-$d" --num-records "$n" \
            --record-size "$size" --throughput -1 --producer-props bootstrap.servers="$BS" acks=all \
            enable.idempotence=true compression.type=none max.request.size=16777216 \
            batch.size=1048576 linger.ms=5 buffer.memory=268435456
        drop_topic "perf-$d"
    done
}

say "references"
references
for round in $(seq 1 "$ROUNDS"); do
    for c in "${BACKUPS[@]}"; do
        say "round $round: $c"
        # shellcheck disable=SC2086
        run_case $c "$round"
    done
done

say "report"
machine="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo),"
machine+=" $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load at end $(cut -d' ' -f1-3 /proc/loadavg)"
"$PLOT_PY" "$here/report.py" --rows "$KB_BENCH_TSV" --requests "$REQ_TSV" --out "$OUT" \
    --title "kafka-backup vs OSO kafka-backup-core 0.25.2, $(date -u '+%F %H:%M UTC')" \
    --machine "$machine" --sizes "large: $MB_large MB of 5 MB records; small: $MB_small MB of 1 KB records; $ROUNDS round(s), best shown"
cat "$OUT/table.md"
say "wrote $OUT/table.md and $OUT/chart.png"
