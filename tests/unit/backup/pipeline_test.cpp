// One partition's backup pipeline (run_partition: fill -> store -> commit) against
// a fake broker and a fake S3 endpoint, on a one-shard pool as in a real run.
// - backpressure: with uploads stalled, the fetcher stops after the few segments
//   the pipeline may hold (three, or fewer when the budget holds fewer), and the
//   memory charged is exactly their reservations, inside the budget;
// - the coordinator publishes only stored segments, in offset order, and a
//   segment whose upload fails is never published (nor anything after it);
// - a PUT whose response is lost is retried and published once;
// - on disk, segments are staged and renamed whole, leaving no temporary behind.
#include "pipeline_rig.hpp"

#include "coordinator.hpp"
#include "pipeline.hpp"

#include <kb/test/fake_s3.hpp>

#include <kb/kafka/client/cluster.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/fs/fs_backend.hpp>
#include <kb/storage/s3/s3_backend.hpp>

#include <filesystem>

#include <thread>

namespace kb::backup {
namespace {

namespace sf = storage::format;
using boost::asio::awaitable;
using namespace std::chrono_literals;

struct pipeline_rig {
    kb::test::fake_broker broker;
    kb::test::fake_s3 s3;
    backup_settings settings = kb::test::settings_for(broker);
    std::chrono::milliseconds s3_retry_deadline = 2s;  // how long a failing request is retried
    std::optional<std::filesystem::path> disk;         // back up to this directory, not to S3
    std::unique_ptr<backup_job::state> st;

    ~pipeline_rig() {
        if (st) {
            st->pool->run_on(0, close_all()).get();
            st->pool->stop();
            st.reset();
        }
        std::error_code ignored;
        if (disk) std::filesystem::remove_all(*disk, ignored);
    }

    std::unique_ptr<storage::backend> open_storage(boost::asio::any_io_executor ex) const {
        if (disk) return storage::make_fs_backend(ex, *disk);
        auto cfg = s3.config();
        cfg.retry.deadline = s3_retry_deadline;
        return storage::s3::make_s3_backend(ex, cfg);
    }

    // The job state with one shard (a Kafka client, an S3 backend) and a
    // coordinator whose manifest has topic "t" with one partition.
    void start() {
        st = std::make_unique<backup_job::state>(settings);
        st->pool = std::make_unique<runtime::shard_pool>(1);
        st->pool->run_on(0, open_all()).get();
    }

    awaitable<void> open_all() {
        auto ex = co_await boost::asio::this_coro::executor;
        auto ctx = std::make_unique<shard_context>();
        ctx->kafka = std::make_unique<kafka::client::cluster>(ex, settings.kafka);
        co_await ctx->kafka->bootstrap();
        ctx->storage = open_storage(ex);
        st->shards.push_back(std::move(ctx));
        st->coordinator_storage = open_storage(ex);
        st->coord = std::make_unique<coordinator>(*st->coordinator_storage, st->layout,
                                                  settings.publish_interval);
        st->coord->store().set_versions_kept(0);  // keep every version: the tests read them all
        co_await st->coord->load();
        auto& m = st->coord->manifest();
        m.backup_id = settings.backup_id;
        m.tool_version = "test";
        m.created_at = m.updated_at = sf::now_ms();
        sf::topic_manifest t;
        t.name = "t";
        t.partition_count = 1;
        m.topics.push_back(t);
        co_await st->coord->publish();
    }

    awaitable<void> close_all() {
        co_await st->coord->close();
        for (auto& s : st->shards) co_await s->kafka->close();
    }

    // Backs up "t"/0 from offset 0 to its end on the pool; the future ends with it.
    std::future<void> run() {
        partition_task task{"t", 0, 0, broker.end_offset("t", 0)};
        return st->pool->run_on(0, run_partition(*st, 0, task));
    }

    std::string segment_key(std::int64_t first) const {
        return sf::backup_layout(settings.backup_id).segment("t", 0, first);
    }

    // Every published manifest version, oldest first, read back from the fake S3.
    std::vector<sf::manifest> published() {
        boost::asio::io_context io;
        auto b = open_storage(io.get_executor());
        sf::manifest_store store(*b, st->layout);
        return kb::test::run_within(io, every_version(store));
    }

    static awaitable<std::vector<sf::manifest>> every_version(sf::manifest_store& store) {
        std::vector<sf::manifest> out;
        for (auto seq : co_await store.list_versions())
            out.push_back((co_await store.read_version(seq)).value);
        co_return out;
    }

    // A manifest with topic "t" (one partition), published as the first version.
    awaitable<void> start_manifest(coordinator& c) {
        co_await c.load();
        c.manifest().backup_id = settings.backup_id;
        c.manifest().created_at = sf::now_ms();
        sf::topic_manifest t;
        t.name = "t";
        t.partition_count = 1;
        c.manifest().topics.push_back(t);
        co_await c.publish();
    }

