// Whole configs in the OSO kafka-backup schema parse into the expected values.
#include "helpers.hpp"

#include <kb/config/load.hpp>
#include <kb/config/time.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::config;

BOOST_AUTO_TEST_SUITE(parse_examples)

BOOST_AUTO_TEST_CASE(backup_to_s3_with_sasl_and_env_secrets) {
    auto env = kbt::env_of(
        {{"KAFKA_PASSWORD", "s3cret"}, {"MINIO_USER", "minio"}, {"MINIO_SECRET", "minio-secret"}});
    config c = load_file(kbt::data_file("backup-s3.yaml"), env);
    BOOST_TEST(c.origin == kbt::data_file("backup-s3.yaml"));
    BOOST_REQUIRE(c.mode.has_value());
    BOOST_TEST(*c.mode == mode::backup);
    BOOST_TEST(c.backup_id == "orders-nightly");

    BOOST_REQUIRE(c.source.has_value());
    const auto& src = *c.source;
    BOOST_TEST(src.bootstrap_servers.size() == 2u);
    BOOST_TEST(src.bootstrap_servers[1] == "broker-2.example.internal:9092");
    BOOST_TEST(src.security.protocol == security_protocol::sasl_ssl);
    BOOST_TEST((src.security.mechanism == sasl_mechanism::scram_sha_512));
    BOOST_TEST(*src.security.sasl_password == "s3cret");
    BOOST_TEST(*src.security.ssl_ca_location == "/etc/kafka/ca.pem");
    BOOST_TEST(src.security.verify_hostname());
    BOOST_TEST(src.topics.include.size() == 3u);
    BOOST_TEST(src.topics.include[2] == "~^events-v[0-9]+$");
    BOOST_TEST(src.topics.exclude[0] == "__*");
    BOOST_TEST(src.connection.keepalive_time_secs == 30u);
    BOOST_TEST(src.connection.keepalive_interval_secs == 20u);  // default kept
    BOOST_TEST(src.connection.connections_per_broker == 2u);

    BOOST_REQUIRE(c.storage.has_value());
    const auto& st = *c.storage;
    BOOST_TEST((st.backend == storage_backend::s3));
    BOOST_TEST(st.bucket == "kafka-backups");
    BOOST_TEST(st.region == "eu-west-1");
    BOOST_TEST(st.endpoint == "http://minio.internal:9000");
    BOOST_TEST(*st.access_key == "minio");
    BOOST_TEST(*st.secret_key == "minio-secret");
    BOOST_TEST(st.prefix == "prod");  // trailing slash dropped
    BOOST_TEST(st.path_style);
    BOOST_TEST(st.allow_http);

    const auto& b = c.backup;
    BOOST_TEST((b.codec == compression::zstd));
    BOOST_TEST(b.compression_level == 3);
    BOOST_TEST(b.segment_max_bytes == 134217728u);
    BOOST_TEST(b.segment_max_interval_ms == 60000u);
    BOOST_TEST(!b.continuous);
    BOOST_TEST(b.stop_at_current_offsets);
    BOOST_TEST((b.start.where == start_offset::kind::earliest));
    // Parsed here; what each of these four does is asserted where it acts:
    // tests/unit/backup/config_effect_test.cpp (this directory's oso-every-key.yaml
    // through the engine) and tests/integration/backup/config_keys_test.sh.
    BOOST_TEST(*b.source_cluster_id == "prod-east");
    BOOST_TEST(b.max_concurrent_partitions == 4u);
    BOOST_TEST(*b.fetch_max_bytes == 16777216u);
    BOOST_TEST(*b.segment_max_records == 500000u);

    BOOST_REQUIRE(c.metrics.has_value());
    BOOST_TEST(c.metrics->port == 9464);
    BOOST_TEST(c.metrics->bind_address == "127.0.0.1");
    BOOST_TEST(c.metrics->path == "/metrics");  // default kept
    BOOST_TEST(c.logging.level == "info");

    BOOST_CHECK_NO_THROW(validate(c, mode::backup));
}

