// token_bucket and rate_limiter (see rate_limit.hpp).
#include <kb/runtime/rate_limit.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace kb::runtime {

token_bucket::token_bucket(std::uint64_t per_second, clock::time_point now)
    : per_second_(std::max<std::uint64_t>(per_second, 1)), refilled_(now) {}

token_bucket::clock::duration token_bucket::take(std::uint64_t amount, clock::time_point now) {
    if (amount == 0) return clock::duration::zero();
    const auto rate = static_cast<double>(per_second_);
    std::lock_guard lock(mutex_);
    if (now > refilled_) {
        const std::chrono::duration<double> elapsed = now - refilled_;
        // Idle time earns at most one second of burst.
        tokens_ = std::min(tokens_ + elapsed.count() * rate, rate);
        refilled_ = now;
    }
    tokens_ -= static_cast<double>(amount);
    if (tokens_ >= 0) return clock::duration::zero();
    return std::chrono::duration_cast<clock::duration>(
        std::chrono::duration<double>(-tokens_ / rate));
}

boost::asio::awaitable<void> token_bucket::acquire(std::uint64_t amount) {
    const auto wait = take(amount, clock::now());
    if (wait <= clock::duration::zero()) co_return;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, wait);
    co_await timer.async_wait(boost::asio::use_awaitable);
}

std::shared_ptr<rate_limiter> rate_limiter::make(std::optional<std::uint64_t> records_per_second,
                                                 std::optional<std::uint64_t> bytes_per_second) {
    if (!records_per_second && !bytes_per_second) return nullptr;
    auto out = std::make_shared<rate_limiter>();
    if (records_per_second) out->records = std::make_shared<token_bucket>(*records_per_second);
    if (bytes_per_second) out->bytes = std::make_shared<token_bucket>(*bytes_per_second);
    return out;
}

boost::asio::awaitable<void> rate_limiter::acquire(std::uint64_t record_count,
                                                   std::uint64_t byte_count) {
    if (records) co_await records->acquire(record_count);
    if (bytes) co_await bytes->acquire(byte_count);
}

}  // namespace kb::runtime
