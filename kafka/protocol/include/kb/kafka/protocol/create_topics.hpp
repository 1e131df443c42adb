#pragma once
// CreateTopics (key 19): send to the controller (or any broker in KRaft clusters).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct create_topics_request {
    static constexpr api_key key = api_key::CreateTopics;
    struct assignment {
        int32_t partition_index = 0;
        std::vector<int32_t> broker_ids{};
        bool operator==(const assignment&) const = default;
    };
    struct config {
        std::string name{};
        std::optional<std::string> value{};
        bool operator==(const config&) const = default;
    };
    struct topic {
        std::string name{};
        int32_t num_partitions = -1;      // -1 = broker default (v4+) or use assignments
        int16_t replication_factor = -1;  // -1 = broker default (v4+)
        std::vector<assignment> assignments{};
        std::vector<config> configs{};
        bool operator==(const topic&) const = default;
    };
    std::vector<topic> topics{};
    int32_t timeout_ms = 60000;
    bool validate_only = false;  // v1+

    void encode(writer& w, int16_t v) const;
    static create_topics_request decode(reader& r, int16_t v);
    bool operator==(const create_topics_request&) const = default;
};

struct create_topics_response {
    struct config {
        std::string name{};
        std::optional<std::string> value{};
        bool read_only = false;
        int8_t config_source = -1;
        bool is_sensitive = false;
        bool operator==(const config&) const = default;
    };
    struct topic {
        std::string name{};
        protocol::uuid topic_id{};  // v7+
        int16_t error_code = 0;
        std::optional<std::string> error_message{};    // v1+
        int16_t topic_config_error_code = 0;           // v5+ tagged
        int32_t num_partitions = -1;                   // v5+
        int16_t replication_factor = -1;               // v5+
        std::optional<std::vector<config>> configs{};  // v5+
        bool operator==(const topic&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v2+
    std::vector<topic> topics{};

    void encode(writer& w, int16_t v) const;
    static create_topics_response decode(reader& r, int16_t v);
    bool operator==(const create_topics_response&) const = default;
};

}  // namespace kb::kafka::protocol
