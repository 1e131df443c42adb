// kafka-backup describe: one backup's manifest in detail.
#include "options.hpp"
#include "parse.hpp"

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description all_flags() {
    po::options_description out("Output", 100, 50);
    out.add_options()("format,f", po::value<std::string>()->value_name("FORMAT"),
                      "text|json|yaml (default text)");
    po::options_description d(100, 50);
    d.add(general_options(true)).add(storage_options(true)).add(out);
    return d;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_describe_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_describe(req);
}

}  // namespace

describe_request parse_describe_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, all_flags());
    describe_request req;
    fill_common(req, typed, vm, nullptr);
    req.storage = storage_from(vm);
    req.backup_id = backup_id_from(vm);
    req.format =
        format_from(vm, "format", {output_format::text, output_format::json, output_format::yaml},
                    output_format::text);
    return req;
}

command_spec describe_command() {
    return {
        .name = "describe",
        .aliases = {},
        .summary = "show a backup's topics, partitions, offsets and groups",
        .usage = "kafka-backup describe --path URL --backup-id ID [--format text|json|yaml]",
        .details = {},
        .examples =
            "  kafka-backup describe --path /var/backups/kafka --backup-id nightly --format json",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
