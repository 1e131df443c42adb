#include "bounded_jobs.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>
#include <memory>

namespace kb::offsets::detail {
namespace asio = boost::asio;

namespace {

// Shared by the workers; lives until the last one finishes.
struct pool_state {
    pool_state(asio::any_io_executor ex, std::size_t n, indexed_job j)
        : count(n), job(std::move(j)), done(ex) {}
    std::size_t count;
    indexed_job job;
    std::size_t next = 0;
    std::size_t running = 0;    // workers not yet ended
    std::size_t in_flight = 0;  // jobs running now
    std::size_t peak = 0;
    std::exception_ptr first_error;
    asio::steady_timer done;  // cancelled by the last worker to wake the waiter
};

asio::awaitable<void> worker(std::shared_ptr<pool_state> st) {
    while (st->next < st->count) {
        auto i = st->next++;
        st->peak = std::max(st->peak, ++st->in_flight);
        co_await st->job(i, st->in_flight);
        --st->in_flight;
    }
}

}  // namespace

asio::awaitable<std::size_t> run_bounded(std::size_t count, std::uint32_t limit, indexed_job job) {
    auto ex = co_await asio::this_coro::executor;
    auto st = std::make_shared<pool_state>(ex, count, std::move(job));
    std::size_t workers = std::min<std::size_t>(std::max<std::uint32_t>(limit, 1), count);
    st->done.expires_at(asio::steady_timer::time_point::max());
    for (std::size_t w = 0; w < workers; ++w) {
        ++st->running;
        asio::co_spawn(ex, worker(st), [st](std::exception_ptr e) {
            if (e && !st->first_error) st->first_error = e;
            if (--st->running == 0) st->done.cancel();
        });
    }
    boost::system::error_code ec;
    if (st->running > 0)
        co_await st->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (st->first_error) std::rethrow_exception(st->first_error);
    co_return st->peak;
}

}  // namespace kb::offsets::detail
