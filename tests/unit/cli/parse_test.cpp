// Subcommand flags and config files become the right requests; bad input is refused.
#include "helpers.hpp"

#include <command.hpp>
#include <parse.hpp>

#include <kb/config/error.hpp>

#include <boost/test/unit_test.hpp>

using namespace kb::cli;
namespace kc = kb::config;

namespace {

const char* s3_path =
    "s3://kafka-backups/prod?endpoint=http://127.0.0.1:9000&region=us-east-1&path_style=true";

const char* backup_yaml = R"(
mode: backup
backup_id: from-file
source:
  bootstrap_servers: [file-broker:9092]
  topics: {include: [orders], exclude: ["__*"]}
storage:
  backend: s3
  bucket: file-bucket
  access_key: AKFILE
  secret_key: SKFILE
backup:
  compression: lz4
  segment_max_bytes: 32MiB
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(backup_flags)

BOOST_AUTO_TEST_CASE(flags_alone_make_a_complete_request) {
    auto req = parse_backup_args("backup", {"--bootstrap-servers",
                                            "127.0.0.1:9092",
                                            "--topics",
                                            "orders,payments",
                                            "--topics",
                                            "events-*",
                                            "--path",
                                            s3_path,
                                            "--backup-id",
                                            "nightly",
                                            "--continuous",
                                            "--compression",
                                            "zstd",
                                            "--compression-level",
                                            "5",
                                            "--segment-max-bytes",
                                            "8MiB",
                                            "--segment-max-interval",
                                            "30s",
                                            "--memory-budget",
                                            "256MiB",
                                            "--metrics-address",
                                            "127.0.0.1:9464",
                                            "--output",
                                            "json",
                                            "--no-progress",
                                            "--start-offset",
                                            "2025-01-15T00:00:00Z"});
    const auto& c = req.cfg;
    BOOST_TEST(req.command == "backup");
    BOOST_TEST(c.backup_id == "nightly");
    BOOST_TEST(c.source->bootstrap_servers == std::vector<std::string>{"127.0.0.1:9092"});
    BOOST_TEST(
        (c.source->topics.include == std::vector<std::string>{"orders", "payments", "events-*"}));
    BOOST_TEST((c.storage->backend == kc::storage_backend::s3));
    BOOST_TEST(c.storage->bucket == "kafka-backups");
    BOOST_TEST(c.storage->prefix == "prod");
    BOOST_TEST(c.storage->endpoint == "http://127.0.0.1:9000");
    BOOST_TEST(c.backup.continuous);
    BOOST_TEST((c.backup.codec == kc::compression::zstd));
    BOOST_TEST(c.backup.compression_level == 5);
    BOOST_TEST(c.backup.segment_max_bytes == 8u << 20);
    BOOST_TEST(c.backup.segment_max_interval_ms == 30000u);
    BOOST_TEST((c.backup.start.where == kc::start_offset::kind::timestamp));
    BOOST_TEST(c.backup.start.timestamp_ms == 1736899200000);
    BOOST_TEST(c.engine.memory_budget == 256u << 20);
    BOOST_REQUIRE(c.metrics.has_value());
    BOOST_TEST(c.metrics->port == 9464);
    BOOST_TEST(c.metrics->bind_address == "127.0.0.1");
    BOOST_TEST((req.output == output_format::json));
    BOOST_TEST(!req.progress);
}

BOOST_AUTO_TEST_CASE(flags_override_the_config_file) {
    kbt::temp_config file(backup_yaml);
    auto req = parse_backup_args(
        "backup", {"--config", file.path(), "--compression", "zstd", "--bootstrap-servers",
                   "a:1,b:2", "--path", "s3://other-bucket/p"});
    const auto& c = req.cfg;
    BOOST_TEST((c.backup.codec == kc::compression::zstd));  // flag wins
    BOOST_TEST(c.backup.segment_max_bytes == 32u << 20);    // file kept
    BOOST_TEST((c.source->bootstrap_servers == std::vector<std::string>{"a:1", "b:2"}));
    BOOST_TEST(c.source->topics.include == std::vector<std::string>{"orders"});  // file kept
    BOOST_TEST(c.storage->bucket == "other-bucket");                             // flag wins
    BOOST_TEST(*c.storage->access_key == "AKFILE");                              // credentials kept
    BOOST_TEST(c.backup_id == "from-file");
    BOOST_TEST(c.origin == file.path());
}

BOOST_AUTO_TEST_CASE(config_errors_surface_as_config_error) {
    kbt::temp_config bad("mode: backup\nsource:\n  bootstrap_server: [x:1]\n");
    try {
        parse_backup_args("backup", {"--config", bad.path()});
        BOOST_FAIL("expected a config error");
    } catch (const kc::config_error& e) {
        BOOST_TEST(e.key() == "source.bootstrap_server");
        BOOST_TEST(e.hint() == "did you mean 'bootstrap_servers'?");
    }
    kbt::temp_config restore_file("mode: restore\n");
    BOOST_CHECK_THROW(parse_backup_args("backup", {"--config", restore_file.path()}),
                      kc::config_error);
}

BOOST_AUTO_TEST_CASE(bad_flags_are_usage_errors) {
    std::vector<std::string> base = {"--bootstrap-servers", "h:1", "--path", "/tmp/x",
                                     "--backup-id",         "b"};
    auto with = [&](std::vector<std::string> extra) {
        auto a = base;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    BOOST_CHECK_THROW(parse_backup_args("backup", with({"--bogus"})), usage_error);
    BOOST_CHECK_THROW(parse_backup_args("backup", with({"--compression-level", "x"})), usage_error);
    BOOST_CHECK_THROW(parse_backup_args("backup", with({"--segment-max-bytes", "lots"})),
                      usage_error);
    BOOST_CHECK_THROW(parse_backup_args("backup", with({"--start-offset", "soon"})), usage_error);
    BOOST_CHECK_THROW(parse_backup_args("backup", with({"--boot", "h:2"})),
                      usage_error);  // no guessing
    BOOST_CHECK_THROW(parse_backup_args("backup", with({"--output", "xml"})), kc::config_error);
    BOOST_CHECK_THROW(parse_backup_args("backup", {}), usage_error);
    try {
        parse_backup_args("backup", with({"--compression", "zstdd"}));
        BOOST_FAIL("expected a config error");
    } catch (const kc::config_error& e) {
        BOOST_TEST(e.hint() == "did you mean 'zstd'?");
    }
    // gzip level 12 passes the flag range but not the codec's
    BOOST_CHECK_THROW(
        parse_backup_args("backup", with({"--compression", "gzip", "--compression-level", "12"})),
        kc::config_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(restore_flags)

const std::vector<std::string> restore_base = {
    "--path", "/backups", "--backup-id", "nightly", "--bootstrap-servers", "dr:9092"};

BOOST_AUTO_TEST_CASE(mapping_time_window_and_offsets) {
    auto a = restore_base;
    for (const char* s :
         {"--topic-map", "orders:orders-restored,payments:p2", "--partition-map", "0:2",
          "--repartition", "p2:6", "--from", "2025-01-15T00:00:00Z", "--to", "1736985600000",
          "--create-topics", "--replication-factor", "1", "--reset-consumer-offsets",
          "--consumer-groups", "orders-streams", "--dry-run", "--source-partitions", "0,1"})
        a.push_back(s);
    auto req = parse_restore_args("restore", a);
    const auto& r = req.cfg.restore;
    BOOST_TEST(r.topic_mapping.at("orders") == "orders-restored");
    BOOST_TEST(r.topic_mapping.at("payments") == "p2");
    BOOST_TEST(r.partition_mapping.at(0) == 2);
    BOOST_TEST(r.repartition.at("p2").target_partitions == 6);
    BOOST_TEST(*r.time_window_start == 1736899200000);
    BOOST_TEST(*r.time_window_end == 1736985600000);
    BOOST_TEST(r.create_topics);
    BOOST_TEST(*r.default_replication_factor == 1);
    BOOST_TEST(r.reset_consumer_offsets);
    BOOST_TEST(r.consumer_groups == std::vector<std::string>{"orders-streams"});
    BOOST_TEST(r.dry_run);
    BOOST_TEST((*r.source_partitions == std::vector<std::int32_t>{0, 1}));
    BOOST_TEST(req.cfg.target->bootstrap_servers == std::vector<std::string>{"dr:9092"});
    BOOST_TEST((req.cfg.storage->backend == kc::storage_backend::filesystem));
}

BOOST_AUTO_TEST_CASE(aliases_set_their_mode) {
    auto three = parse_restore_args("three-phase-restore", restore_base);
    BOOST_TEST(three.cfg.restore.reset_consumer_offsets);
    BOOST_TEST(!three.cfg.restore.dry_run);
    BOOST_TEST(three.command == "three-phase-restore");
    auto check = parse_restore_args("validate-restore", restore_base);
    BOOST_TEST(check.cfg.restore.dry_run);
    auto plain = parse_restore_args("restore", restore_base);
    BOOST_TEST(!plain.cfg.restore.dry_run);
    BOOST_TEST(!plain.cfg.restore.reset_consumer_offsets);
}

BOOST_AUTO_TEST_CASE(bad_restore_flags) {
    auto with = [](std::vector<std::string> extra) {
        auto a = restore_base;
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    };
    BOOST_CHECK_THROW(parse_restore_args("restore", with({"--topic-map", "orders"})), usage_error);
    BOOST_CHECK_THROW(parse_restore_args("restore", with({"--partition-map", "a:1"})), usage_error);
    BOOST_CHECK_THROW(parse_restore_args("restore", with({"--from", "yesterday"})), usage_error);
    BOOST_CHECK_THROW(
        parse_restore_args("restore", with({"--from", "2025-01-16", "--to", "2025-01-15"})),
        kc::config_error);
    BOOST_CHECK_THROW(parse_restore_args("restore", {"--path", "/b", "--backup-id", "x"}),
                      kc::config_error);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(inspection_flags)

BOOST_AUTO_TEST_CASE(list_describe_validate) {
    auto l = parse_list_args("list", {"--path", s3_path, "--format", "json"});
    BOOST_TEST(l.storage.bucket == "kafka-backups");
    BOOST_TEST((l.format == output_format::json));
    auto d =
        parse_describe_args("describe", {"--path", "/b", "--backup-id", "x", "--format", "yaml"});
    BOOST_TEST((d.format == output_format::yaml));
    BOOST_TEST(d.backup_id == "x");
    auto v = parse_validate_args("validate", {"--path", "/b", "--backup-id", "x", "--deep"});
    BOOST_TEST(v.deep);
    BOOST_CHECK_THROW(parse_list_args("list", {}), usage_error);  // no --path
    BOOST_CHECK_THROW(parse_describe_args("describe", {"--path", "/b"}),
                      usage_error);  // no --backup-id
    auto lc = parse_list_args("list", {"--path", "/b", "--format", "csv"});
    BOOST_TEST((lc.format == output_format::csv));
    BOOST_CHECK_THROW(parse_list_args("list", {"--path", "/b", "--format", "xml"}),
                      kc::config_error);
}

BOOST_AUTO_TEST_CASE(storage_and_id_from_a_config_file) {
    kbt::temp_config file(backup_yaml);
    auto d = parse_describe_args("describe", {"--config", file.path()});
    BOOST_TEST(d.storage.bucket == "file-bucket");
    BOOST_TEST(d.backup_id == "from-file");
}

BOOST_AUTO_TEST_CASE(prune_takes_exactly_one_criterion) {
    std::vector<std::string> base = {"--path", "/b", "--backup-id", "x"};
    auto one = base;
    one.insert(one.end(), {"--older-than", "30d"});
    auto p = parse_prune_args("prune", one);
    BOOST_TEST(*p.older_than_ms == 30LL * 86400 * 1000);
    BOOST_TEST(!p.execute);
    BOOST_CHECK_THROW(parse_prune_args("prune", base), usage_error);
    auto two = one;
    two.insert(two.end(), {"--keep-segments", "3"});
    BOOST_CHECK_THROW(parse_prune_args("prune", two), usage_error);
}

BOOST_AUTO_TEST_CASE(offset_mapping_formats) {
    auto m = parse_offset_mapping_args("offset-report",
                                       {"--path", "/b", "--backup-id", "x", "--format", "csv"});
    BOOST_TEST((m.format == output_format::csv));
    BOOST_TEST(m.command == "offset-report");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(offset_tool_flags)

BOOST_AUTO_TEST_CASE(reset_actions_and_targets) {
    auto r = parse_offset_reset_args("offset-reset",
                                     {"execute", "--bootstrap-servers", "h:9092", "--groups",
                                      "payments-processor", "--shift-by", "-20"});
    BOOST_TEST((r.what == offset_reset_request::action::execute));
    BOOST_TEST((r.target.to == reset_target::kind::shift_by));
    BOOST_TEST(r.target.value == -20);
    BOOST_TEST(r.groups == std::vector<std::string>{"payments-processor"});
    auto t = parse_offset_reset_args(
        "offset-reset", {"plan", "--bootstrap-servers", "h:9092", "--groups", "a,b",
                         "--to-timestamp", "2025-01-15T00:00:00Z", "--topics", "orders"});
    BOOST_TEST(t.target.value == 1736899200000);
    BOOST_TEST(t.cluster.topics.include == std::vector<std::string>{"orders"});
    auto m =
        parse_offset_reset_args("offset-reset", {"script", "--bootstrap-servers", "h:9092",
                                                 "--groups", "g", "--from-mapping", "--path", "/b",
                                                 "--backup-id", "x", "--output-file", "reset.sh"});
    BOOST_TEST(m.storage.has_value());
    BOOST_TEST(*m.output_file == "reset.sh");
}

BOOST_AUTO_TEST_CASE(reset_refusals) {
    std::vector<std::string> ok = {"--bootstrap-servers", "h:9092", "--groups", "g"};
    auto with = [&](std::vector<std::string> pre, std::vector<std::string> extra) {
        pre.insert(pre.end(), ok.begin(), ok.end());
        pre.insert(pre.end(), extra.begin(), extra.end());
        return pre;
    };
    BOOST_CHECK_THROW(parse_offset_reset_args("offset-reset", with({}, {"--to-latest"})),
                      usage_error);
    BOOST_CHECK_THROW(parse_offset_reset_args("offset-reset", with({"undo"}, {"--to-latest"})),
                      usage_error);
    BOOST_CHECK_THROW(parse_offset_reset_args("offset-reset", with({"plan"}, {})), usage_error);
    BOOST_CHECK_THROW(
        parse_offset_reset_args("offset-reset", with({"plan"}, {"--to-latest", "--to-earliest"})),
        usage_error);
    BOOST_CHECK_THROW(parse_offset_reset_args("offset-reset", with({"plan"}, {"--from-mapping"})),
                      usage_error);
    BOOST_CHECK_THROW(
        parse_offset_reset_args("offset-reset", {"plan", "--groups", "g", "--to-latest"}),
        kc::config_error);  // no cluster
}

BOOST_AUTO_TEST_CASE(snapshot_and_rollback) {
    auto c = parse_offset_snapshot_args(
        "offset-snapshot", {"create", "--path", "/b", "--bootstrap-servers", "h:1", "--groups",
                            "g1,g2", "--description", "before"});
    BOOST_TEST((c.what == offset_snapshot_request::action::create));
    BOOST_TEST(c.groups.size() == 2u);
    BOOST_TEST(c.description == "before");
    auto l = parse_offset_snapshot_args("offset-snapshot", {"list", "--path", "/b"});
    BOOST_TEST((l.what == offset_snapshot_request::action::list));
    BOOST_CHECK_THROW(parse_offset_snapshot_args("offset-snapshot", {"show", "--path", "/b"}),
                      usage_error);
    BOOST_CHECK_THROW(parse_offset_snapshot_args("offset-snapshot", {"create", "--path", "/b"}),
                      usage_error);
    auto rb = parse_offset_rollback_args(
        "offset-rollback",
        {"--path", "/b", "--snapshot-id", "s1", "--bootstrap-servers", "h:1", "--verify"});
    BOOST_TEST(rb.verify);
    BOOST_TEST(rb.snapshot_id == "s1");
    BOOST_CHECK_THROW(parse_offset_rollback_args("offset-rollback",
                                                 {"--path", "/b", "--bootstrap-servers", "h:1"}),
                      usage_error);
}

BOOST_AUTO_TEST_SUITE_END()
