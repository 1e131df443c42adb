#pragma once
// DeleteTopics (key 20): by name (every version) or by id (v6+).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct delete_topics_request {
    static constexpr api_key key = api_key::DeleteTopics;
    struct topic {
        std::optional<std::string> name;  // null = delete by id (v6+)
        protocol::uuid topic_id{};        // v6+
        bool operator==(const topic&) const = default;
    };
    // Before v6 only names are sent (entries without a name are an encode error).
    std::vector<topic> topics{};
    int32_t timeout_ms = 30000;

    void encode(writer& w, int16_t v) const;
    static delete_topics_request decode(reader& r, int16_t v);
    bool operator==(const delete_topics_request&) const = default;
};

struct delete_topics_response {
    struct result {
        std::optional<std::string> name{};  // nullable v6+
        protocol::uuid topic_id{};          // v6+
        int16_t error_code = 0;
        std::optional<std::string> error_message{};  // v5+
        bool operator==(const result&) const = default;
    };
    int32_t throttle_time_ms = 0;  // v1+
    std::vector<result> responses{};

    void encode(writer& w, int16_t v) const;
    static delete_topics_response decode(reader& r, int16_t v);
    bool operator==(const delete_topics_response&) const = default;
};

}  // namespace kb::kafka::protocol
