#include <kb/runtime/log.hpp>
#include <kb/runtime/retry.hpp>

#include <fmt/core.h>
#include <algorithm>
#include <random>

namespace kb::runtime {

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

void throw_retries_exhausted(const std::string& what, int attempts,
                             std::chrono::milliseconds elapsed, const std::exception_ptr& last) {
    std::string code = "RETRIES_EXHAUSTED";
    try {
        std::rethrow_exception(last);
    } catch (const error& e) {
        code = e.code();
    } catch (...) {
    }
    throw error(error_class::retryable, code,
                fmt::format("{}: gave up after {} attempts in {:.1f}s: {}", what, attempts,
                            elapsed.count() / 1000.0, describe(last)));
}

void log_retry(const std::string& what, int attempt, std::chrono::milliseconds sleep,
               const std::exception_ptr& error) {
    log::debug("retry", "{}: attempt {} failed ({}); retrying in {} ms", what, attempt,
               describe(error), sleep.count());
}

}  // namespace kb::runtime
