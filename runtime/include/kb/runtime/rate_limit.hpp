#pragma once
// token_bucket / rate_limiter: a total rate (records or bytes per second) shared by
// every partition of a pipeline, whatever shard it runs on (OSO 0.25's restore-wide
// limit).
//
// take() debits the tokens at once and says how long the caller must wait; a
// caller that leaves the bucket in debt sleeps (on its own executor) until the debt
// is repaid, so concurrent callers queue behind each other's debt and the total
// rate holds however many share the bucket and however large each request is. The
// bucket starts empty and refills up to one second's worth. Thread-safe: a mutex
// guards a few arithmetic operations and is never held across a wait.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace kb::runtime {

class token_bucket {
  public:
    using clock = std::chrono::steady_clock;

    explicit token_bucket(std::uint64_t per_second, clock::time_point now = clock::now());

    // Debits `amount` tokens at `now`; the wait that keeps the rate (zero if none).
    clock::duration take(std::uint64_t amount, clock::time_point now);
    // take() now, then sleeps for the wait.
    boost::asio::awaitable<void> acquire(std::uint64_t amount);

    std::uint64_t per_second() const noexcept { return per_second_; }

  private:
    std::uint64_t per_second_;
    double tokens_ = 0;  // negative: debt
    clock::time_point refilled_;
    std::mutex mutex_;
};

// The record and byte buckets of one run; either may be absent (no limit).
struct rate_limiter {
    std::shared_ptr<token_bucket> records, bytes;

    // nullptr when neither limit is set.
    static std::shared_ptr<rate_limiter> make(std::optional<std::uint64_t> records_per_second,
                                              std::optional<std::uint64_t> bytes_per_second);
    // Waits until `records` records and `bytes` bytes may go.
    boost::asio::awaitable<void> acquire(std::uint64_t record_count, std::uint64_t byte_count);
};

}  // namespace kb::runtime
