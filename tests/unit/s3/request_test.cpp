// Request building without sockets: endpoints, path-style and virtual-hosted
// addressing, encoded keys and query targets, and config validation.
#include <kb/runtime/error.hpp>
#include <kb/storage/s3/request.hpp>
#include <kb/storage/s3/s3_backend.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

using namespace kb::storage::s3;

namespace {

bool fatal_mentioning(const kb::error& e, std::string_view text) {
    return e.cls() == kb::error_class::fatal &&
           std::string_view(e.what()).find(text) != std::string_view::npos;
}

s3_config valid_config() {
    s3_config c;
    c.bucket = "backups";
    c.prefix = "prod/";
    c.endpoint = "http://127.0.0.1:9000";
    c.allow_http = true;
    c.access_key = "AKIDEXAMPLE";
    c.secret_key = "not-a-real-secret";
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_request_building)

BOOST_AUTO_TEST_CASE(endpoint_parsing) {
    auto e = parse_endpoint("http://127.0.0.1:9000");
    BOOST_TEST(!e.tls);
    BOOST_TEST(e.host == "127.0.0.1");
    BOOST_TEST(e.port == 9000);
    BOOST_TEST(e.authority() == "127.0.0.1:9000");
    auto s = parse_endpoint("https://minio.example.com/");
    BOOST_TEST(s.tls);
    BOOST_TEST(s.port == 443);
    BOOST_TEST(s.authority() == "minio.example.com");
    BOOST_TEST(s.url() == "https://minio.example.com");
    auto v6 = parse_endpoint("http://[::1]:9000");
    BOOST_TEST(v6.host == "::1");
    BOOST_TEST(v6.authority() == "[::1]:9000");
    BOOST_TEST(parse_endpoint("http://h:80").authority() == "h");
    BOOST_TEST(default_endpoint("eu-west-1").url() == "https://s3.eu-west-1.amazonaws.com");
}

BOOST_AUTO_TEST_CASE(bad_endpoints_are_fatal_and_quoted) {
    for (const char* bad : {"127.0.0.1:9000", "ftp://h", "http://h:0", "http://h:99999",
                            "http://h:x", "http://h/path", "http://user@h", "http://"}) {
        BOOST_CHECK_EXCEPTION(parse_endpoint(bad), kb::error,
                              [&](const kb::error& e) { return fatal_mentioning(e, bad); });
    }
}

BOOST_AUTO_TEST_CASE(path_style_puts_the_bucket_in_the_path) {
    addressing a{parse_endpoint("http://127.0.0.1:9000"), "my-bucket", true};
    auto r = build_request(a, "GET", "backups/topic a/seg+1.kb", {{"partNumber", "3"}});
    BOOST_TEST(r.host == "127.0.0.1:9000");
    BOOST_TEST(r.path == "/my-bucket/backups/topic%20a/seg%2B1.kb");
    BOOST_TEST(r.target() == "/my-bucket/backups/topic%20a/seg%2B1.kb?partNumber=3");
    BOOST_REQUIRE(r.find_header("host") != nullptr);
    BOOST_TEST(*r.find_header("host") == "127.0.0.1:9000");
    auto bucket_level = build_request(a, "GET", "", {{"list-type", "2"}, {"prefix", "a b/"}});
    BOOST_TEST(bucket_level.target() == "/my-bucket?list-type=2&prefix=a%20b%2F");
}

BOOST_AUTO_TEST_CASE(virtual_hosted_puts_the_bucket_in_the_host) {
    addressing a{parse_endpoint("https://s3.eu-west-1.amazonaws.com"), "my-bucket", false};
    auto r = build_request(a, "PUT", "dir/key.json");
    BOOST_TEST(r.host == "my-bucket.s3.eu-west-1.amazonaws.com");
    BOOST_TEST(r.target() == "/dir/key.json");
    auto bucket_level = build_request(a, "POST", "", {{"delete", ""}});
    BOOST_TEST(bucket_level.target() == "/?delete=");
    addressing custom{parse_endpoint("https://minio.local:9443"), "b", false};
    BOOST_TEST(build_request(custom, "GET", "k").host == "b.minio.local:9443");
}

BOOST_AUTO_TEST_CASE(ip_literals_cannot_be_virtual_hosted) {
    BOOST_TEST(is_ip_or_localhost("127.0.0.1"));
    BOOST_TEST(is_ip_or_localhost("::1"));
    BOOST_TEST(is_ip_or_localhost("localhost"));
    BOOST_TEST(!is_ip_or_localhost("s3.amazonaws.com"));
}

BOOST_AUTO_TEST_CASE(join_key_normalises_slashes) {
    BOOST_TEST(join_key("", "a/b") == "a/b");
    BOOST_TEST(join_key("prod", "a") == "prod/a");
    BOOST_TEST(join_key("/prod/x/", "a") == "prod/x/a");
    BOOST_TEST(join_key("prod", "") == "prod/");
}

BOOST_AUTO_TEST_CASE(config_validation) {
    boost::asio::io_context io;
    auto ok = make_s3_backend(io.get_executor(), valid_config());
    BOOST_TEST(ok->describe() == "s3://backups/prod at http://127.0.0.1:9000");

    auto http = valid_config();
    http.allow_http = false;
    BOOST_CHECK_EXCEPTION(make_s3_backend(io.get_executor(), http), kb::error,
                          [](const kb::error& e) { return fatal_mentioning(e, "allow_http"); });
    auto no_bucket = valid_config();
    no_bucket.bucket.clear();
    BOOST_CHECK_EXCEPTION(make_s3_backend(io.get_executor(), no_bucket), kb::error,
                          [](const kb::error& e) { return fatal_mentioning(e, "storage.bucket"); });
    auto missing_ca = valid_config();
    missing_ca.endpoint = "https://127.0.0.1:9000";
    missing_ca.ca_file = "/nonexistent/ca.pem";
    BOOST_CHECK_EXCEPTION(
        make_s3_backend(io.get_executor(), missing_ca), kb::error,
        [](const kb::error& e) { return fatal_mentioning(e, "/nonexistent/ca.pem"); });
}

BOOST_AUTO_TEST_SUITE_END()
