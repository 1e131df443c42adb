#include <kb/config/kafka_client.hpp>
#include <kb/offsets/client.hpp>

namespace kb::offsets {

// One connection per broker: group requests go to one coordinator, in order.
kafka::client::client_config to_client_config(const config::kafka_cluster& c) {
    auto out = config::kafka_client_config(c, "kafka-backup-offsets");
    out.connections_per_broker = 1;
    return out;
}

}  // namespace kb::offsets
