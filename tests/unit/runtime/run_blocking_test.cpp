// run_blocking: the one way plain code waits for a coroutine (commands, control-plane steps).

#include <kb/runtime/error.hpp>
#include <kb/runtime/run_blocking.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

using boost::asio::awaitable;
using kb::runtime::run_blocking;

namespace {

// Suspends once on a timer, so the result only exists after the io_context ran.
awaitable<std::string> later(std::string text) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor,
                                std::chrono::milliseconds(1));
    co_await t.async_wait(boost::asio::use_awaitable);
    co_return text + "!";
}

awaitable<void> fail_later() {
    co_await later("x");
    throw kb::error(kb::error_class::fatal, "Boom", "failed after a suspension");
}

awaitable<void> count(int& n) {
    co_await later("x");
    ++n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(run_blocking_suite)

BOOST_AUTO_TEST_CASE(returns_the_value) {
    boost::asio::io_context io;
    BOOST_TEST(run_blocking(io, later("done")) == "done!");
    // The same io_context runs the next piece of work (it is restarted).
    BOOST_TEST(run_blocking(io, later("again")) == "again!");
}

BOOST_AUTO_TEST_CASE(rethrows_the_exception) {
    boost::asio::io_context io;
    BOOST_CHECK_EXCEPTION(run_blocking(io, fail_later()), kb::error,
                          [](const kb::error& e) { return e.code() == "Boom"; });
}

BOOST_AUTO_TEST_CASE(waits_for_void_work) {
    boost::asio::io_context io;
    int n = 0;
    run_blocking(io, count(n));
    BOOST_TEST(n == 1);
}

BOOST_AUTO_TEST_SUITE_END()
