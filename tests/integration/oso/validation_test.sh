#!/usr/bin/env bash
# validation run / evidence-list / evidence-get / evidence-verify (OSO's commands):
# a topic is backed up, deleted and restored with its group's offsets; `validation
# run` passes its three checks and stores a signed evidence report (ECDSA P-256,
# OSO's .sig text) that evidence-get fetches and evidence-verify (and Python's
# `cryptography`, independently) accepts; a tampered report or signature, or the
# wrong key, fails. Extra records on the target fail MessageCountCheck (exit 1)
# unless within fail_threshold. The validation YAML is strict.
source "$(dirname "$0")/lib.sh"

T="osocmds-valid-$RUN_ID"
G="osocmds-valid-app-$RUN_ID"
ID="valid-$RUN_ID"
fresh_topic "$T" 2
produce_to "$T" 0 a 8
produce_to "$T" 1 b 4
set_offsets "$G" "$T" 0:3 1:4
"$KB" backup --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID" --topics "$T" \
    --consumer-groups "$G" --no-progress --log-level warn >"$WORK/backup.out" 2>&1 ||
    fail "backup: $(cat "$WORK/backup.out")"
"$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --delete --topic "$T" >/dev/null 2>&1
for _ in $(seq 1 60); do
    "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BS" --list 2>/dev/null | grep -qx "$T" || break
    sleep 1
done
sleep 2
"$KB" restore --bootstrap-servers "$BS" --path "$S3_URL" --backup-id "$ID" --reset-consumer-offsets --create-topics \
    --no-progress --log-level warn >"$WORK/restore.out" 2>&1 || fail "restore: $(cat "$WORK/restore.out")"

openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$WORK/key.pem"
openssl ec -in "$WORK/key.pem" -pubout -out "$WORK/pub.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/other.pem" 2>/dev/null  # SEC1 form
openssl ec -in "$WORK/other.pem" -pubout -out "$WORK/other-pub.pem" 2>/dev/null
validation_yaml() {  # validation_yaml FAIL_THRESHOLD PREFIX
    cat <<YAML
backup_id: $ID
$(storage_yaml)
target:
  bootstrap_servers: [$BS]
checks:
  message_count:
    enabled: true
    mode: exact
    fail_threshold: $1
  offset_range:
    enabled: true
  consumer_group_offsets:
    enabled: true
    verify_all_groups: true
evidence:
  formats: [json]
  signing:
    enabled: true
    private_key_path: $WORK/key.pem
    public_key_path: $WORK/pub.pem
  storage:
    prefix: $2
triggered_by: from-the-file
YAML
}
validation_yaml 0 evidence-reports/ >"$WORK/validation.yaml"

# --- a passing run, signed
expect_exit 0 "$KB" validation run -c "$WORK/validation.yaml" --pitr 1700000000000 --triggered-by dr-drill
cp "$WORK/last.out" "$WORK/run.out"
for line in "=== Validation Results ===" "Overall: PASSED" "Checks: 3/3 passed, 0 failed, 0 skipped" \
    "  [PASSED] MessageCountCheck — 1 topics; 12 messages expected, 12 restored; 0 discrepancies" \
    "  [PASSED] OffsetRangeCheck — 2 partitions checked; 2 passed; 0 issues" \
    "  [PASSED] ConsumerGroupOffsetCheck — 1 consumer groups verified; 2 offsets checked; 0 issues"; do
    grep -qxF -- "$line" "$WORK/run.out" || fail "run output lacks '$line': $(cat "$WORK/run.out")"
done
RID="$(sed -n 's/^Report ID: //p' "$WORK/run.out")"
[[ "$RID" =~ ^validation-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] || fail "report id '$RID'"
KEY="$(sed -n 's/^JSON evidence uploaded: //p' "$WORK/run.out")"
[[ "$KEY" =~ ^evidence-reports/$RID/[0-9]{4}/[0-9]{2}/$RID\.json$ ]] || fail "evidence key '$KEY'"
grep -qxF "Signature uploaded: ${KEY%.json}.sig" "$WORK/run.out" || fail "no signature upload: $(cat "$WORK/run.out")"
echo "PASS validation run (3 checks passed, evidence stored)"

# --- evidence-list / evidence-get
expect_exit 0 "$KB" validation evidence-list --path "$S3_URL"
grep -qxF "Evidence reports (2 found):" "$WORK/last.out" || fail "evidence-list: $(cat "$WORK/last.out")"
grep -qxF "  $KEY" "$WORK/last.out" || fail "evidence-list lacks $KEY: $(cat "$WORK/last.out")"
expect_exit 0 "$KB" validation evidence-list --path "$S3_URL" -l 1
eq "$(grep -c '^  ' "$WORK/last.out")" 1 "evidence-list -l 1"
expect_exit 0 "$KB" validation evidence-get --path "$S3_URL" -r "$RID" -o "$WORK/report.json"
grep -qxF "Evidence report saved to: $WORK/report.json" "$WORK/last.out" || fail "evidence-get: $(cat "$WORK/last.out")"
expect_exit 0 "$KB" validation evidence-get --path "$S3_URL" --report-id "$RID" -f sig -o "$WORK/report.sig"
eq "$(jq -c '[.schema_version, .report_id, .tool.name, .validation.overall_result, .validation.checks_total,
    .backup.id, .backup.total_records, .backup.total_partitions, .backup.pitr_timestamp, .triggered_by,
    .integrity.signature_algorithm, (.integrity.backup_manifest_sha256 | length)]' "$WORK/report.json")" \
    "[\"1.0\",\"$RID\",\"kafka-backup\",\"PASSED\",3,\"$ID\",12,2,1700000000000,\"dr-drill\",\"ECDSA-P256-SHA256\",64]" \
    "evidence report fields"
