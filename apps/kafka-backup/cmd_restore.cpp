// kafka-backup restore | three-phase-restore | validate-restore.
#include "options.hpp"
#include "parse.hpp"

#include <kb/config/load.hpp>
#include <kb/runtime/echo.hpp>

#include <boost/program_options/value_semantic.hpp>

#include <charconv>

namespace kb::cli {

namespace kc = kb::config;

namespace {

po::options_description restore_flags() {
    po::options_description d("Restore", 100, 50);
    auto list = [] { return po::value<std::vector<std::string>>()->composing(); };
    auto text = [] { return po::value<std::string>(); };
    d.add_options()  //
        ("topics", list()->value_name("LIST"),
         "source topics to restore: names, globs or ~regex")                                   //
        ("exclude", list()->value_name("LIST"), "source topics to leave out")                  //
        ("topic-map", list()->value_name("SRC:DST"), "restore topic SRC as DST (repeatable)")  //
        ("partition-map", list()->value_name("SRC:DST"),
         "restore partition SRC into partition DST")  //
        ("repartition", list()->value_name("TOPIC:N"),
         "spread target TOPIC over N partitions by murmur2(key), as Kafka's Java client does")  //
        ("source-partitions", list()->value_name("LIST"),
         "restore only these partition numbers")  //
        ("from", text()->value_name("TIME"),
         "only records at or after TIME (epoch ms or RFC 3339)")              //
        ("to", text()->value_name("TIME"), "only records at or before TIME")  //
        ("timestamp", text()->value_name("TIME"),
         "point-in-time restore to TIME: the same as --to")  //
        ("create-topics", po::bool_switch(),
         "create missing target topics as they were backed up")  //
        ("restore-acls", po::bool_switch(),
         "recreate the ACLs the backup holds (backup --acls), topic renames applied")  //
        ("keep-restored-records", po::bool_switch(),
         "create target topics with retention.ms=-1, so old records are not deleted")            //
        ("replication-factor", text()->value_name("N"), "replication factor of created topics")  //
        ("reset-consumer-offsets", po::bool_switch(),
         "after the data, commit translated offsets for the consumer groups")  //
        ("consumer-groups", list()->value_name("LIST"),
         "groups to translate (default: every group recorded in the backup)")                     //
        ("force-active-groups", po::bool_switch(), "also reset groups that have active members")  //
        ("dry-run", po::bool_switch(), "print the plan and preflight checks; change nothing")     //
        ("restart", po::bool_switch(),
         "produce the records again even if this same restore already completed")               //
        ("offset-report", text()->value_name("FILE"), "also write the offset mapping to FILE")  //
        ("max-concurrent-partitions", text()->value_name("N"),
         "partitions in flight (default 4)")                                                //
        ("output", text()->value_name("FORMAT"), "text|json|yaml: the summary at the end")  //
        ("format,f", text()->value_name("FORMAT"), "the same as --output (OSO's name)")     //
        ("no-progress", po::bool_switch(), "no progress bar");
    return d;
}

po::options_description all_flags() {
    po::options_description d(100, 50);
    d.add(general_options(true))
        .add(restore_flags())
        .add(kafka_options())
        .add(storage_options(true));
    d.add(engine_options());
    return d;
}

// "a:b" -> {a, b}; both parts non-empty.
std::pair<std::string, std::string> split_pair(const std::string& item, const char* flag) {
    auto colon = item.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == item.size())
        throw usage_error(std::string("--") + flag + ": " + kb::runtime::echo(item) +
                          " is not of the form A:B");
    return {item.substr(0, colon), item.substr(colon + 1)};
}

std::int32_t partition_number(const std::string& text, const char* flag) {
    std::int32_t out = -1;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || p != text.data() + text.size() || out < 0)
        throw usage_error(std::string("--") + flag + ": " + kb::runtime::echo(text) +
                          " is not a partition number");
    return out;
}

void apply_mapping_flags(const po::variables_map& vm, kc::restore_options& r) {
    for (const auto& item : list_flag(vm, "topic-map")) {
        auto [src, dst] = split_pair(item, "topic-map");
        r.topic_mapping[src] = dst;
    }
    for (const auto& item : list_flag(vm, "partition-map")) {
        auto [src, dst] = split_pair(item, "partition-map");
        r.partition_mapping[partition_number(src, "partition-map")] =
            partition_number(dst, "partition-map");
    }
    for (const auto& item : list_flag(vm, "repartition")) {
        auto [topic, n] = split_pair(item, "repartition");
        r.repartition[topic].target_partitions = partition_number(n, "repartition");
    }
    if (auto parts = list_flag(vm, "source-partitions"); !parts.empty()) {
        r.source_partitions.emplace();
        for (const auto& p : parts)
            r.source_partitions->push_back(partition_number(p, "source-partitions"));
    }
}

