#pragma once
// SaslHandshake (key 17) and SaslAuthenticate (key 36). With SaslHandshake v1 the
// SASL tokens then travel inside SaslAuthenticate requests (v0 raw framing is not used).

#include <kb/kafka/protocol/api.hpp>
#include <kb/kafka/protocol/wire.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::protocol {

struct sasl_handshake_request {
    static constexpr api_key key = api_key::SaslHandshake;
    std::string mechanism{};  // "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"

    void encode(writer& w, int16_t v) const;
    static sasl_handshake_request decode(reader& r, int16_t v);
    bool operator==(const sasl_handshake_request&) const = default;
};

struct sasl_handshake_response {
    int16_t error_code = 0;
    std::vector<std::string> mechanisms{};  // what the broker enables

    void encode(writer& w, int16_t v) const;
    static sasl_handshake_response decode(reader& r, int16_t v);
    bool operator==(const sasl_handshake_response&) const = default;
};

struct sasl_authenticate_request {
    static constexpr api_key key = api_key::SaslAuthenticate;
    byte_vector auth_bytes{};

    void encode(writer& w, int16_t v) const;
    static sasl_authenticate_request decode(reader& r, int16_t v);
    bool operator==(const sasl_authenticate_request&) const = default;
};

struct sasl_authenticate_response {
    int16_t error_code = 0;
    std::optional<std::string> error_message{};
    byte_vector auth_bytes{};
    int64_t session_lifetime_ms = 0;  // v1+

    void encode(writer& w, int16_t v) const;
    static sasl_authenticate_response decode(reader& r, int16_t v);
    bool operator==(const sasl_authenticate_response&) const = default;
};

}  // namespace kb::kafka::protocol
