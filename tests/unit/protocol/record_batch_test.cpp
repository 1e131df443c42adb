// Record batch v2: encode/decode for every codec, exact field fidelity, splitting,
// truncated tails, restamping and CRC checks.

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

using namespace kb::kafka::protocol;
using kb::kafka::protocol::test::bytes_of;
using kb::kafka::protocol::test::span_of;
using kb::runtime::shared_buffer;

namespace {

const codec all_codecs[] = {codec::none, codec::gzip, codec::snappy, codec::lz4, codec::zstd};

// Records exercising everything a backup must keep: null key, tombstone, empty value,
// duplicate header keys, a null header value, header order, and out-of-order timestamps.
std::vector<owned_record> sample_records() {
    auto b = [](std::string_view s) { return std::optional(bytes_of(s)); };
    std::vector<owned_record> v;
    v.push_back({0, 1700000000000, b("key-1"), b("value-1"), {{"h", b("1")}, {"h", b("2")}}});
    v.push_back({1, 1700000000500, std::nullopt, b("no key"), {}});
    v.push_back({2,
                 1699999999000,
                 b("key-3"),
                 std::nullopt,
                 {{"dup", std::nullopt}, {"a", b("")}, {"dup", b("x")}}});
    v.push_back({3, 1700000001000, b(""), b(""), {{"", b("empty key")}}});
    return v;
}

std::vector<record_input> inputs_of(const std::vector<owned_record>& records, int64_t base) {
    std::vector<record_input> in;
    for (const auto& r : records) in.push_back(as_input(r, base));
    return in;
}

batch_view single_batch(const std::vector<std::byte>& bytes) {
    bool truncated = true;
    auto batches = split_batches(shared_buffer::copy_of(bytes), &truncated);
    BOOST_REQUIRE_EQUAL(batches.size(), 1u);
    BOOST_TEST(!truncated);
    return batches.front();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(record_batch)

BOOST_AUTO_TEST_CASE(every_codec_round_trips_records_exactly) {
    const auto records = sample_records();
    for (auto c : all_codecs) {
        BOOST_TEST_CONTEXT(codec_name(c)) {
            batch_spec spec{.base_offset = 0, .compression = c};
            const auto bytes = encode_batch(spec, inputs_of(records, 0));
            const auto batch = single_batch(bytes);
            BOOST_TEST(batch.crc_ok());
            BOOST_TEST((batch.header.compression() == c));
            BOOST_TEST(batch.header.record_count == 4);
            BOOST_TEST(batch.header.last_offset_delta == 3);
            BOOST_TEST(batch.header.base_timestamp == 1700000000000);
            BOOST_TEST(batch.header.max_timestamp == 1700000001000);
            BOOST_TEST((read_records(batch) == records));
        }
    }
}

BOOST_AUTO_TEST_CASE(producer_fields_flags_and_timestamp_type) {
    const auto records = sample_records();
    batch_spec spec{.base_offset = 1000,
                    .partition_leader_epoch = 7,
                    .compression = codec::zstd,
                    .timestamp_type = timestamp_type::log_append_time,
                    .max_timestamp = 1800000000000,
                    .producer_id = 4242,
                    .producer_epoch = 3,
                    .base_sequence = 99,
                    .transactional = true};
    auto shifted = records;
    for (auto& r : shifted) r.offset += 1000;
    const auto batch = single_batch(encode_batch(spec, inputs_of(shifted, 1000)));
    const auto& h = batch.header;
    BOOST_TEST(h.base_offset == 1000);
    BOOST_TEST(h.partition_leader_epoch == 7);
    BOOST_TEST(h.magic == 2);
    BOOST_TEST(h.producer_id == 4242);
    BOOST_TEST(h.producer_epoch == 3);
    BOOST_TEST(h.base_sequence == 99);
    BOOST_TEST(h.transactional());
    BOOST_TEST(!h.control());
    BOOST_TEST((h.timestamp_type() == timestamp_type::log_append_time));
    BOOST_TEST(h.last_offset() == 1003);
    BOOST_TEST(batch.next_offset() == 1004);
    // LOG_APPEND_TIME: every record reports the batch's max timestamp.
    std::vector<int64_t> offsets;
    for_each_record(batch, [&](const record& r) {
        BOOST_TEST(r.timestamp == 1800000000000);
        BOOST_TEST((r.timestamp_type == timestamp_type::log_append_time));
        offsets.push_back(r.offset);
    });
    BOOST_TEST((offsets == std::vector<int64_t>{1000, 1001, 1002, 1003}));
}

BOOST_AUTO_TEST_CASE(offset_gaps_survive_reencoding) {
    // A compacted batch keeps gaps between offsets; re-encoding must keep them.
    auto records = sample_records();
    records[1].offset = 5;
    records[2].offset = 6;
    records[3].offset = 9;
    const auto batch = single_batch(encode_batch({.base_offset = 0}, inputs_of(records, 0)));
    BOOST_TEST(batch.header.last_offset_delta == 9);
    BOOST_TEST((read_records(batch) == records));
}

BOOST_AUTO_TEST_CASE(control_flag_is_encoded) {
    const auto records = sample_records();
    const auto batch =
        single_batch(encode_batch({.transactional = true, .control = true}, inputs_of(records, 0)));
    BOOST_TEST(batch.header.control());
    BOOST_TEST(batch.header.transactional());
}

BOOST_AUTO_TEST_CASE(split_keeps_slices_of_the_owner) {
    const auto records = sample_records();
    std::vector<std::byte> set;
    for (int64_t base : {0, 4, 8}) {
        auto shifted = records;
        for (auto& r : shifted) r.offset += base;
        const auto b = encode_batch({.base_offset = base, .compression = codec::lz4},
                                    inputs_of(shifted, base));
        set.insert(set.end(), b.begin(), b.end());
    }
    const auto owner = shared_buffer::copy_of(set);
    bool truncated = true;
    const auto batches = split_batches(owner, &truncated);
    BOOST_TEST(!truncated);
    BOOST_REQUIRE_EQUAL(batches.size(), 3u);
    std::size_t pos = 0;
    for (const auto& b : batches) {
        BOOST_TEST(b.bytes.data() == owner.data() + pos);  // a view, not a copy
        BOOST_TEST(b.crc_ok());
        pos += b.bytes.size();
    }
    BOOST_TEST(batches[2].header.base_offset == 8);
}

BOOST_AUTO_TEST_CASE(truncated_tail_is_dropped_and_reported) {
    const auto records = sample_records();
    const auto one = encode_batch({.base_offset = 0}, inputs_of(records, 0));
    std::vector<std::byte> set = one;
    set.insert(set.end(), one.begin(), one.end());
    for (std::size_t cut :
         {std::size_t{1}, std::size_t{11}, std::size_t{12}, std::size_t{30}, one.size() - 1}) {
        std::vector<std::byte> partial(set.begin(), set.begin() + one.size() + cut);
        bool truncated = false;
        const auto batches = split_batches(shared_buffer::copy_of(partial), &truncated);
        BOOST_TEST(truncated, "cut " << cut);
        BOOST_TEST(batches.size() == 1u);
    }
    bool truncated = true;
    BOOST_TEST(split_batches(shared_buffer{}, &truncated).empty());
    BOOST_TEST(!truncated);
}

BOOST_AUTO_TEST_CASE(crc_detects_a_flipped_byte) {
    auto bytes = encode_batch({.base_offset = 0}, inputs_of(sample_records(), 0));
    BOOST_TEST(single_batch(bytes).crc_ok());
    bytes[bytes.size() - 3] ^= std::byte{0x01};
    BOOST_TEST(!single_batch(bytes).crc_ok());
}

BOOST_AUTO_TEST_CASE(restamp_rewrites_header_and_fixes_crc) {
    const auto records = sample_records();
    for (auto c : all_codecs) {
        auto bytes = encode_batch({.base_offset = 0,
                                   .compression = c,
                                   .producer_id = 1,
                                   .producer_epoch = 1,
                                   .base_sequence = 0},
                                  inputs_of(records, 0));
        restamp_batch(bytes, {.base_offset = 500,
                              .partition_leader_epoch = 3,
                              .producer_id = 777,
                              .producer_epoch = 9,
                              .base_sequence = 42,
                              .transactional = false});
        const auto batch = single_batch(bytes);
        BOOST_TEST(batch.crc_ok());
        BOOST_TEST(batch.header.base_offset == 500);
        BOOST_TEST(batch.header.partition_leader_epoch == 3);
        BOOST_TEST(batch.header.producer_id == 777);
        BOOST_TEST(batch.header.producer_epoch == 9);
        BOOST_TEST(batch.header.base_sequence == 42);
        BOOST_TEST((batch.header.compression() == c));
        auto expected = records;
        for (auto& r : expected) r.offset += 500;
        BOOST_TEST((read_records(batch) == expected));
    }
}

BOOST_AUTO_TEST_CASE(restamp_rejects_anything_but_one_whole_batch) {
    auto bytes = encode_batch({}, inputs_of(sample_records(), 0));
    auto two = bytes;
    two.insert(two.end(), bytes.begin(), bytes.end());
    BOOST_CHECK_THROW(restamp_batch(two, {.base_offset = 1}), kb::error);
    BOOST_CHECK_THROW(restamp_batch(std::span(bytes).first(40), {.base_offset = 1}), kb::error);
}

BOOST_AUTO_TEST_CASE(empty_input_is_rejected) {
    BOOST_CHECK_THROW(encode_batch({}, {}), kb::error);
}

BOOST_AUTO_TEST_CASE(large_values_round_trip) {
    std::vector<std::byte> big(3 << 20);
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = std::byte(i * 131 % 251);
    record_input in;
    in.timestamp = 5;
    in.value = std::span<const std::byte>(big);
    for (auto c : all_codecs) {
        const auto batch = single_batch(encode_batch({.compression = c}, std::span(&in, 1)));
        BOOST_TEST(batch.crc_ok());
        const auto out = read_records(batch);
        BOOST_REQUIRE_EQUAL(out.size(), 1u);
        BOOST_TEST((out[0].value.value() == big), codec_name(c));
        BOOST_TEST(!out[0].key.has_value());
    }
}

BOOST_AUTO_TEST_CASE(decompression_cap_applies_to_batches) {
    std::vector<std::byte> zeros(4 << 20);
    record_input in;
    in.value = std::span<const std::byte>(zeros);
    const auto batch = single_batch(encode_batch({.compression = codec::zstd}, std::span(&in, 1)));
    BOOST_CHECK_THROW(for_each_record(
                          batch, [](const record&) {}, 1 << 20),
                      kb::error);
}

BOOST_AUTO_TEST_SUITE_END()
