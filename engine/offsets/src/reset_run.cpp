// offset-reset over many groups with bounded concurrency.
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

// Shared by the workers; lives until the last one finishes.
struct work_state {
    explicit work_state(asio::any_io_executor ex) : done(ex) {}
    reset_request req;
    std::vector<group_outcome> results;
    std::size_t next = 0;
    std::size_t running = 0;
    std::size_t in_flight = 0;  // groups being handled now (never above the worker count)
    asio::steady_timer done;    // cancelled by the last worker to wake the waiter
};

awaitable<void> worker(kc::cluster& c, std::shared_ptr<work_state> st) {
    while (st->next < st->req.groups.size()) {
        auto i = st->next++;
        ++st->in_flight;
        kb::log::debug("offset-reset", "group '{}': started, {} in flight (at most {})",
                       st->req.groups[i], st->in_flight, st->req.max_concurrent);
        st->results[i] = co_await reset_group(c, st->req.groups[i], st->req);
        --st->in_flight;
    }
}

}  // namespace

awaitable<reset_report> run_resets(kc::cluster& c, reset_request req) {
    auto st = std::make_shared<work_state>(co_await asio::this_coro::executor);
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
    reset_report r;
    r.action = st->req.execute ? "execute" : "plan";
    r.spec = describe_spec(st->req.spec);
    r.groups = std::move(st->results);
    co_return r;
}

}  // namespace kb::offsets
