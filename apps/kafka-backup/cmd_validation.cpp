// kafka-backup validation run|evidence-list|evidence-get|evidence-verify (OSO's
// compliance evidence commands): one command that dispatches on its first argument.
#include "options.hpp"
#include "parse.hpp"

#include <kb/config/validation.hpp>

#include <boost/program_options/value_semantic.hpp>

namespace kb::cli {
namespace {

using action = validation_request::action;

po::options_description validation_flags() {
    po::options_description d("Validation", 100, 50);
    auto text = [] { return po::value<std::string>(); };
    d.add_options()                                                                              //
        ("pitr", text()->value_name("MS"), "run: the point in time restored to (recorded)")      //
        ("triggered-by", text()->value_name("TEXT"), "run: who or what started it (recorded)")   //
        ("limit,l", text()->value_name("N"), "evidence-list: show at most N keys (default 50)")  //
        ("prefix", text()->value_name("PREFIX"),
         "evidence-list, evidence-get: where reports live (default evidence-reports/)")  //
        ("report,r", text()->value_name("ID|FILE"),
         "evidence-get: the report id; evidence-verify: the report file")                    //
        ("report-id", text()->value_name("ID"), "evidence-get: the report id")               //
        ("format,f", text()->value_name("FORMAT"), "evidence-get: json|sig (default json)")  //
        ("output,o", text()->value_name("FILE"), "evidence-get: write the report here")      //
        ("signature,s", text()->value_name("FILE"), "evidence-verify: the .sig file")        //
        ("public-key", text()->value_name("PEM"),
         "evidence-verify: also check the ECDSA signature with this public key");
    return d;
}

po::options_description visible_flags() {
    po::options_description d(100, 50);
    d.add(general_options(true)).add(validation_flags()).add(storage_options(false));
    return d;
}

po::options_description all_flags() {
    po::options_description d = visible_flags();
    d.add_options()("action", po::value<std::string>(), "run|evidence-list|...");
    return d;
}

action action_of(const po::variables_map& vm) {
    auto a = text_flag(vm, "action");
    if (!a)
        throw usage_error("validation needs an action",
                          "kafka-backup validation run|evidence-list|evidence-get|evidence-verify");
    if (*a == "run") return action::run;
    if (*a == "evidence-list") return action::evidence_list;
    if (*a == "evidence-get") return action::evidence_get;
    if (*a == "evidence-verify") return action::evidence_verify;
    throw usage_error("unknown validation action '" + *a + "'",
                      "use run, evidence-list, evidence-get or evidence-verify");
}

std::string required(const po::variables_map& vm, const char* name, const char* hint) {
    auto v = text_flag(vm, name);
    if (!v || v->empty()) throw usage_error(std::string("missing --") + name, hint);
    return *v;
}

void parse_run(validation_request& req, const po::variables_map& vm) {
    auto path = required(vm, "config", "give the validation YAML with -c/--config FILE");
    req.cfg = kb::config::load_validation_file(path);
    if (auto t = time_flag(vm, "pitr")) req.cfg->pitr_timestamp = *t;
    if (auto t = text_flag(vm, "triggered-by")) req.cfg->triggered_by = *t;
}

void parse_evidence(validation_request& req, const po::variables_map& vm) {
    req.storage = storage_from(vm);
    req.prefix = text_flag(vm, "prefix").value_or("evidence-reports/");
    if (!req.prefix.empty() && req.prefix.back() != '/') req.prefix += '/';
    if (req.what == action::evidence_list) {
        if (auto n = int_flag(vm, "limit", 1, 1000000)) req.limit = static_cast<std::size_t>(*n);
        return;
    }
    auto id = text_flag(vm, "report-id");
    if (!id) id = text_flag(vm, "report");
    if (!id || id->empty())
        throw usage_error("missing --report-id",
                          "'kafka-backup validation evidence-list' lists them");
    req.report_id = *id;
    req.output = required(vm, "output", "give the file to write with -o/--output FILE");
    req.extension = text_flag(vm, "format").value_or("json");
    if (req.extension != "json" && req.extension != "sig")
        throw usage_error("unknown --format '" + req.extension + "'", "use json or sig");
}

int run(const std::string& typed, const args& a) {
    auto req = parse_validation_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_validation(req);
}

}  // namespace

validation_request parse_validation_args(const std::string& typed, const args& a) {
    po::positional_options_description pos;
    pos.add("action", 1);
    auto vm = parse_flags(a, all_flags(), &pos);
    validation_request req;
    fill_common(req, typed, vm, nullptr);
    req.what = action_of(vm);
    if (req.what == action::run) {
        parse_run(req, vm);
    } else if (req.what == action::evidence_verify) {
        req.report_file = required(vm, "report", "give the report file with -r/--report FILE");
        req.signature_file =
            required(vm, "signature", "give the .sig file with -s/--signature FILE");
        req.public_key = text_flag(vm, "public-key");
    } else {
        parse_evidence(req, vm);
    }
    return req;
}

command_spec validation_command() {
    return {
        .name = "validation",
        .aliases = {},
        .summary = "check a restored cluster against its backup; signed evidence reports",
        .usage =
            "kafka-backup validation run -c|--config FILE [--pitr MS] [--triggered-by TEXT]\n"
            "       kafka-backup validation evidence-list -p|--path URL [-l|--limit N]\n"
            "       kafka-backup validation evidence-get -p|--path URL -r|--report-id ID "
            "-o|--output FILE [-f json|sig]\n"
            "       kafka-backup validation evidence-verify -r|--report FILE -s|--signature FILE "
            "[--public-key PEM]",
        .details =
            "run reads the validation YAML (backup_id, storage, target, checks, evidence; see\n"
            "docs/cli.md), compares the restored target with the backup's manifest (record\n"
            "counts, offset ranges, consumer group offsets), prints the results and stores a\n"
            "JSON evidence report under evidence.storage.prefix, with an ECDSA P-256 '.sig'\n"
            "when evidence.signing is enabled. Exit 1 when a check failed.\n"
            "evidence-verify checks a report's SHA-256 against its .sig and, with --public-key,\n"
            "the signature; exit 1 on any mismatch.",
        .examples =
            "  kafka-backup validation run -c validation.yaml --triggered-by nightly-dr-drill\n"
            "  kafka-backup validation evidence-verify -r report.json -s report.sig "
            "--public-key ecdsa-pub.pem",
        .options = visible_flags,
        .run = run,
    };
}

}  // namespace kb::cli
