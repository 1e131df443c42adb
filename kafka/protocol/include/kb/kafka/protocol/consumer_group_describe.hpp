#pragma once
// ConsumerGroupDescribe (key 69, KIP-848; GA in Kafka 4.0): state and members of groups
// whose consumers use the new protocol (group.protocol=consumer). DescribeGroups up to
// v5 describes such a group as "Dead" with no members, so the client asks this API too.
// Versions 0-1 (v1 adds the member type); always flexible.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct consumer_group_describe_request {
    static constexpr api_key key = api_key::ConsumerGroupDescribe;
    std::vector<std::string> group_ids{};
    bool include_authorized_operations = false;

    void encode(writer& w, int16_t v) const;
    static consumer_group_describe_request decode(reader& r, int16_t v);
    bool operator==(const consumer_group_describe_request&) const = default;
};

struct consumer_group_describe_response {
    struct topic_partitions {
        uuid topic_id{};
        std::string topic_name{};
        std::vector<int32_t> partitions{};
        bool operator==(const topic_partitions&) const = default;
    };
    struct member {
        std::string member_id{};
        std::optional<std::string> instance_id{};
        std::optional<std::string> rack_id{};
        int32_t member_epoch = 0;
        std::string client_id{};
        std::string client_host{};
        std::vector<std::string> subscribed_topic_names{};
        std::optional<std::string> subscribed_topic_regex{};
        std::vector<topic_partitions> assignment{};
        std::vector<topic_partitions> target_assignment{};
        int8_t member_type = -1;  // v1+: -1 unknown, 0 classic, 1 consumer
        bool operator==(const member&) const = default;
    };
    struct group {
        int16_t error_code = 0;
        std::optional<std::string> error_message{};
        std::string group_id{};
        std::string group_state{};  // "Empty", "Stable", "Reconciling", "Assigning", "Dead"
        int32_t group_epoch = 0;
        int32_t assignment_epoch = 0;
        std::string assignor_name{};
        std::vector<member> members{};
        int32_t authorized_operations = INT32_MIN;
        bool operator==(const group&) const = default;
    };
    int32_t throttle_time_ms = 0;
    std::vector<group> groups{};

    void encode(writer& w, int16_t v) const;
    static consumer_group_describe_response decode(reader& r, int16_t v);
    bool operator==(const consumer_group_describe_response&) const = default;
};

}  // namespace kb::kafka::protocol