BOOST_AUTO_TEST_CASE(backup_to_filesystem_with_sizes_and_engine_section) {
    config c = load_file(kbt::data_file("backup-filesystem.yaml"), kbt::no_env());
    BOOST_TEST(c.backup_id == "local-tail");
    BOOST_TEST(c.source->bootstrap_servers == std::vector<std::string>{"localhost:9092"});
    BOOST_TEST(c.source->topics.include == std::vector<std::string>{"*"});
    BOOST_TEST(c.source->topics.exclude.empty());
    BOOST_TEST((c.storage->backend == storage_backend::filesystem));
    BOOST_TEST(c.storage->path == "/var/lib/kafka-backup/data");
    BOOST_TEST((c.backup.codec == compression::lz4));
    BOOST_TEST(c.backup.segment_max_bytes == 64u * 1024 * 1024);
    BOOST_TEST(c.backup.continuous);
    BOOST_TEST((c.backup.start.where == start_offset::kind::latest));
    BOOST_REQUIRE(c.offset_storage.has_value());
    BOOST_TEST(c.offset_storage->db_path == "./offsets.db");
    BOOST_TEST(c.engine.memory_budget == 256u * 1024 * 1024);
    BOOST_TEST(c.engine.shards == 2u);
    BOOST_TEST(!c.metrics.has_value());
    BOOST_CHECK_NO_THROW(validate(c, mode::backup));
}

BOOST_AUTO_TEST_CASE(restore_with_pitr_mapping_and_offset_reset) {
    config c = load_file(kbt::data_file("restore-pitr.yaml"), kbt::no_env());
    BOOST_TEST(*c.mode == mode::restore);
    BOOST_REQUIRE(c.target.has_value());
    BOOST_TEST(c.target->bootstrap_servers[0] == "dr-broker:9092");
    const auto& r = c.restore;
    BOOST_TEST(*r.time_window_start == 1736899200000);  // 2025-01-15T00:00:00Z
    BOOST_TEST(*r.time_window_end == 1736985600000);
    BOOST_TEST((*r.source_partitions == std::vector<std::int32_t>{0, 1, 2}));
    BOOST_TEST(r.topic_mapping.at("orders") == "orders-restored");
    BOOST_TEST(r.topic_mapping.at("payments") == "payments-restored");
    BOOST_TEST(r.partition_mapping.at(1) == 2);
    BOOST_TEST(r.repartition.at("payments-restored").target_partitions == 6);
    BOOST_TEST((r.repartition.at("payments-restored").strategy == repartition_strategy::murmur2));
    BOOST_TEST((r.consumer_group_strategy == offset_strategy::timestamp_based));
    BOOST_TEST(r.consumer_groups.size() == 2u);
    BOOST_TEST(r.reset_consumer_offsets);
    BOOST_TEST(*r.offset_report == "./offset-mapping.json");
    BOOST_TEST(r.create_topics);
    BOOST_TEST(*r.default_replication_factor == 3);
    BOOST_TEST(r.topic_config_overrides.at("orders-restored").at("retention.ms") == "-1");
    BOOST_TEST(r.topic_config_overrides.at("orders-restored").at("min.insync.replicas") == "2");
    BOOST_TEST(*r.rate_limit_bytes_per_sec == 100u * 1024 * 1024);
    BOOST_TEST(r.max_concurrent_partitions == 8u);
    BOOST_TEST(r.produce_acks == -1);
    BOOST_TEST(*r.checkpoint_state == "./restore-checkpoint.json");
    BOOST_CHECK_NO_THROW(validate(c, mode::restore));
}

BOOST_AUTO_TEST_CASE(every_oso_key_parses) {
    config c = load_file(kbt::data_file("oso-every-key.yaml"), kbt::no_env());
    // A few values from each section, to see they landed where they belong.
    BOOST_TEST((c.source->security.mechanism == sasl_mechanism::gssapi));
    BOOST_TEST(*c.source->security.sasl_krb5_config_path == "/etc/krb5.conf");
    BOOST_TEST(c.storage->azure.container_name == "cont");
    BOOST_TEST(*c.storage->gcs.service_account_path == "/sa.json");
    // Selects __consumer_offsets: tests/unit/backup/config_effect_test.cpp.
    BOOST_TEST(c.backup.internal_topics == std::vector<std::string>{"__consumer_offsets"});
    BOOST_TEST(!c.backup.consumer_group_snapshot);
    BOOST_TEST((c.restore.consumer_group_strategy == offset_strategy::cluster_scan));
    BOOST_TEST((c.restore.repartition.at("b").strategy == repartition_strategy::automatic));
    BOOST_TEST(*c.restore.default_replication_factor == -1);
    BOOST_TEST(c.restore.auto_consumer_groups);
    BOOST_TEST(c.offset_storage->backend == "memory");
    BOOST_TEST(*c.offset_storage->s3_key == "k");
    BOOST_TEST(!c.metrics->enabled);
    BOOST_TEST(c.logging.level == "warn");
}

