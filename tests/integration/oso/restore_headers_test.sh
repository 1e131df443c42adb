#!/usr/bin/env bash
# OSO's restore headers and consumer_group_strategy, against the real broker and MinIO,
# checked with confluent-kafka (a client we did not write):
#   include_original_offset_header: true   -> x-original-offset (i64 LE), x-original-timestamp
#                                              (i64 LE), x-source-partition (i32 LE) appended
#   consumer_group_strategy: header-based  -> the same records as above
#   strip_offset_headers: true             -> OSO's four tool headers dropped, others kept
#   both                                   -> one fresh set
#   none (skip)                            -> byte-identical, batches passed through whole
# and each strategy's dry-run line (OSO's words) in validate-restore -f json.
source "$(dirname "$0")/lib.sh"
VENV="${KB_CACHE_DIR:-$HOME/.cache/kafka-backup}/py-confluent"
if ! "$VENV/bin/python" -c 'import confluent_kafka' 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q confluent-kafka ||
        fail "could not install confluent-kafka into $VENV"
fi
HERE="$(cd "$(dirname "$0")" && pwd)"
dump() { "$VENV/bin/python" "$HERE/dump_records.py" "$BS" "$1" >"$2" || fail "cannot read topic $1"; }

T="osohdr-src-$RUN_ID"
ID="osohdr-$RUN_ID"
fresh_topic "$T" 2
seq 1 6 | sed 's/^/plain-/' | kcat -P -b "$BS" -t "$T" -p 0 -H app=1 -H app=2
# Records that already carry OSO's tool headers (as an OSO backup with
# include_offset_headers archives them), in a zstd batch, and one name in another case.
seq 1 3 | sed 's/^/tooled-/' | kcat -P -b "$BS" -t "$T" -p 0 -X compression.codec=zstd \
    -H x-original-offset=abc -H x-source-cluster=old -H X-Source-Cluster=kept -H keep=1
seq 1 5 | sed 's/^/k&:v/' | kcat -P -b "$BS" -t "$T" -p 1 -K: -X compression.codec=lz4 -H p1=yes
printf 'tomb:\n' | kcat -P -b "$BS" -t "$T" -p 1 -K: -Z
dump "$T" "$WORK/source.jsonl"
[[ $(wc -l <"$WORK/source.jsonl") == 15 ]] || fail "expected 15 source records: $(cat "$WORK/source.jsonl")"

backup_yaml "$ID" "$T" "  compression: zstd" >"$WORK/backup.yaml"
run_backup "$WORK/backup.yaml"

restore_yaml() {  # TARGET_TOPIC EXTRA_RESTORE_LINES
    cat <<YAML
mode: restore
backup_id: $ID
target:
  bootstrap_servers: [$BS]
$(storage_yaml)
restore:
  topic_mapping:
    $T: $1
  create_topics: true
$2
YAML
}
# restore_as NAME MODE EXTRA: restores into a fresh topic and checks it against the source.
restore_as() {
    local r="osohdr-$1-$RUN_ID"
    CLEANUP_TOPICS+=("$r")
    restore_yaml "$r" "$3" >"$WORK/$1.yaml"
    "$KB" restore -c "$WORK/$1.yaml" --no-progress --log-level warn --output json >"$WORK/$1.out" 2>&1 ||
        fail "restore $1: $(cat "$WORK/$1.out")"
    dump "$r" "$WORK/$1.jsonl"
    "$VENV/bin/python" "$HERE/expect_headers.py" "$WORK/source.jsonl" "$WORK/$1.jsonl" "$2" ||
        fail "restore $1 ($2)"
}

restore_as plain none "  consumer_group_strategy: skip"
jq -e '.batches_reencoded == 0 and .batches_passed > 0' "$WORK/plain.out" >/dev/null ||
    fail "without header options batches should pass through: $(cat "$WORK/plain.out")"
echo "PASS no options: byte-identical, every batch passed through"

restore_as added add "  include_original_offset_header: true"
jq -e '.batches_passed == 0 and .records == 15' "$WORK/added.out" >/dev/null ||
    fail "with headers every batch is re-encoded: $(cat "$WORK/added.out")"
echo "PASS include_original_offset_header: three OSO headers, little-endian, after the record's own"

restore_as headerbased add "  consumer_group_strategy: header-based"
echo "PASS consumer_group_strategy: header-based adds the same headers"

restore_as stripped strip "  strip_offset_headers: true"
# Only batches that carried tool headers were re-encoded; the others passed through.
jq -e '.batches_reencoded > 0 and .batches_passed > 0' "$WORK/stripped.out" >/dev/null ||
    fail "strip_offset_headers re-encodes only batches it changes: $(cat "$WORK/stripped.out")"
echo "PASS strip_offset_headers: the four tool headers dropped, X-Source-Cluster and others kept"

restore_as both strip+add "  strip_offset_headers: true
  include_original_offset_header: true"
echo "PASS strip_offset_headers + include_original_offset_header: one fresh set"

# Each strategy's dry-run line, in OSO's words (validate-restore).
for s in skip:'Consumer offsets will not be modified (skip strategy)' \
    header-based:'Original offsets will be stored in message headers (x-original-offset, x-original-timestamp)' \
    timestamp-based:'Consumer offsets will be calculated based on timestamps' \
    cluster-scan:'Consumer offsets will be determined by scanning target cluster' \
    manual:'Offset mapping will be reported; manual reset required'; do
    restore_yaml "osohdr-dry-$RUN_ID" "  consumer_group_strategy: ${s%%:*}" >"$WORK/dry.yaml"
    expect_exit 0 "$KB" validate-restore -c "$WORK/dry.yaml" -f json
    eq "$(jq -r '.consumer_offset_actions[0]' "$WORK/last.out")" "${s#*:}" "dry-run line of ${s%%:*}"
done
echo "PASS consumer_group_strategy: each strategy's dry-run line"
