#pragma once
// The one retry layer: a retry budget per operation, with a deadline and capped,
// jittered exponential backoff (modelled on Redpanda's retry_chain_node).
//
// An operation makes a retry_budget when it starts and calls after_failure() when
// an attempt fails: failures that are not `retryable` are rethrown as they are
// (cancellation first of all: it is never retried); a retryable one sleeps the
// next backoff, or, when the deadline leaves no room for it, throws
// kb::retries_exhausted: a permanent (fatal) error naming what failed, how many
// attempts over how long, and the last cause. Callees that must retry on their
// own take child() of their caller's budget: their own backoff, the caller's
// deadline, so retries never multiply.
//
// Every wait is logged when it starts (what, attempt, next delay, time left) and
// a recovery is logged with how long it took; retry_counters() feeds progress
// and metrics (retries so far, operations waiting right now).
//
// Threading: a budget belongs to one coroutine; the counters are process-wide.

#include <kb/runtime/error.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace kb {

// A retry budget ran out: permanent, so no caller retries it again. Keeps the
// code and reason of the last failure (e.g. "BROKER_UNREACHABLE",
// reason::broker_unreachable) for the advice it earns.
class retries_exhausted : public error {
  public:
    retries_exhausted(std::string code, const std::string& message,
                      reason why = reason::unspecified)
        : error(error_class::fatal, std::move(code), message, why) {}
};

}  // namespace kb

namespace kb::runtime {

struct retry_policy {
    int max_attempts = 0;  // 0: only the deadline bounds the attempts
    std::chrono::milliseconds initial_backoff{100};
    std::chrono::milliseconds max_backoff{5'000};
    std::chrono::milliseconds deadline{60'000};  // from the start of the operation
};

// The sleep before attempt `attempt` + 1 (1-based count of failures so far), with
// jitter drawn from `random01` in [0,1). Pure, so tests can step it.
std::chrono::milliseconds backoff_for(const retry_policy& p, int attempt, double random01);
double jitter_random01();

// Process-wide figures for progress lines and metrics.
struct retry_figures {
    std::uint64_t retries = 0;  // retry waits started since the process began
    std::uint64_t waiting = 0;  // operations in a retry wait right now
};
retry_figures retry_counters() noexcept;

class retry_budget {
  public:
    using clock = std::chrono::steady_clock;

    retry_budget(retry_policy policy, std::string what);
    // A callee's budget: fresh backoff and attempt count, the caller's deadline.
    retry_budget child(std::string what) const;

    // After a failed attempt: rethrows what is not retryable, throws
    // kb::retries_exhausted when the budget is spent, else logs and sleeps.
    boost::asio::awaitable<void> after_failure(std::exception_ptr failure);
    // After a successful attempt: logs the recovery when attempts had failed.
    void succeeded();

    int failures() const noexcept { return failures_; }
    clock::time_point deadline() const noexcept { return deadline_; }
    const std::string& what() const noexcept { return what_; }

    // The sleep before the next attempt, or nothing when the budget is spent
    // (after `failures` failures at `now`). Pure, for tests.
    std::optional<std::chrono::milliseconds> next_wait(clock::time_point now,
                                                       double random01) const;

  private:
    retry_budget(retry_policy policy, std::string what, clock::time_point start,
                 clock::time_point deadline);
    [[noreturn]] void give_up(const std::exception_ptr& last) const;

    retry_policy policy_;
    std::string what_;
    clock::time_point start_;
    clock::time_point deadline_;
    clock::time_point first_failure_;
    int failures_ = 0;
};

// Runs `attempt` (called once per try; it must return a fresh awaitable, i.e. a
// replayable body) until it succeeds or `budget` says stop.
template <class Attempt>
auto retry(retry_budget budget, Attempt attempt) -> decltype(attempt()) {
    using result = typename decltype(attempt())::value_type;
    for (;;) {
        std::exception_ptr failure;
        try {
            if constexpr (std::is_void_v<result>) {
                co_await attempt();
                budget.succeeded();
                co_return;
            } else {
                auto value = co_await attempt();
                budget.succeeded();
                co_return value;
            }
        } catch (...) {
            failure = std::current_exception();
        }
        co_await budget.after_failure(failure);  // cancellation propagates
    }
}

template <class Attempt>
auto retry(retry_policy policy, std::string what, Attempt attempt) -> decltype(attempt()) {
    retry_budget budget(policy, std::move(what));
    return retry(std::move(budget), std::move(attempt));
}

}  // namespace kb::runtime
