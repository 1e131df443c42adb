// ${VAR} and ${VAR:-default} expansion, in values only, from an injectable environment.
#include "helpers.hpp"

#include <kb/config/env.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace kb::config;

BOOST_AUTO_TEST_SUITE(env)

BOOST_AUTO_TEST_CASE(set_unset_and_default) {
    auto env = kbt::env_of({{"HOST", "kafka-1"}, {"EMPTY", ""}});
    BOOST_TEST(expand_env("${HOST}:9092", env, "k", "f") == "kafka-1:9092");
    BOOST_TEST(expand_env("${PORT:-9092}", env, "k", "f") == "9092");
    BOOST_TEST(expand_env("${HOST:-other}", env, "k", "f") == "kafka-1");  // set wins
    BOOST_TEST(expand_env("[${EMPTY}]", env, "k", "f") == "[]");           // set but empty
    BOOST_TEST(expand_env("${NOPE:-}", env, "k", "f") == "");
    BOOST_TEST(expand_env("a ${HOST} b ${HOST}", env, "k", "f") == "a kafka-1 b kafka-1");
    BOOST_TEST(expand_env("price $5 and $${HOST}", env, "k", "f") == "price $5 and ${HOST}");
}

BOOST_AUTO_TEST_CASE(missing_variable_names_it_and_the_key) {
    auto e = kbt::parse_error("storage:\n  backend: s3\n  secret_key: ${S3_SECRET}\n");
    BOOST_TEST((e.kind() == config_errc::environment));
    BOOST_TEST(e.key() == "storage.secret_key");
    std::string what = e.what();
    BOOST_TEST(what.find("environment variable 'S3_SECRET' is not set") != std::string::npos);
    BOOST_TEST(what.find("test.yaml:3") != std::string::npos);
    BOOST_TEST(e.hint().find("${S3_SECRET:-default}") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unterminated_reference) {
    auto e = kbt::parse_error("backup_id: ${OOPS\n");
    BOOST_TEST(std::string(e.what()).find("unterminated") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(comments_are_not_expanded) {
    // OSO expands the whole file text, so a commented-out ${VAR} would matter;
    // here only values are expanded.
    config c =
        parse_yaml("# account_key: ${NOT_SET_ANYWHERE}\nbackup_id: b\n", "t.yaml", kbt::no_env());
    BOOST_TEST(c.backup_id == "b");
}

BOOST_AUTO_TEST_CASE(expansion_feeds_typed_values) {
    auto env = kbt::env_of({{"SEG", "32MiB"}, {"CONT", "true"}, {"PORT", "9100"}});
    config c = parse_yaml(
        "backup:\n  segment_max_bytes: ${SEG}\n  continuous: ${CONT}\nmetrics:\n  port: ${PORT}\n",
        "t.yaml", env);
    BOOST_TEST(c.backup.segment_max_bytes == 32u << 20);
    BOOST_TEST(c.backup.continuous);
    BOOST_TEST(c.metrics->port == 9100);
}

BOOST_AUTO_TEST_CASE(process_environment_is_the_default) {
    ::setenv("KB_CONFIG_TEST_ID", "from-env", 1);
    config c = parse_yaml("backup_id: ${KB_CONFIG_TEST_ID}\n");
    BOOST_TEST(c.backup_id == "from-env");
    ::unsetenv("KB_CONFIG_TEST_ID");
    BOOST_CHECK_THROW(parse_yaml("backup_id: ${KB_CONFIG_TEST_ID}\n"), config_error);
    BOOST_TEST(parse_yaml("backup_id: ${KB_CONFIG_TEST_ID:-dflt}\n").backup_id == "dflt");
}

BOOST_AUTO_TEST_SUITE_END()
