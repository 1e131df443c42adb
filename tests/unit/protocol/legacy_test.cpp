// Legacy message sets (magic 0 and 1), built by hand from the protocol guide's
// layout: offset, size, crc (CRC32 of magic..end), magic, attributes, [timestamp], key, value.

#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <zlib.h>
#include <boost/test/unit_test.hpp>

#include "test_util.hpp"

using namespace kb::kafka::protocol;
using kb::kafka::protocol::test::bytes_of;
using kb::kafka::protocol::test::text_of;
using kb::runtime::shared_buffer;

namespace {

struct legacy_spec {
    int64_t offset = 0;
    int8_t magic = 1;
    int8_t attributes = 0;
    int64_t timestamp = -1;
    std::optional<std::vector<std::byte>> key{};
    std::optional<std::vector<std::byte>> value{};
};

std::vector<std::byte> legacy_entry(const legacy_spec& m) {
    writer body;
    body.int8(m.magic);
    body.int8(m.attributes);
    if (m.magic == 1) body.int64(m.timestamp);
    body.nullable_bytes(m.key ? std::optional<std::span<const std::byte>>(*m.key) : std::nullopt);
    body.nullable_bytes(m.value ? std::optional<std::span<const std::byte>>(*m.value)
                                : std::nullopt);
    const auto& b = body.buffer();
    writer w;
    w.int64(m.offset);
    w.int32(static_cast<int32_t>(b.size() + 4));
    w.uint32(uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(b.data()), uInt(b.size()))));
    w.raw(b);
    return w.take();
}

