// kafka-backup prune: delete old segments of a backup (plans unless --execute).
#include "options.hpp"
#include "parse.hpp"

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description all_flags() {
    po::options_description p("Prune (give exactly one criterion)", 100, 50);
    auto text = [] { return po::value<std::string>(); };
    p.add_options()  //
        ("older-than", text()->value_name("DURATION"),
         "segments whose newest record is older, e.g. 30d")                                    //
        ("before", text()->value_name("TIME"), "segments whose newest record is before TIME")  //
        ("max-total-bytes", text()->value_name("SIZE"),
         "delete oldest segments until the backup fits")  //
        ("keep-segments", text()->value_name("N"),
         "keep the newest N segments of each partition")                           //
        ("execute", po::bool_switch(), "delete; without it, only print the plan")  //
        ("format,f", text()->value_name("FORMAT"), "text|json (default text)");
    po::options_description d(100, 50);
    d.add(general_options(true)).add(storage_options(true)).add(p);
    return d;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_prune_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_prune(req);
}

}  // namespace

prune_request parse_prune_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, all_flags());
    prune_request req;
    fill_common(req, typed, vm, nullptr);
    req.older_than_ms = duration_ms_flag(vm, "older-than");
    req.before_ms = time_flag(vm, "before");
    req.max_total_bytes = size_flag(vm, "max-total-bytes");
    if (auto n = int_flag(vm, "keep-segments", 0, INT64_MAX))
        req.keep_segments = static_cast<std::uint64_t>(*n);
    int criteria = req.older_than_ms.has_value() + req.before_ms.has_value() +
                   req.max_total_bytes.has_value() + req.keep_segments.has_value();
    if (criteria != 1)
        throw usage_error(
            criteria == 0 ? "prune needs a criterion" : "prune takes one criterion at a time",
            "give one of --older-than, --before, --max-total-bytes, --keep-segments");
    req.storage = storage_from(vm);
    req.backup_id = backup_id_from(vm);
    req.execute = switch_flag(vm, "execute");
    req.format =
        format_from(vm, "format", {output_format::text, output_format::json}, output_format::text);
    return req;
}

command_spec prune_command() {
    return {
        .name = "prune",
        .aliases = {},
        .summary = "delete old segments (prints the plan unless --execute)",
        .usage =
            "kafka-backup prune --path URL --backup-id ID (--older-than D | --before T |\n"
            "       --max-total-bytes N | --keep-segments N) [--execute]",
        .details =
            "Never deletes segments a running continuous backup still needs: when the\n"
            "backup's checkpoint is fresh, prune refuses.",
        .examples =
            "  kafka-backup prune --path /var/backups/kafka --backup-id tail --older-than 30d\n"
            "  kafka-backup prune --path /var/backups/kafka --backup-id tail --older-than 30d "
            "--execute",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
