// Connections against the real broker: version negotiation, pipelining, TLS, SASL.
#include "support.hpp"

#include <kb/kafka/client/admin.hpp>
#include <kb/kafka/client/connection.hpp>
#include <kb/kafka/protocol/api_versions.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <functional>
#include <string>

using namespace kbtest;
namespace proto = kb::kafka::protocol;
namespace asio = boost::asio;

namespace {

asio::awaitable<std::shared_ptr<kc::connection>> open(kc::client_config config) {
    auto address = kc::parse_broker_address(config.bootstrap_servers.front());
    auto conn = std::make_shared<const kc::connector>(std::move(config));
    co_return co_await kc::connection::open(conn, address);
}

// Sends `n` Metadata requests at once on one connection and returns their answers.
asio::awaitable<std::vector<proto::metadata_response>> pipelined(std::shared_ptr<kc::connection> c,
                                                                 int n) {
    std::vector<proto::metadata_response> out;
    auto ex = co_await asio::this_coro::executor;
    int max_in_flight = 0;
    std::vector<std::shared_ptr<std::optional<proto::metadata_response>>> slots;
    int remaining = n;
    asio::steady_timer all_done(ex, asio::steady_timer::time_point::max());
    for (int i = 0; i < n; ++i) {
        auto slot = std::make_shared<std::optional<proto::metadata_response>>();
        slots.push_back(slot);
        asio::co_spawn(
            ex, c->call<proto::metadata_response>(proto::metadata_request{}),
            [slot, &remaining, &all_done](std::exception_ptr e, proto::metadata_response r) {
                if (!e) slot->emplace(std::move(r));
                if (--remaining == 0) all_done.cancel();
            });
        max_in_flight = std::max<int>(max_in_flight, static_cast<int>(c->in_flight()));
    }
    max_in_flight = std::max<int>(max_in_flight, static_cast<int>(c->in_flight()));
    co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
    BOOST_TEST_MESSAGE("requests in flight at once: " << max_in_flight);
    BOOST_TEST(max_in_flight > 1);
    for (auto& s : slots) {
        BOOST_REQUIRE(s->has_value());
        out.push_back(std::move(**s));
    }
    co_return out;
}

kb::error expect_kb_error(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const kb::error& e) {
        return e;
    }
    BOOST_FAIL("expected a kb::error");
    throw std::logic_error("unreachable");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connection)

BOOST_AUTO_TEST_CASE(negotiates_versions_with_the_broker) {
    asio::io_context io;
    auto c = run(io, open(plaintext_config()));
    // Every API we speak is offered by Kafka 4.x in some version we implement.
    for (auto key : {proto::api_key::Fetch, proto::api_key::Produce, proto::api_key::Metadata,
                     proto::api_key::ListOffsets, proto::api_key::OffsetCommit}) {
        auto v = c->try_version_for(key);
        BOOST_REQUIRE_MESSAGE(v, "no common version for " << proto::api_name(key));
        auto broker = c->broker_range(key);
        BOOST_REQUIRE(broker);
        BOOST_TEST(broker->contains(*v));
        BOOST_TEST(proto::client_range(key).contains(*v));
        // The highest common version, not just any.
        BOOST_TEST(*v == std::min(broker->max, proto::client_range(key).max));
    }
    c->abort();
}

// What depends on the broker's version, checked against the broker we run on
// (KB_KAFKA_VERSION from scripts/env.sh; the compat core runs this on 2.8.2 and 4.4.0).
BOOST_AUTO_TEST_CASE(version_dependent_apis_follow_the_broker) {
    const char* env = std::getenv("KB_KAFKA_VERSION");
    const std::string version = env ? env : "";
    if (version.empty()) return;  // not started by scripts/env.sh: nothing recorded to check
    asio::io_context io;
    auto c = run(io, open(plaintext_config()));
    const auto api_versions = c->broker_range(proto::api_key::ApiVersions);
    BOOST_REQUIRE(api_versions);
    const auto kip848 = c->try_version_for(proto::api_key::ConsumerGroupDescribe);
    if (version.starts_with("2.")) {
        // Kafka 2.8 speaks ApiVersions 0..3: our v4 request was answered UNSUPPORTED_VERSION
        // and retried at v3 (the connection is open, so the retry worked).
        BOOST_TEST(api_versions->max == 3);
        BOOST_TEST(!kip848.has_value());  // no KIP-848 groups: DescribeGroups alone
    } else if (version.starts_with("4.")) {
        BOOST_TEST(api_versions->max >= 4);
        BOOST_TEST(kip848.has_value());  // KIP-848 groups are described with it
    }
    c->abort();
}

