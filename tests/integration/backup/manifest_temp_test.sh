#!/usr/bin/env bash
# Temporary manifests left by a killed run (issue 21.11). On a disk a manifest
# version is written to a hidden temp file, then renamed; a writer killed in
# between leaves the temp behind, and nothing removed it. Now the next backup run
# (once it holds the lease) and `prune --execute` remove them. The leftovers here
# are made as the killed writer makes them: a copy of a real version under the
# backend's temp name, next to the versions. Also: history stays at the newest 10
# versions, old versions left by earlier runs included.
source "$(dirname "$0")/lib.sh"

topic="$RUN_ID-mtemp"
loc="$WORK/fs"
dir="$loc/mt/manifests"
create_topic "$topic" 1
backup() {
    "$KB_BIN/kafka-backup" backup --bootstrap-servers "$BS" --topics "$topic" --path "$loc" \
        --backup-id mt --no-progress --output json >"$WORK/out.json" 2>"$WORK/log" ||
        { cat "$WORK/log"; fail "backup failed"; }
}
leave_temp() {  # name
    cp "$(ls "$dir"/manifest-*.json | sort | tail -1)" "$dir/$1"
}

seq 1 10 | kcat -P -b "$BS" -t "$topic" -p 0
backup
# Old history as a tool that never pruned left it: 30 more versions below.
newest=$(ls "$dir"/manifest-*.json | sort | tail -1)
for i in $(seq 1 30); do
    cp "$newest" "$dir/manifest-$(printf '%020d' $((i + 1000))).json"
done
leave_temp .kb-tmp-00c0ffee00c0ffee
seq 11 20 | kcat -P -b "$BS" -t "$topic" -p 0
# The copies claim sequences they do not hold, so move the real newest above them.
last=$(printf '%020d' 1031)
jq '.sequence = 1031' "$newest" >"$dir/manifest-$last.json"
backup
[ ! -e "$dir/.kb-tmp-00c0ffee00c0ffee" ] || fail "the next run left the temporary manifest"
grep -q "removed 1 temporary manifest" "$WORK/log" || { cat "$WORK/log"; fail "no log line about the removed temp"; }
versions=$(ls "$dir" | grep -c '^manifest-')
[ "$versions" -le 10 ] || fail "$versions manifest versions kept, expected at most 10"
[ "$(manifest_fs "$loc" mt | manifest_record_count)" -eq 20 ] || fail "the resumed backup does not hold 20 records"
echo "manifest temp: the next run removed the temp; $versions versions kept"

leave_temp .kb-tmp-0badcafe0badcafe
"$KB_BIN/kafka-backup" prune --path "$loc" --backup-id mt --keep-segments 100 --execute \
    >"$WORK/prune.out" 2>&1 || { cat "$WORK/prune.out"; fail "prune failed"; }
[ ! -e "$dir/.kb-tmp-0badcafe0badcafe" ] || fail "prune --execute left the temporary manifest"
echo "manifest temp: prune --execute removed a temp too"
