#!/usr/bin/env bash
# ACLs in a backup (issue 16): `backup --acls` records the ACLs on the backed-up
# topics and groups (--cluster-acls: the cluster's too) in the manifest, and
# `restore --restore-acls` recreates them with the topic renames applied; a dry
# run lists them and creates nothing. A cluster that cannot describe ACLs (here: no
# authorizer) stops the backup with one line, unless --acls-optional.
#
# Part 1 runs on the shared broker (no authorizer); part 2 on a private one with
# KRaft's StandardAuthorizer (scripts/env.sh --authorizer, KB_ACL_KAFKA_PORT, default
# 58092), stopped at the end. ACLs are set and read with Kafka's own kafka-acls.sh.
set -euo pipefail
: "${KB_BIN:?set KB_BIN to the bin directory of the build, as ctest does}"
: "${KAFKA_BOOTSTRAP_SERVERS:?run under scripts/env.sh: eval \"\$(scripts/env.sh up)\"}"
root=${KB_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
KB="$KB_BIN/kafka-backup"
fail() { echo "FAIL: $*" >&2; exit 1; }
WORK=$(mktemp -d)
RUN_ID="md$$-$RANDOM"
BS=$KAFKA_BOOTSTRAP_SERVERS
SHARED_BIN=$KAFKA_BIN
cleanup() {
    "$SHARED_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$RUN_ID-plain" >/dev/null 2>&1 || true
    [[ -z ${ACL_ENV_UP:-} || ${KB_KEEP_ENV:-} == 1 ]] ||
        KB_ENV_NAME=kb-metadata-acl KB_KAFKA_PORT=$acl_port "$root/scripts/env.sh" down >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
manifest() { ls "$WORK/fs/$1/manifests/"manifest-*.json | sort | tail -1 | xargs cat; }

# --- 1. no authorizer: one clear line, or --acls-optional ---------------------
"$SHARED_BIN/kafka-topics.sh" --bootstrap-server "$BS" --create --topic "$RUN_ID-plain" \
    --partitions 1 --replication-factor 1 >/dev/null
seq 1 5 | kcat -P -b "$BS" -t "$RUN_ID-plain"
rc=0
"$KB" backup --bootstrap-servers "$BS" --topics "$RUN_ID-plain" --path "$WORK/fs" --backup-id refused \
    --acls --no-progress >"$WORK/refused.out" 2>"$WORK/refused.log" || rc=$?
[ "$rc" -eq 1 ] || { cat "$WORK/refused.log"; fail "backup --acls without an authorizer: exit $rc, expected 1"; }
[ "$(grep -c error "$WORK/refused.log")" -eq 1 ] || { cat "$WORK/refused.log"; fail "not one error line"; }
grep -q "cannot back up ACLs.*SECURITY_DISABLED.*--acls-optional" "$WORK/refused.log" ||
    { cat "$WORK/refused.log"; fail "the line does not say what failed and what to do"; }
[ ! -e "$WORK/fs/refused/manifests" ] || fail "the refused backup wrote a manifest"
echo "acls: refused in one line: $(grep error "$WORK/refused.log")"

"$KB" backup --bootstrap-servers "$BS" --topics "$RUN_ID-plain" --path "$WORK/fs" --backup-id optional \
    --acls --acls-optional --no-progress >/dev/null 2>"$WORK/optional.log" ||
    { cat "$WORK/optional.log"; fail "backup --acls --acls-optional failed"; }
grep -q "without ACLs" "$WORK/optional.log" || fail "--acls-optional did not say the ACLs are missing"
[ "$(manifest optional | jq 'has("acls")')" = false ] || fail "a backup without ACLs claims to hold some"
rc=0
"$KB" restore --bootstrap-servers "$BS" --path "$WORK/fs" --backup-id optional --restore-acls \
    --dry-run --no-progress >/dev/null 2>"$WORK/noacls.log" || rc=$?
[ "$rc" -ne 0 ] && grep -q "holds no ACLs" "$WORK/noacls.log" ||
    { cat "$WORK/noacls.log"; fail "restore --restore-acls of a backup without ACLs: exit $rc"; }
echo "acls: --acls-optional backed up without them; restoring them from it is refused"

# --- 2. a broker with an authorizer ---------------------------------------------
acl_port=${KB_ACL_KAFKA_PORT:-58092}
unset KB_ENV_DIR
exports=$(KB_ENV_NAME=kb-metadata-acl KB_KAFKA_PORT=$acl_port KB_MINIO_PORT=${KB_ACL_MINIO_PORT:-58000} \
    "$root/scripts/env.sh" up --no-minio --authorizer) || fail "could not start a broker with an authorizer"
ACL_ENV_UP=1
eval "$exports"
B=$KAFKA_BOOTSTRAP_SERVERS
acls() { "$KAFKA_BIN/kafka-acls.sh" --bootstrap-server "$B" "$@"; }
# Every ACL of the cluster, one "resourceType=.., name=.., patternType=.. (principal=..,
# host=.., operation=.., permissionType=..)" line each (one JVM start for all).
all_acls() {
    acls --list | awk '/Current ACLs for resource/ {
            match($0, /resourceType=[A-Z_]*, name=[^,]*, patternType=[A-Z]*/); r = substr($0, RSTART, RLENGTH); next }
        /principal=/ { gsub(/^[ \t]+/, ""); print r " " $0 }' | sort
}
T=orders O=other
for t in $T $O; do
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$B" --create --topic $t --partitions 1 \
        --replication-factor 1 >/dev/null
done
seq 1 5 | kcat -P -b "$B" -t $T
acls --add --allow-principal User:alice --operation Read --operation Describe --topic $T --group app >/dev/null
acls --add --deny-principal User:mallory --operation Write --topic $T >/dev/null
acls --add --allow-principal User:bob --operation Write --topic ord --resource-pattern-type prefixed >/dev/null
acls --add --allow-principal User:carol --operation Read --topic $O >/dev/null
acls --add --allow-principal User:ops --operation Describe --cluster >/dev/null

"$KB" backup --bootstrap-servers "$B" --topics $T --path "$WORK/fs" --backup-id a1 --acls --no-progress \
    >/dev/null 2>"$WORK/a1.log" || { cat "$WORK/a1.log"; fail "backup --acls failed"; }
got=$(manifest a1 | jq -r '.acls[] | "\(.permission) \(.principal) \(.operation) \(.resource_type) \(.resource_name) \(.pattern_type)"' | sort)
want=$(printf '%s\n' "allow User:alice describe group app literal" "allow User:alice describe topic orders literal" \
    "allow User:alice read group app literal" "allow User:alice read topic orders literal" \
    "allow User:bob write topic ord prefixed" "deny User:mallory write topic orders literal" | sort)
[ "$got" = "$want" ] || fail "the manifest's ACLs:
$got
expected:
$want"
echo "acls: the backup holds the $(echo "$got" | wc -l) ACLs on its topic and groups (not other's, not the cluster's)"
"$KB" backup --bootstrap-servers "$B" --topics $T --path "$WORK/fs" --backup-id a2 --cluster-acls --no-progress \
    >/dev/null 2>"$WORK/a2.log" || { cat "$WORK/a2.log"; fail "backup --cluster-acls failed"; }
[ "$(manifest a2 | jq '[.acls[] | select(.resource_type == "cluster" and .principal == "User:ops")] | length')" = 1 ] ||
    fail "--cluster-acls did not record the cluster ACL"

acls --remove --force --topic $T --group app --cluster >/dev/null
acls --remove --force --topic ord --resource-pattern-type prefixed >/dev/null

"$KB" restore --bootstrap-servers "$B" --path "$WORK/fs" --backup-id a1 --topic-map $T:restored \
    --create-topics --restore-acls --dry-run --output json --no-progress >"$WORK/plan.json" 2>"$WORK/plan.log" ||
    { cat "$WORK/plan.log"; fail "restore --dry-run failed"; }
[ "$(jq '[.acls[] | select(.resource_name == "restored")] | length' "$WORK/plan.json")" = 3 ] ||
    { cat "$WORK/plan.json"; fail "the dry run does not list the 3 topic ACLs under the new name"; }
[ "$(jq '.acls | length' "$WORK/plan.json")" = 6 ] || fail "the dry run does not list 6 ACLs"
# what is left after the removal and the dry run: carol's ACL on the other topic
left=$(all_acls)
[ "$left" = "resourceType=TOPIC, name=$O, patternType=LITERAL (principal=User:carol, host=*, operation=READ, permissionType=ALLOW)" ] ||
    fail "after the removal and the dry run the cluster holds:
$left"

"$KB" restore --bootstrap-servers "$B" --path "$WORK/fs" --backup-id a1 --topic-map $T:restored \
    --create-topics --restore-acls --no-progress >"$WORK/restore.out" 2>"$WORK/restore.log" ||
    { cat "$WORK/restore.log"; fail "restore --restore-acls failed"; }
grep -q "ACLs created: 6" "$WORK/restore.out" || { cat "$WORK/restore.out"; fail "the summary does not count 6 ACLs"; }
all_acls >"$WORK/after.txt"
on() { grep -F "resourceType=$1, name=$2, patternType=$3 " "$WORK/after.txt" | sed 's/.*(//; s/)$//' | xargs; }
[ "$(on TOPIC restored LITERAL)" = "principal=User:alice, host=*, operation=DESCRIBE, permissionType=ALLOW principal=User:alice, host=*, operation=READ, permissionType=ALLOW principal=User:mallory, host=*, operation=WRITE, permissionType=DENY" ] ||
    { cat "$WORK/after.txt"; fail "kafka-acls lists for topic restored: $(on TOPIC restored LITERAL)"; }
[ "$(on GROUP app LITERAL)" = "principal=User:alice, host=*, operation=DESCRIBE, permissionType=ALLOW principal=User:alice, host=*, operation=READ, permissionType=ALLOW" ] ||
    { cat "$WORK/after.txt"; fail "the group ACLs were not recreated"; }
[ "$(on TOPIC ord PREFIXED)" = "principal=User:bob, host=*, operation=WRITE, permissionType=ALLOW" ] ||
    { cat "$WORK/after.txt"; fail "the prefixed ACL was not recreated"; }
[ -z "$(on TOPIC $T LITERAL)" ] || fail "ACLs were recreated under the old topic name"
[ "$(wc -l <"$WORK/after.txt")" -eq 7 ] || { cat "$WORK/after.txt"; fail "not 6 ACLs recreated beside carol's"; }
n=$(kcat -C -b "$B" -t restored -o beginning -e -q | wc -l)
[ "$n" -eq 5 ] || fail "restored holds $n records, not 5"
echo "acls: restore --restore-acls recreated 6 ACLs (topic ones renamed to 'restored'), checked with kafka-acls.sh"

# --- 3. a principal that may read the topic but not describe ACLs ---------------
"$KAFKA_BIN/kafka-configs.sh" --bootstrap-server "$B" --alter --entity-type users --entity-name eve \
    --add-config 'SCRAM-SHA-256=[password=eve-secret]' >/dev/null
acls --add --allow-principal User:eve --operation Read --operation Describe --operation DescribeConfigs --topic $T >/dev/null
as_eve() {
    "$KB" backup --bootstrap-servers "$KAFKA_SASL_BOOTSTRAP" --security-protocol SASL_PLAINTEXT \
        --sasl-mechanism SCRAM-SHA-256 --sasl-username eve --sasl-password eve-secret \
        --topics $T --path "$WORK/fs" --no-progress --no-consumer-group-snapshot "$@"
}
rc=0
as_eve --backup-id denied --acls >/dev/null 2>"$WORK/denied.log" || rc=$?
[ "$rc" -eq 1 ] && [ "$(grep -c error "$WORK/denied.log")" -eq 1 ] &&
    grep -q "cannot back up ACLs.*CLUSTER_AUTHORIZATION_FAILED.*--acls-optional" "$WORK/denied.log" ||
    { cat "$WORK/denied.log"; fail "backup --acls as a principal without DESCRIBE on the cluster: exit $rc"; }
[ ! -e "$WORK/fs/denied/manifests" ] || fail "the denied backup wrote a manifest"
as_eve --backup-id denied --acls --acls-optional >/dev/null 2>"$WORK/denied2.log" ||
    { cat "$WORK/denied2.log"; fail "backup --acls --acls-optional as eve failed"; }
[ "$(manifest denied | jq 'has("acls")')" = false ] || fail "eve's backup claims to hold ACLs"
echo "acls: without DESCRIBE on the cluster: $(grep error "$WORK/denied.log")"
