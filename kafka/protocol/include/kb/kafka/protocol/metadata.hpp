#pragma once
// Metadata (key 3): brokers, cluster id, controller, topics with partitions and leaders.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct metadata_request {
    static constexpr api_key key = api_key::Metadata;
    struct topic {
        protocol::uuid topic_id{};        // v10+
        std::optional<std::string> name;  // null only v10+ (lookup by id)
        bool operator==(const topic&) const = default;
    };
    // nullopt = all topics (v1+; v0 sends an empty array, which means all there).
    std::optional<std::vector<topic>> topics{};
    bool allow_auto_topic_creation = false;              // v4+
    bool include_cluster_authorized_operations = false;  // v8-10
    bool include_topic_authorized_operations = false;    // v8+

    void encode(writer& w, int16_t v) const;
    static metadata_request decode(reader& r, int16_t v);
    bool operator==(const metadata_request&) const = default;
};

struct metadata_response {
    struct broker {
        int32_t node_id = -1;
        std::string host{};
        int32_t port = 0;
        std::optional<std::string> rack{};  // v1+
        bool operator==(const broker&) const = default;
    };
    struct partition {
        int16_t error_code = 0;
        int32_t partition_index = 0;
        int32_t leader_id = -1;
        int32_t leader_epoch = -1;  // v7+
        std::vector<int32_t> replica_nodes{};
        std::vector<int32_t> isr_nodes{};
        std::vector<int32_t> offline_replicas{};  // v5+
        bool operator==(const partition&) const = default;
    };
    struct topic {
        int16_t error_code = 0;
        std::optional<std::string> name{};  // nullable v12+
        protocol::uuid topic_id{};          // v10+
        bool is_internal = false;           // v1+
        std::vector<partition> partitions{};
        int32_t topic_authorized_operations = INT32_MIN;  // v8+
        bool operator==(const topic&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v3+
    std::vector<broker> brokers{};
    std::optional<std::string> cluster_id{};  // v2+
    int32_t controller_id = -1;               // v1+
    std::vector<topic> topics{};
    int32_t cluster_authorized_operations = INT32_MIN;  // v8-10

    void encode(writer& w, int16_t v) const;
    static metadata_response decode(reader& r, int16_t v);
    bool operator==(const metadata_response&) const = default;
};

}  // namespace kb::kafka::protocol
