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

template <class T>
T run_blocking(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
    std::optional<T> value;
    std::exception_ptr error;
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T v) {
        error = e;
        if (!e) value.emplace(std::move(v));
    });
    io.restart();
    io.run();
    if (error) std::rethrow_exception(error);
    if (!value) throw std::logic_error("run_blocking: the work did not finish");
    return std::move(*value);
}

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

}  // namespace kb::runtime
