#!/usr/bin/env bash
# Our S3 backend next to awscli on the same file, the same MinIO, in the same run:
# multipart PUT MiB/s, ranged-GET MiB/s, and our peak RSS for the upload.
#
#   eval "$(scripts/env.sh up)"
#   bench/storage/compare_s3.sh [--bin DIR] [--size-mib N] [--part-mib P] [--range-mib R]
#                               [--in-flight K]
#
# --bin: where bench_s3 is (default build/bin; use a Release build). Every object
# is read back by the other client and checked, so a fast wrong answer cannot win.
# awscli runs with its defaults (8 MiB parts, 10 requests in flight).
set -euo pipefail

BIN=build/bin SIZE_MIB=1024 PART_MIB=16 RANGE_MIB=8 IN_FLIGHT=4
while (($#)); do
    case $1 in
        --bin) BIN=$2; shift 2 ;;
        --size-mib) SIZE_MIB=$2; shift 2 ;;
        --part-mib) PART_MIB=$2; shift 2 ;;
        --range-mib) RANGE_MIB=$2; shift 2 ;;
        --in-flight) IN_FLIGHT=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
for v in S3_ENDPOINT AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION KB_TEST_BUCKET; do
    [[ -n ${!v:-} ]] || { echo "$v is not set: run eval \"\$(scripts/env.sh up)\" first" >&2; exit 2; }
done
BENCH=$BIN/bench_s3
[[ -x $BENCH ]] || { echo "no $BENCH: build the bench_s3 target (Release) or pass --bin" >&2; exit 2; }
AWS=${KB_AWS_CLI:-/usr/bin/aws}
export AWS_EC2_METADATA_DISABLED=true

WORK=$(mktemp -d /tmp/kb-bench-s3.XXXXXX)
PREFIX="bench-s3/$$"
cleanup() {
    "$AWS" --endpoint-url "$S3_ENDPOINT" s3 rm --recursive --only-show-errors \
        "s3://$KB_TEST_BUCKET/$PREFIX/" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

FILE=$WORK/data.bin
head -c $((SIZE_MIB << 20)) /dev/urandom >"$FILE"
BYTES=$(stat -c %s "$FILE")
SUM=$(sha256sum "$FILE" | cut -c1-64)
aws_s3() { "$AWS" --endpoint-url "$S3_ENDPOINT" s3 "$@"; }
mibps() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }
seconds() { awk '/^elapsed/ { print $2 }' "$1"; }

# Ours, PUT: wall time and peak RSS from /usr/bin/time.
/usr/bin/time -f 'elapsed %e\nmaxrss %M' -o "$WORK/ours-put.time" \
    "$BENCH" put --file "$FILE" --key "$PREFIX/ours.bin" --part-mib "$PART_MIB" \
    --in-flight "$IN_FLIGHT" | tee "$WORK/ours-put.out"
OURS_PUT=$(sed -E 's/.* = ([0-9.]+) MiB\/s.*/\1/' "$WORK/ours-put.out")
OURS_RSS_KB=$(awk '/^maxrss/ { print $2 }' "$WORK/ours-put.time")

# awscli, PUT of the same file.
/usr/bin/time -f 'elapsed %e' -o "$WORK/aws-put.time" \
    "$AWS" --endpoint-url "$S3_ENDPOINT" s3 cp --only-show-errors "$FILE" "s3://$KB_TEST_BUCKET/$PREFIX/aws.bin"
AWS_PUT=$(mibps "$(seconds "$WORK/aws-put.time")")

# Ours, ranged GET of what awscli wrote (bytes discarded), then checked against the file.
"$BENCH" get --key "$PREFIX/aws.bin" --range-mib "$RANGE_MIB" --in-flight "$IN_FLIGHT" | tee "$WORK/ours-get.out"
OURS_GET=$(sed -E 's/.* = ([0-9.]+) MiB\/s.*/\1/' "$WORK/ours-get.out")
"$BENCH" get --key "$PREFIX/aws.bin" --range-mib "$RANGE_MIB" --in-flight "$IN_FLIGHT" --verify "$FILE" >/dev/null

# awscli, GET of what we wrote, streamed to /dev/null; then checked by its SHA-256.
/usr/bin/time -f 'elapsed %e' -o "$WORK/aws-get.time" \
    sh -c "\"$AWS\" --endpoint-url \"$S3_ENDPOINT\" s3 cp s3://$KB_TEST_BUCKET/$PREFIX/ours.bin - >/dev/null"
AWS_GET=$(mibps "$(seconds "$WORK/aws-get.time")")
GOT=$(aws_s3 cp "s3://$KB_TEST_BUCKET/$PREFIX/ours.bin" - | sha256sum | cut -c1-64)
[[ $GOT == "$SUM" ]] || { echo "awscli read back a different object than we wrote" >&2; exit 1; }

BOUND_MIB=$((PART_MIB * IN_FLIGHT))
cat <<REPORT

S3 storage bench: $SIZE_MIB MiB, endpoint $S3_ENDPOINT, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)
                      ours (bench_s3)   awscli ($("$AWS" --version 2>&1 | cut -d' ' -f1))
multipart PUT MiB/s   $(printf '%-17s' "$OURS_PUT") $AWS_PUT
ranged GET MiB/s      $(printf '%-17s' "$OURS_GET") $AWS_GET
ours: $PART_MIB MiB parts, $RANGE_MIB MiB ranges, $IN_FLIGHT in flight; peak RSS of the PUT $((OURS_RSS_KB / 1024)) MiB (part size x in flight = $BOUND_MIB MiB)
both objects verified byte-exact by the other client
REPORT
