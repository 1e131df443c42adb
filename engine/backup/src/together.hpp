#pragma once
// together(a, b): runs two coroutines side by side until both end; when one
// fails the other is cancelled, and the failure rethrown is the one that came
// first. Boost's `a && b` rethrows the first *argument's* exception instead,
// which is often only the cancellation it received because `b` failed: that
// turned a disk-full error into a quiet stop and a backup marked complete.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>

#include <exception>

namespace kb::backup {

inline boost::asio::awaitable<void> together(boost::asio::awaitable<void> a,
                                             boost::asio::awaitable<void> b) {
    namespace ex = boost::asio::experimental;
    auto executor = co_await boost::asio::this_coro::executor;
    auto [order, error_a, error_b] =
        co_await ex::make_parallel_group(
            boost::asio::co_spawn(executor, std::move(a), boost::asio::deferred),
            boost::asio::co_spawn(executor, std::move(b), boost::asio::deferred))
            .async_wait(ex::wait_for_one_error(), boost::asio::deferred);
    // order[0] finished first; if it failed, that failure is why the other stopped.
    auto first = order[0] == 0 ? error_a : error_b;
    auto second = order[0] == 0 ? error_b : error_a;
    if (first) std::rethrow_exception(first);
    if (second) std::rethrow_exception(second);
}

}  // namespace kb::backup
