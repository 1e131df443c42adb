// Failures against the real MinIO, classified and worded for the operator:
// wrong credentials, a missing bucket, MinIO going away in the middle of a
// multipart upload (through a proxy we stop and restart), a server that never
// answers, a corrupted body, an oversized response, and TLS verification.
#include "s3_env.hpp"
#include "tcp_proxy.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/s3/request.hpp>

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace kb::s3test;
using boost::asio::awaitable;
using kb::error_class;

namespace {

bool says(const kb::error& e, std::string_view text) {
    return std::string_view(e.what()).find(text) != std::string_view::npos;
}

// The shared MinIO's host and port, for the proxy to forward to.
kb::storage::s3::endpoint minio() {
    return kb::storage::s3::parse_endpoint(env().endpoint);
}

kb::storage::s3::s3_config through(const tcp_proxy& p) {
    auto c = minio_config();
    c.endpoint = p.url();
    return c;
}

// Brings the proxy back after `delay`, while the caller is retrying.
awaitable<void> restart_after(tcp_proxy& p, std::chrono::milliseconds delay) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, delay);
    co_await t.async_wait(boost::asio::use_awaitable);
    p.start();
}

std::string uploads_for(const std::string& key) {
    return aws(
        fmt::format("s3api list-multipart-uploads --bucket {} --prefix '{}/{}' --output json",
                    env().bucket, run_prefix(), key));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_failures)

BOOST_AUTO_TEST_CASE(wrong_secret_is_an_auth_error_that_says_so) {
    auto cfg = minio_config();
    cfg.secret_key = "definitely-not-the-secret";
    harness h(cfg);
    BOOST_CHECK_EXCEPTION(h.run(h.b().put("f/x", as_buffer(random_bytes(10, 1)))), kb::error,
                          [&](const kb::error& e) {
                              BOOST_TEST_MESSAGE("wrong secret: " << e.what());
                              return e.cls() == error_class::auth &&
                                     e.code() == "SignatureDoesNotMatch" &&
                                     says(e, "S3 rejected the credentials for access key " +
                                                 cfg.access_key.substr(0, 4) + "…") &&
                                     !says(e, cfg.access_key) && !says(e, cfg.secret_key);
                          });
}

BOOST_AUTO_TEST_CASE(unknown_access_key_is_an_auth_error) {
    auto cfg = minio_config();
    cfg.access_key = "AKIANOSUCHKEYEXAMPLE";
    harness h(cfg);
    BOOST_CHECK_EXCEPTION(
        h.run(h.b().list("", std::nullopt, 10)), kb::error, [](const kb::error& e) {
            BOOST_TEST_MESSAGE("unknown key: " << e.what());
            return e.cls() == error_class::auth && e.code() == "InvalidAccessKeyId" &&
                   says(e, "access key AKIA…") && !says(e, "AKIANOSUCHKEYEXAMPLE");
        });
    // HEAD has no error body: the 403 alone must still read as a credentials problem.
    BOOST_CHECK_EXCEPTION(h.run(h.b().head("f/x")), kb::error,
                          [](const kb::error& e) { return e.cls() == error_class::auth; });
}

BOOST_AUTO_TEST_CASE(missing_bucket_names_the_bucket) {
    auto cfg = minio_config();
    cfg.bucket = "kb-no-such-bucket-" + std::to_string(::getpid());
    harness h(cfg);
    BOOST_CHECK_EXCEPTION(h.run(h.b().put("f/x", as_buffer(random_bytes(10, 1)))), kb::error,
                          [&](const kb::error& e) {
                              BOOST_TEST_MESSAGE("missing bucket: " << e.what());
                              return e.cls() == error_class::not_found &&
                                     e.code() == "NoSuchBucket" &&
                                     says(e, fmt::format("bucket '{}' does not exist at {}",
                                                         cfg.bucket, env().endpoint));
                          });
}

BOOST_AUTO_TEST_CASE(minio_gone_mid_upload_retries_then_fails_clearly_and_abort_leaves_no_orphan) {
    tcp_proxy proxy(minio().host, minio().port);
    harness h(through(proxy));
    const std::string key = "failures/mid-upload.bin";
    auto id = h.run(h.b().create_multipart(key));
    auto p1 = h.run(h.b().upload_part(key, id, 1, as_buffer(random_bytes(5u << 20, 31))));
    BOOST_TEST(!p1.etag.empty());

    proxy.stop();  // resets the kept-alive connection, then refuses new ones
    auto t0 = std::chrono::steady_clock::now();
    BOOST_CHECK_EXCEPTION(
        h.run(h.b().upload_part(key, id, 2, as_buffer(random_bytes(5u << 20, 32)))), kb::error,
        [&](const kb::error& e) {
            BOOST_TEST_MESSAGE("MinIO gone: " << e.what());
            return e.cls() == error_class::fatal && says(e, "gave up after 4 attempts") &&
                   says(e, "UploadPart #2") && says(e, proxy.url()) && says(e, "refused");
        });
    BOOST_TEST((std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20)));

    // What a writer does on failure: abort. MinIO comes back while abort is retrying:
    // soon, since the three backoffs (full jitter, up to 50+100+200 ms) may add up to
    // little (at 120 ms they did in about one run in four, and the abort gave up).
    boost::asio::co_spawn(h.io(), restart_after(proxy, std::chrono::milliseconds(15)),
                          boost::asio::detached);
    h.run(h.b().abort_multipart(key, id));
    BOOST_TEST(uploads_for(key).find(id) == std::string::npos);
    BOOST_TEST(!h.run(h.b().head(key)).has_value());  // no partial object either
}

