// Splitting a batch too large for the target (encode_records_within) and the
// footer-based preflight for records that can never fit (oversized_record).
#include "batch_select.hpp"
#include "size_check.hpp"

#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

using namespace kb::restore;
using namespace kb::restore::detail;
namespace proto = kb::kafka::protocol;

namespace {

std::vector<std::byte> bytes_of(const std::string& s) {
    auto p = reinterpret_cast<const std::byte*>(s.data());
    return {p, p + s.size()};
}

// Records with source offsets from 100 (a hole at 150), varied sizes, headers with a
// duplicate key and a null value, a null key and a tombstone.
std::vector<proto::owned_record> sample_records(std::size_t n) {
    std::vector<proto::owned_record> out;
    for (std::size_t i = 0; i < n; ++i) {
        proto::owned_record r;
        r.offset = 100 + static_cast<std::int64_t>(i) + (i >= 50 ? 1 : 0);
        r.timestamp = 1'700'000'000'000 + static_cast<std::int64_t>(i * 7 % 13);
        if (i % 10 != 3) r.key = bytes_of("key-" + std::to_string(i));
        if (i % 10 != 5) r.value = bytes_of(std::string(200 + (i * 37) % 900, 'a' + i % 26));
        r.headers.push_back({"h", bytes_of("1")});
        r.headers.push_back({"h", std::nullopt});
        out.push_back(std::move(r));
    }
    return out;
}

// Decodes the pieces back; record offsets are the pieces' own (0-based per batch).
std::vector<proto::owned_record> decode_all(const std::vector<encoded_batch>& pieces,
                                            std::size_t limit) {
    std::vector<proto::owned_record> out;
    for (const auto& p : pieces) {
        BOOST_TEST(p.bytes.size() <= limit);
        auto views = proto::split_batches(p.bytes);
        BOOST_TEST_REQUIRE(views.size() == 1u);
        BOOST_TEST(views[0].crc_ok());
        BOOST_TEST(views[0].header.record_count == static_cast<std::int32_t>(p.records));
        auto records = proto::read_records(views[0]);
        for (std::size_t i = 0; i < records.size(); ++i)
            BOOST_TEST(records[i].offset == static_cast<std::int64_t>(i));  // contiguous deltas
        out.insert(out.end(), records.begin(), records.end());
    }
    return out;
}

void check_same_records(const std::vector<proto::owned_record>& got,
                        const std::vector<proto::owned_record>& want) {
    BOOST_TEST_REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        auto g = got[i];
        g.offset = want[i].offset;  // the target assigns offsets
        BOOST_TEST((g == want[i]), "record " << i << " differs");
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batch_split_suite)

BOOST_AUTO_TEST_CASE(split_keeps_every_record_exact_and_in_order) {
    auto records = sample_records(120);
    for (auto codec : {proto::codec::none, proto::codec::lz4, proto::codec::zstd}) {
        const std::size_t limit = 8 * 1024;
        auto pieces = encode_records_within(records, codec, limit, "t-0");
        BOOST_TEST(pieces.size() > 1u);
        check_same_records(decode_all(pieces, limit), records);
    }
}

BOOST_AUTO_TEST_CASE(no_limit_gives_one_batch) {
    auto records = sample_records(30);
    auto pieces = encode_records_within(records, proto::codec::none, 0, "t-0");
    BOOST_TEST_REQUIRE(pieces.size() == 1u);
    check_same_records(decode_all(pieces, SIZE_MAX), records);
}

BOOST_AUTO_TEST_CASE(a_limit_just_above_one_record_gives_one_record_per_batch) {
    auto records = sample_records(10);
    std::size_t largest = 0;
    for (const auto& r : records) {
        std::vector<proto::owned_record> one{r};
        largest = std::max(largest, encode_records(one, proto::codec::none).size());
    }
    auto pieces = encode_records_within(records, proto::codec::none, largest, "t-0");
    check_same_records(decode_all(pieces, largest), records);
}

BOOST_AUTO_TEST_CASE(a_record_larger_than_the_limit_is_named) {
    auto records = sample_records(5);
    records[3].value = std::vector<std::byte>(5000, std::byte{'x'});
    try {
        encode_records_within(records, proto::codec::none, 2000, "src-1 -> dst");
        BOOST_FAIL("expected RecordTooLarge");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "RecordTooLarge");
        const std::string msg = e.what();
        BOOST_TEST(msg.find("src-1 -> dst") != std::string::npos);
        BOOST_TEST(msg.find("offset 103") != std::string::npos, msg);
        BOOST_TEST(msg.find("max.message.bytes (2000)") != std::string::npos, msg);
    }
}

