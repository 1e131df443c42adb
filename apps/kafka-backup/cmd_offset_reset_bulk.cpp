// kafka-backup offset-reset-bulk: many groups to a restore's translated offsets at once.
#include "options.hpp"
#include "parse.hpp"

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description bulk_flags() {
    po::options_description d("Bulk offset reset", 100, 50);
    auto text = [] { return po::value<std::string>(); };
    d.add_options()  //
        ("groups,g", po::value<std::vector<std::string>>()->composing()->value_name("LIST"),
         "groups to reset (default: every group in the offset mapping)")                   //
        ("max-concurrent", text()->value_name("N"), "groups reset at once (default 50)")   //
        ("max-retries", text()->value_name("N"), "retries of a failed group (default 3)")  //
        ("format,f", text()->value_name("FORMAT"), "text|json (default text)");
    return d;
}

po::options_description visible_flags() {
    po::options_description d(100, 50);
    d.add(general_options(true)).add(bulk_flags()).add(storage_options(true)).add(kafka_options());
    return d;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_offset_reset_bulk_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_offset_reset_bulk(req);
}

}  // namespace

offset_reset_bulk_request parse_offset_reset_bulk_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, visible_flags());
    offset_reset_bulk_request req;
    fill_common(req, typed, vm, nullptr);
    req.storage = storage_from(vm);
    req.backup_id = backup_id_from(vm);
    req.cluster = cluster_from(vm);
    req.groups = list_flag(vm, "groups");
    if (auto n = int_flag(vm, "max-concurrent", 1, 1024))
        req.max_concurrent = static_cast<std::uint32_t>(*n);
    if (auto n = int_flag(vm, "max-retries", 0, 100))
        req.max_retries = static_cast<std::uint32_t>(*n);
    req.format =
        format_from(vm, "format", {output_format::text, output_format::json}, output_format::text);
    return req;
}

command_spec offset_reset_bulk_command() {
    return {
        .name = "offset-reset-bulk",
        .aliases = {},
        .summary = "reset many groups in parallel to a restore's translated offsets",
        .usage =
            "kafka-backup offset-reset-bulk -p|--path URL -b|--backup-id ID "
            "--bootstrap-servers HOST:PORT\n"
            "       [-g|--groups LIST] [--max-concurrent N] [--max-retries N] [-f text|json]",
        .details =
            "Commits, for each group, the offsets the backup's restores translated (the offset\n"
            "mapping stored with the backup; the newest restore wins), up to --max-concurrent\n"
            "groups at once, retrying a failed group up to --max-retries times (backoff from\n"
            "100 ms). Groups with active members are refused. Prints each group's outcome\n"
            "(OSO's BulkOffsetResetReport with -f json). Exit 1 only when every group failed.",
        .examples =
            "  kafka-backup offset-reset-bulk --path s3://backups/kafka --backup-id orders-daily "
            "\\\n"
            "      --bootstrap-servers 127.0.0.1:9092 --groups orders-app,billing -f json",
        .options = visible_flags,
        .run = run,
    };
}

}  // namespace kb::cli
