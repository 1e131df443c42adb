// `kafka-backup restore | three-phase-restore | validate-restore`: the request as
// engine settings, then the plan (dry run) or the end-of-run summary, text or JSON.
#include "cli.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

#include <kb/config/config.hpp>
#include <kb/connect/storage.hpp>
#include <kb/inspect/catalog.hpp>
#include <kb/restore/restore.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace kb::cli {

namespace {

kb::restore::restore_request engine_request(const restore_request& req) {
    kb::restore::restore_request r;
    r.cfg = req.cfg;
    if (!req.cfg.storage) throw usage_error(req.command + " needs a storage location (--path)");
    r.location = kb::connect::to_location(*req.cfg.storage);
    r.location.retry_deadline = kb::config::retry_deadline(req.cfg.engine, false);
    r.progress = req.progress && req.output == output_format::text;
    r.restart = req.restart;
    return r;
}

// JSON as it is, or the same document as YAML (OSO's --format yaml).
std::string as_format(output_format f, const std::string& json) {
    if (f != output_format::yaml) return json;
    return kb::inspect::to_yaml(nlohmann::json::parse(json));
}

int print_plan(const restore_request& req, const kb::restore::restore_request& r) {
    auto plan = kb::restore::plan_restore(r);
    std::cout << (req.output == output_format::text
                      ? kb::restore::format_plan_text(plan)
                      : as_format(req.output, kb::restore::format_plan_json(plan)));
    return plan.checks_ok() ? exit_code::ok : exit_code::partial;
}

// Frames and the batches made from them are 1-10 MB buffers freed in a different
// order than allocated. glibc raises its mmap threshold to the size of the largest
// freed block, after which such buffers come from the heap and freed ones stay
// resident (a restore under a 256 MiB budget peaked at 460 MB instead of 310 MB).
// A fixed 1 MiB threshold keeps big buffers in mmap, returned to the OS when freed.
void return_big_buffers_to_the_os() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

}  // namespace

int run_restore(const restore_request& req) {
    try {
        auto r = engine_request(req);
        if (req.cfg.restore.dry_run) return print_plan(req, r);
        return_big_buffers_to_the_os();
        auto summary = kb::restore::run_restore(r);
        std::cout << (req.output == output_format::text
                          ? kb::restore::format_summary_text(summary)
                          : as_format(req.output, kb::restore::format_summary_json(summary)));
        return exit_code::ok;
    } catch (...) {
        return report_failure(std::current_exception(), req.command);
    }
}

}  // namespace kb::cli
