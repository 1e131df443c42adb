#!/usr/bin/env bash
# A restore into a topic created a moment before: the controller acknowledges a
# creation before the broker serves the topic, and a restore checking its targets once
# stopped with "target topic T: does not exist". The topic is created (confluent-kafka
# AdminClient, no JVM start) one second after the restore starts; the restore must wait
# for it and produce every record. A topic that never appears still fails, naming it.
source "$(dirname "$0")/lib.sh"

VENV="${KB_CACHE_DIR:-$HOME/.cache/kafka-backup}/py-confluent"
if ! "$VENV/bin/python" -c 'import confluent_kafka' 2>/dev/null; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q confluent-kafka ||
        fail "could not install confluent-kafka into $VENV"
fi

T="rs-new-$RUN_ID"
create_topic "$T" 2
seq 1 20 | awk '{print "k" $1 "\tv" $1}' | "$KAFKA_BIN/kafka-console-producer.sh" --bootstrap-server "$BS" \
    --topic "$T" --reader-property parse.key=true --reader-property 'key.separator=	'
backup "$(s3_url b)" new "$T"
delete_topic "$T"

(sleep 1 && "$VENV/bin/python" -c '
import sys
from confluent_kafka.admin import AdminClient, NewTopic
admin = AdminClient({"bootstrap.servers": sys.argv[1]})  # kept alive until the result
admin.create_topics([NewTopic(sys.argv[2], 2, 1)])[sys.argv[2]].result()
' "$BS" "$T") &
creator=$!
restore --path "$(s3_url b)" --backup-id new --topics "$T"
wait "$creator" || fail "could not create $T"
got=$(kcat -C -b "$BS" -t "$T" -o beginning -e -q -f '%k\n' | wc -l)
[[ $got == 20 ]] || fail "expected 20 records in $T, found $got"
echo "ok: restore waited for $T, created 1 s after it started, and produced 20 records"

missing="rs-never-$RUN_ID"
if "$KB" restore --bootstrap-servers "$BS" --no-progress --log-level warn --path "$(s3_url b)" \
    --backup-id new --topics "$T" --topic-map "$T:$missing" >"$WORK/missing.out" 2>&1; then
    fail "a restore into a topic that does not exist succeeded"
fi
grep -q "target topic $missing: does not exist" "$WORK/missing.out" ||
    fail "the error does not name the missing topic: $(cat "$WORK/missing.out")"
echo "ok: a topic that never appears still fails: $(grep -m1 'does not exist' "$WORK/missing.out")"
