#!/usr/bin/env bash
# Service-account auth end to end: a key file (GOOGLE_APPLICATION_CREDENTIALS)
# whose token_uri is a stand-in token endpoint that verifies our RS256 JWT with
# openssl, and a proxy in front of fake-gcs-server that lets through only
# requests bearing a token it issued. A backup and describe through the proxy
# work with one token per backend; a key the endpoint does not know fails in one
# line naming the token endpoint.
. "$(dirname "$0")/lib.sh"
openssl genrsa -out "$WORK/key.pem" 2048 2>/dev/null
openssl rsa -in "$WORK/key.pem" -pubout -out "$WORK/pub.pem" 2>/dev/null
openssl genrsa -out "$WORK/stranger.pem" 2048 2>/dev/null
python3 "$(dirname "$0")/auth_servers.py" "$WORK/pub.pem" "$GCS" "$WORK" 2>"$WORK/servers.err" &
servers=$!
trap 'kill "$servers" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 1 50); do [[ -s $WORK/ports ]] && break; sleep 0.1; done
read -r TOKEN_PORT PROXY_PORT <"$WORK/ports" || fail "auth servers did not start: $(cat "$WORK/servers.err")"
key_file() {  # pem out
    python3 -c 'import json,sys; print(json.dumps({"type": "service_account", "project_id": "kb-test",
  "private_key_id": "k1", "private_key": open(sys.argv[1]).read(),
  "client_email": "kb-backup@kb-test.iam.gserviceaccount.com",
  "token_uri": "http://127.0.0.1:" + sys.argv[2] + "/token"}))' "$1" "$TOKEN_PORT" >"$2"
}
key_file "$WORK/key.pem" "$WORK/sa.json"
key_file "$WORK/stranger.pem" "$WORK/stranger.json"

T="gcs-auth-$RUN_ID"
create_topic "$T" 2
for i in $(seq 1 40); do echo "v$i"; done | kcat -P -b "$BS" -t "$T"
URL="gs://$BUCKET/$RUN_ID?endpoint=http://127.0.0.1:$PROXY_PORT"
GOOGLE_APPLICATION_CREDENTIALS=$WORK/sa.json "$KB" backup --bootstrap-servers "$BS" --path "$URL" \
    --backup-id auth --topics "$T" --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
    fail "backup through the authorising proxy: $(cat "$WORK/backup.out") $(cat "$WORK/servers.err")"
GOOGLE_APPLICATION_CREDENTIALS=$WORK/sa.json "$KB" describe --path "$URL" --backup-id auth --format json \
    >"$WORK/describe.json" 2>"$WORK/describe.err" || fail "describe: $(cat "$WORK/describe.err")"
jq -e '.totals.records == 40' "$WORK/describe.json" >/dev/null || fail "describe: $(cat "$WORK/describe.json")"
counts=$(cat "$WORK/counts.json")
echo "after backup and describe: $counts"
jq -e '.tokens >= 1 and .tokens <= 8 and .authorized >= 5 and .unauthorized == 0 and .refused_grants == 0' \
    <<<"$counts" >/dev/null || fail "token use: $counts"
gcs_names "$RUN_ID/auth/" | grep -q manifest || fail "nothing reached the emulator through the proxy"

set +e
GOOGLE_APPLICATION_CREDENTIALS=$WORK/stranger.json "$KB" describe --path "$URL" --backup-id auth \
    >"$WORK/stranger.out" 2>&1
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "a key the token endpoint refuses was accepted"
grep -q "token endpoint .*refused.*invalid_grant" "$WORK/stranger.out" || fail "refusal message: $(cat "$WORK/stranger.out")"
! grep -q "BEGIN" "$WORK/stranger.out" || fail "the message shows key material"
jq -e '.refused_grants >= 1' "$WORK/counts.json" >/dev/null || fail "the token endpoint saw no refused grant"
echo "refusal: $(tail -1 "$WORK/stranger.out")"
echo "PASS gcs auth: $(cat "$WORK/counts.json"), stranger exit $rc"
