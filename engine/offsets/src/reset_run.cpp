// offset-reset over many groups with bounded concurrency.
#include "bounded_jobs.hpp"

#include <kb/offsets/reset.hpp>
#include <kb/runtime/log.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/format.h>

#include <memory>

namespace kb::offsets {
namespace kc = kb::kafka::client;
namespace asio = boost::asio;

const char* to_string(group_status s) noexcept {
    switch (s) {
        case group_status::planned:
            return "planned";
        case group_status::reset:
            return "reset";
        case group_status::refused:
            return "refused";
        default:
            return "failed";
    }
}

std::size_t reset_report::succeeded() const noexcept {
    std::size_t n = 0;
    for (const auto& g : groups)
        n += g.status == group_status::planned || g.status == group_status::reset;
    return n;
}

std::size_t reset_report::failed() const noexcept {
    return groups.size() - succeeded();
}

std::string describe_spec(const reset_spec& s) {
    using kind = reset_spec::kind;
    switch (s.to) {
        case kind::earliest:
            return "to-earliest";
        case kind::latest:
            return "to-latest";
        case kind::offset:
            return fmt::format("to-offset {}", s.value);
        case kind::timestamp:
            return fmt::format("to-timestamp {}", s.value);
        case kind::shift_by:
            return fmt::format("shift-by {}", s.value);
        default:
            return "from-mapping";
    }
}

namespace {

struct run_state {
    reset_request req;
    std::vector<group_outcome> results;
};

awaitable<void> reset_one(kc::cluster& c, std::shared_ptr<run_state> st, std::size_t i,
                          std::size_t in_flight) {
    kb::log::debug("offset-reset", "group '{}': started, {} in flight (at most {})",
                   st->req.groups[i], in_flight, st->req.max_concurrent);
    st->results[i] = co_await reset_group(c, st->req.groups[i], st->req);
}

}  // namespace

awaitable<reset_report> run_resets(kc::cluster& c, reset_request req) {
    auto st = std::make_shared<run_state>();
    st->req = std::move(req);
    st->results.resize(st->req.groups.size());
    // Named, not a temporary in the co_await expression: GCC 12 destroys such
    // temporaries twice.
    detail::indexed_job job = [&c, st](std::size_t i, std::size_t in_flight) {
        return reset_one(c, st, i, in_flight);
    };
    co_await detail::run_bounded(st->results.size(), st->req.max_concurrent, std::move(job));
    reset_report r;
    r.action = st->req.execute ? "execute" : "plan";
    r.spec = describe_spec(st->req.spec);
    r.groups = std::move(st->results);
    co_return r;
}

}  // namespace kb::offsets