BOOST_AUTO_TEST_CASE(unreachable_endpoint_is_retried_then_reported) {
    auto cfg = minio_config();
    tcp_proxy closed(minio().host, minio().port);
    cfg.endpoint = closed.url();
    closed.stop();
    harness h(cfg);
    BOOST_CHECK_EXCEPTION(
        h.run(h.b().get("f/x", std::nullopt)), kb::error, [&](const kb::error& e) {
            return e.cls() == error_class::fatal && says(e, cfg.endpoint) && says(e, "refused");
        });
}

BOOST_AUTO_TEST_CASE(a_server_that_never_answers_hits_the_deadline) {
    tcp_proxy proxy(minio().host, minio().port);
    proxy.set_blackhole(true);
    auto cfg = through(proxy);
    cfg.request_timeout = std::chrono::milliseconds(300);
    cfg.retry.max_attempts = 2;
    harness h(cfg);
    auto t0 = std::chrono::steady_clock::now();
    BOOST_CHECK_EXCEPTION(h.run(h.b().get("f/x", std::nullopt)), kb::error, [](const kb::error& e) {
        BOOST_TEST_MESSAGE("deadline: " << e.what());
        return e.cls() == error_class::fatal && e.code() == "Timeout";
    });
    auto took = std::chrono::steady_clock::now() - t0;
    BOOST_TEST((took >= std::chrono::milliseconds(600)));
    BOOST_TEST((took < std::chrono::seconds(5)));
    BOOST_TEST(proxy.accepted() == 2);  // a timed-out connection is never reused
}

BOOST_AUTO_TEST_CASE(a_body_corrupted_in_transit_is_rejected_by_the_server_and_resent) {
    tcp_proxy proxy(minio().host, minio().port);
    harness h(through(proxy));
    auto data = random_bytes(1u << 20, 41);
    proxy.corrupt_next_connection_at(100 * 1024);  // inside the body, past the headers
    h.run(h.b().put("failures/corrupted.bin", as_buffer(data)));
    BOOST_TEST(proxy.accepted() == 2);  // the rejected attempt's connection was dropped
    auto file = temp_path("corrupted");
    aws(fmt::format("s3 cp 's3://{}/{}/failures/corrupted.bin' '{}' --only-show-errors",
                    env().bucket, run_prefix(), file));
    BOOST_TEST((read_file(file) == data));
    std::remove(file.c_str());
    h.run(h.b().remove("failures/corrupted.bin"));
}

BOOST_AUTO_TEST_CASE(a_response_above_the_limit_is_refused) {
    auto cfg = minio_config();
    cfg.max_response_bytes = 1u << 20;
    harness h(cfg);
    h.run(h.b().put("failures/big.bin", as_buffer(random_bytes(2u << 20, 51))));
    BOOST_CHECK_EXCEPTION(
        h.run(h.b().get("failures/big.bin", std::nullopt)), kb::error, [](const kb::error& e) {
            return e.cls() == error_class::fatal && e.code() == "ResponseTooLarge";
        });
    BOOST_TEST(h.run(h.b().get("failures/big.bin", kb::storage::byte_range{0, 1u << 20})).size() ==
               1u << 20);
    h.run(h.b().remove("failures/big.bin"));
}

BOOST_AUTO_TEST_CASE(tls_is_verified_by_default_and_a_custom_ca_file_works) {
    auto dir = temp_path("tls");
    auto cert = make_self_signed(dir);
    auto server =
        std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    server->use_certificate_chain_file(cert.cert_file);
    server->use_private_key_file(cert.key_file, boost::asio::ssl::context::pem);
    tcp_proxy proxy(minio().host, minio().port, server);

    auto cfg = through(proxy);
    cfg.allow_http = false;  // https needs no opt-in
    {
        harness untrusted(cfg);
        BOOST_CHECK_EXCEPTION(
            untrusted.run(untrusted.b().head("tls/x")), kb::error, [](const kb::error& e) {
                BOOST_TEST_MESSAGE("untrusted certificate: " << e.what());
                return e.cls() == error_class::fatal && e.code() == "TLSVerifyFailed" &&
                       says(e, "storage.ssl_ca_location");
            });
    }
    cfg.ca_file = cert.cert_file;
    harness trusted(cfg);
    auto data = random_bytes(300 * 1024, 61);
    trusted.run(trusted.b().put("tls/x", as_buffer(data)));  // UNSIGNED-PAYLOAD over https
    auto back = trusted.run(trusted.b().get("tls/x", std::nullopt));
    BOOST_TEST(std::equal(data.begin(), data.end(), back.data()));
    trusted.run(trusted.b().remove("tls/x"));

    auto insecure = through(proxy);
    insecure.verify_tls = false;
    harness unverified(insecure);
    BOOST_TEST(!unverified.run(unverified.b().head("tls/x")).has_value());
    std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
