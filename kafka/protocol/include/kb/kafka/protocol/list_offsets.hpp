#pragma once
// ListOffsets (key 2): earliest / latest / by-timestamp offsets per partition.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/common.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct list_offsets_request {
    static constexpr api_key key = api_key::ListOffsets;
    struct partition {
        int32_t partition_index = 0;
        int32_t current_leader_epoch = -1;     // v4+
        int64_t timestamp = latest_timestamp;  // or earliest_timestamp, or a time in ms
        int32_t max_num_offsets = 1;           // v0 only
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    int32_t replica_id = -1;
    int8_t isolation_level = 0;  // v2+: 0 read_uncommitted, 1 read_committed
    std::vector<topic> topics{};
    int32_t timeout_ms = 0;  // v10+

    void encode(writer& w, int16_t v) const;
    static list_offsets_request decode(reader& r, int16_t v);
    bool operator==(const list_offsets_request&) const = default;
};

struct list_offsets_response {
    struct partition {
        int32_t partition_index = 0;
        int16_t error_code = 0;
        std::vector<int64_t> old_style_offsets{};  // v0 only
        int64_t timestamp = -1;                    // v1+
        int64_t offset = -1;                       // v1+
        int32_t leader_epoch = -1;                 // v4+
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v2+
    std::vector<topic> topics{};

    void encode(writer& w, int16_t v) const;
    static list_offsets_response decode(reader& r, int16_t v);
    bool operator==(const list_offsets_response&) const = default;
};

}  // namespace kb::kafka::protocol
