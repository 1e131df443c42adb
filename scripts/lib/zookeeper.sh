# ZooKeeper for Kafka before 4.0 in ZooKeeper mode (KAFKA_MODE=zk). The server is the
# org.apache.zookeeper jar that kafka_2.13 itself depends on, so it comes with the
# Kafka jars (no separate download). Sourced by env.sh after kafka.sh.

zk_port() { node_port 0 8; }

zk_start() {
    local dir=$ENV_DIR/zookeeper
    rm -rf "$dir"
    mkdir -p "$dir/data"
    cat >"$dir/zookeeper.properties" <<CONF
dataDir=$dir/data
clientPort=$(zk_port)
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok
CONF
    setsid java -Xms64m -Xmx256m -XX:+UseSerialGC -Djava.awt.headless=true \
        $(kafka_log_flags server) -Dkb.env.dir="$ENV_DIR" -cp "$KAFKA_LIBS/*" \
        org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zookeeper.properties" \
        >"$dir/server.log" 2>&1 </dev/null 9>&- &
    echo $! >"$ENV_DIR/zookeeper.pid"
    wait_for "ZooKeeper on port $(zk_port)" 60 port_open "$(zk_port)" ||
        { tail -20 "$dir/server.log" >&2; return 1; }
}

# SCRAM credentials live in ZooKeeper before KRaft; kafka-configs writes them there
# directly (--zookeeper), before any broker starts, as Kafka's docs do it.
zk_add_scram_user() {
    "$ENV_DIR/bin/kafka-configs.sh" --zookeeper "127.0.0.1:$(zk_port)" --alter \
        --add-config "SCRAM-SHA-256=[password=$SCRAM_PASSWORD],SCRAM-SHA-512=[password=$SCRAM_PASSWORD]" \
        --entity-type users --entity-name "$SCRAM_USER" >"$ENV_DIR/zookeeper/scram.log" 2>&1 ||
        die "could not add SCRAM user $SCRAM_USER to ZooKeeper: see $ENV_DIR/zookeeper/scram.log"
}
