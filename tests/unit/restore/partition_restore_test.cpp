// One partition's restore pipeline (restore_partition: read segments from S3 ->
// select -> produce_window -> producer) against a fake S3 endpoint and a fake
// target broker: every batch arrives in order; a produce the broker rejects
// surfaces as the broker's error (not as the reader's channel error); a corrupt
// segment surfaces as CorruptSegment and nothing of it is produced; a resumed
// restore produces only what the checkpoint says is missing.
#include "partition_restore.hpp"
#include "restore_rig.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/runtime/error.hpp>

#include <boost/asio/steady_timer.hpp>

namespace kb::restore::detail {
namespace {

using boost::asio::awaitable;
using kb::test::expected;
using kb::test::records_of;

struct restore_rig {
    kb::test::fake_broker broker;  // the target
    kb::test::fake_s3 s3;          // the backup
    boost::asio::io_context io;
    std::unique_ptr<storage::backend> backend =
        storage::s3::make_s3_backend(io.get_executor(), s3.config());
    partition_task task;

    restore_rig() {
        broker.add_topic("dst", 1);
        task.source_topic = "src";
        task.target_topic = "dst";
        task.target_partitions = 1;
    }

    int read_ahead = 4;
    runtime::shard_pool* decode_pool = nullptr;

    // `segments` segments of `batches` batches of `records` records, from offset 0.
    void back_up(int segments, int batches, int records, std::size_t max_frame_raw = 1 << 20) {
        std::int64_t base = 0;
        for (int s = 0; s < segments; ++s, base += batches * records)
            task.segments.push_back(kb::test::run_within(
                io, kb::test::write_segment(*backend, base, batches, records, max_frame_raw)));
        task.last_offset = base - 1;
    }

    task_result restore(resume_from resume = {}) {
        return kb::test::run_within(io, restore_coro(std::move(resume)));
    }

    // What the engine hands a partition's restore: this rig's store, budget and settings.
    shard_context context_for(kafka::client::producer& p, int max_in_flight) {
        shard_context ctx;
        ctx.backend = backend.get();
        ctx.producer = &p;
        ctx.budget = runtime::byte_budget::make("restore-test", 64 << 20);
        ctx.max_in_flight = max_in_flight;
        ctx.read_ahead = read_ahead;
        ctx.decode_pool = decode_pool;
        return ctx;
    }

