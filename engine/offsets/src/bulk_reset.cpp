// offset-reset-bulk: many groups in parallel through reset_group(), with retries.
#include "bounded_jobs.hpp"

#include <kb/offsets/bulk_reset.hpp>
#include <kb/runtime/log.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

namespace kb::offsets {
namespace kc = kb::kafka::client;
namespace asio = boost::asio;
using steady = std::chrono::steady_clock;

std::size_t bulk_reset_report::failed_groups() const noexcept {
    std::size_t n = 0;
    for (const auto& g : groups) n += !g.ok();
    return n;
}

std::string bulk_reset_report::status() const {
    auto failed = failed_groups();
    if (failed == 0) return "success";
    return failed == groups.size() ? "failed" : "partial_success";
}

namespace {

struct bulk_state {
    bulk_reset_request req;
    std::vector<bulk_group_outcome> results;
};

// A failed group's errors: one per partition it meant to move, else one for the group.
std::vector<bulk_partition_error> errors_of(const group_outcome& g) {
    std::vector<bulk_partition_error> out;
    for (const auto& m : g.moves) out.push_back({m.topic, m.partition, -1, g.message});
    if (out.empty()) out.push_back({"", -1, -1, g.message});
    return out;
}

awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

awaitable<bulk_group_outcome> reset_with_retries(kc::cluster& c, std::string group,
                                                 const bulk_reset_request& req) {
    bulk_group_outcome out;
    out.group_id = group;
    auto started = steady::now();
    auto t = req.targets.find(group);
    if (t == req.targets.end() || t->second.empty()) {
        out.errors.push_back(
            {"", -1, -1, "group '" + group + "' has no offsets in the restore's offset mapping"});
        co_return out;
    }
    reset_request r{
        {group}, {}, {reset_spec::kind::explicit_offsets, 0, {{group, t->second}}}, true, 1};
    for (std::uint32_t attempt = 0;; ++attempt) {
        auto g = co_await reset_group(c, group, r);
        out.retry_attempts = attempt;
        if (g.status == group_status::reset) {
            out.partitions_reset = g.moves.size();
            out.errors.clear();
            break;
        }
        out.errors = errors_of(g);
        out.partitions_failed = g.moves.empty() ? t->second.size() : g.moves.size();
        if (g.status == group_status::refused || attempt >= req.max_retries) break;
        kb::log::info("offset-reset-bulk", "group '{}': attempt {} failed ({}); retrying", group,
                      attempt + 1, g.message);
        co_await sleep_for(req.retry_base * (1 << std::min<std::uint32_t>(attempt, 10)));
    }
    if (out.ok()) out.partitions_failed = 0;
    out.duration_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started).count());
    co_return out;
}

awaitable<void> reset_one(kc::cluster& c, std::shared_ptr<bulk_state> st, std::size_t i) {
    st->results[i] = co_await reset_with_retries(c, st->req.groups[i], st->req);
}

}  // namespace

awaitable<bulk_reset_report> run_bulk_reset(kc::cluster& c, bulk_reset_request req) {
    auto started = steady::now();
    auto st = std::make_shared<bulk_state>();
    st->req = std::move(req);
    st->results.resize(st->req.groups.size());
    // Named, not a temporary in the co_await expression: GCC 12 destroys such
    // temporaries twice.
    detail::indexed_job job = [&c, st](std::size_t i, std::size_t) { return reset_one(c, st, i); };
    auto peak =
        co_await detail::run_bounded(st->results.size(), st->req.max_concurrent, std::move(job));
    bulk_reset_report r;
    r.groups = std::move(st->results);
    r.max_concurrency = static_cast<std::uint32_t>(peak);
    r.duration_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started).count());
    co_return r;
}

}  // namespace kb::offsets
