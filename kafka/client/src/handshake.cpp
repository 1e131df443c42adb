// What a connection does before it is handed out: ApiVersions, then SASL.

#include <kb/kafka/client/connection.hpp>
#include <kb/kafka/client/scram.hpp>
#include <kb/kafka/protocol/api_versions.hpp>
#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/sasl.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>
#include <fmt/format.h>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

namespace {

proto::byte_vector to_bytes(std::string_view text) {
    auto b = runtime::as_bytes(text);
    return {b.begin(), b.end()};
}

std::string to_text(const proto::byte_vector& bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

scram_hash hash_for(sasl_mechanism m) {
    return m == sasl_mechanism::scram_sha_512 ? scram_hash::sha512 : scram_hash::sha256;
}

}  // namespace

asio::awaitable<void> connection::negotiate_versions() {
    // Ask with our newest ApiVersions; a broker that does not know it answers
    // UNSUPPORTED_VERSION in the v0 layout together with its own range, and we retry.
    std::int16_t v = proto::client_range(proto::api_key::ApiVersions).max;
    // Requests are named locals, never braced temporaries inside co_await: see README.md.
    const proto::api_versions_request req;
    auto resp = co_await call<proto::api_versions_response>(req, v);
    if (resp.error_code == proto::err::unsupported_version) {
        auto theirs = resp.find(proto::api_key::ApiVersions);
        v = theirs ? std::min(theirs->max, v) : std::int16_t{0};
        resp = co_await call<proto::api_versions_response>(req, v);
    }
    if (resp.error_code != 0)
        throw proto::make_error(resp.error_code,
                                fmt::format("ApiVersions from {}", describe_peer()));
    for (const auto& k : resp.api_keys) {
        auto index = static_cast<std::size_t>(k.api_key);
        if (k.api_key >= 0 && index < broker_ranges_.size())
            broker_ranges_[index] = proto::version_range{k.min_version, k.max_version};
    }
}

asio::awaitable<void> connection::authenticate() {
    const auto& sec = config().security;
    if (!uses_sasl(sec.protocol)) co_return;
    const auto mechanism = std::string(to_string(sec.mechanism));
    proto::sasl_handshake_request req;
    req.mechanism = mechanism;
    auto resp = co_await call<proto::sasl_handshake_response>(std::move(req));
    if (resp.error_code == proto::err::unsupported_sasl_mechanism)
        sasl_failed("UNSUPPORTED_SASL_MECHANISM",
                    fmt::format("the broker does not enable it (it offers: {})",
                                fmt::join(resp.mechanisms, ", ")),
                    kb::reason::unspecified);
    if (resp.error_code != 0)
        sasl_failed(proto::error_name(resp.error_code), "SaslHandshake refused",
                    proto::error_reason(resp.error_code));
    if (sec.mechanism == sasl_mechanism::plain)
        co_await authenticate_plain();
    else
        co_await authenticate_scram();
}

asio::awaitable<void> connection::authenticate_plain() {
    const auto& sec = config().security;
    std::string token;
    token.push_back('\0');  // no authorization id: act as the authenticated user
    token += sec.username;
    token.push_back('\0');
    token += sec.password;
    co_await sasl_round(std::move(token));
}

asio::awaitable<void> connection::authenticate_scram() {
    const auto& sec = config().security;
    scram_client scram(hash_for(sec.mechanism), sec.username, sec.password);
    auto server_first = co_await sasl_round(scram.client_first());
    auto server_final = co_await sasl_round(scram.client_final(server_first));
    try {
        scram.verify_server_final(server_final);
    } catch (const kb::error& e) {
        sasl_failed(e.code(), e.what(), e.why());
    }
}

asio::awaitable<std::string> connection::sasl_round(std::string token) {
    proto::sasl_authenticate_request req;
    req.auth_bytes = to_bytes(token);
    auto resp = co_await call<proto::sasl_authenticate_response>(std::move(req));
    if (resp.error_code != 0)
        sasl_failed(proto::error_name(resp.error_code),
                    resp.error_message.value_or("the broker gave no reason"),
                    proto::error_reason(resp.error_code));
    co_return to_text(resp.auth_bytes);
}

void connection::sasl_failed(std::string_view code, std::string_view detail, kb::reason why) const {
    const auto& sec = config().security;
    // A refused login is an auth error whatever code the broker chose; the message
    // names who and how, never the password.
    throw kb::error(error_class::auth, std::string(code),
                    fmt::format("SASL authentication failed for user '{}' with mechanism {} at "
                                "{}: {}",
                                sec.username, to_string(sec.mechanism), describe_peer(), detail),
                    why);
}

}  // namespace kb::kafka::client
