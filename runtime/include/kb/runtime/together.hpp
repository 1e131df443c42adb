#pragma once
// together(a, b): runs two coroutines side by side until both end; when one
// fails the other is cancelled, and the failure rethrown is the one that came
// first. Boost's awaitable `a && b` rethrows the first *argument's* exception
// instead (or, when both failed, a "multiple exceptions" wrapper), which is often
// only the cancellation or closed channel it got because `b` failed: that turned
// a disk-full error into a quiet stop of a backup, and a rejected produce into a
// restore that reported a channel error. Use this wherever two coroutines are
// joined; not the awaitable operators.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>

#include <exception>
#include <utility>

namespace kb::runtime {

namespace detail {

// order[0] finished first; if it failed, that failure is why the other stopped.
inline void rethrow_first(const auto& order, std::exception_ptr a, std::exception_ptr b) {
    auto first = order[0] == 0 ? a : b;
    auto second = order[0] == 0 ? b : a;
    if (first) std::rethrow_exception(first);
    if (second) std::rethrow_exception(second);
}

}  // namespace detail

inline boost::asio::awaitable<void> together(boost::asio::awaitable<void> a,
                                             boost::asio::awaitable<void> b) {
    namespace ex = boost::asio::experimental;
    auto executor = co_await boost::asio::this_coro::executor;
    auto [order, error_a, error_b] =
        co_await ex::make_parallel_group(
            boost::asio::co_spawn(executor, std::move(a), boost::asio::deferred),
            boost::asio::co_spawn(executor, std::move(b), boost::asio::deferred))
            .async_wait(ex::wait_for_one_error(), boost::asio::deferred);
    detail::rethrow_first(order, error_a, error_b);
}

// The same for two coroutines with results (default-constructible): both results.
template <class A, class B>
boost::asio::awaitable<std::pair<A, B>> together(boost::asio::awaitable<A> a,
                                                 boost::asio::awaitable<B> b) {
    namespace ex = boost::asio::experimental;
    auto executor = co_await boost::asio::this_coro::executor;
    auto [order, error_a, result_a, error_b, result_b] =
        co_await ex::make_parallel_group(
            boost::asio::co_spawn(executor, std::move(a), boost::asio::deferred),
            boost::asio::co_spawn(executor, std::move(b), boost::asio::deferred))
            .async_wait(ex::wait_for_one_error(), boost::asio::deferred);
    detail::rethrow_first(order, error_a, error_b);
    co_return std::pair<A, B>(std::move(result_a), std::move(result_b));
}

}  // namespace kb::runtime
