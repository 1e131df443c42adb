# DEMO_ENV=compose for the Java and Spring Boot demos; sourced by java-demo.sh after it
# made $WORK. The apps (and kcat) run on this machine and reach the broker at its
# published port (DEMO_HOST_BOOTSTRAP, default localhost:9092); Kafka's tools and
# kafka-backup run in the compose services `kafka-cli` and `kafka-backup`, through
# wrapper scripts in $WORK/bin that stand where the local environment's paths are
# ($KAFKA_TOPICS, ..., $KB). Inside the network the broker is kafka-broker-1:9092: the
# wrappers put that in place of the host address in their arguments, and the configs
# read ${KAFKA_BOOTSTRAP_SERVERS} and ${S3_ENDPOINT} from the kafka-backup service.
COMPOSE_FILE=$KB_ROOT/docker-compose.yml
BOOTSTRAP=${DEMO_HOST_BOOTSTRAP:-localhost:9092}
KAFKA_BOOTSTRAP_SERVERS=$BOOTSTRAP
S3_ENDPOINT=http://minio:9000
KB_TEST_BUCKET=kafka-backups
chmod 0777 "$WORK"  # the containers' users write logs and read configs there

# compose_wrapper NAME SERVICE [COMMAND]: $WORK/bin/NAME runs COMMAND (or the service's
# entrypoint) in SERVICE with NAME's arguments.
compose_wrapper() {
    mkdir -p "$WORK/bin"
    cat >"$WORK/bin/$1" <<WRAP
#!/usr/bin/env bash
args=("\${@//$BOOTSTRAP/kafka-broker-1:9092}")
exec docker compose -f "$COMPOSE_FILE" --profile tools run --rm -T -v "$WORK:$WORK" \\
    -v "$KB_ROOT:$KB_ROOT:ro" -w "$WORK" $2 ${3:-} "\${args[@]}"
WRAP
    chmod +x "$WORK/bin/$1"
}
for tool in topics console-producer console-consumer consumer-groups get-offsets configs; do
    compose_wrapper "kafka-$tool.sh" kafka-cli "kafka-$tool.sh"
done
KAFKA_TOPICS=$WORK/bin/kafka-topics.sh
KAFKA_CONSOLE_PRODUCER=$WORK/bin/kafka-console-producer.sh
KAFKA_CONSOLE_CONSUMER=$WORK/bin/kafka-console-consumer.sh
KAFKA_CONSUMER_GROUPS=$WORK/bin/kafka-consumer-groups.sh
KAFKA_GET_OFFSETS=$WORK/bin/kafka-get-offsets.sh
KAFKA_CONFIGS=$WORK/bin/kafka-configs.sh
compose_wrapper kafka-backup kafka-backup
KB=$WORK/bin/kafka-backup

# The objects under PREFIX in the compose bucket (mc inside the minio service).
compose_s3_remove_prefix() {
    docker compose -f "$COMPOSE_FILE" exec -T minio mc rm --recursive --force \
        "local/$KB_TEST_BUCKET/$1/" >/dev/null 2>&1 || true
}