void apply_restore_flags(const po::variables_map& vm, kc::restore_options& r) {
    apply_mapping_flags(vm, r);
    if (auto t = time_flag(vm, "from")) r.time_window_start = *t;
    if (vm.count("to") && vm.count("timestamp"))
        throw usage_error("--to and --timestamp are both given", "keep one; they are the same");
    if (auto t = time_flag(vm, "to")) r.time_window_end = *t;
    if (auto t = time_flag(vm, "timestamp")) r.time_window_end = *t;
    if (switch_flag(vm, "create-topics")) r.create_topics = true;
    if (switch_flag(vm, "restore-acls")) r.restore_acls = true;
    if (switch_flag(vm, "keep-restored-records")) r.preserve_retention = true;
    if (auto n = int_flag(vm, "replication-factor", -1, 32767))
        r.default_replication_factor = static_cast<std::int16_t>(*n);
    if (switch_flag(vm, "reset-consumer-offsets")) r.reset_consumer_offsets = true;
    if (auto g = list_flag(vm, "consumer-groups"); !g.empty()) r.consumer_groups = g;
    if (switch_flag(vm, "force-active-groups")) r.force_reset_active_groups = true;
    if (switch_flag(vm, "dry-run")) r.dry_run = true;
    if (auto f = text_flag(vm, "offset-report")) r.offset_report = *f;
    if (auto n = int_flag(vm, "max-concurrent-partitions", 1, 100000))
        r.max_concurrent_partitions = static_cast<std::uint32_t>(*n);
}

int run(const std::string& typed, const args& a) {
    auto req = parse_restore_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_restore(req);
}

const char* restore_options_text =
    "Reads the backup's segments (verifying checksums and CRCs as they stream) and produces\n"
    "the chosen records with an idempotent producer, in order within each partition. Keys,\n"
    "values, headers and timestamps come back exactly. Re-running a killed restore resumes it\n"
    "without duplicates; re-running one that completed produces nothing (unless --restart).\n"
    "Flags override the config file's restore: section.";

}  // namespace

restore_request parse_restore_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, all_flags());
    if (!has_config_file(vm) && !vm.count("bootstrap-servers") && !vm.count("path"))
        throw usage_error(typed + " needs a config file or flags",
                          "give --config FILE, or --path, --backup-id and --bootstrap-servers");
    kc::config c = config_from(vm);
    kc::kafka_cluster target = c.target.value_or(kc::kafka_cluster{});
    apply_kafka_flags(vm, target, "target");
    if (auto t = list_flag(vm, "topics"); !t.empty()) target.topics.include = t;
    if (auto t = list_flag(vm, "exclude"); !t.empty()) target.topics.exclude = t;
    c.target = target;
    apply_storage_flags(vm, c);
    apply_engine_flags(vm, c);
    apply_restore_flags(vm, c.restore);
    if (typed == "three-phase-restore") c.restore.reset_consumer_offsets = true;
    if (typed == "validate-restore") c.restore.dry_run = true;
    kc::validate(c, kc::mode::restore);

    restore_request req;
    fill_common(req, typed, vm, &c);
    if (vm.count("output") && vm.count("format"))
        throw usage_error("--output and --format are both given", "keep one; they are the same");
    req.output = format_from(vm, vm.count("format") ? "format" : "output",
                             {output_format::text, output_format::json, output_format::yaml},
                             output_format::text);
    req.progress = !switch_flag(vm, "no-progress");
    req.restart = switch_flag(vm, "restart");
    req.cfg = std::move(c);
    return req;
}

command_spec restore_command() {
    return {
        .name = "restore",
        .aliases = {},
        .summary = "restore a backup: whole, a point in time, remapped",
        .usage =
            "kafka-backup restore --config FILE [options]\n"
            "       kafka-backup restore --path URL --backup-id ID --bootstrap-servers HOST:PORT "
            "[options]",
        .details = restore_options_text,
        .examples =
            "  kafka-backup restore --config restore.yaml\n"
            "  kafka-backup restore --path /backups --backup-id nightly \\\n"
            "      --bootstrap-servers 127.0.0.1:9092 --topic-map orders:orders-restored \\\n"
            "      --to 2025-01-15T10:00:00Z --create-topics --reset-consumer-offsets",
        .options = all_flags,
        .run = run,
    };
}

command_spec three_phase_restore_command() {
    return {
        .name = "three-phase-restore",
        .aliases = {},
        .summary = "restore, then move consumer groups to the new offsets",
        .usage = "kafka-backup three-phase-restore --config FILE [options]",
        .details =
            "The same as 'restore --reset-consumer-offsets': restore the data, collect the\n"
            "source->target offset mapping, then commit each group's translated offsets.",
        .examples = "  kafka-backup three-phase-restore --config restore.yaml",
        .options = all_flags,
        .run = run,
    };
}

command_spec validate_restore_command() {
    return {
        .name = "validate-restore",
        .aliases = {},
        .summary = "print a restore's plan and preflight checks only",
        .usage = "kafka-backup validate-restore --config FILE [options]",
        .details =
            "The same as 'restore --dry-run': prints the plan (topics, partitions, offset\n"
            "ranges, records, bytes, segments to read) and the preflight checks.",
        .examples = "  kafka-backup validate-restore --config restore.yaml --output json",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