BOOST_AUTO_TEST_CASE(pipelines_requests_on_one_connection) {
    asio::io_context io;
    auto c = run(io, open(plaintext_config()));
    auto answers = run(io, pipelined(c, 32));
    BOOST_TEST(answers.size() == 32u);
    for (const auto& a : answers) {
        BOOST_TEST(!a.brokers.empty());
        BOOST_TEST(a.cluster_id.has_value());
        BOOST_TEST(*a.cluster_id == *answers.front().cluster_id);
    }
    run(io, c->close());
    BOOST_TEST(!c->is_usable());
}

BOOST_AUTO_TEST_CASE(unreachable_bootstrap_is_reported_clearly) {
    auto cfg = plaintext_config();
    cfg.bootstrap_servers = {"127.0.0.1:1"};
    cfg.retry.max_attempts = 2;
    cfg.retry.initial_backoff = std::chrono::milliseconds(10);
    auto e = expect_kb_error([&] { kafka k(cfg); });
    BOOST_TEST_MESSAGE(e.what());
    // An exhausted retry budget is permanent: nobody above retries it again.
    BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::fatal));
    BOOST_TEST(std::string(e.what()).find("cannot reach Kafka at 127.0.0.1:1") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(security)

BOOST_AUTO_TEST_CASE(tls_with_ca_file) {
    kafka k(ssl_config());
    auto listing = k(kc::list_topics(*k.cluster));
    BOOST_TEST(!listing.cluster_id.empty());
}

BOOST_AUTO_TEST_CASE(tls_with_client_certificate_pem_and_pkcs12) {
    auto pem = ssl_config();
    pem.security.tls.cert_file = env("KAFKA_CLIENT_CERT");
    pem.security.tls.key_file = env("KAFKA_CLIENT_KEY");
    kafka a(pem);
    BOOST_TEST(!a.cluster->metadata().cluster_id.empty());

    auto p12 = ssl_config();
    p12.security.tls.keystore_file = env("KAFKA_CLIENT_P12");
    p12.security.tls.keystore_password = env("KAFKA_CLIENT_P12_PASSWORD");
    kafka b(p12);
    BOOST_TEST(b.cluster->metadata().cluster_id == a.cluster->metadata().cluster_id);

    p12.security.tls.keystore_password = "wrong";
    auto e = expect_kb_error([&] { kafka c(p12); });
    BOOST_TEST(e.code() == "TLS_CONFIG");
    BOOST_TEST(std::string(e.what()).find(env("KAFKA_CLIENT_P12")) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(tls_hostname_verification_is_on_by_default) {
    // "127.1" reaches 127.0.0.1 but is not a name in the broker's certificate.
    auto cfg = ssl_config();
    auto port = kc::parse_broker_address(cfg.bootstrap_servers.front()).port;
    cfg.bootstrap_servers = {fmt::format("127.1:{}", port)};
    auto e = expect_kb_error([&] { kafka k(cfg); });
    BOOST_TEST_MESSAGE(e.what());
    BOOST_TEST(e.code() == "TLS_HANDSHAKE_FAILED");
    BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::fatal));

    cfg.security.tls.verify_hostname = false;  // the explicit opt-out
    kafka k(cfg);
    BOOST_TEST(!k.cluster->metadata().brokers.empty());
}

BOOST_AUTO_TEST_CASE(tls_rejects_an_untrusted_broker) {
    auto cfg = ssl_config();
    cfg.security.tls.ca_file = "/etc/ssl/certs/ca-certificates.crt";  // public CAs only
    auto e = expect_kb_error([&] { kafka k(cfg); });
    BOOST_TEST(e.code() == "TLS_HANDSHAKE_FAILED");
}

BOOST_AUTO_TEST_CASE(sasl_mechanisms_over_plaintext_and_tls) {
    for (auto m : {kc::sasl_mechanism::plain, kc::sasl_mechanism::scram_sha_256,
                   kc::sasl_mechanism::scram_sha_512}) {
        for (bool tls : {false, true}) {
            BOOST_TEST_CONTEXT(kc::to_string(m) << (tls ? " over TLS" : "")) {
                kafka k(sasl_config(m, tls));
                BOOST_TEST(!k.cluster->metadata().cluster_id.empty());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(wrong_password_is_an_auth_error) {
    for (auto m : {kc::sasl_mechanism::scram_sha_256, kc::sasl_mechanism::scram_sha_512,
                   kc::sasl_mechanism::plain}) {
        auto cfg = sasl_config(m);
        cfg.security.password = "not-the-password";
        auto e = expect_kb_error([&] { kafka k(cfg); });
        BOOST_TEST_MESSAGE(e.what());
        BOOST_TEST(static_cast<int>(e.cls()) == static_cast<int>(kb::error_class::auth));
        BOOST_TEST(e.code() == "SASL_AUTHENTICATION_FAILED");
        const std::string what = e.what();
        BOOST_TEST(what.find(env("KAFKA_SCRAM_USER")) != std::string::npos);
        BOOST_TEST(what.find(std::string(kc::to_string(m))) != std::string::npos);
        BOOST_TEST(what.find("not-the-password") == std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