eq "$(jq -c '[.validation.results[0].data.partitions[] | [.partition, .expected_records, .restored_records,
    (.segments_sha256 | test("^[0-9a-f]{64}$"))]] | sort' "$WORK/report.json")" \
    '[[0,8,8,true],[1,4,4,true]]' "per-partition counts and checksums"
eq "$(head -1 "$WORK/report.sig")" "-----BEGIN KAFKA BACKUP EVIDENCE SIGNATURE-----" "sig header"
eq "$(sed -n 's/^Report-SHA256: //p' "$WORK/report.sig")" "$(sha256sum "$WORK/report.json" | cut -d' ' -f1)" "sig digest"
echo "PASS evidence-list, evidence-get (json, sig)"

# --- evidence-verify, and an independent check of the signature
expect_exit 0 "$KB" validation evidence-verify -r "$WORK/report.json" -s "$WORK/report.sig" --public-key "$WORK/pub.pem"
for line in "Report ID: $RID" "Algorithm: ECDSA-P256-SHA256" "SHA-256 checksum: VALID" "ECDSA signature: VALID" \
    "Evidence report integrity: VERIFIED"; do
    grep -qxF -- "$line" "$WORK/last.out" || fail "evidence-verify lacks '$line': $(cat "$WORK/last.out")"
done
python3 - "$WORK/report.json" "$WORK/report.sig" "$WORK/pub.pem" <<'PY' || fail "python cryptography rejects the signature"
import base64, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
report = open(sys.argv[1], "rb").read()
sig = [l.split(": ", 1)[1] for l in open(sys.argv[2]).read().splitlines() if l.startswith("Signature: ")][0]
raw = base64.b64decode(sig)
assert len(raw) == 64, len(raw)
der = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
key = serialization.load_pem_public_key(open(sys.argv[3], "rb").read())
key.verify(der, report, ec.ECDSA(hashes.SHA256()))
PY
sed 's/"PASSED"/"FAILED"/' "$WORK/report.json" >"$WORK/tampered.json"
expect_exit 1 "$KB" validation evidence-verify -r "$WORK/tampered.json" -s "$WORK/report.sig" --public-key "$WORK/pub.pem"
grep -q "FAILED: Report SHA-256 mismatch" "$WORK/last.err" || fail "tampered report: $(cat "$WORK/last.err")"
# A forger who also rewrites the digest line is caught by the signature.
sed "s/^Report-SHA256: .*/Report-SHA256: $(sha256sum "$WORK/tampered.json" | cut -d' ' -f1)/" "$WORK/report.sig" >"$WORK/forged.sig"
expect_exit 1 "$KB" validation evidence-verify -r "$WORK/tampered.json" -s "$WORK/forged.sig" --public-key "$WORK/pub.pem"
grep -q "FAILED: ECDSA signature is INVALID" "$WORK/last.err" || fail "forged signature: $(cat "$WORK/last.err")"
expect_exit 1 "$KB" validation evidence-verify -r "$WORK/report.json" -s "$WORK/report.sig" --public-key "$WORK/other-pub.pem"
echo "PASS evidence-verify (valid, tampered report, forged digest, wrong key)"

# --- extra records on the target fail the count, within the threshold they do not
produce_to "$T" 0 extra 3
validation_yaml 0 osocmds-evidence/ >"$WORK/strict.yaml"
expect_exit 1 "$KB" validation run -c "$WORK/strict.yaml"
grep -qxF "Overall: FAILED" "$WORK/last.out" || fail "failing run: $(cat "$WORK/last.out")"
grep -qF "[FAILED] MessageCountCheck — 1 topics; 12 messages expected, 15 restored; 1 discrepancies" "$WORK/last.out" ||
    fail "failing run detail: $(cat "$WORK/last.out")"
grep -q "^JSON evidence uploaded: osocmds-evidence/validation-" "$WORK/last.out" || fail "custom prefix: $(cat "$WORK/last.out")"
validation_yaml 5 osocmds-evidence/ | sed "s#private_key_path: .*#private_key_path: $WORK/other.pem#" >"$WORK/lenient.yaml"
expect_exit 0 "$KB" validation run -c "$WORK/lenient.yaml"
grep -qxF "Overall: PASSED" "$WORK/last.out" || fail "threshold run: $(cat "$WORK/last.out")"
echo "PASS failing count (exit 1) and fail_threshold; SEC1 signing key"

# --- strict YAML
{ cat "$WORK/validation.yaml"; echo "checks_extra: 1"; } >"$WORK/bad.yaml"
expect_exit 2 "$KB" validation run -c "$WORK/bad.yaml"
grep -q "checks_extra" "$WORK/last.err" || fail "unknown key not named: $(cat "$WORK/last.err")"
sed 's/^    mode: exact/    mode: sample/' "$WORK/validation.yaml" >"$WORK/bad2.yaml"
expect_exit 2 "$KB" validation run -c "$WORK/bad2.yaml"
grep -q "not supported" "$WORK/last.err" || fail "sample mode: $(cat "$WORK/last.err")"
grep -v '^target:\|^  bootstrap_servers:' "$WORK/validation.yaml" >"$WORK/bad3.yaml"
expect_exit 2 "$KB" validation run -c "$WORK/bad3.yaml"
grep -q "target" "$WORK/last.err" || fail "missing target: $(cat "$WORK/last.err")"
expect_exit 2 "$KB" validation
expect_exit 2 "$KB" validation evidence-verify -r "$WORK/report.json"
echo "PASS strict validation YAML and usage errors"
