// kafka-backup offset-snapshot create|list|show|delete: saved group offsets.
#include "options.hpp"
#include "parse.hpp"

#include <kb/runtime/echo.hpp>

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description snapshot_flags() {
    po::options_description d("Offset snapshot", 100, 50);
    auto text = [] { return po::value<std::string>(); };
    d.add_options()  //
        ("groups,g", po::value<std::vector<std::string>>()->composing()->value_name("LIST"),
         "create: the consumer groups to save")                                                   //
        ("description,d", text()->value_name("TEXT"), "create: a note stored with the snapshot")  //
        ("snapshot-id,s", text()->value_name("ID"), "show, delete: which snapshot")               //
        ("format,f", text()->value_name("FORMAT"), "text|json (default text)");
    return d;
}

po::options_description visible_flags() {
    po::options_description d(100, 50);
    d.add(general_options(true))
        .add(snapshot_flags())
        .add(storage_options(false))
        .add(kafka_options());
    return d;
}

po::options_description all_flags() {
    po::options_description d = visible_flags();
    d.add_options()("action", po::value<std::string>(), "create|list|show|delete");
    return d;
}

using action = offset_snapshot_request::action;

action action_of(const po::variables_map& vm) {
    auto a = text_flag(vm, "action");
    if (!a)
        throw usage_error("offset-snapshot needs an action",
                          "kafka-backup offset-snapshot create|list|show|delete ...");
    if (*a == "create") return action::create;
    if (*a == "list") return action::list;
    if (*a == "show") return action::show;
    if (*a == "delete") return action::remove;
    throw usage_error("unknown offset-snapshot action " + kb::runtime::echo(*a),
                      "use create, list, show or delete");
}

int run(const std::string& typed, const args& a) {
    auto req = parse_offset_snapshot_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_offset_snapshot(req);
}

}  // namespace

offset_snapshot_request parse_offset_snapshot_args(const std::string& typed, const args& a) {
    po::positional_options_description pos;
    pos.add("action", 1);
    auto vm = parse_flags(a, all_flags(), &pos);
    offset_snapshot_request req;
    fill_common(req, typed, vm, nullptr);
    req.what = action_of(vm);
    req.storage = storage_from(vm);
    req.format =
        format_from(vm, "format", {output_format::text, output_format::json}, output_format::text);
    if (req.what == action::create) {
        req.groups = list_flag(vm, "groups");
        if (req.groups.empty())
            throw usage_error("missing --groups", "name the consumer groups to save");
        req.cluster = cluster_from(vm);
        req.description = text_flag(vm, "description").value_or("");
    }
    if (req.what == action::show || req.what == action::remove) {
        req.snapshot_id = snapshot_id_from(vm);
    }
    return req;
}

command_spec offset_snapshot_command() {
    return {
        .name = "offset-snapshot",
        .aliases = {},
        .summary = "save, list, show or delete group offset snapshots",
        .usage =
            "kafka-backup offset-snapshot create --path URL --bootstrap-servers HOST:PORT --groups "
            "LIST\n"
            "       kafka-backup offset-snapshot list --path URL\n"
            "       kafka-backup offset-snapshot show|delete --path URL --snapshot-id ID",
        .details =
            "A snapshot stores the committed offsets of the groups, with the time and a\n"
            "description, in storage; offset-rollback puts them back.",
        .examples =
            "  kafka-backup offset-snapshot create --path /var/backups/kafka \\\n"
            "      --bootstrap-servers 127.0.0.1:9092 --groups orders-streams --description "
            "'before replay'",
        .options = visible_flags,
        .run = run,
    };
}

}  // namespace kb::cli
