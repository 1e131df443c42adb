// Hostile input to the config layer: huge, endless or odd files, values that
// overflow, paths that lead outside the backup, credentials in URLs, and the
// secrets read from files or KAFKA_USERNAME/KAFKA_PASSWORD.
#include "helpers.hpp"

#include <kb/config/files.hpp>
#include <kb/config/storage_url.hpp>

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace kb::config;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
}

// A scratch directory removed at the end of the test.
struct scratch {
    fs::path dir;
    scratch() {
        dir = fs::temp_directory_path() / ("kb-config-bad-" + std::to_string(::getpid()));
        fs::create_directories(dir);
    }
    ~scratch() { fs::remove_all(dir); }
    std::string file(const std::string& name, const std::string& text, int mode = 0600) const {
        auto p = dir / name;
        std::ofstream(p, std::ios::binary) << text;
        fs::permissions(p, static_cast<fs::perms>(mode));
        return p.string();
    }
};

const char* minimal_backup = R"(
mode: backup
backup_id: b1
source:
  bootstrap_servers: [localhost:9092]
storage:
  backend: filesystem
  path: /tmp/kb
)";

config parse(const std::string& yaml) {
    return parse_yaml(yaml, "v.yaml", kbt::no_env());
}

config_error invalid_for(const config& c) {
    return kbt::error_of([&] { validate(c, mode::backup); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bad_input)

BOOST_AUTO_TEST_CASE(config_from_a_device_fifo_or_directory_is_refused) {
    scratch s;
    auto dev = kbt::error_of([] { load_file("/dev/zero", kbt::no_env()); });
    BOOST_TEST((dev.kind() == config_errc::io));
    BOOST_TEST(contains(dev.what(), "'/dev/zero' is not a regular file"));

    auto fifo = (s.dir / "fifo").string();
    BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto start = std::chrono::steady_clock::now();
    auto f = kbt::error_of([&] { load_file(fifo, kbt::no_env()); });  // must not block
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
    BOOST_TEST(contains(f.what(), "is not a regular file"));

    auto d = kbt::error_of([&] { load_file(s.dir.string(), kbt::no_env()); });
    BOOST_TEST(contains(d.what(), "is a directory, not a file"));
    BOOST_TEST(!contains(d.what(), "empty"));

    auto missing = kbt::error_of([&] { load_file((s.dir / "nope.yaml").string(), kbt::no_env()); });
    BOOST_TEST(contains(missing.what(), "No such file"));
}

BOOST_AUTO_TEST_CASE(config_larger_than_1_mib_is_refused) {
    scratch s;
    auto big = s.file("big.yaml", "# " + std::string(max_config_bytes, 'x') + "\n");
    auto e = kbt::error_of([&] { load_file(big, kbt::no_env()); });
    BOOST_TEST(contains(e.what(), "at most 1.0 MiB is read"));
    auto ok = s.file("ok.yaml", minimal_backup);
    BOOST_CHECK_NO_THROW(load_file(ok, kbt::no_env()));
}

BOOST_AUTO_TEST_CASE(huge_numbers_say_too_large) {
    auto e = kbt::parse_error("backup:\n  segment_max_bytes: 99999999999999999999999999\n");
    BOOST_TEST(e.key() == "backup.segment_max_bytes");
    BOOST_TEST(contains(e.what(), "too large"));
    BOOST_TEST(!contains(e.what(), "at least"));

    auto i = kbt::parse_error("restore:\n  produce_batch_size: 99999999999999999999999999\n");
    BOOST_TEST((i.kind() == config_errc::invalid_value));
    BOOST_TEST(contains(i.what(), "too large"));

    auto n = kbt::parse_error("restore:\n  produce_batch_size: -99999999999999999999999999\n");
    BOOST_TEST(contains(n.what(), "too small"));

    config c = parse(minimal_backup);
    c.backup.segment_max_bytes = 2ull << 40;
    BOOST_TEST(contains(invalid_for(c).what(), "too large"));
}

BOOST_AUTO_TEST_CASE(two_hundred_thousand_bootstrap_servers_are_refused_quickly) {
    std::string list;
    for (int i = 0; i < 200'000; ++i) list += "h" + std::to_string(i) + ":9092,";
    auto start = std::chrono::steady_clock::now();
    // Parsing succeeds (a list is a list); validation refuses it.
    config c = parse("mode: backup\nbackup_id: b\nsource:\n  bootstrap_servers: \"" + list +
                     "\"\nstorage:\n  backend: filesystem\n  path: /tmp/x\n");
    auto v = invalid_for(c);
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
    BOOST_TEST(v.key() == "source.bootstrap_servers");
    BOOST_TEST(contains(v.what(), "200000 bootstrap servers are too many"));

    c = parse(minimal_backup);
    c.source->bootstrap_servers = {std::string(5000, 'h') + ":9092"};
    auto l = invalid_for(c);
    BOOST_TEST(contains(l.what(), "(5005 bytes)"));
    BOOST_TEST(l.message().size() < 300u);
}

BOOST_AUTO_TEST_CASE(filesystem_prefix_cannot_leave_the_backup_path) {
    for (const char* prefix : {"../../x", "a/../../b", "..", "./a", "a\\..\\b"}) {
        config c = parse(minimal_backup);
        c.storage->prefix = prefix;
        auto e = invalid_for(c);
        BOOST_TEST(e.key() == "storage.prefix", prefix);
        BOOST_TEST(contains(e.what(), "outside the backup location"), prefix);
    }
    config c = parse(minimal_backup);
    c.storage->prefix = "prod/kafka..2024";  // dots inside a name are fine
    BOOST_CHECK_NO_THROW(validate(c, mode::backup));
    auto s3 = parse_storage_url("s3://bucket/a/../b");
    BOOST_TEST(kbt::error_of([&] { validate_storage(s3, "--path"); }).key() == "storage.prefix");
}

BOOST_AUTO_TEST_CASE(backup_ids_follow_the_storage_rule) {
    for (const char* id : {"a/b", "..", "a b", "caf\u00e9", "a:b", "x\ny"}) {
        config c = parse(minimal_backup);
        c.backup_id = id;
        auto e = invalid_for(c);
        BOOST_TEST(e.key() == "backup_id", id);
        BOOST_TEST(!contains(e.message(), "\n"), id);
    }
    config c = parse(minimal_backup);
    c.backup_id = std::string(10 << 20, 'i');  // a 10 MB id is not echoed whole
    auto e = invalid_for(c);
    BOOST_TEST(e.message().size() < 300u);
    BOOST_TEST(contains(e.message(), "(10485760 bytes)"));
    c.backup_id = std::string(128, 'i');
    BOOST_CHECK_NO_THROW(validate(c, mode::backup));
}

BOOST_AUTO_TEST_CASE(echoed_values_are_cut) {
    auto e = kbt::parse_error("backup:\n  compression: " + std::string(5000, 'z') + "\n");
    BOOST_TEST(e.message().size() < 400u);
    BOOST_TEST(contains(e.message(), "(5000 bytes)"));
    auto k = kbt::parse_error(std::string(5000, 'k') + ": 1\n");
    BOOST_TEST(k.message().size() < 300u);
}

BOOST_AUTO_TEST_CASE(credentials_in_urls_are_refused_unseen) {
    for (const char* url :
         {"s3://AKIAEXAMPLE:s3cr3tvalue@bucket/prefix", "s3://AKIAEXAMPLE:s3cr/3tvalue@bucket/p",
          "s3://bucket/p?endpoint=http://AKIAEXAMPLE:s3cr3tvalue@127.0.0.1:9000"}) {
        auto e = kbt::error_of([&] { parse_storage_url(url, "--path"); });
        BOOST_TEST(contains(e.what(), "credentials"), url);
        BOOST_TEST(!contains(e.what(), "s3cr"), url);
        BOOST_TEST(!contains(e.what(), "AKIAEXAMPLE"), url);
    }
    config c = parse(minimal_backup);
    c.storage = parse_storage_url("s3://bucket/p");
    c.storage->endpoint = "https://AKIAEXAMPLE:s3cr3tvalue@s3.example.com";
    auto e = invalid_for(c);
    BOOST_TEST(e.key() == "storage.endpoint");
    BOOST_TEST(!contains(e.what(), "s3cr3tvalue"));
}

BOOST_AUTO_TEST_CASE(password_files_are_read_without_the_newline) {
    scratch s;
    kafka_cluster k;
    k.security.protocol = security_protocol::sasl_plaintext;
    k.security.mechanism = sasl_mechanism::plain;
    k.security.sasl_username = "u";
    k.security.sasl_password_file = s.file("pw", "hunter2\n");
    k.security.ssl_key_password_file = s.file("kpw", "keypass\r\n");
    resolve_secrets(k, "source", kbt::no_env());
    BOOST_TEST(*k.security.sasl_password == "hunter2");
    BOOST_TEST(*k.security.ssl_key_password == "keypass");
    BOOST_TEST(!k.security.sasl_password_file);

    kafka_cluster both = k;
    both.security.sasl_password_file = s.file("pw2", "x\n");
    auto e = kbt::error_of([&] { resolve_secrets(both, "source", kbt::no_env()); });
    BOOST_TEST(e.key() == "source.security.sasl_password_file");

    kafka_cluster empty;
    empty.security.sasl_password_file = s.file("empty", "\n");
    BOOST_TEST(
        contains(kbt::error_of([&] { resolve_secrets(empty, "target", kbt::no_env()); }).what(),
                 "is empty"));
    kafka_cluster dev;
    dev.security.sasl_password_file = "/dev/zero";
    BOOST_TEST(
        contains(kbt::error_of([&] { resolve_secrets(dev, "target", kbt::no_env()); }).what(),
                 "not a regular file"));
}

BOOST_AUTO_TEST_CASE(password_file_key_parses_and_satisfies_validation) {
    config c = parse(R"(
mode: backup
backup_id: b1
source:
  bootstrap_servers: [localhost:9092]
  security:
    security_protocol: SASL_PLAINTEXT
    sasl_mechanism: SCRAM-SHA-256
    sasl_username: u
    sasl_password_file: /run/secrets/kafka
storage:
  backend: filesystem
  path: /tmp/kb
)");
    BOOST_TEST(*c.source->security.sasl_password_file == "/run/secrets/kafka");
    BOOST_CHECK_NO_THROW(validate(c, mode::backup));
}

BOOST_AUTO_TEST_CASE(kafka_username_and_password_fill_what_the_config_lacks) {
    auto env = kbt::env_of({{"KAFKA_USERNAME", "envuser"}, {"KAFKA_PASSWORD", "envpass"}});
    kafka_cluster k;
    k.security.protocol = security_protocol::sasl_ssl;
    k.security.mechanism = sasl_mechanism::scram_sha_512;
    resolve_secrets(k, "target", env);
    BOOST_TEST(*k.security.sasl_username == "envuser");
    BOOST_TEST(*k.security.sasl_password == "envpass");

    kafka_cluster given;
    given.security = k.security;
    given.security.sasl_username = "cfguser";
    given.security.sasl_password = "cfgpass";
    resolve_secrets(given, "target", env);
    BOOST_TEST(*given.security.sasl_username == "cfguser");  // the config wins
    BOOST_TEST(*given.security.sasl_password == "cfgpass");

    kafka_cluster plain;  // PLAINTEXT: the variables are not used
    resolve_secrets(plain, "target", env);
    BOOST_TEST(!plain.security.sasl_username);
}

BOOST_AUTO_TEST_CASE(named_tls_files_must_exist) {
    kafka_cluster k;
    k.security.protocol = security_protocol::ssl;
    k.security.ssl_ca_location = "/nonexistent/ca.pem";
    auto e = kbt::error_of([&] { check_named_files(k, "source"); });
    BOOST_TEST(e.key() == "source.security.ssl_ca_location");
    BOOST_TEST(contains(e.what(), "No such file"));
    k.security.ssl_ca_location = "/tmp";
    BOOST_TEST(
        contains(kbt::error_of([&] { check_named_files(k, "source"); }).what(), "is a directory"));
    k.security.protocol = security_protocol::plaintext;  // not used: not checked
    BOOST_CHECK_NO_THROW(check_named_files(k, "source"));
}

BOOST_AUTO_TEST_CASE(metrics_listen_on_loopback_unless_told) {
    auto c = parse("metrics:\n  port: 9464\n");
    BOOST_TEST(c.metrics->bind_address == "127.0.0.1");
    config v = parse(minimal_backup);
    v.metrics = metrics_config{};
    v.metrics->bind_address = "localhost:9464";
    auto e = invalid_for(v);
    BOOST_TEST(e.key() == "metrics.bind_address");
    v.metrics->bind_address = "::";
    BOOST_CHECK_NO_THROW(validate(v, mode::backup));
}

BOOST_AUTO_TEST_SUITE_END()
