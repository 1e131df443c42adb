#pragma once
// DescribeCluster (key 60, Kafka 2.8+): cluster id, controller and brokers.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct describe_cluster_request {
    static constexpr api_key key = api_key::DescribeCluster;
    bool include_cluster_authorized_operations = false;
    int8_t endpoint_type = 1;  // v1+: 1 brokers, 2 controllers

    void encode(writer& w, int16_t v) const;
    static describe_cluster_request decode(reader& r, int16_t v);
    bool operator==(const describe_cluster_request&) const = default;
};

struct describe_cluster_response {
    struct broker {
        int32_t broker_id = -1;
        std::string host{};
        int32_t port = 0;
        std::optional<std::string> rack{};
        bool operator==(const broker&) const = default;
    };
    int32_t throttle_time_ms = 0;
    int16_t error_code = 0;
    std::optional<std::string> error_message{};
    int8_t endpoint_type = 1;  // v1+
    std::string cluster_id{};
    int32_t controller_id = -1;
    std::vector<broker> brokers{};
    int32_t cluster_authorized_operations = INT32_MIN;

    void encode(writer& w, int16_t v) const;
    static describe_cluster_response decode(reader& r, int16_t v);
    bool operator==(const describe_cluster_response&) const = default;
};

}  // namespace kb::kafka::protocol
