#include "enums.hpp"
#include "parse.hpp"

namespace kb::config::detail {
namespace {

security_config parse_security(reader& r) {
    security_config s;
    r.get_enum("security_protocol", s.protocol, protocol_names);
    sasl_mechanism m{};
    bool had_mechanism = r.take("sasl_mechanism").has_value();
    if (had_mechanism) {
        r.get_enum("sasl_mechanism", m, mechanism_names);
        s.mechanism = m;
    }
    r.get("sasl_username", s.sasl_username);
    r.get("sasl_password", s.sasl_password);
    r.get("ssl_ca_location", s.ssl_ca_location);
    r.get("ssl_certificate_location", s.ssl_certificate_location);
    r.get("ssl_key_location", s.ssl_key_location);
    r.get("ssl_key_password", s.ssl_key_password);
    r.get("ssl_keystore_location", s.ssl_keystore_location);
    r.get("ssl_keystore_password", s.ssl_keystore_password);
    r.get("sasl_password_file", s.sasl_password_file);
    r.get("ssl_key_password_file", s.ssl_key_password_file);
    r.get("ssl_keystore_password_file", s.ssl_keystore_password_file);
    if (auto n = r.take("ssl_endpoint_identification_algorithm"))
        s.ssl_endpoint_identification_algorithm =
            r.text(*n, r.key_path("ssl_endpoint_identification_algorithm"));
    r.get("sasl_kerberos_service_name", s.sasl_kerberos_service_name);
    r.get("sasl_keytab_path", s.sasl_keytab_path);
    r.get("sasl_krb5_config_path", s.sasl_krb5_config_path);
    r.finish();
    return s;
}

connection_config parse_connection(reader& r) {
    connection_config c;
    r.get("tcp_keepalive", c.tcp_keepalive);
    r.get_int("keepalive_time_secs", c.keepalive_time_secs);
    r.get_int("keepalive_interval_secs", c.keepalive_interval_secs);
    r.get("tcp_nodelay", c.tcp_nodelay);
    r.get_int("connections_per_broker", c.connections_per_broker);
    r.get_int("connect_timeout_ms", c.connect_timeout_ms);
    r.get_int("request_timeout_ms", c.request_timeout_ms);
    r.finish();
    return c;
}

}  // namespace

kafka_cluster parse_cluster(reader& r) {
    kafka_cluster c;
    r.get("bootstrap_servers", c.bootstrap_servers);
    if (auto s = r.section("security")) c.security = parse_security(*s);
    if (auto t = r.section("topics")) {
        t->get("include", c.topics.include);
        t->get("exclude", c.topics.exclude);
        // OSO's docs put a restore's topic renames here too (`mapping`, also
        // spelt `rename`); they join restore.topic_mapping (see parse_config).
        t->alias("rename", "mapping");
        if (auto n = t->take("mapping"))
            for (const auto& e : t->entries(*n, t->key_path("mapping")))
                c.topic_mapping[e.name] = t->text(e.value, t->key_path("mapping") + "." + e.name);
        t->finish();
    }
    if (auto id = r.raw_text("consumer_group_id"))
        r.note(r.key_path("consumer_group_id") + " '" + id->substr(0, 100) +
               "' is not used: kafka-backup reads partitions directly and commits no offsets "
               "for its own reads");
    if (auto s = r.section("connection")) c.connection = parse_connection(*s);
    r.finish();
    return c;
}

}  // namespace kb::config::detail
