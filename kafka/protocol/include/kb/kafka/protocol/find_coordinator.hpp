#pragma once
// FindCoordinator (key 10): which broker coordinates a group (key_type 0) or a
// transactional id (key_type 1). v4+ batch keys on the wire; this struct asks for
// one key, and the response is always a list of coordinators (one entry before v4,
// with an empty key).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct find_coordinator_request {
    static constexpr api_key key = api_key::FindCoordinator;
    std::string coordinator_key{};  // "Key" before v4, the single CoordinatorKeys entry v4+
    int8_t key_type = 0;            // v1+: 0 group, 1 transaction

    void encode(writer& w, int16_t v) const;
    static find_coordinator_request decode(reader& r, int16_t v);
    bool operator==(const find_coordinator_request&) const = default;
};

struct find_coordinator_response {
    struct coordinator {
        std::string key;  // v4+ (empty before)
        int32_t node_id = -1;
        std::string host{};
        int32_t port = 0;
        int16_t error_code = 0;
        std::optional<std::string> error_message{};  // v1+
        bool operator==(const coordinator&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v1+
    std::vector<coordinator> coordinators{};

    void encode(writer& w, int16_t v) const;  // before v4 writes coordinators[0]
    static find_coordinator_response decode(reader& r, int16_t v);
    bool operator==(const find_coordinator_response&) const = default;
};

}  // namespace kb::kafka::protocol
