#include <kb/runtime/log.hpp>
#include <kb/runtime/retry.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <random>

namespace kb::runtime {

namespace {

std::atomic<std::uint64_t> retries_started{0};
std::atomic<std::uint64_t> waiting_now{0};

// Counts one operation as waiting for as long as it sleeps, cancellation included.
struct waiting_mark {
    waiting_mark() {
        ++retries_started;
        ++waiting_now;
    }
    ~waiting_mark() { --waiting_now; }
    waiting_mark(const waiting_mark&) = delete;
    waiting_mark& operator=(const waiting_mark&) = delete;
};

double seconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

std::string code_of(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const error& k) {
        return k.code();
    } catch (...) {
    }
    return "RETRIES_EXHAUSTED";
}

}  // namespace

std::chrono::milliseconds backoff_for(const retry_policy& p, int attempt, double random01) {
    // Full jitter: uniform in [0, min(cap, initial * 2^(attempt-1))], never below 1 ms.
    double ceiling = static_cast<double>(p.initial_backoff.count());
    for (int i = 1; i < attempt && ceiling < p.max_backoff.count(); ++i) ceiling *= 2;
    ceiling = std::min(ceiling, static_cast<double>(p.max_backoff.count()));
    auto ms = static_cast<std::int64_t>(ceiling * std::clamp(random01, 0.0, 1.0));
    return std::chrono::milliseconds(std::max<std::int64_t>(1, ms));
}

double jitter_random01() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

retry_figures retry_counters() noexcept {
    return {.retries = retries_started.load(), .waiting = waiting_now.load()};
}

retry_budget::retry_budget(retry_policy policy, std::string what)
    : policy_(policy),
      what_(std::move(what)),
      start_(clock::now()),
      deadline_(start_ + policy.deadline) {}

retry_budget::retry_budget(retry_policy policy, std::string what, clock::time_point start,
                           clock::time_point deadline)
    : policy_(policy), what_(std::move(what)), start_(start), deadline_(deadline) {}

retry_budget retry_budget::child(std::string what) const {
    auto now = clock::now();
    return retry_budget(policy_, std::move(what), now, std::min(deadline_, now + policy_.deadline));
}

std::optional<std::chrono::milliseconds> retry_budget::next_wait(clock::time_point now,
                                                                 double random01) const {
    if (policy_.max_attempts > 0 && failures_ >= policy_.max_attempts) return std::nullopt;
    auto sleep = backoff_for(policy_, failures_, random01);
    if (now + sleep > deadline_) return std::nullopt;
    return sleep;
}

void retry_budget::give_up(const std::exception_ptr& last) const {
    auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - start_);
    throw retries_exhausted(
        code_of(last),
        fmt::format("{}: gave up after {} attempts over {:.1f} s (retry deadline "
                    "{:g} s): {}",
                    what_, failures_, seconds(clock::now() - start_), seconds(limit),
                    describe(last)),
        reason_of(last));
}

boost::asio::awaitable<void> retry_budget::after_failure(std::exception_ptr failure) {
    if (classify(failure) != error_class::retryable) std::rethrow_exception(failure);
    auto now = clock::now();
    if (failures_++ == 0) first_failure_ = now;
    auto sleep = next_wait(now, jitter_random01());
    if (!sleep) give_up(failure);
    log::info("retry", "{}: attempt {} failed ({}); next try in {} ms, {:.1f} s left", what_,
              failures_, describe(failure), sleep->count(), seconds(deadline_ - now));
    waiting_mark mark;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, *sleep);
    co_await timer.async_wait(boost::asio::use_awaitable);
}

void retry_budget::succeeded() {
    if (failures_ == 0) return;
    log::info("retry", "{}: recovered after {:.1f} s ({} failed attempts)", what_,
              seconds(clock::now() - first_failure_), failures_);
    failures_ = 0;
}

}  // namespace kb::runtime
