// ordered_offload: results in start order whatever order the shards finish in, the
// limit and the permits respected, failures delivered in their turn.
#include <kb/runtime/offload.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

using namespace kb::runtime;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

struct done_job {
    int index = 0;
    std::thread::id thread;
};

// Job i sleeps longer the earlier it was started, so the shards finish in reverse.
auto slow_first(int i, int n) {
    return [i, n] {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * (n - i)));
        return done_job{i, std::this_thread::get_id()};
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ordered_offload_suite)

BOOST_AUTO_TEST_CASE(results_come_back_in_start_order_from_every_shard) {
    shard_pool pool(3);
    auto work = [&]() -> asio::awaitable<std::vector<done_job>> {
        ordered_offload<done_job> off(pool, 0, 3);
        std::vector<done_job> got;
        const int n = 12;
        for (int i = 0; i < n; ++i) {
            if (off.full()) got.push_back(co_await off.take());
            off.start(slow_first(i, n));
            BOOST_TEST(off.size() <= 3u);
        }
        while (!off.empty()) got.push_back(co_await off.take());
        co_return got;
    };
    auto got = pool.run_on(0, work()).get();
    BOOST_REQUIRE(got.size() == 12u);
    std::set<std::thread::id> threads;
    for (int i = 0; i < 12; ++i) {
        BOOST_TEST(got[i].index == i);
        threads.insert(got[i].thread);
    }
    BOOST_TEST(threads.size() == 3u);  // the home shard takes its turn too
}

BOOST_AUTO_TEST_CASE(the_limit_and_the_permits_bound_what_is_out) {
    shard_pool pool(2);
    auto budget = byte_budget::make("offload", 1000);
    std::atomic<int> running{0}, most{0};
    auto work = [&]() -> asio::awaitable<void> {
        ordered_offload<int> off(pool, 1, 2);
        auto job = [&](int v) {
            return [&, v] {
                int now = ++running;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                std::this_thread::sleep_for(10ms);
                --running;
                return v;
            };
        };
        off.start(job(1), co_await budget->acquire(300));
        off.start(job(2), co_await budget->acquire(300));
        BOOST_TEST(off.full());
        BOOST_CHECK_THROW(off.start(job(3)), std::logic_error);
        BOOST_TEST(budget->available() == 400u);
        BOOST_TEST(co_await off.take() == 1);
        BOOST_TEST(budget->available() == 700u);  // the permit left with the result
        BOOST_TEST(co_await off.take() == 2);
        BOOST_TEST(budget->available() == 1000u);
    };
    pool.run_on(1, work()).get();
    BOOST_TEST(most.load() <= 2);
}

BOOST_AUTO_TEST_CASE(a_failed_job_is_rethrown_in_its_turn) {
    shard_pool pool(2);
    auto work = [&]() -> asio::awaitable<std::vector<int>> {
        ordered_offload<int> off(pool, 0, 4);
        off.start([] { return 1; });
        off.start([]() -> int { throw std::runtime_error("job 2 failed"); });
        off.start([] { return 3; });
        std::vector<int> got;
        got.push_back(co_await off.take());
        try {
            co_await off.take();
            got.push_back(-1);
        } catch (const std::runtime_error& e) {
            got.push_back(std::string(e.what()) == "job 2 failed" ? 2 : -2);
        }
        got.push_back(co_await off.take());
        co_return got;
    };
    auto got = pool.run_on(0, work()).get();
    BOOST_TEST(got == (std::vector<int>{1, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(dropping_it_with_jobs_out_is_safe) {
    auto budget = byte_budget::make("offload", 1000);
    {
        shard_pool pool(2);
        auto work = [&]() -> asio::awaitable<void> {
            ordered_offload<std::vector<int>> off(pool, 0, 2);
            off.start(
                [] {
                    std::this_thread::sleep_for(20ms);
                    return std::vector<int>(1000, 7);
                },
                co_await budget->acquire(500));
            off.start([] { return std::vector<int>(10, 1); });
            co_return;  // dropped at once; the results arrive later
        };
        pool.run_on(0, work()).get();
        std::this_thread::sleep_for(40ms);
    }
    BOOST_TEST(budget->available() == 1000u);
}

BOOST_AUTO_TEST_SUITE_END()
