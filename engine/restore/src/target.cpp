#include "target.hpp"

#include <kb/config/kafka_client.hpp>

namespace kb::restore::detail {

kafka::client::client_config client_config_for(const config::kafka_cluster& c) {
    auto out = config::kafka_client_config(c, "kafka-backup-restore");
    out.connections_per_broker = 1;  // one ordered connection per partition route
    return out;
}

}  // namespace kb::restore::detail