    // A commit of segment first..last of "t"/0 (the object itself is not needed).
    static awaitable<void> commit_range(coordinator& c, std::int64_t first, std::int64_t last) {
        segment_commit sc;
        sc.topic = "t";
        sc.segment.key = sf::backup_layout("pipe").segment("t", 0, first);
        sc.segment.first_offset = first;
        sc.segment.last_offset = last;
        sc.segment.record_count = static_cast<std::uint64_t>(last - first + 1);
        sc.segment.checksum = "crc32c:00000000";
        co_await c.commit(std::move(sc));
    }
};

const std::vector<sf::segment_ref>& segments_of(const sf::manifest& m) {
    static const std::vector<sf::segment_ref> none;
    const auto& parts = m.topics.at(0).partitions;
    return parts.empty() ? none : parts.at(0).segments;
}

// Segments in offset order with no gap from offset 0, each one stored whole.
void check_stored_in_order(const kb::test::fake_s3& s3, const std::vector<sf::segment_ref>& segs) {
    std::int64_t next = 0;
    for (auto& s : segs) {
        BOOST_TEST(s.first_offset == next);
        next = s.last_offset + 1;
        auto object = s3.object(s.key);
        BOOST_REQUIRE_MESSAGE(object, "published segment " << s.key << " is not stored");
        BOOST_TEST(object->size() == s.stored_bytes);
    }
}

// Waits until the broker has seen no new Fetch for `quiet` (the fetcher is stalled).
void wait_until_fetching_stops(const kb::test::fake_broker& broker,
                               std::chrono::milliseconds quiet) {
    auto last = broker.fetch_requests();
    auto since = std::chrono::steady_clock::now();
    const auto give_up = since + 10s;
    while (std::chrono::steady_clock::now() - since < quiet &&
           std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(20ms);
        if (broker.fetch_requests() != last) {
            last = broker.fetch_requests();
            since = std::chrono::steady_clock::now();
        }
    }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(backup_pipeline, pipeline_rig)

BOOST_AUTO_TEST_CASE(a_stalled_upload_stops_the_fetcher_and_memory_stays_in_the_budget) {
    settings.options.segment_max_records = 20;     // 4 batches of 5 records a segment
    kb::test::fill_log(broker, "t", 40, 5, 2000);  // 200 records, 10 segments
    start();
    s3.hold_writes(true);
    auto done = run();
    wait_until_fetching_stops(broker, 400ms);
    // One segment uploading, one waiting for the storer, one filled and waiting to be
    // handed over: the fetcher cannot be more than three segments ahead.
    BOOST_TEST(s3.writes_waiting() >= 1);
    BOOST_TEST(broker.max_fetch_offset() <= 3 * 20);
    // Those three segments are charged, each its whole reservation, and nothing else.
    const auto& budget = *st->budget;
    BOOST_TEST(budget.capacity() - budget.available() == 3 * st->sizing.small_reservation);
    BOOST_TEST(budget.peak_in_use() <= budget.capacity());
    s3.hold_writes(false);
    BOOST_REQUIRE(done.wait_for(20s) == std::future_status::ready);
    done.get();
    BOOST_TEST(!st->first_error);
    BOOST_TEST(budget.available() == budget.capacity());  // every permit returned
    auto versions = published();
    auto& segs = segments_of(versions.back());
    BOOST_TEST(segs.size() == 10u);
    BOOST_TEST(segs.back().last_offset == 199);
    check_stored_in_order(s3, segs);
}

BOOST_AUTO_TEST_CASE(a_budget_for_two_segments_stops_the_fetcher_after_two) {
    settings.options.segment_max_records = 20;
    settings.memory_budget = 16ull << 20;  // two segments' reservations, not three
    kb::test::fill_log(broker, "t", 40, 5, 2000);
    start();
    BOOST_REQUIRE(2 * st->sizing.small_reservation <= st->budget->capacity());
    BOOST_REQUIRE(3 * st->sizing.small_reservation > st->budget->capacity());
    s3.hold_writes(true);
    auto done = run();
    wait_until_fetching_stops(broker, 400ms);
    BOOST_TEST(broker.max_fetch_offset() <= 20);  // the third segment waits for memory
    const auto& budget = *st->budget;
    BOOST_TEST(budget.capacity() - budget.available() == 2 * st->sizing.small_reservation);
    s3.hold_writes(false);
    BOOST_REQUIRE(done.wait_for(20s) == std::future_status::ready);
    done.get();
    BOOST_TEST(!st->first_error);
    BOOST_TEST(budget.peak_in_use() <= budget.capacity());
    BOOST_TEST(budget.available() == budget.capacity());
    auto versions = published();
    BOOST_TEST(segments_of(versions.back()).size() == 10u);
}

BOOST_AUTO_TEST_CASE(a_segment_whose_upload_fails_is_never_published_nor_what_follows) {
    settings.options.segment_max_records = 10;
    kb::test::fill_log(broker, "t", 10, 5, 100);  // 50 records, 5 segments
    s3_retry_deadline = 500ms;
    const auto doomed = segment_key(20);
    s3.add_rule({.method = "",
                 .key_contains = doomed,
                 .fault = kb::test::s3_fault::unavailable,
                 .times = -1});
    start();
    auto done = run();
    BOOST_REQUIRE(done.wait_for(20s) == std::future_status::ready);
    done.get();
    BOOST_REQUIRE(st->first_error);  // run_partition reports through the job state
    try {
        std::rethrow_exception(st->first_error);
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "SlowDown");
    }
    BOOST_TEST(!s3.object(doomed));
    BOOST_TEST(!s3.object(segment_key(30)));
    auto versions = published();
    // Every version names stored segments only, in order, each one extending the last.
    std::size_t before = 0;
    for (auto& m : versions) {
        auto& segs = segments_of(m);
        BOOST_TEST(segs.size() >= before);
        before = segs.size();
        check_stored_in_order(s3, segs);
    }
    auto& last = segments_of(versions.back());
    BOOST_REQUIRE(last.size() == 2u);  // 0..9 and 10..19; not 20..29, nor 30..39 after it
    BOOST_TEST(last.back().last_offset == 19);
}

BOOST_AUTO_TEST_CASE(a_segment_put_whose_answer_is_lost_is_published_once) {
    settings.options.segment_max_records = 10;
    kb::test::fill_log(broker, "t", 6, 5, 100);  // 30 records, 3 segments
    s3.add_rule({.method = "PUT",
                 .key_contains = segment_key(10),
                 .fault = kb::test::s3_fault::lose_response});
    start();
    auto done = run();
    BOOST_REQUIRE(done.wait_for(20s) == std::future_status::ready);
    done.get();
    BOOST_TEST(!st->first_error);
    auto versions = published();
    auto& segs = segments_of(versions.back());
    BOOST_REQUIRE(segs.size() == 3u);
    check_stored_in_order(s3, segs);
    int puts = 0;
    for (auto& r : s3.requests()) puts += r == "PUT " + segment_key(10);
    BOOST_TEST(puts == 2);  // the lost answer, then the retry
}

BOOST_AUTO_TEST_CASE(segments_staged_on_disk_appear_whole_and_leave_no_temporaries) {
    settings.options.segment_max_records = 10;
    kb::test::fill_log(broker, "t", 10, 5, 1000);  // 50 records, 5 segments
    std::string tmpl = (std::filesystem::temp_directory_path() / "kb-pipe-XXXXXX").string();
    disk = ::mkdtemp(tmpl.data());
    start();
    auto done = run();
    BOOST_REQUIRE(done.wait_for(20s) == std::future_status::ready);
    done.get();
    BOOST_TEST(!st->first_error);
    auto versions = published();
    auto& segs = segments_of(versions.back());
    BOOST_REQUIRE(segs.size() == 5u);
    std::int64_t next = 0;
    for (auto& s : segs) {  // streamed to a temp file, renamed whole to its key
        BOOST_TEST(s.first_offset == next);
        next = s.last_offset + 1;
        BOOST_TEST(std::filesystem::file_size(*disk / s.key) == s.stored_bytes);
    }
    for (auto& e : std::filesystem::recursive_directory_iterator(*disk))
        BOOST_TEST(!e.path().filename().string().starts_with(".kb-"), e.path());
}

BOOST_AUTO_TEST_CASE(a_manifest_put_that_fails_publishes_nothing_and_the_next_one_carries_it) {
    boost::asio::io_context io;
    auto cfg = s3.config();
    cfg.retry.deadline = 300ms;
    auto b = storage::s3::make_s3_backend(io.get_executor(), cfg);
    const sf::backup_layout layout(settings.backup_id);
    coordinator c(*b, layout, 0ms);
    kb::test::run_within(io, start_manifest(c));
    s3.add_rule({.method = "PUT", .key_contains = "/manifests/", .times = -1});
    BOOST_CHECK_THROW(kb::test::run_within(io, commit_range(c, 0, 9)), kb::error);
    sf::manifest_store versions(*b, layout);
    // Only the first version: the failed PUT published nothing.
    BOOST_TEST(kb::test::run_within(io, versions.list_versions()).size() == 1u);
    s3.clear_rules();
    kb::test::run_within(io, commit_range(c, 10, 19));
    kb::test::run_within(io, c.close());
    sf::manifest_store reader(*b, layout);
    auto latest = kb::test::run_within(io, reader.read_latest());
    BOOST_REQUIRE(latest);
    BOOST_TEST(latest->sequence == 2u);
    auto& segs = segments_of(latest->value);
    BOOST_REQUIRE(segs.size() == 2u);  // the commit whose publish failed, then the next
    BOOST_TEST(segs[0].last_offset == 9);
    BOOST_TEST(segs[1].first_offset == 10);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kb::backup
