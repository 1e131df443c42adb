// kafka-backup snapshot-groups: capture consumer group offsets into an existing backup.
#include "options.hpp"
#include "parse.hpp"

#include <kb/config/load.hpp>

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description visible_flags() {
    po::options_description d(100, 50);
    po::options_description own("Snapshot groups", 100, 50);
    own.add_options()("format", po::value<std::string>()->value_name("FORMAT"),
                      "text|json (default text)");
    d.add(general_options(true)).add(own);
    return d;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_snapshot_groups_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_snapshot_groups(req);
}

}  // namespace

snapshot_groups_request parse_snapshot_groups_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, visible_flags());
    if (!has_config_file(vm))
        throw usage_error("snapshot-groups needs --config",
                          "give the backup's config file (mode: backup) with -c/--config FILE");
    snapshot_groups_request req;
    req.cfg = config_from(vm);
    kb::config::validate(req.cfg, kb::config::mode::backup);
    fill_common(req, typed, vm, &req.cfg);
    req.format =
        format_from(vm, "format", {output_format::text, output_format::json}, output_format::text);
    return req;
}

command_spec snapshot_groups_command() {
    return {
        .name = "snapshot-groups",
        .aliases = {},
        .summary = "save consumer group offsets into an existing backup",
        .usage = "kafka-backup snapshot-groups -c|--config FILE [--format text|json]",
        .details =
            "Reads the committed offsets of every consumer group (or of the groups matching\n"
            "backup.consumer_groups) on the backup's topics from the source cluster and stores\n"
            "them in the backup's manifest, where the backup job puts them too. A restore with\n"
            "restore.auto_consumer_groups or reset_consumer_offsets translates them. Refused\n"
            "while a backup job holds the backup (it snapshots groups itself).",
        .examples = "  kafka-backup snapshot-groups --config backup.yaml",
        .options = visible_flags,
        .run = run,
    };
}

}  // namespace kb::cli
