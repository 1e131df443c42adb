#!/usr/bin/env bash
# An OSO backup with OSO's {backup_id}/consumer-groups-snapshot.json beside it (as OSO's
# snapshot-groups writes it): describe lists the group, and a restore with
# --reset-consumer-offsets commits its offsets, translated, on the restored topic.
source "$(dirname "$0")/lib.sh"

ID=oso-none
B="$WORK/backups"
mkdir -p "$B"
cp -r "$KB_SOURCE_DIR/tests/fixtures/oso/0.17.4/backups/$ID" "$B/"
G="osocmds-ogroups-$RUN_ID"
O="osocmds-ogroups-orders-$RUN_ID"
E="osocmds-ogroups-events-$RUN_ID"
CLEANUP_TOPICS+=("$O" "$E")
CLEANUP_GROUPS+=("$G")
printf '{\n  "snapshot_time": 1764950000000,\n  "groups": [\n    {\n      "group_id": "%s",\n      "offsets": {\n        "osoformat-fx-orders": {\n          "2": 9,\n          "0": 5\n        }\n      }\n    }\n  ]\n}' \
    "$G" >"$B/$ID/consumer-groups-snapshot.json"

expect_exit 0 "$KB" describe -p "$B" -b "$ID" -f json
eq "$(jq -c '[.consumer_groups[] | [.group_id, [.offsets[] | [.topic, .partition, .offset]]]]' "$WORK/last.out")" \
    "[[\"$G\",[[\"osoformat-fx-orders\",0,5],[\"osoformat-fx-orders\",2,9]]]]" "describe of the groups"

expect_exit 0 "$KB" restore --bootstrap-servers "$BS" -p "$B" -b "$ID" --topic-map "osoformat-fx-orders:$O" \
    --topic-map "osoformat-fx-events:$E" --create-topics --reset-consumer-offsets --consumer-groups "$G" \
    --no-progress --log-level warn
eq "$(committed "$G" "$O" | tr '\n' ' ')" "0 5 2 9 " "$G on the restored topic"
echo "PASS oso group snapshot"
