#pragma once
// ListGroups (key 16): the groups one broker coordinates (ask every broker for all).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct list_groups_request {
    static constexpr api_key key = api_key::ListGroups;
    std::vector<std::string> states_filter{};  // v4+
    std::vector<std::string> types_filter{};   // v5+

    void encode(writer& w, int16_t v) const;
    static list_groups_request decode(reader& r, int16_t v);
    bool operator==(const list_groups_request&) const = default;
};

struct list_groups_response {
    struct group {
        std::string group_id{};
        std::string protocol_type{};
        std::string group_state{};  // v4+
        std::string group_type{};   // v5+
        bool operator==(const group&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v1+
    int16_t error_code = 0;
    std::vector<group> groups{};

    void encode(writer& w, int16_t v) const;
    static list_groups_response decode(reader& r, int16_t v);
    bool operator==(const list_groups_response&) const = default;
};

}  // namespace kb::kafka::protocol
