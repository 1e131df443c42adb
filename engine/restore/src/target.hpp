#pragma once
// The target cluster's client settings, from the config's `target:` section.

#include <kb/config/cluster.hpp>
#include <kb/kafka/client/config.hpp>

namespace kb::restore::detail {

kafka::client::client_config client_config_for(const config::kafka_cluster& c);

}  // namespace kb::restore::detail
