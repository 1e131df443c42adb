#pragma once
// OffsetCommit (key 8). A tool committing for a group it is not a member of sends
// generation -1 and an empty member id; the broker refuses (UNKNOWN_MEMBER_ID /
// ILLEGAL_GENERATION / REBALANCE_IN_PROGRESS) while the group has active members.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct offset_commit_request {
    static constexpr api_key key = api_key::OffsetCommit;
    struct partition {
        int32_t partition_index = 0;
        int64_t committed_offset = 0;
        int32_t committed_leader_epoch = -1;  // v6+
        int64_t commit_timestamp = -1;        // v1 only
        std::optional<std::string> committed_metadata{};
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};
        std::vector<partition> partitions{};
        bool operator==(const topic&) const = default;
    };
    std::string group_id{};
    int32_t generation_id_or_member_epoch = -1;      // v1+
    std::string member_id{};                         // v1+
    std::optional<std::string> group_instance_id{};  // v7+
    int64_t retention_time_ms = -1;                  // v2-4
    std::vector<topic> topics{};

    void encode(writer& w, int16_t v) const;
    static offset_commit_request decode(reader& r, int16_t v);
    bool operator==(const offset_commit_request&) const = default;
};

struct offset_commit_response {
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
    int32_t throttle_time_ms = 0;  // v3+
    std::vector<topic> topics{};

    void encode(writer& w, int16_t v) const;
    static offset_commit_response decode(reader& r, int16_t v);
    bool operator==(const offset_commit_response&) const = default;
};

}  // namespace kb::kafka::protocol
