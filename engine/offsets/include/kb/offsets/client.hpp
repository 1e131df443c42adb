#pragma once
// The config's Kafka cluster section as the Kafka client's settings.

#include <kb/config/cluster.hpp>
#include <kb/kafka/client/config.hpp>

namespace kb::offsets {

// Throws kb::error(fatal, "INVALID_CONFIG") for what this client cannot do (GSSAPI).
kafka::client::client_config to_client_config(const config::kafka_cluster& c);

}  // namespace kb::offsets
