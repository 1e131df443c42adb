#pragma once
// DeleteRecords (key 21): move a partition's log start offset forward (send to the leader).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct delete_records_request {
    static constexpr api_key key = api_key::DeleteRecords;
    struct partition {
        int32_t partition_index = 0;
        int64_t offset = 0;  // -1 = the high watermark
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    std::vector<topic> topics{};
    int32_t timeout_ms = 30000;

    void encode(writer& w, int16_t v) const;
    static delete_records_request decode(reader& r, int16_t v);
    bool operator==(const delete_records_request&) const = default;
};

struct delete_records_response {
    struct partition {
        int32_t partition_index = 0;
        int64_t low_watermark = -1;
        int16_t error_code = 0;
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    int32_t throttle_time_ms = 0;
    std::vector<topic> topics{};

    void encode(writer& w, int16_t v) const;
    static delete_records_response decode(reader& r, int16_t v);
    bool operator==(const delete_records_response&) const = default;
};

}  // namespace kb::kafka::protocol
