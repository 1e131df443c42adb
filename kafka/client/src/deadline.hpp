#pragma once
// with_deadline(): run an awaitable operation, cancel it when a timer fires first.
//
// Built on parallel_group's wait_for_one (the first to finish, success or failure,
// wins), not on awaitable_operators' `||`, which waits for the first *success* and so
// would turn a refused connection into a timeout.

#include <kb/runtime/error.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/core.h>

#include <chrono>
#include <optional>
#include <string>
#include <type_traits>

namespace kb::kafka::client::detail {

// co_spawn needs a default-constructible result (for the error case); sockets are not.
template <class T>
boost::asio::awaitable<std::optional<T>> as_optional(boost::asio::awaitable<T> op) {
    co_return co_await std::move(op);
}

// Throws kb::error(retryable, "REQUEST_TIMED_OUT", "<what> timed out after N ms"); an
// error of `op` is rethrown as it is.
template <class T>
boost::asio::awaitable<T> with_deadline(boost::asio::awaitable<T> op,
                                        std::chrono::milliseconds timeout, std::string what) {
    namespace asio = boost::asio;
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex, timeout);
    auto timed_out = [&] {
        return kb::error(error_class::retryable, "REQUEST_TIMED_OUT",
                         fmt::format("{} timed out after {} ms", what, timeout.count()));
    };
    if constexpr (std::is_void_v<T>) {
        auto group = asio::experimental::make_parallel_group(
            asio::co_spawn(ex, std::move(op), asio::deferred), timer.async_wait(asio::deferred));
        auto [order, error, timer_ec] =
            co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
        if (order[0] == 1) throw timed_out();
        if (error) std::rethrow_exception(error);
    } else {
        auto group = asio::experimental::make_parallel_group(
            asio::co_spawn(ex, as_optional(std::move(op)), asio::deferred),
            timer.async_wait(asio::deferred));
        auto [order, error, value, timer_ec] =
            co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
        if (order[0] == 1) throw timed_out();
        if (error) std::rethrow_exception(error);
        co_return std::move(*value);
    }
}

}  // namespace kb::kafka::client::detail
