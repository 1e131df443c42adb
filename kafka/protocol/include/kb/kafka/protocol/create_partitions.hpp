#pragma once
// CreatePartitions (key 37): grow a topic to `count` partitions.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct create_partitions_request {
    static constexpr api_key key = api_key::CreatePartitions;
    struct assignment {
        std::vector<int32_t> broker_ids{};
        bool operator==(const assignment&) const = default;
    };
    struct topic {
        std::string name{};
        int32_t count = 0;
        std::optional<std::vector<assignment>> assignments{};  // nullopt = broker decides
        bool operator==(const topic&) const = default;
    };
    std::vector<topic> topics{};
    int32_t timeout_ms = 30000;
    bool validate_only = false;

    void encode(writer& w, int16_t v) const;
    static create_partitions_request decode(reader& r, int16_t v);
    bool operator==(const create_partitions_request&) const = default;
};

struct create_partitions_response {
    struct result {
        std::string name{};
        int16_t error_code = 0;
        std::optional<std::string> error_message{};
        bool operator==(const result&) const = default;
    };
    int32_t throttle_time_ms = 0;
    std::vector<result> results{};

    void encode(writer& w, int16_t v) const;
    static create_partitions_response decode(reader& r, int16_t v);
    bool operator==(const create_partitions_response&) const = default;
};

}  // namespace kb::kafka::protocol
