// Backups of format 1 (segments keyed "<first>-<last>.seg") stay readable after
// format 2 keyed new segments by their first offset only. The fixture in
// tests/fixtures/format-v1 was written by the format 1 binary (commit e4f8bd4):
// 30 records of one topic, 18 in partition 0 and 12 in partition 1.
#include "format_support.hpp"

#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/format/segment_reader.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace kb;
using namespace kb::storage;
using namespace kb::storage::format;
using kb::test::run;

namespace {

// The fixture, copied to a scratch directory so a test can never alter it.
struct v1_fixture {
    boost::asio::io_context io;
    kb::test::scratch_dir dir;
    std::unique_ptr<backend> fs;
    backup_layout layout{"fixture-v1"};

    v1_fixture() {
        std::filesystem::copy(KB_FORMAT_FIXTURES "/format-v1", dir.path,
                              std::filesystem::copy_options::recursive);
        fs = make_fs_backend(io.get_executor(), dir.path);
    }

    manifest latest() {
        manifest_store store(*fs, layout);
        auto got = run(io, store.read_latest());
        BOOST_REQUIRE(got);
        return got->value;
    }

    // Every record of the segment, counted from its verified frames.
    static awaitable<std::uint64_t> count_records(backend& b, std::string key) {
        auto r = co_await segment_reader::open(b, std::move(key));
        std::uint64_t records = 0;
        while (auto f = co_await r.next())
            for (auto& batch : split_batches(f->raw)) {
                auto p = reinterpret_cast<const unsigned char*>(batch.data()) + 57;
                records += (std::uint64_t(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
            }
        co_return records;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(format_1, v1_fixture)

BOOST_AUTO_TEST_CASE(a_format_1_backup_reads_whole) {
    auto m = latest();
    BOOST_TEST(m.format_version == 1);
    BOOST_REQUIRE(m.topics.size() == 1u);
    std::uint64_t records = 0;
    for (auto& p : m.topics[0].partitions)
        for (auto& s : p.segments) {
            auto k = parse_segment_key(s.key);
            BOOST_REQUIRE(k);
            BOOST_TEST(k->last_offset.value() == s.last_offset);  // a format 1 key
            auto n = run(io, count_records(*fs, s.key));
            BOOST_TEST(n == s.record_count);
            records += n;
        }
    BOOST_TEST(records == 30u);
}

// A format 1 backup resumed by format 2 holds both kinds of key in one manifest.
BOOST_AUTO_TEST_CASE(a_resumed_format_1_backup_mixes_both_keys) {
    manifest_store store(*fs, layout);
    auto m = run(io, store.read_latest()).value().value;  // as a resuming writer reads it
    auto& p0 = m.topics[0].partitions.at(0);
    segment_writer w({.topic = "stream-fixture-v1", .partition = 0});
    auto batch = kb::test::make_batch(p0.end_offset, 5, 1'000, 200, 7);
    std::vector<std::byte> object;
    auto keep = [&](std::vector<runtime::shared_buffer> pieces) {
        for (auto& piece : pieces)
            object.insert(object.end(), piece.bytes().begin(), piece.bytes().end());
    };
    keep(w.add(batch.bytes, batch.meta));
    keep(w.finish());
    segment_ref ref;
    ref.key = layout.segment("stream-fixture-v1", 0, p0.end_offset);
    ref.first_offset = p0.end_offset;
    ref.last_offset = p0.end_offset + 4;
    ref.record_count = 5;
    ref.checksum = format_crc32c(w.summary().crc32c);
    ref.compression = "zstd";
    run(io, fs->put(ref.key, runtime::shared_buffer::adopt(std::move(object))));
    p0.segments.push_back(ref);
    p0.end_offset = ref.last_offset + 1;
    m.format_version = manifest_version;
    run(io, store.publish(m));

    auto back = latest();
    BOOST_TEST(back.format_version == 2);
    auto& segs = back.topics[0].partitions.at(0).segments;
    BOOST_REQUIRE(segs.size() == 2u);
    BOOST_TEST(parse_segment_key(segs[0].key)->last_offset.has_value());
    BOOST_TEST(!parse_segment_key(segs[1].key)->last_offset.has_value());
    BOOST_TEST(run(io, count_records(*fs, segs[0].key)) == 18u);
    BOOST_TEST(run(io, count_records(*fs, segs[1].key)) == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
