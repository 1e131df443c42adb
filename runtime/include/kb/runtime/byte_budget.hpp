#pragma once
// byte_budget: one memory budget for every buffered byte of a pipeline.
//
// An async semaphore counting bytes. acquire() waits (FIFO) until the bytes are
// free and returns an RAII byte_permit that gives them back when destroyed.
// A request larger than the whole budget fails at once (errc::budget_exceeded)
// instead of waiting forever. Thread-safe: shards on different threads may share
// one budget; a waiter is always resumed on its own executor.

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace kb::runtime {

class byte_budget;

// Owns `size()` bytes of a budget until destroyed (or release()d). Movable only.
class byte_permit {
public:
    byte_permit() = default;
    byte_permit(byte_permit&& o) noexcept;
    byte_permit& operator=(byte_permit&& o) noexcept;
    byte_permit(const byte_permit&) = delete;
    byte_permit& operator=(const byte_permit&) = delete;
    ~byte_permit() { release(); }

    std::size_t size() const noexcept { return bytes_; }
    // Gives back everything above `bytes` (e.g. a fetch reserved max_bytes but got less).
    void shrink_to(std::size_t bytes);
    void release() noexcept;

private:
    friend class byte_budget;
    byte_permit(std::shared_ptr<byte_budget> budget, std::size_t bytes)
        : budget_(std::move(budget)), bytes_(bytes) {}
    std::shared_ptr<byte_budget> budget_;
    std::size_t bytes_ = 0;
};

class byte_budget : public std::enable_shared_from_this<byte_budget> {
public:
    // Create through make(): permits keep the budget alive.
    static std::shared_ptr<byte_budget> make(std::string name, std::size_t capacity);

    // Waits until `bytes` are available. Throws kb::error (budget_exceeded) at once
    // when bytes > capacity; throws operation_aborted when the waiting coroutine is
    // cancelled. Zero bytes are granted immediately.
    boost::asio::awaitable<byte_permit> acquire(std::size_t bytes);
    std::optional<byte_permit> try_acquire(std::size_t bytes);

    const std::string& name() const noexcept { return name_; }
    std::size_t capacity() const noexcept { return capacity_; }
    std::size_t available() const;
    std::size_t peak_in_use() const;  // high-water mark, for metrics and benches

    struct waiter;  // opaque, defined in the .cpp

private:
    byte_budget(std::string name, std::size_t capacity);
    friend class byte_permit;
    void give_back(std::size_t bytes) noexcept;
    void grant_waiters_locked();
    void check_fits(std::size_t bytes) const;

    std::string name_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::size_t available_;
    std::size_t peak_in_use_ = 0;
    std::deque<std::shared_ptr<waiter>> waiters_;
};

}  // namespace kb::runtime
