// Every key of OSO kafka-backup's schema (its 0.17.4 docs and examples, and the
// config structs of its 0.25 engine) is known: it works, is an alias, earns a note,
// or is refused with a line saying it is not supported yet. Never an unknown key.
#include "helpers.hpp"

#include <kb/config/load.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>

using namespace kb::config;

namespace {

enum class outcome { works, note, refused };

struct oso_case {
    const char* section;  // "" (top level), storage, backup, restore, source, target
    const char* yaml;     // the key and its value, as OSO writes it
    outcome expected;
};

[[maybe_unused]] std::ostream& operator<<(std::ostream& os, const oso_case& c) {
    return os << (*c.section ? c.section : "<top>") << ": " << c.yaml;
}

// A complete restore+backup config with one OSO key added to one section.
std::string config_with(const oso_case& c) {
    auto in = [&](const char* s) {
        return std::string(c.section) == s ? std::string("\n  ") + c.yaml : std::string();
    };
    std::string top = *c.section ? "" : std::string(c.yaml) + "\n";
    return top + "backup_id: b1\n" + "source:\n  bootstrap_servers: [127.0.0.1:9092]" +
           in("source") + "\n" + "target:\n  bootstrap_servers: [127.0.0.1:9092]" + in("target") +
           "\n" + "storage:\n  backend: s3\n  bucket: bk" + in("storage") + "\n" +
           "backup:\n  compression: zstd" + in("backup") + "\n" + "restore:\n  dry_run: false" +
           in("restore") + "\n";
}

const oso_case every_oso_key[] = {
    // storage (s3; aliases from OSO's docs and demo configs)
    {"storage", "access_key_id: AKIA", outcome::works},
    {"storage", "secret_access_key: s3cr3t", outcome::works},
    {"storage", "region: us-east-1", outcome::works},
    {"storage", "endpoint: https://minio:9000", outcome::works},
    {"storage", "prefix: daily", outcome::works},
    {"storage", "path_style: true", outcome::works},
    {"storage", "allow_http: true", outcome::works},
    {"storage", "use_managed_identity: true", outcome::works},
    {"storage", "use_emulator: false", outcome::works},
    {"storage", "project_id: my-project", outcome::works},
    {"storage", "credentials_file: /k.json", outcome::works},
    {"storage", "service_account_path: /k.json", outcome::works},
    {"storage", "account_name: acct", outcome::works},
    {"storage", "container_name: c", outcome::works},
    {"storage", "sas_token: sv=1", outcome::works},
    // backup
    {"backup", "segment_max_bytes: 134217728", outcome::works},
    {"backup", "segment_max_interval_ms: 60000", outcome::works},
    {"backup", "segment_max_age_secs: 60", outcome::works},
    {"backup", "segment_max_records: 1000", outcome::works},
    {"backup", "compression_level: 3", outcome::works},
    {"backup", "start_offset: earliest", outcome::works},
    {"backup", "continuous: false", outcome::works},
    {"backup", "stop_at_current_offsets: true", outcome::works},
    {"backup", "include_internal_topics: false", outcome::works},
    {"backup", "internal_topics: []", outcome::works},
    {"backup", "checkpoint_interval_secs: 5", outcome::note},
    {"backup", "checkpoint_interval_ms: 5000", outcome::works},
    {"backup", "sync_interval_secs: 30", outcome::note},
    {"backup", "include_offset_headers: true", outcome::note},
    {"backup", "include_offset_headers: false", outcome::works},
    {"backup", "source_cluster_id: prod", outcome::works},
    {"backup", "max_concurrent_partitions: 8", outcome::works},
    {"backup", "poll_interval_ms: 100", outcome::works},
    {"backup", "consumer_group_snapshot: true", outcome::works},
    {"backup", "fetch_max_bytes: 16777216", outcome::works},
    {"backup", "isolation_level: read_committed", outcome::works},
    {"backup", "isolation_level: read_uncommitted", outcome::refused},
    {"backup", "on_missing_topic: fail", outcome::works},
    {"backup", "on_missing_topic: warn", outcome::refused},
    {"backup", "capture_topic_configs: true", outcome::works},
    {"backup", "capture_topic_configs: false", outcome::refused},
    {"backup", "require_topic_configs: false", outcome::works},
    {"backup", "require_topic_configs: true", outcome::refused},
    {"backup", "retention: {max_age: 30d, keep_segments: 2}", outcome::works},
    {"backup", "retention: {max_total_bytes: 1073741824}", outcome::works},
    {"backup", "circuit_breaker: {enabled: true, failure_threshold: 5}", outcome::note},
    {"backup", "shutdown_grace_secs: 30", outcome::note},
    {"backup", "fetch_timeout_ms: 30000", outcome::refused},
    {"backup", "checkpoint_on_shutdown: true", outcome::works},
    {"backup", "checkpoint_on_shutdown: false", outcome::refused},
    // restore
    {"restore", "time_window_start: 1700000000000", outcome::works},
    {"restore", "time_window_end: 1700000000000", outcome::works},
    {"restore", "from_timestamp: 1700000000000", outcome::works},
    {"restore", "to_timestamp: 1700000000000", outcome::works},
    {"restore", "source_partitions: [0, 1]", outcome::works},
    {"restore", "partition_mapping: {0: 1}", outcome::works},
    {"restore", "topic_mapping: {a: b}", outcome::works},
    {"restore", "consumer_group_strategy: skip", outcome::works},
    {"restore", "consumer_group_strategy: timestamp-based", outcome::works},
    {"restore", "consumer_group_strategy: header-based", outcome::works},
    {"restore", "consumer_group_strategy: cluster-scan", outcome::works},
    {"restore", "consumer_group_strategy: manual", outcome::works},
    {"restore", "include_original_offset_header: true", outcome::works},
    {"restore", "include_original_offset_header: false", outcome::works},
    {"restore", "rate_limit_records_per_sec: 1000", outcome::works},
    {"restore", "rate_limit_bytes_per_sec: 1000000", outcome::works},
    {"restore", "max_concurrent_partitions: 4", outcome::works},
    {"restore", "produce_batch_size: 1000", outcome::works},
    {"restore", "batch_size: 500", outcome::works},
    {"restore", "produce_acks: -1", outcome::works},
    {"restore", "produce_timeout_ms: 30000", outcome::works},
    {"restore", "checkpoint_state: ./cp.json", outcome::note},
    {"restore", "checkpoint_interval_secs: 60", outcome::works},
    {"restore", "consumer_groups: [g1]", outcome::works},
    {"restore", "reset_consumer_offsets: false", outcome::works},
    {"restore", "offset_report: ./r.json", outcome::works},
    {"restore", "create_topics: true", outcome::works},
    {"restore", "default_replication_factor: 1", outcome::works},
    {"restore", "repartitioning: {t: {strategy: murmur2, target_partitions: 3}}", outcome::works},
    {"restore", "purge_topics: false", outcome::works},
    {"restore", "auto_consumer_groups: false", outcome::works},
    {"restore", "strip_offset_headers: false", outcome::works},
    {"restore", "strip_offset_headers: true", outcome::works},
    {"restore", "produce_max_batch_bytes: 1048576", outcome::note},
    {"restore", "produce_batch_size_bytes: 1048576", outcome::note},
    {"restore", "idempotent_producer: true", outcome::works},
    {"restore", "idempotent_producer: false", outcome::refused},
    {"restore", "checkpoint_storage: remote", outcome::works},
    {"restore", "checkpoint_storage: local", outcome::refused},
    {"restore", "restore_id: nightly-1", outcome::works},
    {"restore", "restore_topic_configs: true", outcome::works},
    {"restore", "restore_topic_configs: false", outcome::refused},
    {"restore", "existing_topic_config_policy: validate_only", outcome::works},
    {"restore", "existing_topic_config_policy: apply", outcome::refused},
    {"restore", "topic_config_overrides: {t: {retention.ms: '-1'}}", outcome::works},
    {"restore", "unsupported_config_policy: skip", outcome::works},
    {"restore", "unsupported_config_policy: fail", outcome::refused},
    {"restore", "target_profile: confluent_cloud", outcome::refused},
    {"restore", "target_cluster_type: dedicated", outcome::refused},
    {"restore", "rewrite_schema_ids: false", outcome::works},
    {"restore", "rewrite_schema_ids: true", outcome::refused},
    {"restore", "schema_id_mapping: {}", outcome::works},
    {"restore", "schema_id_mapping: {1: 2}", outcome::refused},
    {"restore", "schema_id_rewrite_topics: [a]", outcome::refused},
    {"restore", "schema_id_rewrite_strict: true", outcome::works},
    {"restore", "header_preflight: auto", outcome::works},
    {"restore", "header_preflight: full", outcome::refused},
    {"restore", "dry_run_check_segments: false", outcome::works},
    {"restore", "dry_run_check_segments: true", outcome::refused},
    {"restore", "circuit_breaker: {enabled: false}", outcome::note},
    {"restore", "restore_strategy: parallel", outcome::refused},
    {"restore", "reset_strategy: earliest", outcome::refused},
    // clusters
    {"source", "consumer_group_id: kafka-backup", outcome::note},
    {"source", "connection: {tcp_keepalive: true, connections_per_broker: 4}", outcome::works},
    {"target", "topics: {mapping: {orders: orders-restored}}", outcome::works},
    {"target", "topics: {rename: {orders: orders-restored}}", outcome::works},
    // top level
    {"", "enterprise: {oauth: {enabled: true}}", outcome::note},
    {"", "offset_storage: {backend: sqlite, db_path: ./offsets.db}", outcome::note},
    {"", "metrics: {enabled: true, port: 8080, bind_address: 127.0.0.1}", outcome::works},
    {"", "logging: {level: info}", outcome::works},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(oso_keys)

BOOST_DATA_TEST_CASE(every_oso_key_is_known, boost::unit_test::data::make(every_oso_key), c) {
    std::string text = config_with(c);
    if (c.expected == outcome::refused) {
        auto e = kbt::error_of([&] { parse_yaml(text, "oso.yaml", kbt::no_env()); });
        BOOST_TEST(e.kind() == config_errc::unsupported, c << " -> " << e.what());
        BOOST_TEST(std::string(e.what()).find("not supported yet") != std::string::npos);
        return;
    }
    config cfg;
    try {
        cfg = parse_yaml(text, "oso.yaml", kbt::no_env());
    } catch (const config_error& e) {
        BOOST_FAIL(c << " -> " << e.what());
    }
    BOOST_TEST(cfg.notes.empty() == (c.expected == outcome::works), c);
}

BOOST_AUTO_TEST_CASE(aliases_set_the_key_they_name) {
    auto c = parse_yaml(
        config_with({"storage", "access_key_id: AK\n  secret_access_key: SK", outcome::works}),
        "oso.yaml", kbt::no_env());
    BOOST_TEST(*c.storage->access_key == "AK");
    BOOST_TEST(*c.storage->secret_key == "SK");
    c = parse_yaml(
        config_with({"restore", "batch_size: 77\n  to_timestamp: 1700000000123", outcome::works}),
        "oso.yaml", kbt::no_env());
    BOOST_TEST(c.restore.produce_batch_size == 77u);
    BOOST_TEST(*c.restore.time_window_end == 1700000000123);
    c = parse_yaml(config_with({"backup", "segment_max_age_secs: 90", outcome::works}), "oso.yaml",
                   kbt::no_env());
    BOOST_TEST(c.backup.segment_max_interval_ms == 90'000u);
    c = parse_yaml(config_with({"target", "topics: {rename: {orders: orders-2}}", outcome::works}),
                   "oso.yaml", kbt::no_env());
    BOOST_TEST(c.restore.topic_mapping.at("orders") == "orders-2");
    c = parse_yaml(config_with({"restore", "restore_id: nightly-1", outcome::works}), "oso.yaml",
                   kbt::no_env());
    BOOST_TEST(*c.restore.restore_id == "nightly-1");
}

BOOST_AUTO_TEST_CASE(header_options_are_applied_not_just_accepted) {
    auto c = parse_yaml(config_with({"restore",
                                     "include_original_offset_header: true\n  "
                                     "strip_offset_headers: true",
                                     outcome::works}),
                        "oso.yaml", kbt::no_env());
    BOOST_TEST(c.restore.include_original_offset_header);
    BOOST_TEST(c.restore.strip_offset_headers);
    BOOST_TEST(adds_offset_headers(c.restore));
    // header-based implies the headers, as in OSO; the other strategies do not.
    c = parse_yaml(
        config_with({"restore", "consumer_group_strategy: header-based", outcome::works}),
        "oso.yaml", kbt::no_env());
    BOOST_TEST(!c.restore.include_original_offset_header);
    BOOST_TEST(adds_offset_headers(c.restore));
    for (const char* s : {"skip", "timestamp-based", "cluster-scan", "manual"}) {
        auto line = std::string("consumer_group_strategy: ") + s;
        c = parse_yaml(config_with({"restore", line.c_str(), outcome::works}), "oso.yaml",
                       kbt::no_env());
        BOOST_TEST(!adds_offset_headers(c.restore), s);
    }
}

BOOST_AUTO_TEST_CASE(an_alias_and_its_key_together_are_an_error) {
    auto e = kbt::error_of([] {
        parse_yaml(config_with({"storage", "access_key: A\n  access_key_id: B", outcome::works}),
                   "oso.yaml", kbt::no_env());
    });
    BOOST_TEST(std::string(e.what()).find("both") != std::string::npos);
    e = kbt::error_of([] {
        parse_yaml(config_with({"backup", "segment_max_age_secs: 9\n  segment_max_interval_ms: 9",
                                outcome::works}),
                   "oso.yaml", kbt::no_env());
    });
    BOOST_TEST(std::string(e.what()).find("both") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_topic_mapped_two_ways_is_an_error) {
    std::string text = config_with({"target", "topics: {mapping: {a: x}}", outcome::works});
    text += "  topic_mapping: {a: y}\n";
    auto e = kbt::error_of([&] { parse_yaml(text, "oso.yaml", kbt::no_env()); });
    BOOST_TEST(std::string(e.what()).find("mapped to") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(snappy_is_a_segment_codec) {
    auto text = config_with({"backup", "compression_level: 3", outcome::works});
    text.replace(text.find("compression: zstd"), 17, "compression: snappy");
    auto c = parse_yaml(text, "oso.yaml", kbt::no_env());
    BOOST_TEST((c.backup.codec == compression::snappy));
    BOOST_CHECK_NO_THROW(validate(c, mode::backup));  // snappy has no levels: 3 is ignored
}

BOOST_AUTO_TEST_CASE(retention_is_parsed_with_osos_limits) {
    auto c = parse_yaml(
        config_with({"backup",
                     "retention: {max_age: 1d12h, max_total_bytes: 1GiB, keep_segments: 3}",
                     outcome::works}),
        "oso.yaml", kbt::no_env());
    BOOST_REQUIRE(c.backup.retention.has_value());
    BOOST_TEST(*c.backup.retention->max_age_ms == 36 * 3600 * 1000LL);
    BOOST_TEST(*c.backup.retention->max_total_bytes == 1ull << 30);
    BOOST_TEST(c.backup.retention->keep_segments == 3u);
    for (const char* bad : {"retention: {keep_segments: 2}", "retention: {max_age: 30}",
                            "retention: {max_age: 30d, keep_segments: 0}"}) {
        auto e = kbt::error_of([&] {
            parse_yaml(config_with({"backup", bad, outcome::works}), "oso.yaml", kbt::no_env());
        });
        BOOST_TEST(e.kind() != config_errc::unsupported, bad << " -> " << e.what());
        BOOST_TEST(std::string(e.what()).find("backup.retention") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_misspelt_key_is_still_unknown) {
    auto e = kbt::error_of([] {
        parse_yaml(config_with({"restore", "strip_offset_header: true", outcome::works}),
                   "oso.yaml", kbt::no_env());
    });
    BOOST_TEST(e.kind() == config_errc::unknown_key);
    BOOST_TEST(std::string(e.what()).find("strip_offset_headers") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
