#pragma once
// shard_pool: Seastar-style shard per core.
//
// N io_contexts, each run by exactly one thread. Work for a partition is placed
// on one shard (shard_for(key)) and lives there; shards share no mutable state and
// talk by posting. run_on() spawns a coroutine on a shard and returns a future (from
// outside the pool) or an awaitable (from another shard). stop() either drains
// (lets spawned work finish) or cancels it (emits a terminal cancellation to every
// coroutine started with run_on, then drains).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdint>
#include <future>
#include <list>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace kb::runtime {

enum class stop_mode { drain, cancel };

class shard_pool {
  public:
    // shards == 0 means one per core.
    explicit shard_pool(std::size_t shards = 0);
    ~shard_pool();
    shard_pool(const shard_pool&) = delete;
    shard_pool& operator=(const shard_pool&) = delete;

    std::size_t size() const noexcept { return shards_.size(); }
    boost::asio::any_io_executor executor(std::size_t shard) const;

    // Stable placement: the same key always lands on the same shard.
    std::size_t shard_for(std::string_view key) const noexcept;
    std::size_t shard_for(std::uint64_t key) const noexcept { return key % size(); }

    // Spawn `work` on `shard`; the future carries its result or exception.
    template <class T>
    std::future<T> run_on(std::size_t shard, boost::asio::awaitable<T> work) {
        return boost::asio::co_spawn(executor(shard), guarded(shard, std::move(work)),
                                     boost::asio::use_future);
    }

    // From a coroutine on any shard: run `work` on `shard` and await its result.
    template <class T>
    // The caller's cancellation is not passed on (stop(cancel) reaches the work
    // instead): Boost 1.81's co_spawn terminates the process when a cancellation
    // reaches the spawned coroutine before it first runs.
    boost::asio::awaitable<T> run_on_async(std::size_t shard, boost::asio::awaitable<T> work) {
        auto no_cancel = boost::asio::bind_cancellation_slot(boost::asio::cancellation_slot(),
                                                             boost::asio::use_awaitable);
        co_return co_await boost::asio::co_spawn(executor(shard), guarded(shard, std::move(work)),
                                                 std::move(no_cancel));
    }

    // Stop accepting work and wait for the shard threads. Idempotent.
    void stop(stop_mode mode = stop_mode::drain);

  private:
    struct shard;
    // Registers a cancellation signal for `work` on its shard so stop(cancel) reaches it.
    template <class T>
    boost::asio::awaitable<T> guarded(std::size_t shard, boost::asio::awaitable<T> work) {
        auto signal = register_signal(shard);
        struct unregister {
            shard_pool* pool;
            std::size_t shard;
            std::list<boost::asio::cancellation_signal>::iterator it;
            ~unregister() { pool->unregister_signal(shard, it); }
        } guard{this, shard, signal};
        co_return co_await boost::asio::co_spawn(
            executor(shard), std::move(work),
            boost::asio::bind_cancellation_slot(signal->slot(), boost::asio::use_awaitable));
    }
    std::list<boost::asio::cancellation_signal>::iterator register_signal(std::size_t shard);
    void unregister_signal(std::size_t shard,
                           std::list<boost::asio::cancellation_signal>::iterator it);

    std::vector<std::unique_ptr<shard>> shards_;
    bool stopped_ = false;
};

}  // namespace kb::runtime
