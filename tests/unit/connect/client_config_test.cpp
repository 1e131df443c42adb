// connect::client_config: one function for backup, restore and the group tools, where
// three wrappers each named the client and set its connections before.

#include <kb/connect/kafka.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

using kb::connect::client_config;
using kb::connect::client_role;
namespace kc = kb::config;
namespace kk = kb::kafka::client;

namespace {

kc::kafka_cluster sample_cluster() {
    kc::kafka_cluster c;
    c.bootstrap_servers = {"127.0.0.1:9092", "127.0.0.1:9093"};
    c.connection.connections_per_broker = 6;
    c.connection.connect_timeout_ms = 1500;
    c.connection.request_timeout_ms = 2500;
    c.security.protocol = kc::security_protocol::sasl_ssl;
    c.security.mechanism = kc::sasl_mechanism::scram_sha_512;
    c.security.sasl_username = "alice";
    c.security.sasl_password = "secret";
    c.security.ssl_ca_location = "/etc/ca.pem";
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_config_suite)

BOOST_AUTO_TEST_CASE(every_role_carries_the_section) {
    for (auto role : {client_role::backup, client_role::restore, client_role::offsets}) {
        const auto c = client_config(sample_cluster(), role);
        BOOST_TEST(c.bootstrap_servers == sample_cluster().bootstrap_servers,
                   boost::test_tools::per_element());
        BOOST_TEST((c.security.protocol == kk::security_protocol::sasl_ssl));
        BOOST_TEST((c.security.mechanism == kk::sasl_mechanism::scram_sha_512));
        BOOST_TEST(c.security.username == "alice");
        BOOST_TEST(c.security.password == "secret");
        BOOST_TEST(c.security.tls.ca_file == "/etc/ca.pem");
        BOOST_TEST(c.connect_timeout.count() == 1500);
        BOOST_TEST(c.request_timeout.count() == 2500);
    }
}

BOOST_AUTO_TEST_CASE(role_names_the_client_and_sets_its_connections) {
    const auto backup = client_config(sample_cluster(), client_role::backup);
    BOOST_TEST(backup.client_id == "kafka-backup");
    BOOST_TEST(backup.connections_per_broker == 6);
    const auto restore = client_config(sample_cluster(), client_role::restore);
    BOOST_TEST(restore.client_id == "kafka-backup-restore");
    BOOST_TEST(restore.connections_per_broker == 1);
    const auto offsets = client_config(sample_cluster(), client_role::offsets);
    BOOST_TEST(offsets.client_id == "kafka-backup-offsets");
    BOOST_TEST(offsets.connections_per_broker == 1);
}

BOOST_AUTO_TEST_CASE(zero_connections_per_broker_means_one) {
    auto k = sample_cluster();
    k.connection.connections_per_broker = 0;
    BOOST_TEST(client_config(k, client_role::backup).connections_per_broker == 1);
}

BOOST_AUTO_TEST_CASE(gssapi_is_refused_by_name) {
    auto k = sample_cluster();
    k.security.mechanism = kc::sasl_mechanism::gssapi;
    try {
        client_config(k, client_role::backup);
        BOOST_FAIL("GSSAPI was accepted");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "INVALID_CONFIG");
        BOOST_TEST(std::string(e.what()).find("GSSAPI") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
