#include <kb/runtime/shard_pool.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

#include <set>

using namespace kb::runtime;
namespace asio = boost::asio;

BOOST_AUTO_TEST_SUITE(shard_pool_suite)

BOOST_AUTO_TEST_CASE(each_shard_runs_on_its_own_thread) {
    shard_pool pool(2);
    auto id_of = []() -> asio::awaitable<std::thread::id> { co_return std::this_thread::get_id(); };
    auto a = pool.run_on(0, id_of()).get();
    auto b = pool.run_on(1, id_of()).get();
    auto a2 = pool.run_on(0, id_of()).get();
    BOOST_TEST((a != b));
    BOOST_TEST((a == a2));  // a shard is always the same thread
    BOOST_TEST((a != std::this_thread::get_id()));
}

BOOST_AUTO_TEST_CASE(placement_by_key_is_stable) {
    shard_pool pool(4);
    BOOST_TEST(pool.shard_for("orders-0") == pool.shard_for("orders-0"));
    std::set<std::size_t> used;
    for (int p = 0; p < 64; ++p) used.insert(pool.shard_for("orders-" + std::to_string(p)));
    BOOST_TEST(used.size() == 4u);  // keys spread over every shard
}

BOOST_AUTO_TEST_CASE(exceptions_reach_the_caller) {
    shard_pool pool(1);
    auto fails = []() -> asio::awaitable<int> {
        throw std::runtime_error("boom");
        co_return 0;
    };
    BOOST_CHECK_THROW(pool.run_on(0, fails()).get(), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(hop_between_shards_and_back) {
    shard_pool pool(2);
    auto work = [&]() -> asio::awaitable<bool> {
        auto here = std::this_thread::get_id();
        auto there = co_await pool.run_on_async(1, []() -> asio::awaitable<std::thread::id> {
            co_return std::this_thread::get_id();
        }());
        co_return here != there&& std::this_thread::get_id() == here;
    };
    BOOST_TEST(pool.run_on(0, work()).get());
}

BOOST_AUTO_TEST_CASE(stop_cancel_interrupts_long_waits) {
    auto pool = std::make_unique<shard_pool>(2);
    auto sleeper = []() -> asio::awaitable<void> {
        asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::hours(1));
        co_await t.async_wait(asio::use_awaitable);
    };
    auto f = pool->run_on(1, sleeper());
    auto start = std::chrono::steady_clock::now();
    pool->stop(stop_mode::cancel);
    BOOST_CHECK_THROW(f.get(), boost::system::system_error);  // cancelled, not completed
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
}

BOOST_AUTO_TEST_CASE(stop_drain_lets_work_finish) {
    shard_pool pool(1);
    auto short_work = []() -> asio::awaitable<int> {
        asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
        co_await t.async_wait(asio::use_awaitable);
        co_return 7;
    };
    auto f = pool.run_on(0, short_work());
    pool.stop(stop_mode::drain);
    BOOST_TEST(f.get() == 7);
}

BOOST_AUTO_TEST_SUITE_END()
