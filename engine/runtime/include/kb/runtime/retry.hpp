#pragma once
// retry(): run an operation again after transient failures.
//
// Exponential backoff with full jitter, capped per sleep, bounded by both an
// attempt count and a deadline. Only failures classified `retryable` are retried;
// cancellation is propagated at once and never retried; other classes (fatal,
// auth, not_found) are rethrown as they are. When retries run out, the last error
// is rethrown wrapped in a kb::error that says how many attempts over how long.

#include <kb/runtime/error.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace kb::runtime {

struct retry_policy {
    int max_attempts = 8;
    std::chrono::milliseconds initial_backoff{100};
    std::chrono::milliseconds max_backoff{5'000};
    std::chrono::milliseconds deadline{60'000};  // from the first attempt
};

// The sleep before attempt `attempt` (1-based count of failures so far), with jitter
// drawn from `random01` in [0,1). Pure, so tests can step it.
std::chrono::milliseconds backoff_for(const retry_policy& p, int attempt, double random01);
double jitter_random01();

// Throws the final wrapped error; logs each retry at debug level under `what`.
[[noreturn]] void throw_retries_exhausted(const std::string& what, int attempts,
                                          std::chrono::milliseconds elapsed,
                                          const std::exception_ptr& last);
void log_retry(const std::string& what, int attempt, std::chrono::milliseconds sleep,
               const std::exception_ptr& error);

// `attempt` is called once per try and must return a fresh awaitable (a replayable body).
template <class Attempt>
auto retry(retry_policy policy, std::string what, Attempt attempt)
    -> decltype(attempt()) {
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    for (int n = 1;; ++n) {
        std::exception_ptr failure;
        try {
            co_return co_await attempt();
        } catch (...) {
            failure = std::current_exception();
        }
        if (classify(failure) != error_class::retryable) std::rethrow_exception(failure);
        auto sleep = backoff_for(policy, n, jitter_random01());
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start);
        if (n >= policy.max_attempts || elapsed + sleep > policy.deadline)
            throw_retries_exhausted(what, n, elapsed, failure);
        log_retry(what, n, sleep, failure);
        timer.expires_after(sleep);
        co_await timer.async_wait(boost::asio::use_awaitable);  // cancellation propagates
    }
}

}  // namespace kb::runtime
