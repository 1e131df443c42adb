#pragma once
// A Kafka cluster as the config describes it: `source:` for backup, `target:`
// for restore (OSO kafka-backup schema, plus a few TLS keys of our own).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::config {

enum class security_protocol { plaintext, ssl, sasl_plaintext, sasl_ssl };
enum class sasl_mechanism { plain, scram_sha_256, scram_sha_512, gssapi };

struct security_config {
    security_protocol protocol = security_protocol::plaintext;  // key: security_protocol
    std::optional<sasl_mechanism> mechanism;                    // key: sasl_mechanism
    std::optional<std::string> sasl_username;
    std::optional<std::string> sasl_password;
    std::optional<std::string> ssl_ca_location;           // PEM CA bundle
    std::optional<std::string> ssl_certificate_location;  // PEM client certificate (mTLS)
    std::optional<std::string> ssl_key_location;          // PEM client key (mTLS)
    std::optional<std::string> ssl_key_password;          // ours: encrypted PEM key
    std::optional<std::string> ssl_keystore_location;     // ours: PKCS#12 keystore
    std::optional<std::string> ssl_keystore_password;     // ours
    // ours: the passwords above read from files (kept out of the config and of
    // `ps`); resolve_secrets() (files.hpp) reads them and clears these.
    std::optional<std::string> sasl_password_file;
    std::optional<std::string> ssl_key_password_file;
    std::optional<std::string> ssl_keystore_password_file;
    // "https" verifies the broker's host name (the default, as in Kafka's Java
    // client); "" or "none" turns the check off.
    std::string ssl_endpoint_identification_algorithm = "https";
    // Kerberos (OSO accepts these; this build has no GSSAPI client).
    std::optional<std::string> sasl_kerberos_service_name;
    std::optional<std::string> sasl_keytab_path;
    std::optional<std::string> sasl_krb5_config_path;

    bool uses_tls() const noexcept {
        return protocol == security_protocol::ssl || protocol == security_protocol::sasl_ssl;
    }
    bool uses_sasl() const noexcept {
        return protocol == security_protocol::sasl_plaintext ||
               protocol == security_protocol::sasl_ssl;
    }
    bool verify_hostname() const noexcept {
        return !ssl_endpoint_identification_algorithm.empty() &&
               ssl_endpoint_identification_algorithm != "none";
    }
};

// include/exclude patterns: globs (`orders-*`, `?`, `[abc]`) or `~regex`.
struct topic_selection {
    std::vector<std::string> include;  // empty means every topic
    std::vector<std::string> exclude;
};

// TCP settings (OSO `connection:`), plus our own deadlines.
struct connection_config {
    bool tcp_keepalive = true;
    std::uint64_t keepalive_time_secs = 60;
    std::uint64_t keepalive_interval_secs = 20;
    bool tcp_nodelay = true;
    std::uint32_t connections_per_broker = 4;
    std::uint64_t connect_timeout_ms = 10'000;  // ours
    std::uint64_t request_timeout_ms = 30'000;  // ours
};

struct kafka_cluster {
    std::vector<std::string> bootstrap_servers;  // host:port
    security_config security;
    topic_selection topics;
    connection_config connection;
    // target.topics.mapping (OSO's docs): source topic -> target topic; merged
    // into restore.topic_mapping when the config is read.
    std::map<std::string, std::string> topic_mapping;
};

const char* to_string(security_protocol p) noexcept;
const char* to_string(sasl_mechanism m) noexcept;

}  // namespace kb::config
