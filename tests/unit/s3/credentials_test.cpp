// Credential resolution order: explicit > environment > shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile AWS_PROFILE).
#include <kb/runtime/error.hpp>
#include <kb/storage/s3/s3_backend.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>

using namespace kb::storage::s3;
namespace fs = std::filesystem;

namespace {

// A temporary credentials file with two profiles, removed at the end of the test.
struct credentials_file {
    fs::path dir = fs::temp_directory_path() / ("kb-s3-creds-" + std::to_string(::getpid()));
    fs::path path = dir / "credentials";
    credentials_file() {
        fs::create_directories(dir);
        std::ofstream(path) << "# comment\n[default]\naws_access_key_id = FILEDEFAULTKEY\n"
                               "aws_secret_access_key=file-default-secret\n\n"
                               "[backup]\n  aws_access_key_id=FILEBACKUPKEY  \n"
                               "aws_secret_access_key = file-backup-secret\n"
                               "aws_session_token = file-token\n"
                               "[broken]\naws_access_key_id = ONLYID\n";
    }
    ~credentials_file() { fs::remove_all(dir); }
};

env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(s3_credentials)

BOOST_AUTO_TEST_CASE(explicit_config_wins) {
    credentials_file f;
    s3_config c;
    c.access_key = "EXPLICITKEY";
    c.secret_key = "explicit-secret";
    resolve_credentials(c, env_of({{"AWS_ACCESS_KEY_ID", "ENVKEY"},
                                   {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                   {"AWS_SHARED_CREDENTIALS_FILE", f.path.string()}}));
    BOOST_TEST(c.access_key == "EXPLICITKEY");
    BOOST_TEST(c.secret_key == "explicit-secret");
}

BOOST_AUTO_TEST_CASE(environment_beats_the_file) {
    credentials_file f;
    s3_config c;
    resolve_credentials(c, env_of({{"AWS_ACCESS_KEY_ID", "ENVKEY"},
                                   {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                   {"AWS_SESSION_TOKEN", "env-token"},
                                   {"AWS_SHARED_CREDENTIALS_FILE", f.path.string()}}));
    BOOST_TEST(c.access_key == "ENVKEY");
    BOOST_TEST(c.secret_key == "env-secret");
    BOOST_TEST(c.session_token == "env-token");
}

BOOST_AUTO_TEST_CASE(file_default_and_named_profile) {
    credentials_file f;
    s3_config d;
    resolve_credentials(d, env_of({{"AWS_SHARED_CREDENTIALS_FILE", f.path.string()},
                                   {"AWS_ACCESS_KEY_ID", "IDWITHOUTSECRET"}}));
    BOOST_TEST(d.access_key == "FILEDEFAULTKEY");
    BOOST_TEST(d.secret_key == "file-default-secret");
    BOOST_TEST(d.session_token.empty());

    s3_config b;
    resolve_credentials(
        b, env_of({{"AWS_SHARED_CREDENTIALS_FILE", f.path.string()}, {"AWS_PROFILE", "backup"}}));
    BOOST_TEST(b.access_key == "FILEBACKUPKEY");
    BOOST_TEST(b.secret_key == "file-backup-secret");
    BOOST_TEST(b.session_token == "file-token");
}

BOOST_AUTO_TEST_CASE(home_aws_credentials_is_the_default_file) {
    credentials_file f;
    fs::create_directories(f.dir / ".aws");
    fs::copy_file(f.path, f.dir / ".aws" / "credentials");
    s3_config c;
    resolve_credentials(c, env_of({{"HOME", f.dir.string()}}));
    BOOST_TEST(c.access_key == "FILEDEFAULTKEY");
}

BOOST_AUTO_TEST_CASE(nothing_found_is_an_auth_error_without_secrets) {
    credentials_file f;
    auto no_creds = [](const kb::error& e) {
        std::string_view m = e.what();
        return e.cls() == kb::error_class::auth && e.code() == "NoCredentials" &&
               m.find("AWS_ACCESS_KEY_ID") != m.npos && m.find("secret-") == m.npos;
    };
    s3_config c;
    BOOST_CHECK_EXCEPTION(
        resolve_credentials(c, env_of({{"AWS_SHARED_CREDENTIALS_FILE", f.path.string()},
                                       {"AWS_PROFILE", "missing"}})),
        kb::error, no_creds);
    BOOST_CHECK_EXCEPTION(
        resolve_credentials(c, env_of({{"AWS_SHARED_CREDENTIALS_FILE", f.path.string()},
                                       {"AWS_PROFILE", "broken"}})),
        kb::error, no_creds);
    s3_config half;
    half.access_key = "ONLYKEY";
    BOOST_CHECK_THROW(resolve_credentials(half, env_of({})), kb::error);
}

BOOST_AUTO_TEST_SUITE_END()

// An s3:// location without an endpoint takes AWS_ENDPOINT_URL, then AWS_ENDPOINT; an
// endpoint set in the config wins over both; http:// from the environment allows HTTP.
BOOST_AUTO_TEST_CASE(endpoint_from_the_environment_when_none_is_configured) {
    s3_config cfg;
    resolve_endpoint(cfg, env_of({{"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"},
                                  {"AWS_ENDPOINT", "http://other:9000"}}));
    BOOST_TEST(cfg.endpoint == "http://127.0.0.1:9000");
    BOOST_TEST(cfg.allow_http);
    s3_config only_old;
    resolve_endpoint(only_old, env_of({{"AWS_ENDPOINT", "https://minio.example:9000"}}));
    BOOST_TEST(only_old.endpoint == "https://minio.example:9000");
    BOOST_TEST(!only_old.allow_http);
    s3_config configured;
    configured.endpoint = "https://s3.example";
    resolve_endpoint(configured, env_of({{"AWS_ENDPOINT_URL", "http://127.0.0.1:9000"}}));
    BOOST_TEST(configured.endpoint == "https://s3.example");
    BOOST_TEST(!configured.allow_http);
    s3_config none;
    resolve_endpoint(none, env_of({}));
    BOOST_TEST(none.endpoint.empty());
}
