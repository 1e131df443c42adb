// The storage section becomes the storage module's location (engine/connect).
#include "helpers.hpp"

#include <kb/config/error.hpp>
#include <kb/config/storage_url.hpp>
#include <kb/connect/storage.hpp>

#include <boost/test/unit_test.hpp>

#include <map>

using kb::connect::to_location;
namespace kc = kb::config;

namespace {
kc::env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars](const std::string& n) -> std::optional<std::string> {
        auto it = vars.find(n);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}
}  // namespace

BOOST_AUTO_TEST_SUITE(location)

BOOST_AUTO_TEST_CASE(s3_section) {
    kc::storage_config s =
        kc::parse_storage_url("s3://bk/a/b/?endpoint=http://127.0.0.1:9000&path_style=true");
    s.access_key = "AK";
    s.secret_key = "SK";
    s.ssl_ca_location = "/ca.pem";
    auto loc = to_location(s, env_of({{"AWS_REGION", "eu-central-1"}}));
    BOOST_TEST((loc.kind == kb::storage::location::kind::s3));
    BOOST_TEST(loc.bucket == "bk");
    BOOST_TEST(loc.prefix == "a/b");
    BOOST_TEST(loc.endpoint == "http://127.0.0.1:9000");
    BOOST_TEST(loc.region == "eu-central-1");  // from the environment
    BOOST_TEST(loc.path_style);
    BOOST_TEST(loc.allow_http);
    BOOST_TEST(loc.access_key == "AK");
    BOOST_TEST(loc.secret_key == "SK");
    BOOST_TEST(loc.ca_file == "/ca.pem");
    s.region = "us-west-2";
    BOOST_TEST(to_location(s, env_of({{"AWS_REGION", "eu-central-1"}})).region == "us-west-2");
    s.region.clear();
    BOOST_TEST(to_location(s, env_of({})).region == "us-east-1");
}

BOOST_AUTO_TEST_CASE(filesystem_section) {
    kc::storage_config s;
    s.backend = kc::storage_backend::filesystem;
    s.path = "/var/backups";
    BOOST_TEST(to_location(s).path == "/var/backups");
    s.prefix = "/prod/";
    BOOST_TEST(to_location(s).path == "/var/backups/prod");
    BOOST_TEST((to_location(s).kind == kb::storage::location::kind::filesystem));
}

BOOST_AUTO_TEST_CASE(unsupported_backend) {
    kc::storage_config s;
    s.backend = kc::storage_backend::memory;
    BOOST_CHECK_THROW(to_location(s), kb::config::config_error);
}

BOOST_AUTO_TEST_CASE(gcs_section) {
    kc::storage_config s;
    s.backend = kc::storage_backend::gcs;
    s.bucket = "bkt";
    s.prefix = "/prod/";
    s.gcs.service_account_path = "/keys/sa.json";
    auto loc = to_location(s);
    BOOST_TEST((loc.kind == kb::storage::location::kind::gcs));
    BOOST_TEST(loc.bucket == "bkt");
    BOOST_TEST(loc.prefix == "prod");
    BOOST_TEST(loc.credentials_file == "/keys/sa.json");
    BOOST_TEST(loc.endpoint.empty());  // storage/gcs decides: emulator or Google
}

BOOST_AUTO_TEST_SUITE_END()
