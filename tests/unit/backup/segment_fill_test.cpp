// segment_fill against a fake broker: where a segment ends (bytes, records, time),
// and that it holds the broker's batches byte for byte, in log order.
#include "segment_fill.hpp"
#include "pipeline_rig.hpp"

#include <kb/kafka/client/cluster.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/asio/use_awaitable.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace kb::backup {
namespace {

using boost::asio::awaitable;
using kb::test::batch_bytes;
using namespace std::chrono_literals;

// A filled segment once its object is finished: its summary and its stored bytes.
struct stored_segment {
    storage::format::segment_summary summary;
    std::string key;
    std::vector<std::byte> object;
};

struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "kb-fill-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~temp_dir() { std::filesystem::remove_all(path); }
};

std::vector<std::byte> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto bytes = std::as_bytes(std::span(chars));
    return {bytes.begin(), bytes.end()};
}

struct fill_rig {
    kb::test::fake_broker broker;
    boost::asio::io_context io;
    temp_dir disk;
    backup_settings settings = kb::test::settings_for(broker);

    // Every segment of topic "t" from offset 0 up to `end` (nullopt: one segment
    // of a continuous backup), filled one after another as the pipeline does.
    std::vector<stored_segment> fill_all(std::optional<std::int64_t> end, segment_size size) {
        backup_job::state st(settings);
        return kb::test::run_within(io, fill_loop(st, end, size));
    }

    awaitable<std::vector<stored_segment>> fill_loop(backup_job::state& st,
                                                     std::optional<std::int64_t> end,
                                                     segment_size size) {
        shard_context ctx;
        auto ex = co_await boost::asio::this_coro::executor;
        ctx.kafka = std::make_unique<kafka::client::cluster>(ex, settings.kafka);
        ctx.storage = storage::make_fs_backend(ex, disk.path);
        co_await ctx.kafka->bootstrap();
        std::vector<stored_segment> out;
        partition_task task{"t", 0, 0, end};
        do {
            auto r = co_await fill_segment(st, ctx, task, size);
            task.next_offset = r.next_offset;
            if (!r.segment) break;
            co_await r.segment->object->finish();
            auto key = r.segment->object->key();
            out.push_back({r.segment->summary, key, read_file(disk.path / key)});
        } while (end && task.next_offset < *end);
        co_await ctx.kafka->close();
        co_return out;
    }
};

const std::vector<std::byte>& object_of(const stored_segment& s) {
    return s.object;
}

// Every segment's batches, back to back, are the broker's log; offsets join up;
// each segment is keyed by its first offset.
void check_whole_log_in_order(const std::vector<stored_segment>& segs,
                              const std::vector<batch_bytes>& log) {
    std::vector<batch_bytes> seen;
    std::int64_t next = 0;
    for (auto& s : segs) {
        BOOST_TEST(s.summary.first_offset == next);
        BOOST_TEST(s.key == storage::format::backup_layout("pipe").segment("t", 0, next));
        next = s.summary.last_offset + 1;
        for (auto& b : kb::test::batches_of(object_of(s))) seen.push_back(std::move(b));
    }
    BOOST_TEST(seen.size() == log.size());
    BOOST_TEST((seen == log));
}

segment_size sized(std::uint64_t max_bytes) {
    return segment_size{.max_bytes = max_bytes, .fetch_bytes = 64 * 1024, .reservation = 0};
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(segment_fill, fill_rig)

BOOST_AUTO_TEST_CASE(a_segment_ends_at_max_bytes_with_the_batch_that_crosses_it) {
    kb::test::fill_log(broker, "t", 30, 5, 1000);  // ~5.1 KB a batch
    const auto batch = broker.log("t", 0).front().size();
    auto segs = fill_all(broker.end_offset("t", 0), sized(16 * 1024));
    BOOST_TEST(segs.size() >= 7u);
    for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
        BOOST_TEST(segs[i].summary.raw_bytes >= 16u * 1024);
        BOOST_TEST(segs[i].summary.raw_bytes < 16u * 1024 + batch);
    }
    check_whole_log_in_order(segs, broker.log("t", 0));
}

BOOST_AUTO_TEST_CASE(a_segment_ends_before_max_records_are_passed) {
    settings.options.segment_max_records = 12;
    kb::test::fill_log(broker, "t", 9, 5, 100);
    auto segs = fill_all(broker.end_offset("t", 0), sized(1 << 20));
    BOOST_REQUIRE(segs.size() == 5u);  // 10, 10, 10, 10, 5 records
    for (std::size_t i = 0; i < 4; ++i) BOOST_TEST(segs[i].summary.record_count == 10u);
    BOOST_TEST(segs[4].summary.record_count == 5u);
    check_whole_log_in_order(segs, broker.log("t", 0));
}

BOOST_AUTO_TEST_CASE(a_continuous_segment_ends_after_its_interval_with_what_it_has) {
    settings.options.segment_max_interval_ms = 300;
    kb::test::fill_log(broker, "t", 3, 5, 100);
    const auto start = std::chrono::steady_clock::now();
    auto segs = fill_all(std::nullopt, sized(1 << 20));
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_REQUIRE(segs.size() == 1u);
    BOOST_TEST(segs[0].summary.record_count == 15u);
    BOOST_TEST(took >= 300ms);  // it waited for more data for the interval...
    BOOST_TEST(took < 3000ms);  // ...and no longer
    check_whole_log_in_order(segs, broker.log("t", 0));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace kb::backup
