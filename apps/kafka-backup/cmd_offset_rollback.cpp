// kafka-backup offset-rollback: put a snapshot's group offsets back.
#include "options.hpp"
#include "parse.hpp"

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description all_flags() {
    po::options_description r("Offset rollback", 100, 50);
    r.add_options()  //
        ("snapshot-id", po::value<std::string>()->value_name("ID"),
         "the snapshot to restore (required)")                                         //
        ("verify", po::bool_switch(), "read the offsets back afterwards and compare")  //
        ("format", po::value<std::string>()->value_name("FORMAT"), "text|json (default text)");
    po::options_description d(100, 50);
    d.add(general_options(true)).add(r).add(storage_options(false)).add(kafka_options());
    return d;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_offset_rollback_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_offset_rollback(req);
}

}  // namespace

offset_rollback_request parse_offset_rollback_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, all_flags());
    offset_rollback_request req;
    fill_common(req, typed, vm, nullptr);
    req.snapshot_id = snapshot_id_from(vm);
    req.storage = storage_from(vm);
    req.cluster = cluster_from(vm);
    req.verify = switch_flag(vm, "verify");
    req.format =
        format_from(vm, "format", {output_format::text, output_format::json}, output_format::text);
    return req;
}

command_spec offset_rollback_command() {
    return {
        .name = "offset-rollback",
        .aliases = {},
        .summary = "put back a snapshot's group offsets (and verify)",
        .usage =
            "kafka-backup offset-rollback --path URL --snapshot-id ID --bootstrap-servers "
            "HOST:PORT "
            "[--verify]",
        .details =
            "Each group gets exactly the snapshot's offsets back: they are committed, and the\n"
            "commits of partitions that had none at snapshot time are deleted (OffsetDelete).\n"
            "Groups with active members are refused. With --verify the committed offsets are read\n"
            "back and compared with the snapshot both ways; any difference gives exit code 3.",
        .examples =
            "  kafka-backup offset-rollback --path /var/backups/kafka --snapshot-id "
            "20250115T100000Z \\\n"
            "      --bootstrap-servers 127.0.0.1:9092 --verify",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
