// validate(): required keys and coherence, after flags have been applied.
#include "helpers.hpp"

#include <boost/test/unit_test.hpp>

using namespace kb::config;

namespace {

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

config_error invalid_for(config c, mode m) {
    return kbt::error_of([&] { validate(c, m); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(validation)

BOOST_AUTO_TEST_CASE(minimal_backup_is_valid) {
    BOOST_CHECK_NO_THROW(validate(parse(minimal_backup), mode::backup));
}

BOOST_AUTO_TEST_CASE(missing_required_keys_are_named) {
    config c = parse(minimal_backup);
    c.backup_id.clear();
    auto e = invalid_for(c, mode::backup);
    BOOST_TEST((e.kind() == config_errc::missing_key));
    BOOST_TEST(e.key() == "backup_id");
    BOOST_TEST(std::string(e.what()).find("missing required key 'backup_id'") != std::string::npos);

    c = parse(minimal_backup);
    c.source->bootstrap_servers.clear();
    BOOST_TEST(invalid_for(c, mode::backup).key() == "source.bootstrap_servers");

    c = parse(minimal_backup);
    c.storage.reset();
    BOOST_TEST(invalid_for(c, mode::backup).key() == "storage");

    // the same file for a restore (mode unset) lacks a target
    c = parse(minimal_backup);
    c.mode.reset();
    BOOST_TEST(invalid_for(c, mode::restore).key() == "target");

    auto s3 = parse("storage:\n  backend: s3\n  region: x\n");
    BOOST_TEST(kbt::error_of([&] { validate_storage(*s3.storage, s3.origin); }).key() ==
               "storage.bucket");
}

BOOST_AUTO_TEST_CASE(mode_must_match_the_command) {
    auto e = invalid_for(parse(minimal_backup), mode::restore);
    BOOST_TEST(e.key() == "mode");
    BOOST_TEST(e.hint().find("kafka-backup backup") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sasl_and_tls_coherence) {
    config c = parse(minimal_backup);
    c.source->security.protocol = security_protocol::sasl_ssl;
    BOOST_TEST(invalid_for(c, mode::backup).key() == "source.security.sasl_mechanism");
    c.source->security.mechanism = sasl_mechanism::plain;
    c.source->security.sasl_username = "u";
    BOOST_TEST(invalid_for(c, mode::backup).key() == "source.security.sasl_password");
    c.source->security.sasl_password = "p";
    BOOST_CHECK_NO_THROW(validate(c, mode::backup));
    c.source->security.ssl_certificate_location = "/c.pem";
    BOOST_TEST(invalid_for(c, mode::backup).key() == "source.security.ssl_key_location");

    config plain = parse(minimal_backup);
    plain.source->security.sasl_username = "u";
    BOOST_TEST(invalid_for(plain, mode::backup).key() == "source.security.security_protocol");
}

BOOST_AUTO_TEST_CASE(backup_option_ranges) {
    config c = parse(minimal_backup);
    c.backup.continuous = true;
    c.backup.stop_at_current_offsets = true;
    BOOST_TEST(invalid_for(c, mode::backup).key() == "backup.stop_at_current_offsets");
    c = parse(minimal_backup);
    c.backup.codec = compression::gzip;
    c.backup.compression_level = 12;
    BOOST_TEST(invalid_for(c, mode::backup).key() == "backup.compression_level");
    c.backup.codec = compression::zstd;
    BOOST_CHECK_NO_THROW(validate(c, mode::backup));
    c.source->bootstrap_servers = {"localhost"};
    BOOST_TEST(invalid_for(c, mode::backup).key() == "source.bootstrap_servers");
}

BOOST_AUTO_TEST_CASE(restore_option_ranges) {
    config c = parse(R"(
mode: restore
backup_id: b1
target: {bootstrap_servers: ["[::1]:9092"]}
storage: {backend: s3, bucket: bk, endpoint: "https://s3.example"}
restore:
  time_window_start: 2025-01-16T00:00:00Z
  time_window_end: 2025-01-15T00:00:00Z
)");
    BOOST_TEST(invalid_for(c, mode::restore).key() == "restore.time_window_start");
    c.restore.time_window_start.reset();
    BOOST_CHECK_NO_THROW(validate(c, mode::restore));
    c.restore.produce_acks = 2;
    BOOST_TEST(invalid_for(c, mode::restore).key() == "restore.produce_acks");
    c.restore.produce_acks = -1;
    c.restore.repartition["t"] = {repartition_strategy::murmur2, 0};
    BOOST_TEST(invalid_for(c, mode::restore).key() == "restore.repartitioning.t.target_partitions");
    c.restore.repartition.clear();
    c.storage->endpoint = "http://127.0.0.1:9000";  // plain http without allow_http
    BOOST_TEST(invalid_for(c, mode::restore).key() == "storage.allow_http");
}

BOOST_AUTO_TEST_CASE(replication_factor_spellings) {
    auto a = parse("restore:\n  replication_factor: 1\n");
    BOOST_TEST(*a.restore.default_replication_factor == 1);
    auto e =
        kbt::parse_error("restore:\n  replication_factor: 1\n  default_replication_factor: 2\n");
    BOOST_TEST(std::string(e.what()).find("both") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(backup_id_must_be_a_safe_key) {
    config c = parse(minimal_backup);
    c.backup_id = "../etc";
    BOOST_TEST(invalid_for(c, mode::backup).key() == "backup_id");
}

BOOST_AUTO_TEST_CASE(retry_deadline_is_read_bounded_and_defaults_by_run) {
    config c = parse(std::string(minimal_backup) + "engine:\n  retry_deadline_secs: 900\n");
    BOOST_TEST(*c.engine.retry_deadline_secs == 900u);
    BOOST_CHECK_NO_THROW(validate(c, mode::backup));
    BOOST_TEST(retry_deadline(c.engine, false).count() == 900);  // set: used as it is
    BOOST_TEST(retry_deadline(c.engine, true).count() == 900);

    c.engine.retry_deadline_secs.reset();
    BOOST_TEST(retry_deadline(c.engine, true).count() == 300);  // continuous backup
    BOOST_TEST(retry_deadline(c.engine, false).count() == 60);  // snapshot or restore

    for (std::uint64_t bad : {std::uint64_t{0}, std::uint64_t{86'401}}) {
        c.engine.retry_deadline_secs = bad;
        auto e = invalid_for(c, mode::backup);
        BOOST_TEST(e.key() == "engine.retry_deadline_secs");
        BOOST_TEST(std::string(e.what()).find("1 to 86400") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_side_encryption_keys)

namespace {

const char* s3_storage = "storage:\n  backend: s3\n  bucket: b\n  region: x\n";

config_error storage_error(const std::string& extra) {
    auto c = parse(std::string(s3_storage) + extra);
    return kbt::error_of([&] { validate_storage(*c.storage, c.origin); });
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_mode_is_accepted_on_s3) {
    for (const char* mode : {"AES256", "aws:kms", "customer", "SSE-C", "none"}) {
        auto c = parse(std::string(s3_storage) + "  server_side_encryption: \"" + mode + "\"\n");
        BOOST_CHECK_NO_THROW(validate_storage(*c.storage, c.origin));
        BOOST_TEST(*c.storage->server_side_encryption == mode);
    }
    auto kms = parse(std::string(s3_storage) +
                     "  server_side_encryption: aws:kms\n  sse_kms_key_id: kb-test-key\n");
    BOOST_CHECK_NO_THROW(validate_storage(*kms.storage, kms.origin));
}

BOOST_AUTO_TEST_CASE(an_unknown_mode_or_a_key_without_its_mode_is_named) {
    auto e = storage_error("  server_side_encryption: aes256\n");
    BOOST_TEST(e.key() == "storage.server_side_encryption");
    BOOST_TEST(std::string(e.what()).find("AES256 (SSE-S3)") != std::string::npos);
    BOOST_TEST(storage_error("  server_side_encryption: AES256\n  sse_kms_key_id: k\n").key() ==
               "storage.sse_kms_key_id");
    BOOST_TEST(storage_error("  sse_customer_key_file: /k\n").key() ==
               "storage.server_side_encryption");
    BOOST_TEST(
        storage_error("  server_side_encryption: aws:kms\n  sse_customer_key_file: /k\n").key() ==
        "storage.sse_customer_key_file");
}

BOOST_AUTO_TEST_CASE(encryption_keys_on_another_backend_are_refused) {
    auto c = parse(
        "storage:\n  backend: filesystem\n  path: /tmp/x\n  server_side_encryption: AES256\n");
    auto e = kbt::error_of([&] { validate_storage(*c.storage, c.origin); });
    BOOST_TEST(std::string(e.what()).find("s3 backend only") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
