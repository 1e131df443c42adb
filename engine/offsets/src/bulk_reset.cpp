// offset-reset-bulk: many groups in parallel through reset_group(), with retries.
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

// Shared by the workers; lives until the last one finishes.
struct bulk_state {
    explicit bulk_state(asio::any_io_executor ex) : done(ex) {}
    bulk_reset_request req;
    std::vector<bulk_group_outcome> results;
    std::size_t next = 0;
    std::size_t running = 0;
    std::uint32_t in_flight = 0;
    std::uint32_t peak = 0;
    asio::steady_timer done;
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

awaitable<void> worker(kc::cluster& c, std::shared_ptr<bulk_state> st) {
    while (st->next < st->req.groups.size()) {
        auto i = st->next++;
        st->peak = std::max(st->peak, ++st->in_flight);
        st->results[i] = co_await reset_with_retries(c, st->req.groups[i], st->req);
        --st->in_flight;
    }
}

}  // namespace

awaitable<bulk_reset_report> run_bulk_reset(kc::cluster& c, bulk_reset_request req) {
    auto started = steady::now();
    auto st = std::make_shared<bulk_state>(co_await asio::this_coro::executor);
    st->req = std::move(req);
    st->results.resize(st->req.groups.size());
    std::size_t workers = std::min<std::size_t>(std::max<std::uint32_t>(st->req.max_concurrent, 1),
                                                st->req.groups.size());
    st->done.expires_at(asio::steady_timer::time_point::max());
    std::exception_ptr first_error;
    for (std::size_t w = 0; w < workers; ++w) {
        ++st->running;
        asio::co_spawn(c.executor(), worker(c, st), [st, &first_error](std::exception_ptr e) {
            if (e && !first_error) first_error = e;
            if (--st->running == 0) st->done.cancel();
        });
    }
    boost::system::error_code ec;
    if (st->running > 0)
        co_await st->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (first_error) std::rethrow_exception(first_error);
    bulk_reset_report r;
    r.groups = std::move(st->results);
    r.max_concurrency = st->peak;
    r.duration_ms = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - started).count());
    co_return r;
}

}  // namespace kb::offsets
