#include "test_util.hpp"

#include <kb/runtime/channel.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/test/unit_test.hpp>

#include <stdexcept>

using namespace kb::runtime;
namespace asio = boost::asio;

BOOST_AUTO_TEST_SUITE(channel_suite)

BOOST_AUTO_TEST_CASE(full_channel_makes_the_sender_wait) {
    asio::io_context io;
    bounded_channel<int> ch(io.get_executor(), 2);
    int sent = 0;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 5; ++i) {
                co_await ch.send(i);
                ++sent;
            }
        },
        asio::detached);
    io.poll();
    BOOST_TEST(sent == 2);  // capacity 2: the third send waits for a receiver
    std::vector<int> got;
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { got.push_back(*co_await ch.receive()); },
        asio::detached);
    io.poll();
    BOOST_TEST(got.size() == 1u);
    BOOST_TEST(sent == 3);  // one slot freed, one more send completed
}

BOOST_AUTO_TEST_CASE(close_delivers_every_value_then_end) {
    asio::io_context io;
    bounded_channel<int> ch(io.get_executor(), 4);
    std::vector<int> got;
    bool ended = false;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        co_await ch.send(1);
        co_await ch.send(2);
        co_await ch.close();
        while (auto v = co_await ch.receive()) got.push_back(*v);
        ended = true;
    });
    BOOST_TEST((got == std::vector<int>{1, 2}));
    BOOST_TEST(ended);
}

BOOST_AUTO_TEST_CASE(fail_carries_the_error_after_the_values) {
    asio::io_context io;
    bounded_channel<int> ch(io.get_executor(), 4);
    std::vector<int> got;
    std::string error;
    kb::test::run(io, [&]() -> asio::awaitable<void> {
        co_await ch.send(7);
        co_await ch.fail(std::make_exception_ptr(std::runtime_error("upload failed")));
        try {
            while (auto v = co_await ch.receive()) got.push_back(*v);
        } catch (const std::runtime_error& e) {
            error = e.what();
        }
    });
    BOOST_TEST((got == std::vector<int>{7}));
    BOOST_TEST(error == "upload failed");
}

BOOST_AUTO_TEST_CASE(cancel_wakes_a_blocked_sender_with_an_error) {
    asio::io_context io;
    bounded_channel<int> ch(io.get_executor(), 1);
    std::exception_ptr failure;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await ch.send(1);
            co_await ch.send(2);  // blocks: full
        },
        [&](std::exception_ptr e) { failure = e; });
    io.poll();
    BOOST_TEST(!failure);
    ch.cancel();
    io.run();
    BOOST_TEST(static_cast<bool>(failure));
}

BOOST_AUTO_TEST_SUITE_END()
