// kafka-backup list: the backups in a storage location.
#include "options.hpp"
#include "parse.hpp"

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description all_flags() {
    po::options_description out("Output", 100, 50);
    out.add_options()("format,f", po::value<std::string>()->value_name("FORMAT"),
                      "text|json|csv|yaml (default text)");
    po::options_description d(100, 50);
    d.add(general_options(true)).add(storage_options(false)).add(out);
    return d;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_list_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_list(req);
}

}  // namespace

list_request parse_list_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, all_flags());
    list_request req;
    fill_common(req, typed, vm, nullptr);
    req.storage = storage_from(vm);
    req.format = format_from(
        vm, "format",
        {output_format::text, output_format::json, output_format::csv, output_format::yaml},
        output_format::text);
    return req;
}

command_spec list_command() {
    return {
        .name = "list",
        .aliases = {},
        .summary = "list the backups in a storage location",
        .usage = "kafka-backup list --path URL [--format text|json|csv|yaml]",
        .details = {},
        .examples =
            "  kafka-backup list --path /var/backups/kafka\n"
            "  kafka-backup list --path 's3://kafka-backups/prod?endpoint=http://127.0.0.1:9000' "
            "--format json",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
