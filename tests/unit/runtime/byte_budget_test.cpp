#include "test_util.hpp"

#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/error.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/test/unit_test.hpp>

#include <thread>

using namespace kb::runtime;
namespace asio = boost::asio;

BOOST_AUTO_TEST_SUITE(byte_budget_suite)

BOOST_AUTO_TEST_CASE(permit_is_returned_when_dropped) {
    auto budget = byte_budget::make("test", 100);
    {
        auto p = budget->try_acquire(60);
        BOOST_REQUIRE(p);
        BOOST_TEST(budget->available() == 40u);
        BOOST_TEST(!budget->try_acquire(50));
    }
    BOOST_TEST(budget->available() == 100u);
    BOOST_TEST(budget->peak_in_use() == 60u);
}

BOOST_AUTO_TEST_CASE(shrink_gives_back_the_difference) {
    auto budget = byte_budget::make("test", 100);
    auto p = budget->try_acquire(80);
    p->shrink_to(30);
    BOOST_TEST(p->size() == 30u);
    BOOST_TEST(budget->available() == 70u);
    auto moved = std::move(*p);
    BOOST_TEST(budget->available() == 70u);
    moved.release();
    BOOST_TEST(budget->available() == 100u);
}

BOOST_AUTO_TEST_CASE(oversized_request_fails_at_once_naming_the_budget) {
    asio::io_context io;
    auto budget = byte_budget::make("fetch-buffers", 100);
    bool threw = false;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        try {
            co_await budget->acquire(101);
        } catch (const kb::error& e) {
            threw = true;
            BOOST_TEST(e.code() == "BUDGET_EXCEEDED");
            BOOST_TEST(std::string(e.what()).find("fetch-buffers") != std::string::npos);
        }
    });
    BOOST_TEST(threw);
}

BOOST_AUTO_TEST_CASE(waiter_resumes_when_bytes_come_back) {
    asio::io_context io;
    auto budget = byte_budget::make("test", 100);
    std::vector<std::string> events;
    auto holder = budget->try_acquire(90);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            events.push_back("waiting");
            auto p = co_await budget->acquire(50);
            events.push_back("granted " + std::to_string(p.size()));
        },
        asio::detached);
    io.poll();
    BOOST_TEST(events == std::vector<std::string>{"waiting"});  // blocked: only 10 free
    holder.reset();                                             // permit dropped
    io.run();
    BOOST_TEST((events == std::vector<std::string>{"waiting", "granted 50"}));
    BOOST_TEST(budget->available() == 100u);
}

BOOST_AUTO_TEST_CASE(waiters_are_served_in_order) {
    asio::io_context io;
    auto budget = byte_budget::make("test", 100);
    std::vector<int> order;
    auto holder = budget->try_acquire(100);
    for (int i = 0; i < 3; ++i) {
        asio::co_spawn(
            io,
            [&, i]() -> asio::awaitable<void> {
                auto p = co_await budget->acquire(40);
                order.push_back(i);
            },
            asio::detached);
    }
    io.poll();
    BOOST_TEST(order.empty());
    holder.reset();
    io.run();
    BOOST_TEST((order == std::vector<int>{0, 1, 2}));
}

BOOST_AUTO_TEST_CASE(cancelled_waiter_leaves_the_queue) {
    asio::io_context io;
    auto budget = byte_budget::make("test", 100);
    auto holder = budget->try_acquire(100);
    asio::cancellation_signal cancel;
    std::exception_ptr failure;
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { co_await budget->acquire(10); },
        asio::bind_cancellation_slot(cancel.slot(), [&](std::exception_ptr e) { failure = e; }));
    io.poll();
    cancel.emit(asio::cancellation_type::terminal);
    io.run();
    BOOST_REQUIRE(failure);
    BOOST_TEST(kb::classify(failure) == kb::error_class::cancelled);
    holder.reset();
    BOOST_TEST(budget->available() == 100u);  // nothing was leaked to the cancelled waiter
}

BOOST_AUTO_TEST_CASE(grant_crosses_threads_to_the_waiters_executor) {
    asio::io_context io;
    auto budget = byte_budget::make("test", 10);
    auto holder = budget->try_acquire(10);
    bool granted = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await budget->acquire(10);
            granted = true;
        },
        asio::detached);
    io.poll();
    std::thread other([&] { holder.reset(); });  // released on another thread
    other.join();
    io.run();
    BOOST_TEST(granted);
}

BOOST_AUTO_TEST_SUITE_END()
