#pragma once
// waiters: coroutines parked until someone says "done" (single-threaded).
//
// Used where one coroutine does a job (connect, refresh metadata) and others that
// wanted the same job wait for it instead of duplicating it. Each waiter owns a timer
// that never expires on its own; notify_all() cancels them all.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <vector>

namespace kb::kafka::client::detail {

class waiters {
  public:
    // Returns when notify_all() is called, or throws operation_aborted when the
    // waiting coroutine itself is cancelled.
    boost::asio::awaitable<void> wait() {
        auto timer = std::make_shared<boost::asio::steady_timer>(
            co_await boost::asio::this_coro::executor,
            boost::asio::steady_timer::time_point::max());
        timers_.push_back(timer);
        co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        if (timer->expiry() != boost::asio::steady_timer::time_point::min())
            throw boost::system::system_error(boost::asio::error::operation_aborted);
    }

    void notify_all() {
        auto timers = std::move(timers_);
        timers_.clear();
        // Marking the expiry tells the waiter it was notified rather than cancelled.
        for (auto& t : timers) t->expires_at(boost::asio::steady_timer::time_point::min());
    }

  private:
    std::vector<std::shared_ptr<boost::asio::steady_timer>> timers_;
};

}  // namespace kb::kafka::client::detail
