#include <kb/connect/kafka.hpp>
#include <kb/runtime/error.hpp>

#include <algorithm>
#include <chrono>

namespace kb::connect {

namespace kc = kafka::client;
using config::sasl_mechanism;
using config::security_protocol;

namespace {

kc::security_protocol protocol_of(security_protocol p) {
    switch (p) {
        case security_protocol::ssl:
            return kc::security_protocol::ssl;
        case security_protocol::sasl_plaintext:
            return kc::security_protocol::sasl_plaintext;
        case security_protocol::sasl_ssl:
            return kc::security_protocol::sasl_ssl;
        default:
            return kc::security_protocol::plaintext;
    }
}

kc::sasl_mechanism mechanism_of(std::optional<sasl_mechanism> m) {
    if (!m || *m == sasl_mechanism::plain) return kc::sasl_mechanism::plain;
    if (*m == sasl_mechanism::scram_sha_256) return kc::sasl_mechanism::scram_sha_256;
    if (*m == sasl_mechanism::scram_sha_512) return kc::sasl_mechanism::scram_sha_512;
    throw kb::error(error_class::fatal, "INVALID_CONFIG",
                    "sasl_mechanism GSSAPI is not supported by this build; use PLAIN, "
                    "SCRAM-SHA-256 or SCRAM-SHA-512");
}

const char* client_id_of(client_role role) {
    switch (role) {
        case client_role::restore:
            return "kafka-backup-restore";
        case client_role::offsets:
            return "kafka-backup-offsets";
        default:
            return "kafka-backup";
    }
}

}  // namespace

kc::client_config client_config(const config::kafka_cluster& k, client_role role) {
    kc::client_config c;
    c.bootstrap_servers = k.bootstrap_servers;
    c.client_id = client_id_of(role);
    const auto& s = k.security;
    c.security.protocol = protocol_of(s.protocol);
    c.security.mechanism = mechanism_of(s.mechanism);
    c.security.username = s.sasl_username.value_or("");
    c.security.password = s.sasl_password.value_or("");
    c.security.tls.ca_file = s.ssl_ca_location.value_or("");
    c.security.tls.cert_file = s.ssl_certificate_location.value_or("");
    c.security.tls.key_file = s.ssl_key_location.value_or("");
    c.security.tls.key_password = s.ssl_key_password.value_or("");
    c.security.tls.keystore_file = s.ssl_keystore_location.value_or("");
    c.security.tls.keystore_password = s.ssl_keystore_password.value_or("");
    c.security.tls.verify_hostname = s.verify_hostname();
    // Restore and the group tools keep one ordered connection per broker; backup fetches
    // may spread over connection.connections_per_broker.
    c.connections_per_broker =
        role == client_role::backup
            ? static_cast<int>(std::max<std::uint32_t>(1, k.connection.connections_per_broker))
            : 1;
    c.connect_timeout = std::chrono::milliseconds(k.connection.connect_timeout_ms);
    c.request_timeout = std::chrono::milliseconds(k.connection.request_timeout_ms);
    c.validate();
    return c;
}

}  // namespace kb::connect
