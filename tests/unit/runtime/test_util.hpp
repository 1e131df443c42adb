#pragma once
// Runs coroutines to completion on a single-threaded io_context, so tests step
// the event loop deterministically.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>

namespace kb::test {

// Spawns `work` and runs the context until nothing is left; rethrows its exception.
template <class Awaitable>
void run(boost::asio::io_context& io, Awaitable work) {
    std::exception_ptr failure;
    boost::asio::co_spawn(io, std::move(work),
                          [&](std::exception_ptr e, auto&&...) { failure = e; });
    io.run();
    io.restart();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace kb::test
