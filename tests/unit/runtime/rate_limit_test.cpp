// token_bucket: the pacing arithmetic at chosen instants (no sleeping), and one
// short real wait through acquire().
#include "test_util.hpp"

#include <kb/runtime/rate_limit.hpp>

#include <boost/test/unit_test.hpp>

#include <thread>
#include <vector>

using namespace kb::runtime;
using namespace std::chrono_literals;
using clock_type = token_bucket::clock;

namespace {

double seconds(clock_type::duration d) {
    return std::chrono::duration<double>(d).count();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rate_limit_suite)

BOOST_AUTO_TEST_CASE(a_single_caller_is_paced_at_the_rate) {
    const auto t0 = clock_type::now();
    token_bucket b(100, t0);
    // Ten requests of 50 at once from an empty bucket: the last waits 5 s.
    clock_type::duration last{};
    for (int i = 0; i < 10; ++i) last = b.take(50, t0);
    BOOST_TEST(seconds(last) == 5.0, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(the_rate_is_shared_by_every_caller) {
    const auto t0 = clock_type::now();
    token_bucket b(1000, t0);
    // Eight partitions take 500 each: 4000 tokens at 1000/s is 4 s in all, not the
    // 0.5 s a per-partition limit would give.
    clock_type::duration last{};
    for (int p = 0; p < 8; ++p) last = b.take(500, t0);
    BOOST_TEST(seconds(last) == 4.0, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(idle_time_refills_at_most_one_second_of_burst) {
    const auto t0 = clock_type::now();
    token_bucket b(100, t0);
    BOOST_TEST(seconds(b.take(100, t0 + 60s)) == 0.0);  // the burst after an idle minute
    BOOST_TEST(seconds(b.take(100, t0 + 60s)) == 1.0, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(a_request_larger_than_the_burst_waits_proportionally) {
    const auto t0 = clock_type::now();
    token_bucket b(10, t0);
    BOOST_TEST(seconds(b.take(35, t0)) == 3.5, boost::test_tools::tolerance(1e-6));
    // Paying back the debt: 3.5 s later the bucket is even again.
    BOOST_TEST(seconds(b.take(0, t0 + 3500ms)) == 0.0);
    BOOST_TEST(seconds(b.take(10, t0 + 3500ms)) == 1.0, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(threads_sharing_a_bucket_keep_the_total) {
    const auto t0 = clock_type::now();
    token_bucket b(1000, t0);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 250; ++j) b.take(1, t0);
        });
    for (auto& t : threads) t.join();
    // 1000 tokens taken at one instant from an empty bucket: 1 s of debt, exactly.
    BOOST_TEST(seconds(b.take(1, t0)) == 1.001, boost::test_tools::tolerance(1e-6));
}

BOOST_AUTO_TEST_CASE(acquire_sleeps_for_the_debt) {
    boost::asio::io_context io;
    auto limiter = rate_limiter::make(std::nullopt, 1000);
    BOOST_REQUIRE(limiter);
    BOOST_TEST(!limiter->records);
    const auto start = clock_type::now();
    kb::test::run(io, limiter->acquire(5, 200));  // 200 bytes at 1000/s: 0.2 s
    BOOST_TEST(seconds(clock_type::now() - start) >= 0.19);
    BOOST_TEST(!rate_limiter::make(std::nullopt, std::nullopt));
}

BOOST_AUTO_TEST_SUITE_END()
