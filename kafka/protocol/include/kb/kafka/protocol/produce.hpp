#pragma once
// Produce (key 0). Records are whole encoded batches (see record_batch.hpp) held as a
// shared_buffer, so restore can pass fetched batches through without copying.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/common.hpp>
#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/buffer.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct produce_request {
    static constexpr api_key key = api_key::Produce;
    struct partition {
        int32_t index = 0;
        runtime::shared_buffer records{};  // one or more v2 batches
        friend bool operator==(const partition& a, const partition& b);
    };
    struct topic {
        std::string name{};
        std::vector<partition> partition_data{};
        bool operator==(const topic&) const = default;
    };
    std::optional<std::string> transactional_id{};  // v3+
    int16_t acks = -1;                              // -1 = all in-sync replicas
    int32_t timeout_ms = 30000;
    std::vector<topic> topic_data{};

    void encode(writer& w, int16_t v) const;
    // Bytes encode() writes after the records of the last partition of the last topic
    // (the tagged-field ends of flexible versions), so the producer can stamp its
    // batches in the encoded request itself instead of in a copy of its own.
    static std::size_t records_tail(int16_t v);
    // Request decode copies the records (tests only; the client never decodes requests).
    static produce_request decode(reader& r, int16_t v);
    bool operator==(const produce_request&) const = default;
};

struct produce_response {
    struct record_error {
        int32_t batch_index = 0;
        std::optional<std::string> batch_index_error_message{};
        bool operator==(const record_error&) const = default;
    };
    struct partition {
        int32_t index = 0;
        int16_t error_code = 0;
        int64_t base_offset = -1;
        int64_t log_append_time_ms = -1;                      // v2+
        int64_t log_start_offset = -1;                        // v5+
        std::vector<record_error> record_errors{};            // v8+
        std::optional<std::string> error_message{};           // v8+
        std::optional<leader_id_and_epoch> current_leader{};  // v10+ tagged
        bool operator==(const partition&) const = default;
    };
    struct topic {
        std::string name{};
        std::vector<partition> partition_responses{};
        bool operator==(const topic&) const = default;
    };
    std::vector<topic> responses{};
    int32_t throttle_time_ms = 0;                 // v1+
    std::vector<node_endpoint> node_endpoints{};  // v10+ tagged

    void encode(writer& w, int16_t v) const;
    static produce_response decode(reader& r, int16_t v);
    bool operator==(const produce_response&) const = default;
};

}  // namespace kb::kafka::protocol
