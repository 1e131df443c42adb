// kafka-backup validate: check a backup is whole (quick) or sound (--deep).
#include "options.hpp"
#include "parse.hpp"

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description all_flags() {
    po::options_description v("Validate", 100, 50);
    v.add_options()  //
        ("deep", po::bool_switch(),
         "read every segment: checksums, batch CRCs, offset continuity, record counts")  //
        ("format,f", po::value<std::string>()->value_name("FORMAT"), "text|json (default text)");
    po::options_description d(100, 50);
    d.add(general_options(true)).add(storage_options(true)).add(v);
    return d;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_validate_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_validate(req);
}

}  // namespace

validate_request parse_validate_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, all_flags());
    validate_request req;
    fill_common(req, typed, vm, nullptr);
    req.storage = storage_from(vm);
    req.backup_id = backup_id_from(vm);
    req.deep = switch_flag(vm, "deep");
    req.format =
        format_from(vm, "format", {output_format::text, output_format::json}, output_format::text);
    return req;
}

command_spec validate_command() {
    return {
        .name = "validate",
        .aliases = {},
        .summary = "check a backup's segments exist (--deep: are intact)",
        .usage = "kafka-backup validate --path URL --backup-id ID [--deep] [--format text|json]",
        .details =
            "Quick mode checks that every segment the manifest names exists with the right\n"
            "size. --deep streams every segment. Each bad object is named with its position;\n"
            "the exit code is 3 when anything is wrong.",
        .examples = "  kafka-backup validate --path /var/backups/kafka --backup-id nightly --deep",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
