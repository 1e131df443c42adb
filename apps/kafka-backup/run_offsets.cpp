// offset-reset, offset-snapshot and offset-rollback: wiring to kb_offsets.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "mapping_targets.hpp"

#include <kb/connect/kafka.hpp>
#include <kb/connect/storage.hpp>
#include <kb/offsets/reset.hpp>
#include <kb/offsets/snapshot.hpp>
#include <kb/runtime/error.hpp>
#include <kb/runtime/run_blocking.hpp>

#include <fstream>
#include <iostream>

namespace kb::cli {
namespace {

namespace ko = kb::offsets;
using boost::asio::awaitable;

// Runs `work` with a bootstrapped client of `cluster` (group tools: one connection per broker).
template <class Work>
auto with_cluster(boost::asio::io_context& io, const kb::config::kafka_cluster& cluster,
                  Work work) {
    return kb::runtime::run_blocking(
        io, kb::connect::with_client(io.get_executor(), cluster, kb::connect::client_role::offsets,
                                     std::move(work)));
}

void print_json(const nlohmann::json& j) {
    std::cout << j.dump(2) << "\n";
}

ko::reset_spec spec_of(const offset_reset_request& req) {
    using k = reset_target::kind;
    using sk = ko::reset_spec::kind;
    ko::reset_spec s;
    s.value = req.target.value;
    switch (req.target.to) {
        case k::earliest:
            s.to = sk::earliest;
            break;
        case k::latest:
            s.to = sk::latest;
            break;
        case k::offset:
            s.to = sk::offset;
            break;
        case k::timestamp:
            s.to = sk::timestamp;
            break;
        case k::shift_by:
            s.to = sk::shift_by;
            break;
        case k::from_mapping:
            s.to = sk::explicit_offsets;
            s.targets = load_mapping_targets(*req.storage, req.backup_id);
            break;
    }
    return s;
}

}  // namespace

int run_offset_reset(const offset_reset_request& req) {
    ko::reset_request r{req.groups, req.cluster.topics, spec_of(req),
                        req.what == offset_reset_request::action::execute, req.max_concurrent};
    boost::asio::io_context io;
    auto report =
        with_cluster(io, req.cluster, [&](auto& c) { return ko::run_resets(c, std::move(r)); });
    if (req.what == offset_reset_request::action::script) {
        auto script = ko::to_script(report, req.cluster.bootstrap_servers);
        if (req.output_file) {
            std::ofstream f(*req.output_file);
            f << script;
            if (!f)
                throw kb::error(error_class::fatal, "WriteFailed",
                                "cannot write " + *req.output_file);
        } else {
            std::cout << script;
        }
    } else if (req.format == output_format::json) {
        print_json(ko::to_json(report));
    } else if (req.format == output_format::csv) {
        std::cout << ko::to_csv(report);
    } else {
        std::cout << ko::to_text(report);
    }
    for (const auto& g : report.groups)
        if (g.status == ko::group_status::failed || g.status == ko::group_status::refused)
            std::cerr << "kafka-backup: " << g.group << ": " << ko::to_string(g.status) << ": "
                      << g.message << std::endl;
    return report.failed() == 0 ? exit_code::ok : exit_code::partial;
}

namespace {

using snap_action = offset_snapshot_request::action;

int snapshot_create(const offset_snapshot_request& req) {
    boost::asio::io_context io;
    auto snap = with_cluster(io, *req.cluster,
                             [&](auto& c) { return ko::capture(c, req.groups, req.description); });
    auto b = kb::connect::open_storage(io.get_executor(), req.storage);
    kb::runtime::run_blocking(io, ko::save_snapshot(*b, snap));
    if (req.format == output_format::json)
        print_json(ko::to_json(snap));
    else
        std::cout << "Created offset snapshot " << snap.snapshot_id << "\n" << ko::show_text(snap);
    return exit_code::ok;
}

}  // namespace

int run_offset_snapshot(const offset_snapshot_request& req) {
    if (req.what == snap_action::create) return snapshot_create(req);
    boost::asio::io_context io;
    auto b = kb::connect::open_storage(io.get_executor(), req.storage);
    if (req.what == snap_action::list) {
        auto all = kb::runtime::run_blocking(io, ko::list_snapshots(*b));
        if (req.format == output_format::json)
            print_json(ko::list_json(all));
        else
            std::cout << ko::list_text(all);
    } else if (req.what == snap_action::show) {
        auto s = kb::runtime::run_blocking(io, ko::load_snapshot(*b, req.snapshot_id));
        if (req.format == output_format::json)
            print_json(ko::to_json(s));
        else
            std::cout << ko::show_text(s);
    } else {
        kb::runtime::run_blocking(io, ko::delete_snapshot(*b, req.snapshot_id));
        std::cout << "Deleted offset snapshot " << req.snapshot_id << "\n";
    }
    return exit_code::ok;
}

int run_offset_rollback(const offset_rollback_request& req) {
    boost::asio::io_context io;
    auto b = kb::connect::open_storage(io.get_executor(), req.storage);
    auto snap = kb::runtime::run_blocking(io, ko::load_snapshot(*b, req.snapshot_id));
    auto r = with_cluster(io, req.cluster, [&](auto& c) {
        return req.verify_only ? ko::verify_snapshot(c, std::move(snap))
                               : ko::rollback(c, std::move(snap), req.verify);
    });
    if (req.format == output_format::json)
        print_json(ko::to_json(r));
    else
        std::cout << ko::to_text(r);
    return r.ok() ? exit_code::ok : exit_code::partial;
}

}  // namespace kb::cli
