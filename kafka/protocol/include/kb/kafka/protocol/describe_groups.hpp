#pragma once
// DescribeGroups (key 15): state and members of groups (ask the group's coordinator).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct describe_groups_request {
    static constexpr api_key key = api_key::DescribeGroups;
    std::vector<std::string> groups{};
    bool include_authorized_operations = false;  // v3+

    void encode(writer& w, int16_t v) const;
    static describe_groups_request decode(reader& r, int16_t v);
    bool operator==(const describe_groups_request&) const = default;
};

struct describe_groups_response {
    struct member {
        std::string member_id{};
        std::optional<std::string> group_instance_id{};  // v4+
        std::string client_id{};
        std::string client_host{};
        byte_vector member_metadata{};
        byte_vector member_assignment{};
        bool operator==(const member&) const = default;
    };
    struct group {
        int16_t error_code = 0;
        std::string group_id{};
        std::string group_state{};  // "Empty", "Stable", "Dead", ...
        std::string protocol_type{};
        std::string protocol_data{};
        std::vector<member> members{};
        int32_t authorized_operations = INT32_MIN;  // v3+
        bool operator==(const group&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v1+
    std::vector<group> groups{};

    void encode(writer& w, int16_t v) const;
    static describe_groups_response decode(reader& r, int16_t v);
    bool operator==(const describe_groups_response&) const = default;
};

}  // namespace kb::kafka::protocol
