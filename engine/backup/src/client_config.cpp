// The config's `source:` section as Kafka client settings.
#include <kb/backup/backup.hpp>
#include <kb/config/kafka_client.hpp>

namespace kb::backup {

// Fetches of one shard share its connection per broker; connection.connections_per_broker
// (default from the config) lets partitions of one shard fetch from a broker in parallel.
kafka::client::client_config to_client_config(const config::kafka_cluster& k) {
    return config::kafka_client_config(k, "kafka-backup");
}

}  // namespace kb::backup
