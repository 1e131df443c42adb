// Connection strings, account URLs and the order in which config and
// environment fill in the Azure settings; errors name what to set, never a secret.
#include <kb/runtime/error.hpp>
#include <kb/storage/azure/settings.hpp>

#include <boost/test/unit_test.hpp>

#include <map>

using namespace kb::storage::azure;

namespace {

env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

const std::string key = "a2V5LWJ5dGVz";  // base64 of "key-bytes"

azure_config container_only() {
    azure_config c;
    c.container = "backups";
    return c;
}

kb::error error_of(azure_config c, const env_lookup& env) {
    try {
        resolve_settings(c, env);
    } catch (const kb::error& e) {
        return e;
    }
    BOOST_FAIL("resolve_settings did not throw");
    throw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(azure_settings)

BOOST_AUTO_TEST_CASE(connection_string_with_account_key_and_suffix) {
    auto cs = parse_connection_string(
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + key +
        ";EndpointSuffix=core.chinacloudapi.cn");
    BOOST_TEST(cs.account == "acct");
    BOOST_TEST(cs.account_key == key);
    BOOST_TEST(cs.endpoint_suffix == "core.chinacloudapi.cn");
    auto c = container_only();
    resolve_settings(c, env_of({{"AZURE_STORAGE_CONNECTION_STRING",
                                 "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" +
                                     key + ";EndpointSuffix=core.chinacloudapi.cn"}}));
    BOOST_TEST(c.endpoint == "https://acct.blob.core.chinacloudapi.cn");
}

BOOST_AUTO_TEST_CASE(azurite_connection_string_with_blob_endpoint) {
    auto text =
        std::string("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=") +
        std::string(emulator_key) +
        ";BlobEndpoint=http://127.0.0.1:54000/devstoreaccount1;"
        "QueueEndpoint=http://127.0.0.1:54001/devstoreaccount1;";
    auto c = container_only();
    resolve_settings(c, env_of({{"AZURE_STORAGE_CONNECTION_STRING", text}}));
    BOOST_TEST(c.account == "devstoreaccount1");
    BOOST_TEST(c.account_key == std::string(emulator_key));
    BOOST_TEST(c.endpoint == "http://127.0.0.1:54000/devstoreaccount1");
    BOOST_TEST(c.allow_http);  // the connection string's own http endpoint
}

BOOST_AUTO_TEST_CASE(use_development_storage_means_azurite_defaults) {
    auto cs = parse_connection_string("UseDevelopmentStorage=true");
    BOOST_TEST(cs.development_storage);
    BOOST_TEST(cs.account == "devstoreaccount1");
    BOOST_TEST(cs.blob_endpoint == "http://127.0.0.1:10000/devstoreaccount1");
}

BOOST_AUTO_TEST_CASE(connection_string_values_may_hold_equals_and_keys_any_case) {
    auto cs = parse_connection_string("accountname=a;SharedAccessSignature=sv=2021&sig=x%3D");
    BOOST_TEST(cs.account == "a");
    BOOST_TEST(cs.sas_token == "sv=2021&sig=x%3D");
}

BOOST_AUTO_TEST_CASE(malformed_connection_string_names_no_value) {
    try {
        parse_connection_string("AccountName=a;secretgarbage");
        BOOST_FAIL("no throw");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "InvalidConnectionString");
        BOOST_TEST(std::string(e.what()).find("secretgarbage") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(config_wins_over_environment) {
    auto c = container_only();
    c.account = "mine";
    c.account_key = key;
    resolve_settings(
        c, env_of({{"AZURE_STORAGE_ACCOUNT", "other"}, {"AZURE_STORAGE_KEY", "b3RoZXI="}}));
    BOOST_TEST(c.account == "mine");
    BOOST_TEST(c.account_key == key);
    BOOST_TEST(c.endpoint == "https://mine.blob.core.windows.net");
}

BOOST_AUTO_TEST_CASE(account_and_key_from_environment) {
    auto c = container_only();
    resolve_settings(
        c, env_of({{"AZURE_STORAGE_ACCOUNT", "envacct"}, {"AZURE_STORAGE_ACCOUNT_KEY", key}}));
    BOOST_TEST(c.account == "envacct");
    BOOST_TEST(c.account_key == key);
}

BOOST_AUTO_TEST_CASE(another_accounts_connection_string_is_not_used) {
    auto c = container_only();
    c.account = "mine";
    auto e = error_of(
        c, env_of({{"AZURE_STORAGE_CONNECTION_STRING", "AccountName=other;AccountKey=" + key}}));
    BOOST_TEST(e.code() == "NoCredentials");
    BOOST_TEST((e.cls() == kb::error_class::auth));
}

BOOST_AUTO_TEST_CASE(emulator_defaults_and_account_path) {
    auto c = container_only();
    c.use_emulator = true;
    resolve_settings(c, env_of({{"AZURITE_BLOB_STORAGE_URL", "http://127.0.0.1:54000"}}));
    BOOST_TEST(c.account == "devstoreaccount1");
    BOOST_TEST(c.account_key == std::string(emulator_key));
    BOOST_TEST(c.endpoint == "http://127.0.0.1:54000/devstoreaccount1");
}

BOOST_AUTO_TEST_CASE(sas_token_accepted_with_or_without_question_mark) {
    BOOST_TEST(normalized_sas("?sv=2021-12-02&sig=abc%3D") == "sv=2021-12-02&sig=abc%3D");
    BOOST_TEST(normalized_sas("sv=1&sig=2") == "sv=1&sig=2");
    BOOST_CHECK_THROW(normalized_sas("not a token"), kb::error);
    auto c = container_only();
    c.account = "a";
    c.sas_token = "?sv=1&sig=2";
    resolve_settings(c, env_of({}));  // no key needed
    BOOST_TEST(c.account_key.empty());
}

BOOST_AUTO_TEST_CASE(missing_pieces_say_what_to_set) {
    auto e = error_of(container_only(), env_of({}));
    BOOST_TEST(std::string(e.what()).find("storage.account_name") != std::string::npos);
    azure_config no_container;
    no_container.account = "a";
    no_container.account_key = key;
    e = error_of(no_container, env_of({}));
    BOOST_TEST(std::string(e.what()).find("storage.container_name") != std::string::npos);
    auto no_key = container_only();
    no_key.account = "a";
    e = error_of(no_key, env_of({}));
    BOOST_TEST(e.code() == "NoCredentials");
    BOOST_TEST(std::string(e.what()).find("AZURE_STORAGE_CONNECTION_STRING") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_key_is_refused_without_showing_it) {
    auto c = container_only();
    c.account = "a";
    c.account_key = "not*base64!";
    auto e = error_of(c, env_of({}));
    BOOST_TEST(e.code() == "InvalidConfig");
    BOOST_TEST(std::string(e.what()).find("not*base64!") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(plain_http_needs_allow_http) {
    auto c = container_only();
    c.account = "a";
    c.account_key = key;
    c.endpoint = "http://blob.example.com";
    auto e = error_of(c, env_of({}));
    BOOST_TEST(std::string(e.what()).find("allow_http") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(account_urls) {
    auto a = parse_account_url("http://127.0.0.1:10000/devstoreaccount1/");
    BOOST_TEST(!a.tls);
    BOOST_TEST(a.host == "127.0.0.1");
    BOOST_TEST(a.port == 10000);
    BOOST_TEST(a.path == "/devstoreaccount1");
    BOOST_TEST(a.url() == "http://127.0.0.1:10000/devstoreaccount1");
    auto b = parse_account_url("https://acct.blob.core.windows.net");
    BOOST_TEST(b.tls);
    BOOST_TEST(b.port == 443);
    BOOST_TEST(b.path.empty());
    BOOST_TEST(b.authority() == "acct.blob.core.windows.net");
    BOOST_CHECK_THROW(parse_account_url("ftp://x"), kb::error);
    BOOST_CHECK_THROW(parse_account_url("https://u:p@x"), kb::error);
    BOOST_CHECK_THROW(parse_account_url("http://x:99999"), kb::error);
}

BOOST_AUTO_TEST_SUITE_END()
