#pragma once
// A config's Kafka cluster section (`source:` or `target:`) as the settings of
// our Kafka client. Kept apart from kb_config (library kb_config_kafka) so that
// the config model does not depend on the client.

#include <kb/config/cluster.hpp>
#include <kb/kafka/client/config.hpp>

#include <string>

namespace kb::config {

// Throws kb::error(fatal, "INVALID_CONFIG") for a setting this build cannot honour
// (sasl_mechanism GSSAPI) or settings the client rejects.
kafka::client::client_config kafka_client_config(const kafka_cluster& cluster,
                                                 std::string client_id);

}  // namespace kb::config
