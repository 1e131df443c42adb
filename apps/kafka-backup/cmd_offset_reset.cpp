// kafka-backup offset-reset plan|execute|script: move consumer groups in bulk.
#include "options.hpp"
#include "parse.hpp"

#include <kb/runtime/echo.hpp>

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

po::options_description reset_flags() {
    po::options_description d("Offset reset (give exactly one --to-*/--shift-by/--from-mapping)",
                              100, 50);
    auto text = [] { return po::value<std::string>(); };
    auto list = [] { return po::value<std::vector<std::string>>()->composing(); };
    d.add_options()                                                                     //
        ("groups,g", list()->value_name("LIST"), "consumer groups to move (required)")  //
        ("topics", list()->value_name("LIST"),
         "only these topics' offsets (names, globs, ~regex)")                                     //
        ("to-earliest", po::bool_switch(), "to each partition's earliest offset")                 //
        ("to-latest", po::bool_switch(), "to each partition's end offset")                        //
        ("to-offset", text()->value_name("N"), "to offset N")                                     //
        ("to-timestamp", text()->value_name("TIME"), "to the first record at or after TIME")      //
        ("shift-by", text()->value_name("N"), "by N from the committed offset (negative: back)")  //
        ("from-mapping", po::bool_switch(),
         "to the offsets translated by a restore (--path, --backup-id)")  //
        ("format,f", text()->value_name("FORMAT"),
         "text|json|csv for plan and execute (default text)")                                    //
        ("output-file,o", text()->value_name("FILE"), "script: write here instead of stdout")    //
        ("output", text()->value_name("FILE"), "the same as --output-file (OSO's name)")         //
        ("dry-run", po::bool_switch(), "plan: accepted for OSO's CLI (a plan changes nothing)")  //
        ("max-concurrent", text()->value_name("N"), "groups handled at once (default 8)");
    return d;
}

po::options_description visible_flags() {
    po::options_description d(100, 50);
    d.add(general_options(true)).add(reset_flags()).add(kafka_options()).add(storage_options(true));
    return d;
}

po::options_description all_flags() {
    po::options_description d = visible_flags();
    d.add_options()("action", po::value<std::string>(), "plan|execute|script");
    return d;
}

offset_reset_request::action action_of(const po::variables_map& vm) {
    auto a = text_flag(vm, "action");
    if (!a)
        throw usage_error("offset-reset needs an action",
                          "kafka-backup offset-reset plan|execute|script ...");
    if (*a == "plan") return offset_reset_request::action::plan;
    if (*a == "execute") return offset_reset_request::action::execute;
    if (*a == "script") return offset_reset_request::action::script;
    throw usage_error("unknown offset-reset action " + kb::runtime::echo(*a),
                      "use plan, execute or script");
}

// Exactly one of the target flags; none with a backup location (OSO's form,
// `offset-reset plan -p PATH -b ID`) means the offsets a restore translated.
reset_target target_of(const po::variables_map& vm) {
    using kind = reset_target::kind;
    std::vector<reset_target> chosen;
    if (switch_flag(vm, "to-earliest")) chosen.push_back({kind::earliest, 0});
    if (switch_flag(vm, "to-latest")) chosen.push_back({kind::latest, 0});
    if (auto n = int_flag(vm, "to-offset", 0, INT64_MAX)) chosen.push_back({kind::offset, *n});
    if (auto t = time_flag(vm, "to-timestamp")) chosen.push_back({kind::timestamp, *t});
    if (auto n = int_flag(vm, "shift-by", INT64_MIN, INT64_MAX))
        chosen.push_back({kind::shift_by, *n});
    bool location = vm.count("path") || vm.count("backup-id");
    if (switch_flag(vm, "from-mapping") || (chosen.empty() && location))
        chosen.push_back({kind::from_mapping, 0});
    if (chosen.size() != 1)
        throw usage_error(
            chosen.empty() ? "offset-reset needs a target" : "offset-reset takes one target",
            "give one of --to-earliest, --to-latest, --to-offset, --to-timestamp, "
            "--shift-by, --from-mapping");
    return chosen.front();
}

int run(const std::string& typed, const args& a) {
    auto req = parse_offset_reset_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_offset_reset(req);
}

}  // namespace

offset_reset_request parse_offset_reset_args(const std::string& typed, const args& a) {
    po::positional_options_description pos;
    pos.add("action", 1);
    auto vm = parse_flags(a, all_flags(), &pos);
    offset_reset_request req;
    fill_common(req, typed, vm, nullptr);
    req.what = action_of(vm);
    // OSO writes `plan --format shell-script` for what is our `script` action.
    if (auto f = text_flag(vm, "format");
        f && (*f == "shell-script" || *f == "shell" || *f == "sh" || *f == "script")) {
        if (req.what != offset_reset_request::action::plan)
            throw usage_error("--format " + *f + " is for plan", "or use 'offset-reset script'");
        req.what = offset_reset_request::action::script;
    }
    req.target = target_of(vm);
    req.groups = list_flag(vm, "groups");
    if (req.groups.empty())
        throw usage_error("missing --groups", "name the consumer groups to move");
    req.cluster = cluster_from(vm);
    if (auto t = list_flag(vm, "topics"); !t.empty()) req.cluster.topics = {t, {}};
    if (req.target.to == reset_target::kind::from_mapping) {
        req.storage = storage_from(vm);
        req.backup_id = backup_id_from(vm);
    }
    if (req.what != offset_reset_request::action::script)
        req.format = format_from(vm, "format",
                                 {output_format::text, output_format::json, output_format::csv},
                                 output_format::text);
    if (vm.count("output") && vm.count("output-file"))
        throw usage_error("--output and --output-file are both given", "keep one");
    req.output_file = text_flag(vm, vm.count("output") ? "output" : "output-file");
    if (auto n = int_flag(vm, "max-concurrent", 1, 1024))
        req.max_concurrent = static_cast<std::uint32_t>(*n);
    return req;
}

command_spec offset_reset_command() {
    return {
        .name = "offset-reset",
        .aliases = {},
        .summary = "plan, execute or script group offset resets in bulk",
        .usage =
            "kafka-backup offset-reset plan|execute|script --bootstrap-servers HOST:PORT --groups "
            "LIST\n"
            "       (--to-earliest | --to-latest | --to-offset N | --to-timestamp T | --shift-by N "
            "|\n"
            "        --from-mapping --path URL --backup-id ID) [options]\n"
            "       kafka-backup offset-reset plan|execute|script -p PATH -b ID -g LIST "
            "--bootstrap-servers HOST:PORT   (OSO's form: --from-mapping implied)",
        .details =
            "plan shows current -> new offsets per partition; execute commits them (groups with\n"
            "active members are refused); script writes an equivalent kafka-consumer-groups.sh\n"
            "script. The exit code is 3 when some groups failed.",
        .examples =
            "  kafka-backup offset-reset plan --bootstrap-servers 127.0.0.1:9092 --groups "
            "payments-processor "
            "--shift-by -20\n"
            "  kafka-backup offset-reset execute --bootstrap-servers 127.0.0.1:9092 --groups g1,g2 "
            "--to-earliest",
        .options = visible_flags,
        .run = run,
    };
}

}  // namespace kb::cli
