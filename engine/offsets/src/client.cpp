#include <kb/offsets/client.hpp>
#include <kb/runtime/error.hpp>

namespace kb::offsets {
namespace kc = kb::kafka::client;

namespace {

kc::security_protocol protocol_of(config::security_protocol p) {
    switch (p) {
        case config::security_protocol::ssl:
            return kc::security_protocol::ssl;
        case config::security_protocol::sasl_plaintext:
            return kc::security_protocol::sasl_plaintext;
        case config::security_protocol::sasl_ssl:
            return kc::security_protocol::sasl_ssl;
        default:
            return kc::security_protocol::plaintext;
    }
}

kc::sasl_mechanism mechanism_of(config::sasl_mechanism m) {
    switch (m) {
        case config::sasl_mechanism::plain:
            return kc::sasl_mechanism::plain;
        case config::sasl_mechanism::scram_sha_256:
            return kc::sasl_mechanism::scram_sha_256;
        case config::sasl_mechanism::scram_sha_512:
            return kc::sasl_mechanism::scram_sha_512;
        default:
            throw kb::error(error_class::fatal, "INVALID_CONFIG",
                            "sasl_mechanism GSSAPI is not supported by this build");
    }
}

}  // namespace

kc::client_config to_client_config(const config::kafka_cluster& c) {
    kc::client_config out;
    out.bootstrap_servers = c.bootstrap_servers;
    out.client_id = "kafka-backup-offsets";
    const auto& s = c.security;
    out.security.protocol = protocol_of(s.protocol);
    if (s.mechanism) out.security.mechanism = mechanism_of(*s.mechanism);
    out.security.username = s.sasl_username.value_or("");
    out.security.password = s.sasl_password.value_or("");
    out.security.tls.ca_file = s.ssl_ca_location.value_or("");
    out.security.tls.cert_file = s.ssl_certificate_location.value_or("");
    out.security.tls.key_file = s.ssl_key_location.value_or("");
    out.security.tls.key_password = s.ssl_key_password.value_or("");
    out.security.tls.keystore_file = s.ssl_keystore_location.value_or("");
    out.security.tls.keystore_password = s.ssl_keystore_password.value_or("");
    out.security.tls.verify_hostname = s.verify_hostname();
    out.connections_per_broker = 1;
    out.connect_timeout = std::chrono::milliseconds(c.connection.connect_timeout_ms);
    out.request_timeout = std::chrono::milliseconds(c.connection.request_timeout_ms);
    out.validate();
    return out;
}

}  // namespace kb::offsets
