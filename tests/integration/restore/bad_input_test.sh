#!/usr/bin/env bash
# Bad input to `kafka-backup restore`: a backup id that does not exist (the error
# lists the ones that do), an unreachable target, a wrong SASL password and a
# corrupt segment. Each ends with one error line naming the problem and a non-zero
# exit; the corrupt segment is named with its position, and nothing at or past it
# reaches the target (what was produced is an exact prefix of the source).
source "$(dirname "$0")/lib.sh"

# expect_failure LABEL PATTERN -- command...: non-zero exit, and apart from info
# log lines, stderr is one "kafka-backup: error:" line matching PATTERN.
expect_failure() {
    local label=$1 pattern=$2 rc=0
    shift 3
    timeout 120 "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" || rc=$?
    [ "$rc" -ne 124 ] || fail "$label: still running after 120 s"
    [ "$rc" -ne 0 ] || fail "$label: exit code 0"
    grep -vE '^[0-9T:.-]+Z (INFO|DEBUG) ' "$WORK/$label.err" >"$WORK/$label.line" || true
    [ "$(wc -l <"$WORK/$label.line")" -eq 1 ] ||
        { cat "$WORK/$label.err"; fail "$label: expected one error line on stderr"; }
    grep -q "^kafka-backup: error: " "$WORK/$label.line" ||
        fail "$label: not an error line: $(cat "$WORK/$label.line")"
    grep -qiE "$pattern" "$WORK/$label.line" ||
        fail "$label: the error does not name the problem ($pattern): $(cat "$WORK/$label.line")"
    echo "$label: exit $rc: $(cat "$WORK/$label.line")"
}

T="rs-bad-$RUN_ID"
create_topic "$T" 1
# 60 records of ~100 KB in 1 MiB segments: several segments to damage one of.
python3 -c '
import random
r = random.Random(7)
for i in range(60):
    print("k%d\t%s" % (i, "".join(r.choice("abcdef0123456789") for _ in range(100000))))
' >"$WORK/data.txt"
kcat -P -b "$BS" -t "$T" -K '	' -l -X message.max.bytes=2000000 "$WORK/data.txt"
DIR="$WORK/backups"
"$KB" backup --bootstrap-servers "$BS" --path "$DIR" --backup-id good --topics "$T" \
    --compression none --segment-max-bytes 1MiB --no-progress --log-level warn >/dev/null 2>"$WORK/b.err" ||
    { cat "$WORK/b.err"; fail "backup failed"; }
records "$T" >"$WORK/source"
[ "$(wc -l <"$WORK/source")" -eq 60 ] || fail "expected 60 source records"

expect_failure backup_not_found "'nosuch'.*good" -- \
    "$KB" restore --bootstrap-servers "$BS" --path "$DIR" --backup-id nosuch --no-progress

expect_failure unreachable_target "127\.0\.0\.1:1\b.*check --bootstrap-servers" -- \
    "$KB" restore --bootstrap-servers 127.0.0.1:1 --path "$DIR" --backup-id good \
    --topic-map "$T:$T-unreachable" --create-topics --no-progress

: "${KAFKA_SASL_BOOTSTRAP:?run under scripts/env.sh}"
expect_failure sasl_auth "authentication failed.*target\.security" -- \
    "$KB" restore --bootstrap-servers "$KAFKA_SASL_BOOTSTRAP" --security-protocol SASL_PLAINTEXT \
    --sasl-mechanism SCRAM-SHA-256 --sasl-username kbuser --sasl-password not-the-password \
    --path "$DIR" --backup-id good --topic-map "$T:$T-auth" --create-topics --no-progress
grep -q "not-the-password" "$WORK/sasl_auth.err" && fail "sasl_auth: the password is in the error"

# --- a corrupt segment: flip one byte in the middle of the third segment ----------
mapfile -t SEGS < <(find "$DIR/good/segments/$T/0" -name '*.seg' | sort)
[ "${#SEGS[@]}" -ge 4 ] || fail "expected at least 4 segments, got ${#SEGS[@]}"
BAD=${SEGS[2]}
# Keys name the first offset (format 2); the segment ends before the next one starts.
BAD_FIRST=$((10#$(basename "$BAD" .seg)))
BAD_LAST=$((10#$(basename "${SEGS[3]}" .seg) - 1))
SIZE=$(stat -c %s "$BAD")
POS=$((SIZE / 2))
python3 - "$BAD" "$POS" <<'PY'
import sys
path, pos = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    f.seek(pos)
    b = f.read(1)
    f.seek(pos)
    f.write(bytes([b[0] ^ 0xFF]))
PY
DST="$T-restored"
CREATED_TOPICS+=("$DST")
expect_failure corrupt_segment "$(basename "$BAD").*(checksum|crc)|(checksum|crc).*$(basename "$BAD")" -- \
    "$KB" restore --bootstrap-servers "$BS" --path "$DIR" --backup-id good \
    --topic-map "$T:$DST" --create-topics --no-progress
grep -qE "byte [0-9]+|offset [0-9]+" "$WORK/corrupt_segment.line" ||
    fail "corrupt_segment: the error does not say where in the object"
records "$DST" >"$WORK/target" 2>/dev/null || true
N=$(wc -l <"$WORK/target")
[ "$N" -le "$BAD_LAST" ] || fail "corrupt_segment: $N records produced, some past the corrupt segment ($BAD_FIRST..$BAD_LAST)"
# What was produced is exactly the source's first N records (offsets, keys, values).
head -n "$N" "$WORK/source" | cut -d'|' -f2- >"$WORK/source.prefix"
cut -d'|' -f2- "$WORK/target" >"$WORK/target.cut"
diff -q "$WORK/source.prefix" "$WORK/target.cut" >/dev/null ||
    fail "corrupt_segment: the records produced are not a prefix of the source"
echo "corrupt_segment: stopped at segment $BAD_FIRST..$BAD_LAST; $N records produced, all before it and exact"
echo "PASS restore bad input"
