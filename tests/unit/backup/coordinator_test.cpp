// coordinator: commits are published together (issue 21.12), not one manifest
// version per segment; every commit still reaches a published version.
#include "coordinator.hpp"

#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>

namespace sf = kb::storage::format;
using boost::asio::awaitable;
using namespace std::chrono_literals;

namespace {

template <class T>
T run(boost::asio::io_context& io, awaitable<T> a) {
    auto f = boost::asio::co_spawn(io, std::move(a), boost::asio::use_future);
    io.restart();
    io.run();
    return f.get();
}

struct fixture {
    boost::asio::io_context io;
    std::filesystem::path dir;
    std::unique_ptr<kb::storage::backend> fs;
    sf::backup_layout layout{"coord"};

    fixture() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kb-coord-XXXXXX").string();
        dir = ::mkdtemp(tmpl.data());
        fs = kb::storage::make_fs_backend(io.get_executor(), dir);
    }
    ~fixture() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    // A coordinator over a fresh manifest with one topic of `partitions` partitions.
    awaitable<void> start(kb::backup::coordinator& c, int partitions) {
        co_await c.load();
        auto& m = c.manifest();
        m.backup_id = "coord";
        m.tool_version = "test";
        m.created_at = m.updated_at = sf::now_ms();
        sf::topic_manifest t;
        t.name = "t";
        t.partition_count = partitions;
        m.topics.push_back(t);
        co_await c.publish();
    }
    // Start, one segment per partition, a pause (deferred publishes may run),
    // maybe a final publish, close: all in one coroutine, as a backup run does.
    awaitable<void> scenario(kb::backup::coordinator& c, int partitions,
                             std::chrono::milliseconds pause, bool final_publish) {
        co_await start(c, partitions);
        for (int p = 0; p < partitions; ++p) co_await c.commit(commit_of(p, 0));
        boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, pause);
        co_await t.async_wait(boost::asio::use_awaitable);
        if (final_publish) co_await c.publish();
        co_await c.close();
    }
    static kb::backup::segment_commit commit_of(int partition, std::int64_t first) {
        kb::backup::segment_commit c;
        c.topic = "t";
        c.partition = partition;
        c.segment.key = sf::backup_layout("coord").segment("t", partition, first);
        c.segment.first_offset = c.segment.last_offset = first;
        c.segment.record_count = 1;
        c.segment.checksum = "crc32c:00000000";
        return c;
    }
    std::size_t segments_published() {
        sf::manifest_store reader(*fs, layout);
        auto latest = run(io, reader.read_latest());
        std::size_t n = 0;
        for (auto& p : latest->value.topics.at(0).partitions) n += p.segments.size();
        return n;
    }
    std::uint64_t newest_sequence() {
        sf::manifest_store reader(*fs, layout);
        return run(io, reader.read_latest())->sequence;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(coordinator_batching, fixture)

BOOST_AUTO_TEST_CASE(a_thousand_commits_make_three_versions_not_a_thousand) {
    kb::backup::coordinator c(*fs, layout, 1s);
    // Version 1 at the start, 2 for the first commit, 3 (the final publish) for
    // the other 999, which the deferred publish had not yet carried.
    run(io, scenario(c, 1000, 0ms, true));
    BOOST_TEST(newest_sequence() == 3u);
    BOOST_TEST(segments_published() == 1000u);
}

BOOST_AUTO_TEST_CASE(a_deferred_publish_carries_later_commits_by_itself) {
    kb::backup::coordinator c(*fs, layout, 200ms);
    run(io, scenario(c, 3, 600ms, false));
    BOOST_TEST(newest_sequence() == 3u);  // start, the first commit, the deferred one
    BOOST_TEST(segments_published() == 3u);
}

BOOST_AUTO_TEST_CASE(interval_zero_publishes_every_commit) {
    kb::backup::coordinator c(*fs, layout, 0ms);
    run(io, scenario(c, 4, 0ms, false));
    BOOST_TEST(newest_sequence() == 5u);
    BOOST_TEST(segments_published() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