// A target that cannot read zstd (Produce < v7) gets the batch re-encoded uncompressed,
// records unchanged; other codecs pass as they are.
BOOST_AUTO_TEST_CASE(zstd_batch_is_reencoded_uncompressed_for_an_old_target) {
    BOOST_TEST((codec_for_target(proto::codec::zstd, true) == proto::codec::none));
    BOOST_TEST((codec_for_target(proto::codec::zstd, false) == proto::codec::zstd));
    BOOST_TEST((codec_for_target(proto::codec::lz4, true) == proto::codec::lz4));
    auto records = sample_records(40);
    auto zstd = encode_records(records, proto::codec::zstd);
    auto views = proto::split_batches(zstd);
    BOOST_TEST_REQUIRE(views.size() == 1u);
    BOOST_TEST((views[0].header.compression() == proto::codec::zstd));
    auto decoded = proto::read_records(views[0]);
    auto codec = codec_for_target(views[0].header.compression(), true);
    auto pieces = encode_records_within(decoded, codec, 0, "t-0");
    BOOST_TEST_REQUIRE(pieces.size() == 1u);
    auto out = proto::split_batches(pieces[0].bytes);
    BOOST_TEST((out[0].header.compression() == proto::codec::none));
    check_same_records(decode_all(pieces, SIZE_MAX), records);
}

BOOST_AUTO_TEST_CASE(oversized_record_only_for_single_record_frames_in_range) {
    using kb::storage::format::frame_info;
    auto frame = [](std::int64_t first, std::int64_t last, std::uint64_t raw, std::uint32_t batches,
                    std::uint64_t records, std::int64_t ts) {
        frame_info f;
        f.first_offset = first, f.last_offset = last, f.raw_size = raw;
        f.batch_count = batches, f.record_count = records;
        f.min_timestamp = f.max_timestamp = ts;
        return f;
    };
    std::vector<frame_info> frames{
        frame(0, 9, 5'000'000, 1, 10, 1000),   // many records: split at produce time
        frame(10, 10, 900'000, 1, 1, 2000),    // fits
        frame(11, 11, 3'000'000, 1, 1, 3000),  // too large
        frame(12, 12, 4'000'000, 1, 1, 4000),  // too large
    };
    partition_task task;
    task.first_offset = 0;
    task.last_offset = 100;
    auto hit = oversized_record(frames, task, std::nullopt, std::nullopt, 1'000'000);
    BOOST_TEST_REQUIRE(hit.has_value());
    BOOST_TEST(hit->first_offset == 11);
    BOOST_TEST(!oversized_record(frames, task, std::nullopt, std::nullopt, 4'000'000));
    BOOST_TEST(!oversized_record(frames, task, std::nullopt, std::nullopt, 0));  // unknown
    // Outside the time window or the offset range: not chosen, not a failure.
    BOOST_TEST(
        oversized_record(frames, task, std::int64_t{3500}, std::nullopt, 1'000'000)->first_offset ==
        12);
    BOOST_TEST(!oversized_record(frames, task, std::nullopt, std::int64_t{2500}, 1'000'000));
    task.last_offset = 10;
    BOOST_TEST(!oversized_record(frames, task, std::nullopt, std::nullopt, 1'000'000));
}

BOOST_AUTO_TEST_SUITE_END()