    awaitable<task_result> restore_coro(resume_from resume) {
        kafka::client::cluster c(co_await boost::asio::this_coro::executor,
                                 kb::test::client_for(broker));
        co_await c.bootstrap();
        kafka::client::producer p(c);
        co_await p.init();
        auto ctx = context_for(p, 3);
        // As the engine does: the cluster is closed (in-flight requests end) also
        // when the partition failed, then it goes away with the producer.
        std::exception_ptr failure;
        task_result r;
        try {
            r = co_await restore_partition(ctx, task, std::nullopt, std::nullopt,
                                           std::move(resume));
        } catch (...) {
            failure = std::current_exception();
        }
        co_await c.close();
        if (failure) std::rethrow_exception(failure);
        co_return r;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(partition_restore, restore_rig)

BOOST_AUTO_TEST_CASE(every_batch_is_produced_once_in_order_and_mapped) {
    back_up(4, 5, 7);  // 140 records in 20 batches
    auto r = restore();
    BOOST_TEST(r.records == 140u);
    BOOST_TEST(r.segments == 4u);
    BOOST_TEST(r.passed == 20u);  // whole batches, not re-encoded
    BOOST_TEST(broker.log("dst", 0).size() == 20u);
    BOOST_TEST((records_of(broker.log("dst", 0)) == expected(0, 139)));
    BOOST_TEST(r.mapping.record_count() == 140u);
    for (auto& range : r.mapping.ranges) BOOST_TEST(range.target_first == range.source_first);
}

BOOST_AUTO_TEST_CASE(a_rejected_produce_surfaces_as_the_brokers_error) {
    back_up(8, 4, 5);  // more frames than the channel and the window hold
    broker.fail_produce(3, kafka::protocol::err::invalid_timestamp);
    try {
        restore();
        BOOST_FAIL("the restore did not fail");
    } catch (const kb::error& e) {
        BOOST_TEST_MESSAGE("restore failed with: " << e.what());
        BOOST_TEST(e.code() == "INVALID_TIMESTAMP");
        BOOST_TEST(std::string(e.what()).find("INVALID_TIMESTAMP") != std::string::npos);
    }
    // Nothing after the rejected request's batch was produced in its place.
    BOOST_TEST(broker.log("dst", 0).size() <= 2u + 3u);
}

BOOST_AUTO_TEST_CASE(a_corrupt_segment_stops_the_restore_before_anything_of_it_is_produced) {
    back_up(3, 4, 5);  // offsets 0..19, 20..39, 40..59
    auto damaged = *s3.object(task.segments[1].key);
    damaged[damaged.size() / 3] ^= 0x5a;  // inside its frame: the frame CRC no longer matches
    s3.put_object(task.segments[1].key, damaged);
    try {
        restore();
        BOOST_FAIL("the restore did not fail");
    } catch (const kb::error& e) {
        BOOST_TEST_MESSAGE("restore failed with: " << e.what());
        BOOST_TEST(e.code() == "CorruptSegment");  // the reader's own error, not a channel's
    }
    auto produced = records_of(broker.log("dst", 0));
    BOOST_TEST(produced.size() <= 20u);  // nothing of the damaged segment or after it
    BOOST_TEST((produced == expected(0, static_cast<std::int64_t>(produced.size()) - 1)));
}

BOOST_AUTO_TEST_CASE(a_resumed_restore_produces_only_what_is_missing) {
    back_up(3, 4, 5);  // 60 records
    // An earlier run of this restore put the first 7 records at target offsets 0..6.
    broker.append("dst", 0, kb::test::source_batch(0, 5));
    broker.append("dst", 0, kb::test::source_batch(5, 2));
    resume_from resume;
    resume.add(0, 7);
    auto r = restore(resume);
    BOOST_TEST(r.records == 60u);  // 7 mapped where they are, 53 produced
    BOOST_TEST((records_of(broker.log("dst", 0)) == expected(0, 59)));  // none twice, none lost
    BOOST_TEST(r.mapping.record_count() == 60u);
    for (auto& range : r.mapping.ranges) BOOST_TEST(range.target_first == range.source_first);
}

// The reader fails while produce requests wait at the broker: the partition's
// restore ends only once they are answered, so none outlives the producer (the
// engine may destroy it, and the cluster, as soon as the restore returns).
BOOST_AUTO_TEST_CASE(a_failed_restore_ends_after_its_produce_requests_in_flight) {
    back_up(3, 4, 5);  // offsets 0..19, 20..39, 40..59
    auto damaged = *s3.object(task.segments[2].key);
    damaged[damaged.size() / 3] ^= 0x5a;
    s3.put_object(task.segments[2].key, damaged);
    broker.hold_produce(true);
    int unanswered_at_failure = -1;
    std::string code;
    auto run = [&]() -> awaitable<void> {
        auto ex = co_await boost::asio::this_coro::executor;
        kafka::client::cluster c(ex, kb::test::client_for(broker));
        co_await c.bootstrap();
        kafka::client::producer p(c);
        co_await p.init();
        auto ctx = context_for(p, 8);  // the 8 batches before the damage are all sent, and held
        boost::asio::steady_timer release(ex, std::chrono::milliseconds(300));
        release.async_wait([&](auto) { broker.hold_produce(false); });
        try {
            co_await restore_partition(ctx, task, std::nullopt, std::nullopt, resume_from{});
        } catch (const kb::error& e) {
            code = e.code();
            unanswered_at_failure = broker.produce_in_flight();
        }
        co_await c.close();
    };
    kb::test::run_within(io, run());
    BOOST_TEST(code == "CorruptSegment");  // the reader's error, reported as it was
    BOOST_TEST(unanswered_at_failure == 0);
    BOOST_TEST((records_of(broker.log("dst", 0)) == expected(0, 39)));
}

// Frames are read ahead: with every GET slowed down, four in flight restore a
// segment of 16 frames in well under half the time one at a time takes.
BOOST_AUTO_TEST_CASE(frames_are_read_ahead_several_gets_at_once) {
    back_up(1, 16, 5, 256);  // a frame per batch
    s3.add_rule({.method = "GET",
                 .key_contains = ".seg",
                 .fault = kb::test::s3_fault::slow,
                 .times = -1,
                 .delay = std::chrono::milliseconds(60)});
    auto timed = [&](int depth) {
        read_ahead = depth;
        const auto t0 = std::chrono::steady_clock::now();
        auto r = restore();
        BOOST_TEST(r.records == 80u);
        return std::chrono::steady_clock::now() - t0;
    };
    const auto one = timed(1);
    const auto log_after_one = records_of(broker.log("dst", 0));
    BOOST_TEST((log_after_one == expected(0, 79)));
    const auto four = timed(4);
    BOOST_TEST_MESSAGE("one GET at a time: " << one.count() / 1'000'000
                                             << " ms, four: " << four.count() / 1'000'000 << " ms");
    BOOST_TEST(one >= std::chrono::milliseconds(16 * 60));
    BOOST_TEST(four * 2 < one);
}

// Two shards and one partition: frames are decoded on the pool's shards and still
// produced once each, in order.
BOOST_AUTO_TEST_CASE(frames_decoded_on_other_shards_are_produced_in_order) {
    runtime::shard_pool pool(2);
    decode_pool = &pool;
    back_up(3, 12, 5, 256);  // 36 frames
    auto r = restore();
    pool.stop();
    BOOST_TEST(r.records == 180u);
    BOOST_TEST((records_of(broker.log("dst", 0)) == expected(0, 179)));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kb::restore::detail
