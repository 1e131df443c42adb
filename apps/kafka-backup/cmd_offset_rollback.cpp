// kafka-backup offset-rollback: put a snapshot's group offsets back.
#include "options.hpp"
#include "parse.hpp"

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description all_flags() {
    po::options_description r("Offset rollback", 100, 50);
    r.add_options()  //
        ("snapshot-id,s", po::value<std::string>()->value_name("ID"),
         "the snapshot to restore (required)")                                         //
        ("verify", po::bool_switch(), "read the offsets back afterwards and compare")  //
        ("format,f", po::value<std::string>()->value_name("FORMAT"), "text|json (default text)");
    po::options_description d(100, 50);
    d.add(general_options(true)).add(r).add(storage_options(false)).add(kafka_options());
    return d;
}

int rollback(const std::string& typed, const args& a, bool oso_verify, bool verify_only) {
    auto req = parse_offset_rollback_args(typed, a);
    req.verify = req.verify || oso_verify;
    req.verify_only = verify_only;
    kb::log::set_level(req.log_level);
    return run_offset_rollback(req);
}

// OSO's command tree, `offset-rollback snapshot|list|show|rollback|verify|delete`,
// on our commands: the snapshot actions are offset-snapshot's, `rollback` always
// verifies (as OSO's does), `verify` only compares.
int run(const std::string& typed, const args& a) {
    const std::string action = a.empty() ? "" : a.front();
    const args rest = a.empty() ? a : args(a.begin() + 1, a.end());
    if (action == "snapshot" || action == "list" || action == "show" || action == "delete") {
        args snapshot_args{action == "snapshot" ? "create" : action};
        snapshot_args.insert(snapshot_args.end(), rest.begin(), rest.end());
        return offset_snapshot_command().run(typed, snapshot_args);
    }
    if (action == "rollback") return rollback(typed, rest, true, false);
    if (action == "verify") return rollback(typed, rest, false, true);
    return rollback(typed, a, false, false);
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
            "kafka-backup offset-rollback [rollback] --path URL --snapshot-id ID "
            "--bootstrap-servers HOST:PORT [--verify]\n"
            "       kafka-backup offset-rollback verify --path URL --snapshot-id ID "
            "--bootstrap-servers HOST:PORT\n"
            "       kafka-backup offset-rollback snapshot|list|show|delete ...   (the same as "
            "offset-snapshot create|list|show|delete)",
        .details =
            "Each group gets exactly the snapshot's offsets back: they are committed, and the\n"
            "commits of partitions that had none at snapshot time are deleted (OffsetDelete).\n"
            "Groups with active members are refused. With --verify the committed offsets are read\n"
            "back and compared with the snapshot both ways; any difference gives exit code 3.\n"
            "OSO kafka-backup's spellings work too: 'offset-rollback rollback' (always verifies),\n"
            "'offset-rollback verify' (compares only, commits nothing) and 'offset-rollback\n"
            "snapshot|list|show|delete', which are offset-snapshot's actions.",
        .examples =
            "  kafka-backup offset-rollback --path /var/backups/kafka --snapshot-id "
            "20250115T100000Z \\\n"
            "      --bootstrap-servers 127.0.0.1:9092 --verify",
        .options = all_flags,
        .run = run,
    };
}

}  // namespace kb::cli