std::vector<std::byte> concat(const std::vector<std::vector<std::byte>>& parts) {
    std::vector<std::byte> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

std::vector<owned_record> decode_all(const std::vector<std::byte>& set) {
    bool truncated = true;
    std::vector<owned_record> out;
    for (const auto& b : split_batches(shared_buffer::copy_of(set), &truncated)) {
        BOOST_TEST(b.crc_ok());
        BOOST_TEST(b.header.magic < 2);
        for (auto& r : read_records(b)) out.push_back(std::move(r));
    }
    BOOST_TEST(!truncated);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(legacy)

BOOST_AUTO_TEST_CASE(uncompressed_magic_0_and_1) {
    const auto set = concat({
        legacy_entry({.offset = 5, .magic = 0, .key = bytes_of("k0"), .value = bytes_of("v0")}),
        legacy_entry({.offset = 6, .magic = 1, .timestamp = 1234, .value = bytes_of("v1")}),
        legacy_entry({.offset = 7, .magic = 1, .timestamp = 1235, .key = bytes_of("k2")}),
    });
    const auto records = decode_all(set);
    BOOST_REQUIRE_EQUAL(records.size(), 3u);
    BOOST_TEST(records[0].offset == 5);
    BOOST_TEST(records[0].timestamp == -1);  // magic 0 has no timestamp
    BOOST_TEST(text_of(*records[0].key) == "k0");
    BOOST_TEST(text_of(*records[0].value) == "v0");
    BOOST_TEST(records[1].offset == 6);
    BOOST_TEST(records[1].timestamp == 1234);
    BOOST_TEST(!records[1].key.has_value());
    BOOST_TEST(!records[2].value.has_value());  // tombstone
    BOOST_TEST(records[2].headers.empty());
}

BOOST_AUTO_TEST_CASE(magic_1_compressed_wrappers_use_relative_offsets) {
    for (auto c : {codec::gzip, codec::snappy, codec::lz4, codec::zstd}) {
        const auto inner = concat({
            legacy_entry(
                {.offset = 0, .timestamp = 100, .key = bytes_of("a"), .value = bytes_of("1")}),
            legacy_entry({.offset = 1, .timestamp = 101, .value = bytes_of("2")}),
            legacy_entry({.offset = 2, .timestamp = 102, .key = bytes_of("c")}),
        });
        const auto wrapper = legacy_entry(
            {.offset = 12, .attributes = int8_t(c), .timestamp = 102, .value = compress(c, inner)});
        const auto records = decode_all(wrapper);
        BOOST_TEST_CONTEXT(codec_name(c)) {
            BOOST_REQUIRE_EQUAL(records.size(), 3u);
            BOOST_TEST(records[0].offset == 10);
            BOOST_TEST(records[1].offset == 11);
            BOOST_TEST(records[2].offset == 12);
            BOOST_TEST(records[1].timestamp == 101);
            BOOST_TEST(text_of(*records[0].key) == "a");
            BOOST_TEST(!records[2].value.has_value());
        }
        const auto batch = split_batches(shared_buffer::copy_of(wrapper), nullptr).at(0);
        BOOST_TEST(batch.next_offset() == 13);
    }
}

BOOST_AUTO_TEST_CASE(magic_0_compressed_wrapper_uses_absolute_offsets) {
    const auto inner = concat({
        legacy_entry({.offset = 20, .magic = 0, .value = bytes_of("x")}),
        legacy_entry({.offset = 21, .magic = 0, .value = bytes_of("y")}),
    });
    const auto wrapper = legacy_entry({.offset = 21,
                                       .magic = 0,
                                       .attributes = int8_t(codec::gzip),
                                       .value = compress(codec::gzip, inner)});
    const auto records = decode_all(wrapper);
    BOOST_REQUIRE_EQUAL(records.size(), 2u);
    BOOST_TEST(records[0].offset == 20);
    BOOST_TEST(records[1].offset == 21);
    BOOST_TEST(text_of(*records[1].value) == "y");
}

BOOST_AUTO_TEST_CASE(log_append_time_wrapper_stamps_inner_records) {
    const auto inner = concat({
        legacy_entry({.offset = 0, .timestamp = 1, .value = bytes_of("x")}),
        legacy_entry({.offset = 1, .timestamp = 2, .value = bytes_of("y")}),
    });
    const auto wrapper = legacy_entry({.offset = 1,
                                       .attributes = int8_t(int(codec::gzip) | 0x08),
                                       .timestamp = 999,
                                       .value = compress(codec::gzip, inner)});
    for (const auto& r : decode_all(wrapper)) BOOST_TEST(r.timestamp == 999);
}

BOOST_AUTO_TEST_CASE(legacy_crc_mismatch_is_detected) {
    auto entry = legacy_entry({.offset = 1, .timestamp = 5, .value = bytes_of("abc")});
    entry.back() ^= std::byte{0x40};
    const auto batch = split_batches(shared_buffer::copy_of(entry), nullptr).at(0);
    BOOST_TEST(!batch.crc_ok());
}

BOOST_AUTO_TEST_CASE(malformed_legacy_sets_throw) {
    // Nested compression is not allowed.
    const auto innermost = legacy_entry({.offset = 0, .value = bytes_of("x")});
    const auto middle = legacy_entry({.offset = 0,
                                      .attributes = int8_t(codec::gzip),
                                      .value = compress(codec::gzip, innermost)});
    const auto outer = legacy_entry(
        {.offset = 0, .attributes = int8_t(codec::gzip), .value = compress(codec::gzip, middle)});
    BOOST_CHECK_THROW(for_each_legacy_record(outer, [](const record&) {}), kb::error);
    // A wrapper whose compressed value is garbage.
    const auto garbage = legacy_entry(
        {.offset = 0, .attributes = int8_t(codec::gzip), .value = bytes_of({1, 2, 3})});
    BOOST_CHECK_THROW(for_each_legacy_record(garbage, [](const record&) {}), kb::error);
    // A message size claiming more than there is.
    auto cut = legacy_entry({.offset = 0, .value = bytes_of("abc")});
    cut.pop_back();
    BOOST_CHECK_THROW(for_each_legacy_record(cut, [](const record&) {}), kb::error);
}

BOOST_AUTO_TEST_SUITE_END()
