// kafka-backup show-offset-mapping (alias offset-report): offsets per partition and group.
#include "options.hpp"
#include "parse.hpp"

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description all_flags() {
    po::options_description out("Output", 100, 50);
    out.add_options()("format,f", po::value<std::string>()->value_name("FORMAT"),
                      "json|csv|text|yaml (default text)");
    po::options_description d(100, 50);
    d.add(general_options(true)).add(storage_options(true)).add(out);
    return d;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_offset_mapping_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_offset_mapping(req);
}

}  // namespace

offset_mapping_request parse_offset_mapping_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, all_flags());
    offset_mapping_request req;
    fill_common(req, typed, vm, nullptr);
    req.storage = storage_from(vm);
    req.backup_id = backup_id_from(vm);
    req.format = format_from(
        vm, "format",
        {output_format::json, output_format::csv, output_format::text, output_format::yaml},
        output_format::text);
    return req;
}

command_spec offset_mapping_command() {
    return {
        .name = "show-offset-mapping",
        .aliases = {"offset-report"},
        .summary = "offsets, group lags and restore mappings of a backup",
        .usage =
            "kafka-backup show-offset-mapping --path URL --backup-id ID [--format "
            "json|csv|text|yaml]",
        .details =
            "For each topic partition: start and end offset and the records present; for each\n"
            "consumer group recorded at backup time: its offsets and lag. After a restore, also\n"
            "the source->target offset mapping and the translated group offsets.",
        .examples =
            "  kafka-backup offset-report --path /var/backups/kafka --backup-id nightly --format "
            "json \\\n"
            "      | jq '.topics | keys'",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
