#pragma once
// with_deadline(): run an awaitable operation, cancel it when a timer fires first.

#include <kb/runtime/error.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/core.h>

#include <chrono>
#include <string>
#include <type_traits>

namespace kb::kafka::client::detail {

// Throws kb::error(retryable, "REQUEST_TIMED_OUT", "<what> timed out after N ms").
template <class T>
boost::asio::awaitable<T> with_deadline(boost::asio::awaitable<T> op,
                                        std::chrono::milliseconds timeout, std::string what) {
    using namespace boost::asio::experimental::awaitable_operators;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, timeout);
    auto result = co_await (std::move(op) || timer.async_wait(boost::asio::use_awaitable));
    if (result.index() == 1)
        throw kb::error(error_class::retryable, "REQUEST_TIMED_OUT",
                        fmt::format("{} timed out after {} ms", what, timeout.count()));
    if constexpr (!std::is_void_v<T>) co_return std::get<0>(std::move(result));
}

}  // namespace kb::kafka::client::detail
