#pragma once
// run_blocking: drives one awaitable to completion on an io_context the calling thread
// runs, and returns its result or rethrows its exception. The one way to wait for a
// coroutine from plain code outside a shard_pool (the commands, which do one thing and
// exit, and the control-plane steps of the engines); inside a pool, run_on() is.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <stdexcept>
#include <utility>

namespace kb::runtime {

inline void run_blocking(boost::asio::io_context& io, boost::asio::awaitable<void> work) {
    std::exception_ptr error;
    bool done = false;
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
        error = e;
        done = true;
    });
    io.restart();
    io.run();
    if (error) std::rethrow_exception(error);
    if (!done) throw std::logic_error("run_blocking: the work did not finish");
}

namespace detail {
// Stores the work's result where run_blocking waits for it. `out` outlives the frame's
// last resumption: run_blocking returns only after io.run() has stopped.
template <class T>
boost::asio::awaitable<void> store_result(boost::asio::awaitable<T> work, std::optional<T>& out) {
    out.emplace(co_await std::move(work));
}
}  // namespace detail

// The value does not pass through the completion handler: Asio hands a handler a
// value-initialised T on the failure path, where GCC 12 sees (falsely) an uninitialised
// std::optional<std::vector> member and fails the -Werror build.
template <class T>
T run_blocking(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
    std::optional<T> value;
    run_blocking(io, detail::store_result(std::move(work), value));
    if (!value) throw std::logic_error("run_blocking: the work did not finish");
    return std::move(*value);
}

}  // namespace kb::runtime
