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

BOOST_AUTO_TEST_CASE(azure_our_form_with_account_parameter) {
    auto s = parse_storage_url(
        "az://backups/prod/"
        "eu?account=acct&endpoint=http%3A%2F%2F127.0.0.1%3A54000%2Fdevstoreaccount1");
    BOOST_TEST((s.backend == storage_backend::azure));
    BOOST_TEST(s.azure.account_name == "acct");
    BOOST_TEST(s.azure.container_name == "backups");
    BOOST_TEST(s.prefix == "prod/eu");
    BOOST_TEST(s.endpoint == "http://127.0.0.1:54000/devstoreaccount1");
    BOOST_TEST(s.allow_http);
    auto again = parse_storage_url(to_url(s));
    BOOST_TEST(again.azure.account_name == "acct");
    BOOST_TEST(again.azure.container_name == "backups");
    BOOST_TEST(again.prefix == "prod/eu");
}

BOOST_AUTO_TEST_CASE(azure_oso_form_names_the_account_first) {
    auto s = parse_storage_url("azure://acct.blob.core.windows.net/backups");
    BOOST_TEST(s.azure.account_name == "acct");
    BOOST_TEST(s.azure.container_name == "backups");
    BOOST_TEST(s.prefix.empty());
    auto t = parse_storage_url("az://acct/backups/p?use_emulator=true");
    BOOST_TEST(t.azure.account_name == "acct");
    BOOST_TEST(t.prefix == "p");
    BOOST_TEST(*t.azure.use_emulator);
}

BOOST_AUTO_TEST_CASE(azure_url_errors) {
    auto no_container = kbt::error_of([] { parse_storage_url("az://?account=a"); });
    BOOST_TEST(std::string(no_container.what()).find("names no blob container") !=
               std::string::npos);
    auto secret = kbt::error_of([] { parse_storage_url("az://c?account=a&account_key=SECRET"); });
    BOOST_TEST(std::string(secret.what()).find("SECRET") == std::string::npos);
    auto typo = kbt::error_of([] { parse_storage_url("az://c?acount=a"); });
    BOOST_TEST(typo.hint() == "did you mean 'account'?");
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
