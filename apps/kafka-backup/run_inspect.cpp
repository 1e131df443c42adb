// list, describe, validate, prune and show-offset-mapping: wiring to kb_inspect.
#include "commands.hpp"
#include "exit_codes.hpp"

#include <kb/connect/storage.hpp>
#include <kb/inspect/catalog.hpp>
#include <kb/inspect/prune.hpp>
#include <kb/inspect/report.hpp>
#include <kb/inspect/validate.hpp>
#include <kb/restore/offset_mapping.hpp>
#include <kb/runtime/run_blocking.hpp>

#include <chrono>
#include <iostream>

namespace kb::cli {
namespace {

namespace ki = kb::inspect;
using boost::asio::awaitable;

// A checkpoint younger than this means a continuous backup is still running.
constexpr std::chrono::seconds checkpoint_freshness{600};

template <class Fn>
auto with_backend(const kb::config::storage_config& s, Fn fn) {
    boost::asio::io_context io;
    auto backend = kb::connect::open_storage(io.get_executor(), s);
    return kb::runtime::run_blocking(io, fn(*backend));
}

void print_json(const nlohmann::json& j) {
    std::cout << j.dump(2) << "\n";
}

ki::restore_report restore_section(const kb::restore::offset_mapping& m) {
    ki::restore_report r{m.restore_id, m.target_cluster_id, m.created_at, {}, {}};
    for (const auto& p : m.partitions) {
        ki::restored_partition rp{
            p.source_topic, p.source_partition, p.target_topic, p.target_partition, {}};
        for (const auto& g : p.ranges)
            rp.ranges.push_back(
                {g.source_first, g.source_last, g.target_first, g.target_partition});
        r.partitions.push_back(std::move(rp));
    }
    for (const auto& g : m.groups)
        r.group_offsets.push_back({g.group, g.source_topic, g.source_partition, g.source_offset,
                                   g.target_topic, g.target_partition, g.target_offset});
    return r;
}

awaitable<std::vector<ki::restore_report>> restores_of(kb::storage::backend& b, std::string id) {
    std::vector<ki::restore_report> out;
    for (const auto& m : co_await kb::restore::read_offset_mappings(b, std::move(id)))
        out.push_back(restore_section(m));
    co_return out;
}

awaitable<ki::offset_report> load_report(kb::storage::backend& b, std::string id) {
    auto report = ki::build_report(co_await ki::load_manifest(b, id));
    report.restores = co_await restores_of(b, id);
    co_return report;
}

}  // namespace

int run_offset_mapping(const offset_mapping_request& req) {
    auto report = with_backend(
        req.storage, [&](kb::storage::backend& b) { return load_report(b, req.backup_id); });
    if (req.format == output_format::json)
        print_json(ki::to_json(report));
    else if (req.format == output_format::yaml)
        std::cout << ki::to_yaml(ki::to_json(report));
    else if (req.format == output_format::csv)
        std::cout << ki::to_csv(report);
    else
        std::cout << ki::to_text(report);
    return exit_code::ok;
}

int run_list(const list_request& req) {
    auto all =
        with_backend(req.storage, [](kb::storage::backend& b) { return ki::list_backups(b); });
    if (req.format == output_format::json)
        print_json(ki::list_json(all));
    else if (req.format == output_format::csv)
        std::cout << ki::list_csv(all);
    else if (req.format == output_format::yaml)
        std::cout << ki::to_yaml(ki::list_json(all));
    else
        std::cout << ki::list_text(all);
    return exit_code::ok;
}

int run_describe(const describe_request& req) {
    auto m = with_backend(
        req.storage, [&](kb::storage::backend& b) { return ki::load_manifest(b, req.backup_id); });
    if (req.format == output_format::json)
        print_json(ki::describe_json(m));
    else if (req.format == output_format::yaml)
        std::cout << ki::to_yaml(ki::describe_json(m));
    else
        std::cout << ki::describe_text(m);
    return exit_code::ok;
}

namespace {

awaitable<ki::validation_result> validate(kb::storage::backend& b, std::string id, bool deep) {
    auto m = co_await ki::load_manifest(b, id);
    co_return co_await ki::validate_backup(b, std::move(m), deep);
}

awaitable<ki::prune_plan> prune(kb::storage::backend& b, prune_request req) {
    auto m = co_await ki::load_manifest(b, req.backup_id);
    ki::prune_criteria c{req.older_than_ms, req.before_ms, req.max_total_bytes, req.keep_segments};
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    auto plan = ki::plan_prune(m, c, now);
    if (!req.execute) {
        plan.refused = co_await ki::active_writer(b, req.backup_id, checkpoint_freshness);
        co_return plan;
    }
    co_return co_await ki::execute_prune(b, std::move(plan), checkpoint_freshness);
}

}  // namespace

int run_validate(const validate_request& req) {
    auto r = with_backend(
        req.storage, [&](kb::storage::backend& b) { return validate(b, req.backup_id, req.deep); });
    if (req.format == output_format::json)
        print_json(ki::to_json(r));
    else
        std::cout << ki::to_text(r);
    return r.ok() ? exit_code::ok : exit_code::partial;
}

int run_prune(const prune_request& req) {
    auto plan = with_backend(req.storage, [&](kb::storage::backend& b) { return prune(b, req); });
    if (req.format == output_format::json)
        print_json(ki::to_json(plan));
    else
        std::cout << ki::to_text(plan);
    return exit_code::ok;
}

}  // namespace kb::cli
