#pragma once
// ordered_offload<T>: spreads plain, CPU-bound jobs (compressing or decompressing a
// frame) over every shard of a pool and hands their results back on the home shard
// in the order the jobs were started.
//
// A job owns what it works on (it is moved to the shard that runs it, as Seastar's
// submit_to hands buffers over), so nothing is shared while it runs. At most `limit`
// jobs are out at once; each may carry the byte_permit that pays for what it holds,
// dropped when its result is taken. Jobs go to the shards in turn, the home shard's
// turn coming last, so with two shards and one busy partition both cores work.
//
// Lives on its home shard and is used by one coroutine at a time; not thread-safe.
// Destroying it with jobs out is safe: their results are dropped when they arrive.

#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/shard_pool.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

namespace kb::runtime {

template <class T>
class ordered_offload {
  public:
    ordered_offload(shard_pool& pool, std::size_t home_shard, std::size_t limit)
        : pool_(pool),
          home_(pool.executor(home_shard)),
          next_(home_shard + 1),
          limit_(std::max<std::size_t>(limit, 1)),
          link_(std::make_shared<link>()),
          wake_(home_, boost::asio::steady_timer::time_point::max()) {
        link_->wake = &wake_;
    }
    ~ordered_offload() { link_->wake = nullptr; }
    ordered_offload(const ordered_offload&) = delete;
    ordered_offload& operator=(const ordered_offload&) = delete;

    std::size_t size() const noexcept { return slots_.size(); }
    bool empty() const noexcept { return slots_.empty(); }
    bool full() const noexcept { return slots_.size() >= limit_; }
    std::size_t limit() const noexcept { return limit_; }

    // Starts `job` (a callable returning T) on the next shard in turn. Throws
    // std::logic_error when full(): take() the oldest result first.
    template <class Job>
    void start(Job job, byte_permit permit = {}) {
        if (full()) throw std::logic_error("ordered_offload: more jobs than its limit");
        auto s = std::make_shared<slot>();
        s->permit = std::move(permit);
        slots_.push_back(s);
        auto where = pool_.executor(next_++ % pool_.size());
        boost::asio::post(where, [job = std::move(job), s, l = link_, home = home_]() mutable {
            std::optional<T> value;
            std::exception_ptr error;
            try {
                value.emplace(job());
            } catch (...) {
                error = std::current_exception();
            }
            // Only the home shard touches the slot: the result travels back by post.
            boost::asio::post(home, [s, l, value = std::move(value), error]() mutable {
                s->value = std::move(value);
                s->error = error;
                s->done = true;
                if (l->wake) l->wake->cancel();
            });
        });
    }

    // The oldest job's result, once it is done; rethrows what the job threw. Throws
    // std::logic_error when empty(), operation_aborted when the caller is cancelled.
    boost::asio::awaitable<T> take() {
        if (empty()) throw std::logic_error("ordered_offload: take() with no job out");
        auto s = slots_.front();
        while (!s->done) co_await wait();
        slots_.pop_front();
        if (s->error) std::rethrow_exception(s->error);
        co_return std::move(*s->value);
    }

  private:
    struct slot {
        std::optional<T> value;
        std::exception_ptr error;
        bool done = false;
        byte_permit permit;  // dropped with the slot, once the result is taken
    };
    // Lets a late result find out, on the home shard, whether anyone still waits.
    struct link {
        boost::asio::steady_timer* wake = nullptr;
    };

    boost::asio::awaitable<void> wait() {
        co_await wake_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        auto cs = co_await boost::asio::this_coro::cancellation_state;
        if (cs.cancelled() != boost::asio::cancellation_type::none)
            throw boost::system::system_error(boost::asio::error::operation_aborted);
    }

    shard_pool& pool_;
    boost::asio::any_io_executor home_;
    std::size_t next_;
    std::size_t limit_;
    std::shared_ptr<link> link_;
    boost::asio::steady_timer wake_;
    std::deque<std::shared_ptr<slot>> slots_;
};

}  // namespace kb::runtime
