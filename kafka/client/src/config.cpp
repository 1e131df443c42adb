#include <kb/kafka/client/config.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kb::kafka::client {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw kb::error(error_class::fatal, "INVALID_CONFIG", message);
}

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

void validate_tls(const tls_config& tls) {
    if (tls.cert_file.empty() != tls.key_file.empty())
        invalid("security: ssl certificate and key must be given together (got only one of them)");
    if (!tls.keystore_file.empty() && !tls.cert_file.empty())
        invalid("security: give either a PKCS#12 keystore or a PEM certificate/key, not both");
}

void validate_sasl(const security_config& s) {
    if (s.username.empty())
        invalid(fmt::format("security: {} needs a SASL username", to_string(s.protocol)));
    if (s.password.empty())
        invalid(fmt::format("security: SASL user '{}' has no password", s.username));
}

}  // namespace

security_protocol parse_security_protocol(std::string_view text) {
    auto t = upper(text);
    if (t == "PLAINTEXT") return security_protocol::plaintext;
    if (t == "SSL") return security_protocol::ssl;
    if (t == "SASL_PLAINTEXT") return security_protocol::sasl_plaintext;
    if (t == "SASL_SSL") return security_protocol::sasl_ssl;
    invalid(
        fmt::format("unknown security protocol '{}' (expected PLAINTEXT, SSL, SASL_PLAINTEXT "
                    "or SASL_SSL)",
                    text));
}

sasl_mechanism parse_sasl_mechanism(std::string_view text) {
    auto t = upper(text);
    if (t == "PLAIN") return sasl_mechanism::plain;
    if (t == "SCRAM-SHA-256") return sasl_mechanism::scram_sha_256;
    if (t == "SCRAM-SHA-512") return sasl_mechanism::scram_sha_512;
    invalid(fmt::format(
        "unknown SASL mechanism '{}' (expected PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", text));
}

std::string_view to_string(security_protocol p) noexcept {
    switch (p) {
        case security_protocol::plaintext:
            return "PLAINTEXT";
        case security_protocol::ssl:
            return "SSL";
        case security_protocol::sasl_plaintext:
            return "SASL_PLAINTEXT";
        case security_protocol::sasl_ssl:
            return "SASL_SSL";
    }
    return "?";
}

std::string_view to_string(sasl_mechanism m) noexcept {
    switch (m) {
        case sasl_mechanism::plain:
            return "PLAIN";
        case sasl_mechanism::scram_sha_256:
            return "SCRAM-SHA-256";
        case sasl_mechanism::scram_sha_512:
            return "SCRAM-SHA-512";
    }
    return "?";
}

std::string broker_address::to_string() const {
    if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
    return fmt::format("{}:{}", host, port);
}

std::vector<std::string> split_servers(std::string_view list) {
    std::vector<std::string> out;
    while (!list.empty()) {
        auto comma = list.find(',');
        auto item = list.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return out;
}

broker_address parse_broker_address(std::string_view text) {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
        invalid(fmt::format("bootstrap server '{}' is not host:port", text));
    auto host = text.substr(0, colon);
    if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    auto port_text = text.substr(colon + 1);
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535)
        invalid(fmt::format("bootstrap server '{}' has an invalid port", text));
    return broker_address{std::string(host), static_cast<std::uint16_t>(port)};
}

void client_config::validate() const {
    if (bootstrap_servers.empty()) invalid("bootstrap_servers is empty");
    for (const auto& s : bootstrap_servers) parse_broker_address(s);
    if (connections_per_broker < 1 || connections_per_broker > 64)
        invalid(
            fmt::format("connections_per_broker must be 1..64 (got {})", connections_per_broker));
    if (request_timeout.count() <= 0) invalid("request_timeout must be positive");
    if (connect_timeout.count() <= 0) invalid("connect_timeout must be positive");
    if (max_response_bytes < 1024) invalid("max_response_bytes must be at least 1 KiB");
    if (uses_tls(security.protocol)) validate_tls(security.tls);
    if (uses_sasl(security.protocol)) validate_sasl(security);
}

}  // namespace kb::kafka::client
