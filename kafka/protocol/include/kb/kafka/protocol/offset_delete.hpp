#pragma once
// OffsetDelete (key 47): remove a consumer group's committed offsets for some
// partitions (send to the group coordinator). Only v0 exists (Kafka 2.4 to 4.x); the
// broker refuses partitions of topics the group's active members are subscribed to
// with GROUP_SUBSCRIBED_TO_TOPIC.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct offset_delete_request {
    static constexpr api_key key = api_key::OffsetDelete;
    struct topic {
        std::string name{};
        std::vector<int32_t> partition_indexes{};
        bool operator==(const topic&) const = default;
    };
    std::string group_id{};
    std::vector<topic> topics{};

    void encode(writer& w, int16_t v) const;
    static offset_delete_request decode(reader& r, int16_t v);
    bool operator==(const offset_delete_request&) const = default;
};

struct offset_delete_response {
    struct partition {
        int32_t partition_index = 0;
        int16_t error_code = 0;
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    int16_t error_code = 0;  // group-level: GROUP_ID_NOT_FOUND, NOT_COORDINATOR, ...
    int32_t throttle_time_ms = 0;
    std::vector<topic> topics{};

    void encode(writer& w, int16_t v) const;
    static offset_delete_response decode(reader& r, int16_t v);
    bool operator==(const offset_delete_response&) const = default;
};

}  // namespace kb::kafka::protocol
