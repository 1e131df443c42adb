// OSO segments through open_segment(): frames of Kafka v2 batches that hold the
// records OSO stored, with their offsets and timestamps.
#include "../storage_fs/test_support.hpp"
#include "fixtures.hpp"

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/segments/open_segment.hpp>
#include <kb/segments/oso_frames.hpp>
#include <kb/storage/fs/fs_backend.hpp>

#include <boost/test/unit_test.hpp>

namespace sf = kb::storage::format;
namespace kp = kb::kafka::protocol;
using namespace kb::test::oso;

namespace {

std::vector<plain_record> plain(const std::vector<kp::owned_record>& in) {
    auto s = [](const std::optional<std::vector<std::byte>>& b) -> std::optional<std::string> {
        if (!b) return std::nullopt;
        return str(std::span<const std::byte>(*b));
    };
    std::vector<plain_record> out;
    for (auto& r : in) {
        plain_record p{r.offset, r.timestamp, s(r.key), s(r.value), {}};
        for (auto& h : r.headers) p.headers.emplace_back(h.key, s(h.value));
        out.push_back(std::move(p));
    }
    return out;
}

// Every record of one segment, read through open_segment and decoded from its batches.
boost::asio::awaitable<std::vector<plain_record>> read_all(kb::storage::backend& b, std::string key,
                                                           std::size_t& frames) {
    auto reader = co_await kb::segments::open_segment(b, key);
    std::vector<plain_record> out;
    while (auto f = co_await reader.next()) {
        ++frames;
        for (auto& batch : kp::split_batches(f->raw)) {
            BOOST_TEST(batch.crc_ok());
            auto recs = plain(kp::read_records(batch));
            out.insert(out.end(), recs.begin(), recs.end());
        }
    }
    BOOST_TEST(reader.footer().record_count == out.size());
    co_return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(oso_frames)

BOOST_AUTO_TEST_CASE(open_segment_serves_oso_records_as_batches) {
    boost::asio::io_context io;
    for (auto& [version, backup] : all_backups()) {
        auto b = kb::storage::make_fs_backend(io.get_executor(), version / "backups");
        auto want = expected(version);
        auto codec = version.filename().string() + "/" + backup;
        auto m = sf::parse_oso_manifest(slurp(version / "backups" / backup / "manifest.json"));
        for (auto& t : m.topics)
            for (auto& p : t.partitions) {
                std::vector<plain_record> got;
                std::size_t frames = 0;
                for (auto& s : p.segments) {
                    auto recs = kb::test::run(io, read_all(*b, s.key, frames));
                    got.insert(got.end(), recs.begin(), recs.end());
                }
                BOOST_TEST_INFO(codec << " " << t.name << "-" << p.partition);
                BOOST_TEST((got == want.at({t.name, p.partition})));
                BOOST_TEST(frames == p.segments.size());  // small segments: one frame each
            }
    }
}

BOOST_AUTO_TEST_CASE(a_missing_oso_segment_is_not_found) {
    boost::asio::io_context io;
    auto b = kb::storage::make_fs_backend(io.get_executor(), v0174 / "backups");
    std::size_t frames = 0;
    try {
        kb::test::run(
            io,
            read_all(*b, "oso-none/topics/x/partition=0/segment-00000000000000000000.bin", frames));
        BOOST_FAIL("expected an error");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "NoSuchKey");
    }
}

BOOST_AUTO_TEST_CASE(frames_split_by_size_and_keep_offsets) {
    auto object = bytes_of(
        v0174 /
        "backups/oso-none/topics/osoformat-fx-orders/partition=0/segment-00000000000000000000.bin");
    auto seg = sf::decode_oso_segment(object, "s");
    auto frames = kb::segments::plan_oso_frames(seg, "s", 300);  // a record or two per frame
    BOOST_TEST(frames.size() > 2u);
    std::int64_t next = 0;
    std::uint64_t records = 0;
    for (auto& f : frames) {
        BOOST_TEST(f.first_offset == next);
        next = f.last_offset + 1;
        records += f.record_count;
        auto batch = kb::segments::oso_frame_batch(seg, f, "s");
        auto h = kp::parse_batch_header(batch);
        BOOST_TEST(h.base_offset == f.first_offset);
        BOOST_TEST(h.last_offset() == f.last_offset);
        BOOST_TEST(h.record_count == static_cast<std::int32_t>(f.record_count));
    }
    BOOST_TEST(records == 6u);
}

BOOST_AUTO_TEST_SUITE_END()
