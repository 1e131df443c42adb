#include "test_util.hpp"

#include <kb/runtime/error.hpp>
#include <kb/runtime/retry.hpp>

#include <boost/asio/error.hpp>
#include <boost/test/unit_test.hpp>

using namespace kb::runtime;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {
kb::error transient() {
    return kb::error(kb::error_class::retryable, "SlowDown", "slow down");
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

BOOST_AUTO_TEST_SUITE_END()
