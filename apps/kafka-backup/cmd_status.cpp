// kafka-backup status: a backup's progress, from its location (-p/-b) or from the
// running job's metrics endpoint (-c, --watch).
#include "options.hpp"
#include "parse.hpp"

#include <kb/runtime/log.hpp>

#include <boost/program_options/value_semantic.hpp>

#include <iostream>

namespace kb::cli {
namespace {

po::options_description status_flags() {
    po::options_description d("Status", 100, 50);
    d.add_options()                                                               //
        ("watch", po::bool_switch(), "with --config: refresh until interrupted")  //
        ("interval", po::value<std::string>()->value_name("SECS"),
         "seconds between refreshes with --watch (default 2)")                                    //
        ("format,f", po::value<std::string>()->value_name("FORMAT"), "text|json (default text)")  //
        ("db-path", po::value<std::string>()->value_name("FILE"),
         "OSO's SQLite offsets file: not used (progress is read from the backup's manifest)");
    return d;
}

po::options_description visible_flags() {
    po::options_description d(100, 50);
    d.add(general_options(true)).add(status_flags()).add(storage_options(true));
    return d;
}

// OSO connects to 127.0.0.1 when the job listens on every address.
std::string probe_host(const std::string& bind) {
    return bind == "0.0.0.0" || bind == "::" || bind == "[::]" || bind.empty() ? "127.0.0.1" : bind;
}

void parse_live(status_request& req, const po::variables_map& vm) {
    if (vm.count("path") || vm.count("backup-id"))
        throw usage_error("status takes either --config or --path/--backup-id, not both",
                          "--config reads the running job's metrics; --path and --backup-id "
                          "read the backup location");
    auto cfg = config_from(vm);
    fill_common(req, "status", vm, &cfg);
    if (!cfg.metrics || !cfg.metrics->enabled)
        throw usage_error(cfg.origin + ": no enabled 'metrics' section",
                          "status --config reads the running job's metrics endpoint; add "
                          "'metrics: {port: N}' to the backup config, or use --path/--backup-id");
    req.live = true;
    req.host = probe_host(cfg.metrics->bind_address);
    req.port = cfg.metrics->port;
    req.metrics_path = cfg.metrics->path;
    req.backup_id = cfg.backup_id;
}

int run(const std::string& typed, const args& a) {
    auto req = parse_status_args(typed, a);
    kb::log::set_level(req.log_level);
    return run_status(req);
}

}  // namespace

status_request parse_status_args(const std::string& typed, const args& a) {
    auto vm = parse_flags(a, visible_flags());
    status_request req;
    if (has_config_file(vm)) {
        parse_live(req, vm);
    } else {
        fill_common(req, typed, vm, nullptr);
        if (switch_flag(vm, "watch"))
            throw usage_error("--watch needs --config",
                              "give the running backup's config file with -c/--config FILE");
        if (!vm.count("path") || !vm.count("backup-id"))
            throw usage_error("status needs --config, or --path and --backup-id",
                              "kafka-backup status -p PATH -b ID, or status -c backup.yaml");
        req.storage = storage_from(vm);
        req.backup_id = backup_id_from(vm);
    }
    req.command = typed;
    req.watch = switch_flag(vm, "watch");
    if (auto n = int_flag(vm, "interval", 1, 3600)) req.interval_secs = static_cast<unsigned>(*n);
    req.format =
        format_from(vm, "format", {output_format::text, output_format::json}, output_format::text);
    if (vm.count("db-path"))
        std::cerr << "kafka-backup: warning: --db-path is not used: progress is read from the "
                     "backup's manifest\n";
    return req;
}

command_spec status_command() {
    return {
        .name = "status",
        .aliases = {},
        .summary = "progress of a backup: from its location, or live from the running job",
        .usage =
            "kafka-backup status -p|--path URL -b|--backup-id ID [-f text|json]\n"
            "       kafka-backup status -c|--config FILE [--watch [--interval SECS]] [-f "
            "text|json]",
        .details =
            "With --path and --backup-id: the backup's totals from its newest manifest (segments,\n"
            "records, compressed and uncompressed size, compression ratio), each partition's last\n"
            "backed-up offset against its end offset, and whether a backup job holds the backup\n"
            "now. With --config: the running job's /health and /metrics (the config's 'metrics'\n"
            "section; 0.0.0.0 is read on 127.0.0.1); --watch refreshes every --interval seconds\n"
            "until interrupted (Ctrl+C). With --format json --watch, one JSON document per line.",
        .examples =
            "  kafka-backup status --path s3://backups/kafka --backup-id orders-daily\n"
            "  kafka-backup status --config backup.yaml --watch --interval 5",
        .options = visible_flags,
        .run = run,
    };
}

}  // namespace kb::cli
