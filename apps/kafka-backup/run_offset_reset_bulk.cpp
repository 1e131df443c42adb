// offset-reset-bulk: wiring to kb_offsets' bulk reset.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "mapping_targets.hpp"

#include <kb/connect/kafka.hpp>
#include <kb/offsets/bulk_reset.hpp>
#include <kb/runtime/run_blocking.hpp>

#include <iostream>

namespace kb::cli {
namespace {

namespace ko = kb::offsets;
using boost::asio::awaitable;

ko::bulk_reset_request bulk_request_of(const offset_reset_bulk_request& req) {
    ko::bulk_reset_request r;
    r.targets = load_mapping_targets(req.storage, req.backup_id);
    r.groups = req.groups;
    if (r.groups.empty())
        for (const auto& [group, offsets] : r.targets) r.groups.push_back(group);
    r.max_concurrent = req.max_concurrent;
    r.max_retries = req.max_retries;
    return r;
}

std::size_t offsets_in(const ko::bulk_reset_request& r) {
    std::size_t n = 0;
    for (const auto& g : r.groups)
        if (auto t = r.targets.find(g); t != r.targets.end()) n += t->second.size();
    return n;
}

}  // namespace

int run_offset_reset_bulk(const offset_reset_bulk_request& req) {
    auto r = bulk_request_of(req);
    if (r.groups.empty()) {
        std::cout << "No offsets to reset. Check that the consumer groups exist in the offset "
                     "mapping.\n";
        return exit_code::ok;
    }
    // Keep stdout a single JSON document with -f json.
    std::ostream& progress = req.format == output_format::json ? std::cerr : std::cout;
    progress << "Starting bulk offset reset...\n"
             << "  Groups: " << r.groups.size() << "\n"
             << "  Total offsets: " << offsets_in(r) << "\n"
             << "  Max concurrency: " << r.max_concurrent << "\n"
             << "  Max retries: " << r.max_retries << "\n\n"
             << std::flush;
    boost::asio::io_context io;
    auto report = kb::runtime::run_blocking(
        io,
        kb::connect::with_client(io.get_executor(), req.cluster, kb::connect::client_role::offsets,
                                 [&](auto& c) { return ko::run_bulk_reset(c, std::move(r)); }));
    if (req.format == output_format::json)
        std::cout << ko::to_json(report).dump(2) << "\n";
    else
        std::cout << ko::to_text(report);
    return report.status() == "failed" ? exit_code::failed : exit_code::ok;
}

}  // namespace kb::cli
