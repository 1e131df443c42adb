#include "test_util.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/retry.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace kb::runtime;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {
kb::error transient() {
    return kb::error(kb::error_class::retryable, "SlowDown", "slow down");
}

// Polls the waiting gauge every millisecond until `done`. A free function, not a lambda
// local to the caller's coroutine: this one outlives that coroutine's frame (ASan saw
// the lambda's captures read after the frame was freed).
asio::awaitable<void> watch_waiting(const bool& done, std::uint64_t& most_waiting) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    while (!done) {
        most_waiting = std::max(most_waiting, retry_counters().waiting);
        t.expires_after(1ms);
        co_await t.async_wait(asio::use_awaitable);
    }
}
}  // namespace

BOOST_AUTO_TEST_SUITE(retry_suite)

BOOST_AUTO_TEST_CASE(backoff_grows_and_is_capped) {
    retry_policy p{.initial_backoff = 100ms, .max_backoff = 1000ms};
    BOOST_TEST(backoff_for(p, 1, 1.0).count() == 100);
    BOOST_TEST(backoff_for(p, 2, 1.0).count() == 200);
    BOOST_TEST(backoff_for(p, 4, 1.0).count() == 800);
    BOOST_TEST(backoff_for(p, 10, 1.0).count() == 1000);
    BOOST_TEST(backoff_for(p, 3, 0.5).count() == 200);  // jitter scales the ceiling
    BOOST_TEST(backoff_for(p, 3, 0.0).count() == 1);    // never a zero sleep
}

BOOST_AUTO_TEST_CASE(succeeds_after_transient_failures) {
    asio::io_context io;
    int calls = 0;
    int result = 0;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        retry_policy p{.max_attempts = 5, .initial_backoff = 1ms, .max_backoff = 2ms};
        result = co_await retry(p, "put x", [&]() -> asio::awaitable<int> {
            if (++calls < 3) throw transient();
            co_return 42;
        });
    });
    BOOST_TEST(calls == 3);
    BOOST_TEST(result == 42);
}

BOOST_AUTO_TEST_CASE(stops_at_the_attempt_cap) {
    asio::io_context io;
    int calls = 0;
    std::string message;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        retry_policy p{.max_attempts = 4, .initial_backoff = 1ms, .max_backoff = 1ms};
        try {
            co_await retry(p, "put x", [&]() -> asio::awaitable<void> {
                ++calls;
                throw transient();
                co_return;
            });
        } catch (const kb::error& e) {
            message = e.what();
            BOOST_TEST(e.code() == "SlowDown");  // the backend's code survives the wrapping
        }
    });
    BOOST_TEST(calls == 4);
    BOOST_TEST(message.find("gave up after 4 attempts") != std::string::npos);
    BOOST_TEST(message.find("retry deadline") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stops_at_its_deadline) {
    asio::io_context io;
    int calls = 0;
    auto start = std::chrono::steady_clock::now();
    bool gave_up = false;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        retry_policy p{
            .max_attempts = 1000, .initial_backoff = 20ms, .max_backoff = 20ms, .deadline = 100ms};
        try {
            co_await retry(p, "get y", [&]() -> asio::awaitable<void> {
                ++calls;
                throw transient();
                co_return;
            });
        } catch (const kb::error&) {
            gave_up = true;
        }
    });
    auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST(gave_up);
    BOOST_TEST(calls < 1000);  // the deadline, not the cap, ended it
    BOOST_TEST(elapsed < 2s);  // generous: only checks it did not run on and on
}

BOOST_AUTO_TEST_CASE(never_retries_cancellation) {
    asio::io_context io;
    int calls = 0;
    std::exception_ptr failure;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        try {
            co_await retry(retry_policy{}, "fetch", [&]() -> asio::awaitable<void> {
                ++calls;
                throw boost::system::system_error(asio::error::operation_aborted);
                co_return;
            });
        } catch (...) {
            failure = std::current_exception();
        }
    });
    BOOST_TEST(calls == 1);
    BOOST_TEST(kb::classify(failure) == kb::error_class::cancelled);
}

BOOST_AUTO_TEST_CASE(never_retries_fatal_or_auth) {
    asio::io_context io;
    for (auto cls : {kb::error_class::fatal, kb::error_class::auth, kb::error_class::not_found}) {
        int calls = 0;
        kb::test::run(io, [&]() -> asio::awaitable<void> {
            try {
                co_await retry(retry_policy{}, "op", [&]() -> asio::awaitable<void> {
                    ++calls;
                    throw kb::error(cls, "X", "no");
                    co_return;
                });
            } catch (const kb::error& e) {
                BOOST_TEST((e.cls() == cls));
            }
        });
        BOOST_TEST(calls == 1);
    }
}

