#pragma once
// InitProducerId (key 22): a producer id and epoch for idempotent produce.

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>

namespace kb::kafka::protocol {

struct init_producer_id_request {
    static constexpr api_key key = api_key::InitProducerId;
    std::optional<std::string> transactional_id{};  // null for plain idempotence
    int32_t transaction_timeout_ms = 60000;
    int64_t producer_id = -1;     // v3+: existing id to bump the epoch of
    int16_t producer_epoch = -1;  // v3+

    void encode(writer& w, int16_t v) const;
    static init_producer_id_request decode(reader& r, int16_t v);
    bool operator==(const init_producer_id_request&) const = default;
};

struct init_producer_id_response {
    int32_t throttle_time_ms = 0;
    int16_t error_code = 0;
    int64_t producer_id = -1;
    int16_t producer_epoch = -1;

    void encode(writer& w, int16_t v) const;
    static init_producer_id_response decode(reader& r, int16_t v);
    bool operator==(const init_producer_id_response&) const = default;
};

}  // namespace kb::kafka::protocol
