#pragma once
// notifier: wakes coroutines on the same executor that wait for a condition.
// Waiters loop `while (!condition) co_await n.wait();` and the side that changes
// the condition calls notify(). Single-threaded by design (one shard), so the
// check and the wait cannot interleave with a notify.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace kb::storage::detail {

class notifier {
  public:
    explicit notifier(boost::asio::any_io_executor ex)
        : timer_(ex, boost::asio::steady_timer::time_point::max()) {}

    // Returns after the next notify(); throws operation_aborted if the waiting
    // coroutine itself was cancelled.
    boost::asio::awaitable<void> wait() {
        co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        auto cs = co_await boost::asio::this_coro::cancellation_state;
        if (cs.cancelled() != boost::asio::cancellation_type::none)
            throw boost::system::system_error(boost::asio::error::operation_aborted);
    }

    void notify() { timer_.cancel(); }

  private:
    boost::asio::steady_timer timer_;
};

}  // namespace kb::storage::detail
