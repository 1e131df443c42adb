// kafka-backup backup: copy topics into a backup.
#include "options.hpp"
#include "parse.hpp"

#include <kb/config/load.hpp>
#include <kb/config/names.hpp>
#include <kb/config/time.hpp>
#include <kb/runtime/echo.hpp>

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {

namespace kc = kb::config;

namespace {

po::options_description backup_flags() {
    po::options_description d("Backup", 100, 50);
    auto list = [] { return po::value<std::vector<std::string>>()->composing(); };
    auto text = [] { return po::value<std::string>(); };
    d.add_options()  //
        ("topics", list()->value_name("LIST"),
         "topics to back up: names, globs (orders-*) or ~regex; replaces source.topics.include")  //
        ("exclude", list()->value_name("LIST"),
         "topics to leave out; replaces source.topics.exclude")                               //
        ("include-internal-topics", po::bool_switch(), "also back up internal topics (__*)")  //
        ("continuous", po::bool_switch(), "keep tailing the topics until stopped")            //
        ("start-offset", text()->value_name("WHERE"),
         "earliest|latest|TIME: where partitions without a checkpoint start")                     //
        ("compression", text()->value_name("CODEC"), "zstd|lz4|gzip|snappy|none (default zstd)")  //
        ("compression-level", text()->value_name("N"),
         "zstd 1..22, gzip 1..9, lz4 0..12 (default 3)")  //
        ("segment-max-bytes", text()->value_name("SIZE"),
         "roll a segment at this size (default 128MiB)")  //
        ("segment-max-interval", text()->value_name("DURATION"),
         "roll a segment after this long, e.g. 30s (default 60s)")  //
        ("max-concurrent-partitions", text()->value_name("N"),
         "partitions in flight (default 8)")  //
        ("consumer-groups", list()->value_name("LIST"),
         "group globs whose offsets to record (default: every group on the topics)")  //
        ("no-consumer-group-snapshot", po::bool_switch(),
         "do not record consumer group offsets")                                           //
        ("acls", po::bool_switch(), "record the ACLs on the topics and groups backed up")  //
        ("cluster-acls", po::bool_switch(),
         "also record cluster, transactional-id, token and user ACLs (implies --acls)")  //
        ("acls-optional", po::bool_switch(),
         "back up without ACLs when the cluster refuses to describe them")             //
        ("output", text()->value_name("FORMAT"), "text|json: the summary at the end")  //
        ("no-progress", po::bool_switch(), "no progress bar");
    return d;
}

po::options_description all_flags() {
    po::options_description d(100, 50);
    d.add(general_options(true))
        .add(backup_flags())
        .add(kafka_options())
        .add(storage_options(true));
    d.add(engine_options());
    return d;
}

void apply_start(const po::variables_map& vm, kc::backup_options& b) {
    auto v = text_flag(vm, "start-offset");
    if (!v) return;
    if (*v == "earliest" || *v == "latest") {
        b.start.where =
            *v == "earliest" ? kc::start_offset::kind::earliest : kc::start_offset::kind::latest;
    } else if (auto ms = kc::try_parse_timestamp_ms(*v)) {
        b.start.where = kc::start_offset::kind::timestamp;
        b.start.timestamp_ms = *ms;
    } else {
        throw usage_error(
            "--start-offset: " + kb::runtime::echo(*v) + " is not earliest, latest or a time",
            "times are epoch ms or RFC 3339, e.g. 2025-01-15T00:00:00Z");
    }
}

void apply_backup_flags(const po::variables_map& vm, kc::backup_options& b) {
    if (switch_flag(vm, "continuous")) {
        b.continuous = true;
        b.stop_at_current_offsets = false;
    }
    if (switch_flag(vm, "include-internal-topics")) b.include_internal_topics = true;
    apply_start(vm, b);
    if (auto v = text_flag(vm, "compression")) b.codec = kc::parse_compression(*v, "--compression");
    if (auto v = int_flag(vm, "compression-level", 0, 22))
        b.compression_level = static_cast<int>(*v);
    if (auto v = size_flag(vm, "segment-max-bytes")) b.segment_max_bytes = *v;
    if (auto v = duration_ms_flag(vm, "segment-max-interval"))
        b.segment_max_interval_ms = static_cast<std::uint64_t>(*v);
    if (auto v = int_flag(vm, "max-concurrent-partitions", 1, 100000))
        b.max_concurrent_partitions = static_cast<std::uint32_t>(*v);
    if (auto groups = list_flag(vm, "consumer-groups"); !groups.empty()) b.consumer_groups = groups;
    if (switch_flag(vm, "no-consumer-group-snapshot")) b.consumer_group_snapshot = false;
    if (switch_flag(vm, "acls")) b.acls = true;
    if (switch_flag(vm, "cluster-acls")) b.acls = b.cluster_acls = true;
    if (switch_flag(vm, "acls-optional")) b.acls_optional = true;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_backup_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_backup(req);
}

}  // namespace

backup_request parse_backup_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, all_flags());
    if (!has_config_file(vm) && !vm.count("bootstrap-servers") && !vm.count("path"))
        throw usage_error(
            "backup needs a config file or flags",
            "give --config FILE, or --bootstrap-servers, --topics, --path and --backup-id");
    kc::config c = config_from(vm);
    kc::kafka_cluster source = c.source.value_or(kc::kafka_cluster{});
    apply_kafka_flags(vm, source, "source");
    if (auto t = list_flag(vm, "topics"); !t.empty()) source.topics.include = t;
    if (auto t = list_flag(vm, "exclude"); !t.empty()) source.topics.exclude = t;
    c.source = source;
    apply_storage_flags(vm, c);
    apply_engine_flags(vm, c);
    apply_backup_flags(vm, c.backup);
    kc::validate(c, kc::mode::backup);

    backup_request req;
    fill_common(req, typed, vm, &c);
    req.output =
        format_from(vm, "output", {output_format::text, output_format::json}, output_format::text);
    req.progress = !switch_flag(vm, "no-progress");
    req.cfg = std::move(c);
    return req;
}

command_spec backup_command() {
    return {
        .name = "backup",
        .aliases = {},
        .summary = "copy topics into a backup (snapshot or continuous)",
        .usage =
            "kafka-backup backup --config FILE [options]\n"
            "       kafka-backup backup --bootstrap-servers HOST:PORT --topics LIST --path URL "
            "--backup-id ID [options]",
        .details =
            "Backs up the selected topics' record batches byte-for-byte, with topic configs and\n"
            "consumer group offsets. One-shot runs stop at the end offsets seen at start;\n"
            "--continuous tails until SIGINT/SIGTERM. Re-running with the same backup id resumes\n"
            "from the last durable segment. Flags override the config file.",
        .examples =
            "  kafka-backup backup --config backup.yaml\n"
            "  kafka-backup backup --bootstrap-servers 127.0.0.1:9092 --topics orders,payments \\\n"
            "      --path 's3://kafka-backups/prod?endpoint=http://127.0.0.1:9000&path_style=true' "
            "\\\n"
            "      --backup-id nightly --compression zstd --compression-level 3",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
