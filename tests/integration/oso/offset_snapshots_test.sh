#!/usr/bin/env bash
# offset-rollback list|show|verify|rollback|delete read an offset snapshot OSO wrote
# (tests/fixtures/oso/offset-snapshots, its topic and groups renamed for this run)
# beside one of ours: OSO's list -f json shape (an array, newest first), our new ids
# in OSO's snap-<epoch ms>-<8 hex> shape, the groups put back exactly, both files deleted.
source "$(dirname "$0")/lib.sh"

T="osocmds-osnap-$RUN_ID"
GA="osocmds-osnap-app-$RUN_ID"
GB="osocmds-osnap-billing-$RUN_ID"
OSO_ID=snap-1764950000000-319a7f6f
DIR="$WORK/store"
mkdir -p "$DIR"
cp -r "$KB_SOURCE_DIR/tests/fixtures/oso/offset-snapshots/offset-snapshots" "$DIR/"
sed -i "s/oso-fixture-orders/$T/g; s/oso-fixture-app/$GA/g; s/oso-fixture-billing/$GB/g" \
    "$DIR/offset-snapshots/$OSO_ID/snapshot.json"
fresh_topic "$T" 2
produce_to "$T" 0 a 10
produce_to "$T" 1 b 10
set_offsets "$GA" "$T" 0:9 1:9
set_offsets "$GB" "$T" 1:8

expect_exit 0 "$KB" offset-rollback snapshot -p "$DIR" -g "$GA" --bootstrap-servers "$BS" -d ours -f json
OURS=$(jq -r .snapshot_id "$WORK/last.out")
[[ $OURS =~ ^snap-[0-9]{13}-[0-9a-f]{8}$ ]] || fail "new snapshot id '$OURS' is not OSO's snap-<epoch ms>-<8 hex>"

expect_exit 0 "$KB" offset-rollback list -p "$DIR" -f json
eq "$(jq -c 'map([.snapshot_id, .written_by])' "$WORK/last.out")" \
    "[[\"$OURS\",\"kafka-backup\"],[\"$OSO_ID\",\"oso\"]]" "list, newest first"
eq "$(jq -c '.[1] | [.created_at, .group_count, .offset_count, .restore_id, .description]' "$WORK/last.out")" \
    '["2025-12-05T15:53:20Z",2,3,null,"before deploy"]' "OSO snapshot as listed"
expect_exit 0 "$KB" offset-rollback show -p "$DIR" -s "$OSO_ID"
grep -q "Group $GA (2 partitions)" "$WORK/last.out" || fail "show: $(cat "$WORK/last.out")"
grep -q "before deploy" "$WORK/last.out" || fail "show lacks the description: $(cat "$WORK/last.out")"

expect_exit 3 "$KB" offset-rollback verify -p "$DIR" -s "$OSO_ID" --bootstrap-servers "$BS"
expect_exit 0 "$KB" offset-rollback rollback -p "$DIR" -s "$OSO_ID" --bootstrap-servers "$BS" -f json
eq "$(jq -c '[.ok, (.groups | map(.status) | unique)]' "$WORK/last.out")" '[true,["restored"]]' "rollback"
eq "$(committed "$GA" "$T" | tr '\n' ' ')" "0 4 1 7 " "$GA after rollback"
eq "$(committed "$GB" "$T" | tr '\n' ' ')" "1 3 " "$GB after rollback"
expect_exit 0 "$KB" offset-rollback verify -p "$DIR" -s "$OSO_ID" --bootstrap-servers "$BS"

expect_exit 0 "$KB" offset-rollback delete -p "$DIR" -s "$OSO_ID"
[[ ! -e "$DIR/offset-snapshots/$OSO_ID/snapshot.json" && ! -e "$DIR/offset-snapshots/$OSO_ID/metadata.json" ]] ||
    fail "delete left OSO's files: $(ls -R "$DIR")"
expect_exit 0 "$KB" offset-rollback list -p "$DIR" -f json
eq "$(jq -c 'map(.snapshot_id)' "$WORK/last.out")" "[\"$OURS\"]" "list after delete"
expect_exit 1 "$KB" offset-rollback show -p "$DIR" -s "$OSO_ID"
echo "PASS oso offset snapshots"
