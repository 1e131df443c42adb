#pragma once
// OffsetFetch (key 9): a group's committed offsets. v8+ batch groups on the wire;
// this struct asks for one group, and the response is normalized to one group entry
// (before v8 the top-level error code becomes that group's error code).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct offset_fetch_request {
    static constexpr api_key key = api_key::OffsetFetch;
    struct topic {
        std::string name{};
        std::vector<int32_t> partition_indexes{};
        bool operator==(const topic&) const = default;
    };
    std::string group_id{};
    std::optional<std::string> member_id{};  // v9+
    int32_t member_epoch = -1;               // v9+
    // nullopt = all committed partitions (v2+).
    std::optional<std::vector<topic>> topics{};
    bool require_stable = false;  // v7+

    void encode(writer& w, int16_t v) const;
    static offset_fetch_request decode(reader& r, int16_t v);
    bool operator==(const offset_fetch_request&) const = default;
};

struct offset_fetch_response {
    struct partition {
        int32_t partition_index = 0;
        int64_t committed_offset = -1;
        int32_t committed_leader_epoch = -1;  // v5+
        std::optional<std::string> metadata{};
        int16_t error_code = 0;
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    struct group {
        std::string group_id;  // v8+ (empty before)
        std::vector<topic> topics{};
        int16_t error_code = 0;  // v2+
        bool operator==(const group&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v3+
    std::vector<group> groups{};   // exactly one before v8

    void encode(writer& w, int16_t v) const;
    static offset_fetch_response decode(reader& r, int16_t v);
    bool operator==(const offset_fetch_response&) const = default;
};

}  // namespace kb::kafka::protocol
