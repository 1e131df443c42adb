// Mistakes in a config are reported with the key, its path, its line and advice.
#include "helpers.hpp"

#include <boost/test/unit_test.hpp>

using namespace kb::config;

namespace {
bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(unknown_key_names_path_and_closest_key) {
    auto e = kbt::parse_error("mode: backup\nsource:\n  bootstrap_server: [a:9092]\n");
    BOOST_TEST((e.kind() == config_errc::unknown_key));
    BOOST_TEST(e.key() == "source.bootstrap_server");
    BOOST_TEST(e.hint() == "did you mean 'bootstrap_servers'?");
    BOOST_TEST(
        contains(e.what(),
                 "unknown key 'source.bootstrap_server' \u2014 did you mean 'bootstrap_servers'?"));
    BOOST_TEST(contains(e.message(), "test.yaml:3"));  // the line of the bad key
}

BOOST_AUTO_TEST_CASE(unknown_key_deep_in_a_section) {
    auto e = kbt::parse_error("source:\n  security:\n    sasl_pasword: x\n");
    BOOST_TEST(e.key() == "source.security.sasl_pasword");
    BOOST_TEST(e.hint() == "did you mean 'sasl_password'?");
    auto r = kbt::parse_error("restore:\n  time_window_stop: 5\n");
    BOOST_TEST(e.kind() == r.kind());
    BOOST_TEST(r.hint() == "did you mean 'time_window_start'?");
    auto s = kbt::parse_error("storage:\n  backend: s3\n  acces_key: k\n");
    BOOST_TEST(s.hint() == "did you mean 'access_key'?");
}

BOOST_AUTO_TEST_CASE(unknown_key_far_from_any_lists_the_valid_ones) {
    auto e = kbt::parse_error("mode: backup\nzzz_totally_else: 1\n");
    BOOST_TEST(e.key() == "zzz_totally_else");
    BOOST_TEST(contains(e.hint(), "valid keys at the top level:"));
    BOOST_TEST(contains(e.hint(), "backup_id"));
    BOOST_TEST(contains(e.hint(), "storage"));
}

BOOST_AUTO_TEST_CASE(duplicate_key_is_an_error) {
    auto e = kbt::parse_error("backup_id: a\nbackup_id: b\n");
    BOOST_TEST((e.kind() == config_errc::syntax));
    BOOST_TEST(contains(e.what(), "duplicate key 'backup_id'"));
}

BOOST_AUTO_TEST_CASE(wrong_type_names_key_and_expectation) {
    auto e = kbt::parse_error("backup:\n  segment_max_bytes: lots\n");
    BOOST_TEST((e.kind() == config_errc::wrong_type));
    BOOST_TEST(e.key() == "backup.segment_max_bytes");
    BOOST_TEST(contains(e.what(), "expects a size in bytes"));
    BOOST_TEST(contains(e.what(), "got 'lots'"));

    auto b = kbt::parse_error("backup:\n  continuous: maybe\n");
    BOOST_TEST(b.key() == "backup.continuous");
    BOOST_TEST(contains(b.what(), "expects true or false"));

    auto l = kbt::parse_error("source:\n  bootstrap_servers: {a: 1}\n");
    BOOST_TEST(l.key() == "source.bootstrap_servers");
    BOOST_TEST(contains(l.what(), "got a mapping"));

    auto s = kbt::parse_error("source: localhost:9092\n");
    BOOST_TEST(s.key() == "source");
    BOOST_TEST(contains(s.what(), "expects a mapping of keys"));

    auto n = kbt::parse_error("restore:\n  produce_batch_size: 12.5\n");
    BOOST_TEST(contains(n.what(), "expects a whole number"));
}

BOOST_AUTO_TEST_CASE(out_of_range_and_bad_enum) {
    auto p = kbt::parse_error("metrics:\n  port: 70000\n");
    BOOST_TEST((p.kind() == config_errc::invalid_value));
    BOOST_TEST(p.key() == "metrics.port");
    BOOST_TEST(contains(p.what(), "outside 0..65535"));

    auto c = kbt::parse_error("backup:\n  compression: zstdd\n");
    BOOST_TEST(c.key() == "backup.compression");
    BOOST_TEST(contains(c.what(), "expects one of zstd, lz4, gzip, snappy, none"));
    BOOST_TEST(c.hint() == "did you mean 'zstd'?");

    auto m = kbt::parse_error("source:\n  security:\n    sasl_mechanism: SCRAM-SHA-1024\n");
    BOOST_TEST(contains(m.what(), "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI"));
}

BOOST_AUTO_TEST_CASE(invalid_yaml_reports_position) {
    auto e = kbt::parse_error("source:\n  topics: [a, b\n");
    BOOST_TEST((e.kind() == config_errc::syntax));
    BOOST_TEST(contains(e.what(), "test.yaml:"));
    BOOST_TEST(contains(e.what(), "not valid YAML"));
}

BOOST_AUTO_TEST_CASE(empty_and_non_mapping_documents) {
    BOOST_TEST(contains(kbt::parse_error("").what(), "the config is empty"));
    BOOST_TEST(contains(kbt::parse_error("- a\n- b\n").what(), "must be a mapping"));
}

BOOST_AUTO_TEST_CASE(storage_without_backend_is_a_missing_key) {
    auto e = kbt::parse_error("storage:\n  path: /tmp/x\n");
    BOOST_TEST((e.kind() == config_errc::missing_key));
    BOOST_TEST(e.key() == "storage.backend");
}

BOOST_AUTO_TEST_CASE(missing_file) {
    auto e = kbt::error_of([] { load_file("/nonexistent/kb-config.yaml", kbt::no_env()); });
    BOOST_TEST((e.kind() == config_errc::io));
    BOOST_TEST(contains(e.what(), "/nonexistent/kb-config.yaml"));
}

BOOST_AUTO_TEST_SUITE_END()
