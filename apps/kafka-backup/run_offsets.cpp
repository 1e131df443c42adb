// offset-reset, offset-snapshot and offset-rollback: wiring to kb_offsets.
#include "commands.hpp"
#include "exit_codes.hpp"
#include "storage_location.hpp"

#include <kb/inspect/run.hpp>
#include <kb/kafka/client/cluster.hpp>
#include <kb/offsets/client.hpp>
#include <kb/offsets/reset.hpp>
#include <kb/offsets/snapshot.hpp>
#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/open.hpp>

#include <fstream>
#include <iostream>

namespace kb::cli {
namespace {

namespace ko = kb::offsets;
namespace kc = kb::kafka::client;
using boost::asio::awaitable;

// Bootstraps a cluster, runs `work` with it, and closes it.
template <class T>
awaitable<T> with_cluster(kc::cluster& c, awaitable<T> work) {
    co_await c.bootstrap();
    std::exception_ptr failure;
    std::optional<T> value;
    try {
        value.emplace(co_await std::move(work));
    } catch (...) {
        failure = std::current_exception();
    }
    co_await c.close();
    if (failure) std::rethrow_exception(failure);
    co_return std::move(*value);
}

void print_json(const nlohmann::json& j) {
    std::cout << j.dump(2) << "\n";
}

// --from-mapping: the group offsets the backup's restores translated, newest restore last
// (so it wins when several restores translated the same partition).
std::map<std::string, std::map<ko::topic_partition, std::int64_t>> mapping_targets(
    const offset_reset_request& req) {
    boost::asio::io_context io;
    auto b = kb::storage::open_backend(io.get_executor(), to_location(*req.storage));
    auto mappings = kb::inspect::run_blocking(
        io,
        [](kb::storage::backend& be,
           std::string id) -> awaitable<std::vector<kb::restore::offset_mapping>> {
            kb::storage::format::backup_layout layout(id);
            std::vector<kb::restore::offset_mapping> out;
            for (const auto& rid : co_await kb::restore::list_offset_mappings(be, layout))
                if (auto m = co_await kb::restore::read_offset_mapping(be, layout, rid))
                    out.push_back(std::move(*m));
            co_return out;
        }(*b, req.backup_id));
    if (mappings.empty())
        throw kb::error(error_class::not_found, "NoOffsetMapping",
                        "backup '" + req.backup_id + "' has no restore offset mapping yet");
    std::sort(mappings.begin(), mappings.end(),
              [](const auto& x, const auto& y) { return x.created_at < y.created_at; });
    std::map<std::string, std::map<ko::topic_partition, std::int64_t>> out;
    for (const auto& m : mappings)
        for (const auto& g : m.groups)
            out[g.group][{g.target_topic, g.target_partition}] = g.target_offset;
    return out;
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
            s.targets = mapping_targets(req);
            break;
    }
    return s;
}

}  // namespace

int run_offset_reset(const offset_reset_request& req) {
    ko::reset_request r{req.groups, req.cluster.topics, spec_of(req),
                        req.what == offset_reset_request::action::execute, req.max_concurrent};
    boost::asio::io_context io;
    kc::cluster c(io.get_executor(), ko::to_client_config(req.cluster));
    auto report = kb::inspect::run_blocking(io, with_cluster(c, ko::run_resets(c, std::move(r))));
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
    kc::cluster c(io.get_executor(), ko::to_client_config(*req.cluster));
    auto snap =
        kb::inspect::run_blocking(io, with_cluster(c, ko::capture(c, req.groups, req.description)));
    auto b = kb::storage::open_backend(io.get_executor(), to_location(req.storage));
    kb::inspect::run_blocking(io, ko::save_snapshot(*b, snap));
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
    auto b = kb::storage::open_backend(io.get_executor(), to_location(req.storage));
    if (req.what == snap_action::list) {
        auto all = kb::inspect::run_blocking(io, ko::list_snapshots(*b));
        if (req.format == output_format::json)
            print_json(ko::list_json(all));
        else
            std::cout << ko::list_text(all);
    } else if (req.what == snap_action::show) {
        auto s = kb::inspect::run_blocking(io, ko::load_snapshot(*b, req.snapshot_id));
        if (req.format == output_format::json)
            print_json(ko::to_json(s));
        else
            std::cout << ko::show_text(s);
    } else {
        kb::inspect::run_blocking(io, ko::delete_snapshot(*b, req.snapshot_id));
        std::cout << "Deleted offset snapshot " << req.snapshot_id << "\n";
    }
    return exit_code::ok;
}

int run_offset_rollback(const offset_rollback_request& req) {
    boost::asio::io_context io;
    auto b = kb::storage::open_backend(io.get_executor(), to_location(req.storage));
    auto snap = kb::inspect::run_blocking(io, ko::load_snapshot(*b, req.snapshot_id));
    kc::cluster c(io.get_executor(), ko::to_client_config(req.cluster));
    auto r = kb::inspect::run_blocking(
        io, with_cluster(c, req.verify_only ? ko::verify_snapshot(c, std::move(snap))
                                            : ko::rollback(c, std::move(snap), req.verify)));
    if (req.format == output_format::json)
        print_json(ko::to_json(r));
    else
        std::cout << ko::to_text(r);
    return r.ok() ? exit_code::ok : exit_code::partial;
}

}  // namespace kb::cli