BOOST_AUTO_TEST_CASE(start_offset_forms) {
    auto parse = [](const std::string& start) {
        return parse_yaml("backup:\n  start_offset: " + start + "\n", "t.yaml", kbt::no_env())
            .backup.start;
    };
    auto tagged = parse("!specific {orders: {0: 10, 2: 30}}");
    BOOST_TEST((tagged.where == start_offset::kind::specific));
    BOOST_TEST(tagged.offsets.at("orders").at(2) == 30);
    auto mapped = parse("{specific: {payments: {1: 7}}}");
    BOOST_TEST(mapped.offsets.at("payments").at(1) == 7);
    auto by_time = parse("{timestamp: \"2025-01-15T00:00:01Z\"}");
    BOOST_TEST((by_time.where == start_offset::kind::timestamp));
    BOOST_TEST(by_time.timestamp_ms == 1736899201000);
    auto bad = kbt::parse_error("backup:\n  start_offset: earlist\n");
    BOOST_TEST(std::string(bad.what()).find("did you mean 'earliest'?") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(oso_spellings_and_sections_are_accepted) {
    // OSO's serde spelling of SCRAM, its logging/offset_storage sections and
    // the keys of the Azure/GCS variants all parse.
    config c = parse_yaml(R"(
mode: backup
backup_id: x
source:
  bootstrap_servers: [a:9092]
  security: {security_protocol: sasl_plaintext, sasl_mechanism: SCRAM-SHA256,
             sasl_username: u, sasl_password: p}
storage:
  backend: azure
  account_name: acct
  container_name: c
  use_workload_identity: true
  sas_token: tok
logging: {level: debug, format: json}
)",
                          "t.yaml", kbt::no_env());
    BOOST_TEST((c.source->security.mechanism == sasl_mechanism::scram_sha_256));
    BOOST_TEST((c.storage->backend == storage_backend::azure));
    BOOST_TEST(c.storage->azure.account_name == "acct");
    BOOST_TEST(*c.storage->azure.use_workload_identity);
    BOOST_TEST(c.logging.format == "json");
    // The SAS token is used (OSO's precedence: sas_token first), so it validates...
    validate(c, mode::backup);
    // ...but without a key or token, the identity kinds this build lacks are refused.
    c.storage->azure.sas_token.reset();
    auto e = kbt::error_of([&] { validate(c, mode::backup); });
    BOOST_TEST(e.key() == "storage.account_key");
    BOOST_TEST(std::string(e.what()).find("not supported by this build") != std::string::npos);
    c.storage->azure.container_name.clear();
    BOOST_TEST(kbt::error_of([&] { validate(c, mode::backup); }).key() == "storage.container_name");
}

BOOST_AUTO_TEST_CASE(bootstrap_servers_from_one_env_value) {
    auto env = kbt::env_of({{"BROKERS", "h1:9092, h2:9093"}});
    config c = parse_yaml("source:\n  bootstrap_servers: ${BROKERS}\n", "t.yaml", env);
    BOOST_TEST((c.source->bootstrap_servers == std::vector<std::string>{"h1:9092", "h2:9093"}));
}

BOOST_AUTO_TEST_CASE(null_sections_and_maps_are_empty) {
    config c = parse_yaml("restore:\n  topic_mapping:\n  # nothing yet\nsource:\n", "t.yaml",
                          kbt::no_env());
    BOOST_TEST(c.restore.topic_mapping.empty());
    BOOST_TEST(!c.source.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
