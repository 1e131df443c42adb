// client_config validation: bad combinations are refused with a message naming them.
#include <kb/kafka/client/config.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::kafka::client;

namespace {

client_config valid() {
    client_config c;
    c.bootstrap_servers = {"127.0.0.1:9092"};
    return c;
}

// Runs validate() and returns the message it threw, or "" when it accepted.
std::string rejection(const client_config& c) {
    try {
        c.validate();
        return "";
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "INVALID_CONFIG");
        BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::fatal));
        return e.what();
    }
}

bool mentions(const std::string& text, const std::string& word) {
    return text.find(word) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(minimal_config_is_valid) {
    BOOST_TEST(rejection(valid()).empty());
}

BOOST_AUTO_TEST_CASE(bootstrap_servers_are_checked) {
    auto c = valid();
    c.bootstrap_servers.clear();
    BOOST_TEST(mentions(rejection(c), "bootstrap_servers"));
    c.bootstrap_servers = {"localhost"};
    BOOST_TEST(mentions(rejection(c), "'localhost'"));
    c.bootstrap_servers = {"localhost:99999"};
    BOOST_TEST(mentions(rejection(c), "port"));
    c.bootstrap_servers = {"localhost:9092", "[::1]:9093"};
    BOOST_TEST(rejection(c).empty());
}

BOOST_AUTO_TEST_CASE(broker_address_parsing) {
    auto a = parse_broker_address("[::1]:9093");
    BOOST_TEST(a.host == "::1");
    BOOST_TEST(a.port == 9093);
    BOOST_TEST(a.to_string() == "[::1]:9093");
    auto b = parse_broker_address("kafka-0.example:19092");
    BOOST_TEST(b.host == "kafka-0.example");
    BOOST_TEST(b.to_string() == "kafka-0.example:19092");
    BOOST_CHECK_THROW(parse_broker_address("host:"), kb::error);
    BOOST_CHECK_THROW(parse_broker_address("host:0"), kb::error);
    BOOST_CHECK_THROW(parse_broker_address("host:12ab"), kb::error);
}

BOOST_AUTO_TEST_CASE(server_lists_split_on_commas) {
    auto v = split_servers(" a:1, b:2,,c:3 ");
    BOOST_TEST(v.size() == 3u);
    BOOST_TEST(v[0] == "a:1");
    BOOST_TEST(v[1] == "b:2");
    BOOST_TEST(v[2] == "c:3");
    BOOST_TEST(split_servers("").empty());
}

BOOST_AUTO_TEST_CASE(sasl_needs_credentials) {
    auto c = valid();
    c.security.protocol = security_protocol::sasl_ssl;
    BOOST_TEST(mentions(rejection(c), "username"));
    c.security.username = "alice";
    BOOST_TEST(mentions(rejection(c), "alice"));
    c.security.password = "secret";
    BOOST_TEST(rejection(c).empty());
}

BOOST_AUTO_TEST_CASE(tls_files_come_in_pairs) {
    auto c = valid();
    c.security.protocol = security_protocol::ssl;
    c.security.tls.cert_file = "client.pem";
    BOOST_TEST(mentions(rejection(c), "certificate and key"));
    c.security.tls.key_file = "client.key";
    BOOST_TEST(rejection(c).empty());
    c.security.tls.keystore_file = "client.p12";
    BOOST_TEST(mentions(rejection(c), "keystore"));
}

BOOST_AUTO_TEST_CASE(limits_are_checked) {
    auto c = valid();
    c.connections_per_broker = 0;
    BOOST_TEST(mentions(rejection(c), "connections_per_broker"));
    c = valid();
    c.request_timeout = std::chrono::milliseconds(0);
    BOOST_TEST(mentions(rejection(c), "request_timeout"));
    c = valid();
    c.max_response_bytes = 10;
    BOOST_TEST(mentions(rejection(c), "max_response_bytes"));
}

BOOST_AUTO_TEST_CASE(java_spellings_parse) {
    BOOST_TEST(static_cast<int>(parse_security_protocol("sasl_ssl")) ==
               static_cast<int>(security_protocol::sasl_ssl));
    BOOST_TEST(static_cast<int>(parse_sasl_mechanism("SCRAM-SHA-512")) ==
               static_cast<int>(sasl_mechanism::scram_sha_512));
    BOOST_TEST(to_string(sasl_mechanism::scram_sha_256) == "SCRAM-SHA-256");
    BOOST_CHECK_THROW(parse_security_protocol("TLS"), kb::error);
    BOOST_CHECK_EXCEPTION(parse_sasl_mechanism("GSSAPI"), kb::error, [](const kb::error& e) {
        return std::string(e.what()).find("GSSAPI") != std::string::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()
