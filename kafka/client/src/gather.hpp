#pragma once
// gather(): run several awaitables concurrently on this executor and collect each
// one's value or exception (no short-circuit: every task runs to its end, each under
// its own deadline). Used to talk to several brokers at once.

#include "waiters.hpp"

#include <boost/asio/co_spawn.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <vector>

namespace kb::kafka::client::detail {

template <class T>
struct outcome {
    std::optional<T> value;
    std::exception_ptr error;
};

template <class T>
boost::asio::awaitable<std::vector<outcome<T>>> gather(
    std::vector<boost::asio::awaitable<T>> tasks) {
    struct state {
        std::vector<outcome<T>> results;
        std::size_t remaining = 0;
        waiters done;
    };
    auto ex = co_await boost::asio::this_coro::executor;
    auto st = std::make_shared<state>();
    st->results.resize(tasks.size());
    st->remaining = tasks.size();
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        boost::asio::co_spawn(ex, std::move(tasks[i]), [st, i](std::exception_ptr e, T value) {
            if (e)
                st->results[i].error = e;
            else
                st->results[i].value.emplace(std::move(value));
            if (--st->remaining == 0) st->done.notify_all();
        });
    }
    if (st->remaining > 0) co_await st->done.wait();
    co_return std::move(st->results);
}

}  // namespace kb::kafka::client::detail