// An exhausted budget is permanent: it names what failed and for how long, and no
// caller above retries it again, so nested retries cannot multiply (8x8 before).
BOOST_AUTO_TEST_CASE(an_exhausted_budget_is_permanent_and_is_not_retried_again) {
    asio::io_context io;
    int calls = 0;
    std::exception_ptr failure;
    retry_policy quick{.initial_backoff = 1ms, .max_backoff = 5ms, .deadline = 150ms};
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        try {
            co_await retry(quick, "outer", [&]() -> asio::awaitable<void> {
                co_await retry(quick, "get z", [&]() -> asio::awaitable<void> {
                    ++calls;
                    throw transient();
                    co_return;
                });
            });
        } catch (...) {
            failure = std::current_exception();
        }
    });
    BOOST_REQUIRE(failure);
    BOOST_TEST((kb::classify(failure) == kb::error_class::fatal));
    const int inner_calls = calls;
    BOOST_TEST(inner_calls > 3);  // the deadline, not an attempt cap, bounded it
    try {
        std::rethrow_exception(failure);
    } catch (const kb::retries_exhausted& e) {
        std::string m = e.what();
        BOOST_TEST_MESSAGE(m);
        BOOST_TEST(e.code() == "SlowDown");
        BOOST_TEST(m.find("get z: gave up after") != std::string::npos);
        BOOST_TEST(m.find(" s (retry deadline 0.15 s)") != std::string::npos);
        BOOST_TEST(m.find("outer") == std::string::npos);  // the outer loop never retried
    }
}

BOOST_AUTO_TEST_CASE(a_child_budget_shares_its_parents_deadline) {
    retry_budget parent(retry_policy{.deadline = 200ms}, "restore partition 0");
    auto child = parent.child("GET segment");
    BOOST_TEST((child.deadline() <= parent.deadline()));
    retry_budget long_parent(retry_policy{.deadline = 3600s}, "backup");
    auto short_child = retry_budget(retry_policy{.deadline = 1s}, "x").child("y");
    BOOST_TEST((short_child.deadline() < long_parent.deadline()));
}

BOOST_AUTO_TEST_CASE(next_wait_stops_when_the_deadline_leaves_no_room) {
    retry_budget b(retry_policy{.initial_backoff = 100ms, .max_backoff = 100ms, .deadline = 1s},
                   "op");
    auto start = std::chrono::steady_clock::now();
    BOOST_TEST(b.next_wait(start, 1.0).has_value());
    BOOST_TEST(!b.next_wait(b.deadline() - 50ms, 1.0).has_value());  // 100 ms would overrun
    BOOST_TEST(b.next_wait(b.deadline() - 150ms, 1.0).has_value());
}

BOOST_AUTO_TEST_CASE(waits_are_counted_while_they_last) {
    asio::io_context io;
    auto before = retry_counters();
    std::uint64_t most_waiting = 0;
    bool done = false;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        // Polls the gauge while 20 waits of up to 20 ms (jittered) go by.
        asio::co_spawn(io, watch_waiting(done, most_waiting), asio::detached);
        retry_policy p{.initial_backoff = 20ms, .max_backoff = 20ms};
        int n = 0;
        co_await retry(p, "put v", [&]() -> asio::awaitable<void> {
            if (++n <= 20) throw transient();
            co_return;
        });
        done = true;
    });
    auto after = retry_counters();
    BOOST_TEST(after.retries == before.retries + 20);
    BOOST_TEST(most_waiting == before.waiting + 1);
    BOOST_TEST(after.waiting == before.waiting);
}

BOOST_AUTO_TEST_CASE(cancellation_is_recognised_in_every_form) {
    using kb::is_cancellation;
    auto aborted = boost::system::system_error(asio::error::operation_aborted);
    auto canceled = std::system_error(std::make_error_code(std::errc::operation_canceled));
    auto kb_cancelled = kb::error(kb::error_class::cancelled, "CANCELLED", "stopped");
    BOOST_TEST(is_cancellation(aborted));
    BOOST_TEST(is_cancellation(canceled));
    BOOST_TEST(is_cancellation(kb_cancelled));
    BOOST_TEST(is_cancellation(std::make_exception_ptr(aborted)));
    BOOST_TEST(is_cancellation(std::make_exception_ptr(canceled)));
    BOOST_TEST(is_cancellation(std::make_exception_ptr(kb_cancelled)));
    BOOST_TEST(!is_cancellation(std::exception_ptr{}));
    BOOST_TEST(!is_cancellation(transient()));
    BOOST_TEST(!is_cancellation(std::make_exception_ptr(transient())));
    BOOST_TEST(!is_cancellation(boost::system::system_error(asio::error::connection_reset)));
    BOOST_TEST(!is_cancellation(std::runtime_error("operation aborted")));  // no text matching
}

BOOST_AUTO_TEST_SUITE_END()
