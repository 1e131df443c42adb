#pragma once
// What the client knows about a cluster: brokers, topics, partitions and leaders.
// Plain values, built from Metadata responses and cached by `cluster`.

#include <kb/kafka/protocol/wire.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::client {

struct broker_info {
    std::int32_t node_id = -1;
    std::string host;
    std::int32_t port = 0;
    std::optional<std::string> rack;
};

struct partition_info {
    std::int32_t partition = 0;
    std::int32_t leader = -1;  // -1 while no leader is available
    std::int32_t leader_epoch = -1;
    std::vector<std::int32_t> replicas;
    std::vector<std::int32_t> isr;
    std::vector<std::int32_t> offline_replicas;
    std::int16_t error_code = 0;  // e.g. LEADER_NOT_AVAILABLE during an election
};

struct topic_info {
    std::string name;
    protocol::uuid id;
    bool internal = false;
    std::vector<partition_info> partitions;  // sorted by partition number

    // The replica count of the first partition (Kafka topics are uniform unless
    // reassigned by hand); 0 for a topic without partitions.
    int replication_factor() const noexcept;
    const partition_info* find(std::int32_t partition) const noexcept;
};

struct cluster_metadata {
    std::string cluster_id;
    std::int32_t controller_id = -1;
    std::vector<broker_info> brokers;
    std::map<std::string, topic_info> topics;

    const broker_info* broker(std::int32_t node_id) const noexcept;
    const topic_info* topic(const std::string& name) const noexcept;
};

}  // namespace kb::kafka::client
