// The --path URL form of the storage section.
#include "helpers.hpp"

#include <kb/config/storage_url.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::config;

BOOST_AUTO_TEST_SUITE(storage_url)

BOOST_AUTO_TEST_CASE(s3_with_query) {
    auto s = parse_storage_url(
        "s3://kafka-backups/prod/eu/"
        "?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=us-east-1&path_style=true");
    BOOST_TEST((s.backend == storage_backend::s3));
    BOOST_TEST(s.bucket == "kafka-backups");
    BOOST_TEST(s.prefix == "prod/eu");
    BOOST_TEST(s.endpoint == "http://127.0.0.1:9000");
    BOOST_TEST(s.region == "us-east-1");
    BOOST_TEST(s.path_style);
    BOOST_TEST(s.allow_http);  // implied by the http:// endpoint
    BOOST_TEST(to_url(s) ==
               "s3://kafka-backups/prod/eu?endpoint=http://"
               "127.0.0.1:9000&region=us-east-1&path_style=true");
    auto again = parse_storage_url(to_url(s));
    BOOST_TEST(again.endpoint == s.endpoint);
    BOOST_TEST(again.prefix == s.prefix);
}

BOOST_AUTO_TEST_CASE(s3_bucket_only) {
    auto s = parse_storage_url("s3://b");
    BOOST_TEST(s.bucket == "b");
    BOOST_TEST(s.prefix.empty());
    BOOST_TEST(!s.allow_http);
    BOOST_TEST(to_url(s) == "s3://b");
}

BOOST_AUTO_TEST_CASE(filesystem_forms) {
    BOOST_TEST(parse_storage_url("/var/backups").path == "/var/backups");
    BOOST_TEST(parse_storage_url("./rel").path == "./rel");
    auto f = parse_storage_url("file:///srv/kafka%20backups");
    BOOST_TEST((f.backend == storage_backend::filesystem));
    BOOST_TEST(f.path == "/srv/kafka backups");
}

BOOST_AUTO_TEST_CASE(gcs_urls) {
    for (const char* url : {"gs://bkt/a/b/", "gcs://bkt/a/b"}) {
        auto s = parse_storage_url(url);
        BOOST_TEST((s.backend == storage_backend::gcs));
        BOOST_TEST(s.bucket == "bkt");
        BOOST_TEST(s.prefix == "a/b");
    }
    auto emu = parse_storage_url("gs://bkt?endpoint=http://127.0.0.1:55000");
    BOOST_TEST(emu.endpoint == "http://127.0.0.1:55000");
    BOOST_CHECK_THROW(parse_storage_url("gs:///prefix"), config_error);
}

BOOST_AUTO_TEST_CASE(errors) {
    auto unknown = kbt::error_of([] { parse_storage_url("s3://b/p?regoin=x"); });
    BOOST_TEST(unknown.hint() == "did you mean 'region'?");
    auto scheme = kbt::error_of([] { parse_storage_url("ftp://bucket"); });
    BOOST_TEST(std::string(scheme.what()).find("'ftp' is not supported") != std::string::npos);
    BOOST_CHECK_THROW(parse_storage_url("s3:///prefix"), config_error);
    BOOST_CHECK_THROW(parse_storage_url("file://relative"), config_error);
    BOOST_CHECK_THROW(parse_storage_url("s3://b?path_style=perhaps"), config_error);
    BOOST_CHECK_THROW(parse_storage_url(""), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
