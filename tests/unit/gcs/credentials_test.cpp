// Where the backend's endpoint and credentials come from when the config is
// silent: the emulator variable first, then Google's application default
// credentials; nothing found is one auth error that says what to set.
#include <kb/runtime/error.hpp>
#include <kb/storage/gcs/gcs_backend.hpp>

#include <boost/test/unit_test.hpp>

#include <map>

using namespace kb::storage::gcs;

namespace {

env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gcs_credentials)

BOOST_AUTO_TEST_CASE(emulator_means_anonymous) {
    gcs_config c{.bucket = "b"};
    resolve_environment(c, env_of({{"STORAGE_EMULATOR_HOST", "127.0.0.1:55000"},
                                   {"GOOGLE_APPLICATION_CREDENTIALS", "/sa.json"}}));
    BOOST_TEST(c.endpoint == "http://127.0.0.1:55000");
    BOOST_TEST(c.anonymous);
    BOOST_TEST(c.credentials_file.empty());
}

BOOST_AUTO_TEST_CASE(config_endpoint_wins_over_the_emulator) {
    gcs_config c{.bucket = "b", .endpoint = "http://127.0.0.1:1", .credentials_file = "/k.json"};
    resolve_environment(c, env_of({{"STORAGE_EMULATOR_HOST", "127.0.0.1:55000"}}));
    BOOST_TEST(c.endpoint == "http://127.0.0.1:1");
    BOOST_TEST(!c.anonymous);
    BOOST_TEST(c.credentials_file == "/k.json");
}

BOOST_AUTO_TEST_CASE(application_default_credentials) {
    gcs_config c{.bucket = "b"};
    resolve_environment(c, env_of({{"GOOGLE_APPLICATION_CREDENTIALS", "/sa.json"}}));
    BOOST_TEST(c.credentials_file == "/sa.json");
    BOOST_TEST(c.endpoint.empty());  // Google itself
    BOOST_TEST(!c.anonymous);
}

BOOST_AUTO_TEST_CASE(nothing_found) {
    gcs_config c{.bucket = "b"};
    BOOST_CHECK_EXCEPTION(resolve_environment(c, env_of({{"HOME", "/nonexistent-kb"}})), kb::error,
                          [](const kb::error& e) {
                              return e.cls() == kb::error_class::auth &&
                                     e.code() == "NoCredentials" &&
                                     std::string(e.what()).find("GOOGLE_APPLICATION_CREDENTIALS") !=
                                         std::string::npos;
                          });
}

BOOST_AUTO_TEST_SUITE_END()
