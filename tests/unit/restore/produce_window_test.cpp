// produce_window against a fake broker that can hold its Produce answers (stepping):
// never more than max_in_flight requests outstanding, completions reported in
// order, and the first failure is the one reported when several fail.
#include "produce_window.hpp"
#include "restore_rig.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/runtime/error.hpp>

#include <thread>

namespace kb::restore::detail {
namespace {

using boost::asio::awaitable;
using namespace std::chrono_literals;

struct window_rig {
    kb::test::fake_broker broker;
    boost::asio::io_context io;
    std::vector<std::int64_t> landed;  // source offset of each completion, in report order
    int submitted = 0;

    window_rig() { broker.add_topic("dst", 1); }

    static produce_job job_for(std::int64_t base) {
        produce_job job;
        job.topic = "dst";
        job.partition = 0;
        job.batches = runtime::shared_buffer::copy_of(kb::test::source_batch(base, 5));
        job.runs = {{base, 5}};
        job.records = 5;
        job.bytes_hint = job.batches.size();
        return job;
    }

    // Submits `jobs` batches of 5 records through a window of `max` and drains it.
    awaitable<void> produce_all(int jobs, int max) {
        kafka::client::cluster c(co_await boost::asio::this_coro::executor,
                                 kb::test::client_for(broker));
        co_await c.bootstrap();
        kafka::client::producer p(c);
        co_await p.init();
        std::exception_ptr failure;
        try {
            produce_window w(
                p, co_await boost::asio::this_coro::executor, max,
                [this](const produce_done& d) { landed.push_back(d.job.runs[0].first); });
            for (int i = 0; i < jobs; ++i) {
                co_await w.submit(job_for(i * 5));
                ++submitted;
            }
            co_await w.drain();
        } catch (...) {
            failure = std::current_exception();
        }
        co_await c.close();
        if (failure) std::rethrow_exception(failure);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(produce_window_suite, window_rig)

BOOST_AUTO_TEST_CASE(at_most_max_in_flight_requests_are_outstanding) {
    broker.hold_produce(true);
    auto done = boost::asio::co_spawn(io, produce_all(8, 2), boost::asio::use_future);
    // Step the client until two requests wait at the broker, then a while longer:
    // a third must not be sent while they are unanswered.
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    while (broker.produce_in_flight() < 2 && std::chrono::steady_clock::now() < give_up)
        io.run_for(10ms);
    io.run_for(200ms);
    BOOST_TEST(broker.produce_in_flight() == 2);
    BOOST_TEST(submitted == 2);  // the third submit waits for a slot
    broker.hold_produce(false);
    while (done.wait_for(0s) != std::future_status::ready &&
           std::chrono::steady_clock::now() < give_up)
        io.run_for(10ms);
    BOOST_REQUIRE(done.wait_for(0s) == std::future_status::ready);
    done.get();
    BOOST_TEST(broker.max_produce_in_flight() == 2);
    BOOST_TEST((landed == std::vector<std::int64_t>{0, 5, 10, 15, 20, 25, 30, 35}));
    BOOST_TEST(broker.log("dst", 0).size() == 8u);
}

BOOST_AUTO_TEST_CASE(the_first_failure_is_reported_after_the_others_land) {
    broker.fail_produce(2, kafka::protocol::err::invalid_timestamp);
    broker.fail_produce(3, kafka::protocol::err::policy_violation);
    try {
        kb::test::run_within(io, produce_all(8, 3));
        BOOST_FAIL("the window did not report the failure");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "INVALID_TIMESTAMP");
    }
    BOOST_TEST(submitted < 8);  // it stopped taking work
    // Request 1 landed and was reported; the failed ones were not.
    BOOST_TEST(landed.front() == 0);
    for (auto at : landed) BOOST_TEST((at != 5 && at != 10));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kb::restore::detail
