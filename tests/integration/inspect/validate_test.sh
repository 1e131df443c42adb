#!/usr/bin/env bash
# validate: a healthy backup validates clean (quick and deep); --deep catches a
# flipped byte, a truncated segment and a missing segment, each named, with a
# non-zero exit; prune plans, refuses while a checkpoint is fresh, and executes; and
# a real continuous backup is never pruned while it runs or just after it stopped.
source "$(dirname "$0")/lib.sh"

T="validate-$RUN_ID"
CLEANUP_TOPICS+=("$T")
fresh_topic "$T" 1
# Five producer runs of 20: batches never span runs, so make_backup cuts 5 segments of 20.
for i in 1 2 3 4 5; do produce "$T" "event$i" 20; done
DIR="$WORK/backups"
mkdir -p "$DIR"
"$MAKE_BACKUP" "$BS" "$DIR" good "$T" - 20
"$KB" validate --path "$DIR" --backup-id good --deep --format json > "$WORK/good.json"
check_schema validate-result "$WORK/good.json"
eq "$(jq -c '[.ok, .segments_checked, .records_checked]' "$WORK/good.json")" "[true,5,100]" "healthy deep"
"$KB" validate --path "$DIR" --backup-id good > /dev/null || fail "healthy quick validate failed"

segs=($(cd "$DIR" && find good/segments -name '*.seg' | sort))
eq "${#segs[@]}" 5 "segments written"
for c in flip truncate missing; do cp -r "$DIR/good" "$DIR/$c"; done
# The manifest names its own backup id in its keys; rewrite the copies' manifests.
for c in flip truncate missing; do
    for m in "$DIR/$c"/manifests/*.json; do sed -i "s#\"good#\"$c#g; s#good/segments#$c/segments#g" "$m"; done
done
flip="$DIR/flip/${segs[1]#good/}"
size=$(stat -c %s "$flip")
python3 - "$flip" $((size / 2)) <<'PY'
import sys
p, pos = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read()); b[pos] ^= 0x01; open(p, "wb").write(b)
PY
truncate -s $(( $(stat -c %s "$DIR/truncate/${segs[2]#good/}") - 100 )) "$DIR/truncate/${segs[2]#good/}"
rm "$DIR/missing/${segs[3]#good/}"

for c in flip truncate missing; do
    set +e
    "$KB" validate --path "$DIR" --backup-id "$c" --deep --format json > "$WORK/$c.json"
    rc=$?
    set -e
    eq "$rc" 3 "exit code for $c"
    check_schema validate-result "$WORK/$c.json"
done
eq "$(jq -r '[.issues[].object] | unique | .[]' "$WORK/flip.json")" "flip/${segs[1]#good/}" "flipped segment named"
jq -e '[.issues[].kind] | index("checksum_mismatch")' "$WORK/flip.json" >/dev/null || fail "flip: no checksum mismatch"
jq -e '[.issues[] | select(.position | test("byte [0-9]+"))] | length > 0' "$WORK/flip.json" >/dev/null || fail "flip: no position"
eq "$(jq -r '[.issues[].object] | unique | .[]' "$WORK/truncate.json")" "truncate/${segs[2]#good/}" "truncated segment named"
jq -e '[.issues[].kind] | index("size_mismatch")' "$WORK/truncate.json" >/dev/null || fail "truncate: no size mismatch"
eq "$(jq -r '.issues[] | "\(.object) \(.kind)"' "$WORK/missing.json")" "missing/${segs[3]#good/} missing" "missing segment named"
set +e
out="$("$KB" validate --path "$DIR" --backup-id flip --deep)"
set -e
grep -q "BAD flip/${segs[1]#good/}" <<<"$out" || fail "text report does not name the bad object: $out"

# prune: plan (nothing deleted), refusal while a checkpoint is fresh, execute.
"$KB" prune --path "$DIR" --backup-id good --keep-segments 2 --format json > "$WORK/prune.json"
check_schema prune-plan "$WORK/prune.json"
eq "$(jq -c '[.executed, .segments_removed, .segments_kept]' "$WORK/prune.json")" "[false,3,2]" "prune plan"
eq "$(find "$DIR/good/segments" -name '*.seg' | wc -l)" 5 "plan deleted nothing"
mkdir -p "$DIR/good/checkpoints" && echo '{}' > "$DIR/good/checkpoints/tail.json"
set +e
"$KB" prune --path "$DIR" --backup-id good --keep-segments 2 --execute 2> "$WORK/refuse.err"
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "prune executed while a checkpoint is fresh"
grep -q "checkpoint" "$WORK/refuse.err" || fail "refusal does not say why: $(cat "$WORK/refuse.err")"
rm -r "$DIR/good/checkpoints"
"$KB" prune --path "$DIR" --backup-id good --keep-segments 2 --execute --format json > "$WORK/pruned.json"
eq "$(jq -c '[.executed, .segments_removed]' "$WORK/pruned.json")" "[true,3]" "prune execute"
eq "$(find "$DIR/good/segments" -name '*.seg' | wc -l)" 2 "segments left"
"$KB" validate --path "$DIR" --backup-id good --deep > /dev/null || fail "pruned backup does not validate"
"$KB" offset-report --path "$DIR" --backup-id good --format json |
    jq -e --arg t "$T" '.topics[$t].partitions["0"] | .start_offset == 60 and .end_offset == 100 and .message_count == 40' >/dev/null ||
    fail "report after prune"
echo "PASS validate and prune"

# A continuous backup of the same topic: while it runs (lease held, manifest in
# progress) and right after SIGTERM (manifest, its checkpoint, still fresh) prune
# --execute refuses and deletes nothing.
"$KB" backup --bootstrap-servers "$BS" --path "$DIR" --backup-id cont --topics "$T" --continuous \
    --segment-max-interval 1s --no-progress --log-level warn >"$WORK/cont.out" 2>&1 &
cont_pid=$!
stop_cont() { kill -TERM "$cont_pid" 2>/dev/null || true; wait "$cont_pid" 2>/dev/null || true; }
trap 'stop_cont; cleanup' EXIT
for _ in $(seq 1 60); do
    recs="$("$KB" describe --path "$DIR" --backup-id cont --format json 2>/dev/null | jq '.totals.records' || true)"
    [[ "$recs" == 100 ]] && break
    sleep 1
done
eq "$recs" 100 "continuous backup caught up"
produce "$T" event6 20
segs_before="$(find "$DIR/cont/segments" -name '*.seg' | wc -l)"
"$KB" prune --path "$DIR" --backup-id cont --keep-segments 1 --format json >"$WORK/cont-plan.json"
jq -e '.refused | type == "string"' "$WORK/cont-plan.json" >/dev/null || fail "plan does not say it would refuse: $(cat "$WORK/cont-plan.json")"
set +e
"$KB" prune --path "$DIR" --backup-id cont --keep-segments 1 --execute 2>"$WORK/cont-refuse.err"
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "prune executed while a continuous backup runs"
grep -q "is locked by" "$WORK/cont-refuse.err" || fail "refusal does not name the running backup's lease: $(cat "$WORK/cont-refuse.err")"
stop_cont
set +e
"$KB" prune --path "$DIR" --backup-id cont --keep-segments 1 --execute 2>"$WORK/cont-refuse2.err"
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "prune executed right after the continuous backup stopped"
grep -q "still in progress.*checkpoint" "$WORK/cont-refuse2.err" || fail "refusal does not name the fresh checkpoint: $(cat "$WORK/cont-refuse2.err")"
[[ "$(find "$DIR/cont/segments" -name '*.seg' | wc -l)" -ge "$segs_before" ]] || fail "segments of the continuous backup were deleted"
"$KB" validate --path "$DIR" --backup-id cont --deep >/dev/null || fail "continuous backup does not validate"
echo "PASS prune refuses a running or just-stopped continuous backup"
