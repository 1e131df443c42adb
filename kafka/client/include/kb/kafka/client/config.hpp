#pragma once
// client_config: everything needed to reach one Kafka cluster.
//
// Names follow the Java client / librdkafka settings (security.protocol,
// sasl.mechanism, ssl.*) so operators can carry their existing configs over.
// validate() checks the combination up front and names the bad setting.

#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/retry.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::kafka::client {

enum class security_protocol { plaintext, ssl, sasl_plaintext, sasl_ssl };
enum class sasl_mechanism { plain, scram_sha_256, scram_sha_512 };

// Parse the Java spellings ("SASL_SSL", "SCRAM-SHA-512"); throw kb::error(fatal) naming the text.
security_protocol parse_security_protocol(std::string_view text);
sasl_mechanism parse_sasl_mechanism(std::string_view text);
std::string_view to_string(security_protocol p) noexcept;
std::string_view to_string(sasl_mechanism m) noexcept;

inline bool uses_tls(security_protocol p) noexcept {
    return p == security_protocol::ssl || p == security_protocol::sasl_ssl;
}
inline bool uses_sasl(security_protocol p) noexcept {
    return p == security_protocol::sasl_plaintext || p == security_protocol::sasl_ssl;
}

struct tls_config {
    std::string ca_file;            // PEM bundle of trusted CAs; empty = system default paths
    std::string cert_file;          // PEM client certificate (mutual TLS)
    std::string key_file;           // PEM private key for cert_file
    std::string key_password;       // for an encrypted key_file
    std::string keystore_file;      // PKCS#12 keystore (certificate + key), instead of PEM files
    std::string keystore_password;  // password of keystore_file
    bool verify_hostname = true;    // off only when explicitly asked for
};

struct security_config {
    security_protocol protocol = security_protocol::plaintext;
    sasl_mechanism mechanism = sasl_mechanism::plain;
    std::string username;
    std::string password;
    tls_config tls;
};

struct client_config {
    std::vector<std::string> bootstrap_servers;  // "host:port" each
    std::string client_id = "kafka-backup";
    security_config security;
    int connections_per_broker = 1;
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds request_timeout{30'000};
    // A response larger than this is refused (the connection is closed) instead of allocated.
    std::size_t max_response_bytes = 256u << 20;
    // Retries of metadata-dependent operations (leader moves, connection loss).
    runtime::retry_policy retry{};
    // Before the cluster has answered once, an unreachable broker is more likely a
    // wrong address than a restart, so the first contact gives up within 8 attempts /
    // 15 s. true: it gets the whole `retry` policy instead (a continuous backup
    // started while the cluster is down waits for it, up to the retry deadline).
    bool patient_first_contact = false;
    // When set, every response buffer is paid for from this budget until its last slice drops.
    std::shared_ptr<runtime::byte_budget> memory_budget;

    // Throws kb::error(fatal, "INVALID_CONFIG", ...) naming the setting at fault.
    void validate() const;
};

struct broker_address {
    std::string host;
    std::uint16_t port = 0;
    std::string to_string() const;
};

// "a:1,b:2" -> {"a:1", "b:2"} (spaces trimmed, empty entries dropped), for settings
// that hold a comma-separated list such as KAFKA_BOOTSTRAP_SERVERS.
std::vector<std::string> split_servers(std::string_view list);

// "host:port", "[v6addr]:port"; throws kb::error(fatal, "INVALID_CONFIG") naming the text.
broker_address parse_broker_address(std::string_view text);

}  // namespace kb::kafka::client
