// Wire primitives: exact encodings, varint edge cases, and bounds checking.

#include <kb/kafka/protocol/wire.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <limits>

#include "test_util.hpp"

using namespace kb::kafka::protocol;
using kb::kafka::protocol::test::bytes_of;

BOOST_AUTO_TEST_SUITE(wire)

BOOST_AUTO_TEST_CASE(fixed_width_ints_are_big_endian) {
    writer w;
    w.int8(-2);
    w.int16(0x0102);
    w.int32(0x01020304);
    w.int64(-2);
    w.boolean(true);
    BOOST_TEST((w.buffer() == bytes_of({0xfe, 0x01, 0x02, 0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0xff, 0xff, 0xfe, 0x01})));
    reader r(w.buffer());
    BOOST_TEST(r.int8() == -2);
    BOOST_TEST(r.int16() == 0x0102);
    BOOST_TEST(r.int32() == 0x01020304);
    BOOST_TEST(r.int64() == -2);
    BOOST_TEST(r.boolean());
    BOOST_TEST(r.empty());
}

BOOST_AUTO_TEST_CASE(zigzag_varint_known_encodings) {
    struct case_t {
        int32_t value;
        std::vector<std::byte> bytes;
    };
    const case_t cases[] = {
        {0, bytes_of({0x00})},
        {-1, bytes_of({0x01})},
        {1, bytes_of({0x02})},
        {-64, bytes_of({0x7f})},
        {64, bytes_of({0x80, 0x01})},
        {std::numeric_limits<int32_t>::max(), bytes_of({0xfe, 0xff, 0xff, 0xff, 0x0f})},
        {std::numeric_limits<int32_t>::min(), bytes_of({0xff, 0xff, 0xff, 0xff, 0x0f})},
    };
    for (const auto& c : cases) {
        writer w;
        w.varint(c.value);
        BOOST_TEST((w.buffer() == c.bytes), "varint " << c.value);
        reader r(w.buffer());
        BOOST_TEST(r.varint() == c.value);
        BOOST_TEST(r.empty());
    }
}

BOOST_AUTO_TEST_CASE(zigzag_varlong_extremes_take_ten_bytes) {
    for (int64_t v : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::max(),
                      std::numeric_limits<int64_t>::min(), int64_t{1} << 40}) {
        writer w;
        w.varlong(v);
        reader r(w.buffer());
        BOOST_TEST(r.varlong() == v);
        BOOST_TEST(r.empty());
    }
    writer w;
    w.varlong(std::numeric_limits<int64_t>::min());
    BOOST_TEST(
        (w.buffer() == bytes_of({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})));
}

BOOST_AUTO_TEST_CASE(unsigned_varint_max_is_five_bytes) {
    writer w;
    w.uvarint(0xffffffffu);
    BOOST_TEST((w.buffer() == bytes_of({0xff, 0xff, 0xff, 0xff, 0x0f})));
    reader r(w.buffer());
    BOOST_TEST(r.uvarint() == 0xffffffffu);
}

BOOST_AUTO_TEST_CASE(overlong_varints_are_rejected) {
    const auto six = bytes_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
    reader r1(six);
    BOOST_CHECK_THROW(r1.uvarint(), kb::error);
    const auto too_big = bytes_of({0xff, 0xff, 0xff, 0xff, 0x1f});  // 33 bits
    reader r2(too_big);
    BOOST_CHECK_THROW(r2.uvarint(), kb::error);
    const auto eleven =
        bytes_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
    reader r3(eleven);
    BOOST_CHECK_THROW(r3.uvarlong(), kb::error);
    const auto unterminated = bytes_of({0x80, 0x80});
    reader r4(unterminated);
    BOOST_CHECK_THROW(r4.varint(), kb::error);
}

BOOST_AUTO_TEST_CASE(strings_classic_and_compact) {
    writer w;
    w.string("ab");
    w.nullable_string(std::nullopt);
    w.compact_string("ab");
    w.compact_nullable_string(std::nullopt);
    w.compact_nullable_string(std::string());
    BOOST_TEST(
        (w.buffer() == bytes_of({0x00, 0x02, 'a', 'b', 0xff, 0xff, 0x03, 'a', 'b', 0x00, 0x01})));
    reader r(w.buffer());
    BOOST_TEST(r.string() == "ab");
    BOOST_TEST(!r.nullable_string());
    BOOST_TEST(r.compact_string() == "ab");
    BOOST_TEST(!r.compact_nullable_string());
    BOOST_TEST(r.compact_nullable_string().value() == "");
    BOOST_TEST(r.empty());
}

BOOST_AUTO_TEST_CASE(bytes_classic_and_compact) {
    const auto payload = bytes_of({1, 2, 3});
    writer w;
    w.bytes(payload);
    w.nullable_bytes(std::nullopt);
    w.compact_bytes(payload);
    w.compact_nullable_bytes(std::nullopt);
    reader r(w.buffer());
    BOOST_TEST((r.bytes() == payload));
    BOOST_TEST(!r.nullable_bytes());
    BOOST_TEST((r.compact_bytes() == payload));
    BOOST_TEST(!r.compact_nullable_bytes());
    BOOST_TEST(r.empty());
}

BOOST_AUTO_TEST_CASE(uuid_round_trip_and_text) {
    uuid id;
    for (std::size_t i = 0; i < 16; ++i) id.bytes[i] = std::byte(i);
    writer w;
    w.uuid(id);
    reader r(w.buffer());
    BOOST_TEST((r.uuid() == id));
    BOOST_TEST(uuid{}.is_zero());
    BOOST_TEST(!id.is_zero());
    // 00 01 02 ... 0f in url-safe base64 without padding.
    BOOST_TEST(id.to_string() == "AAECAwQFBgcICQoLDA0ODw");
}

BOOST_AUTO_TEST_CASE(tagged_fields_pass_through) {
    tagged_fields tags{{1, bytes_of({9})}, {7, bytes_of({1, 2})}};
    writer w;
    w.tagged_fields(tags);
    BOOST_TEST((w.buffer() == bytes_of({0x02, 0x01, 0x01, 0x09, 0x07, 0x02, 0x01, 0x02})));
    reader r(w.buffer());
    BOOST_TEST((r.tagged_fields() == tags));
    reader skip(w.buffer());
    skip.skip_tagged_fields();
    BOOST_TEST(skip.empty());
}

BOOST_AUTO_TEST_CASE(length_prefix_patching) {
    writer w;
    const auto pos = w.reserve_int32();
    w.string("xyz");
    w.patch_int32(pos, static_cast<int32_t>(w.size() - 4));
    BOOST_TEST((w.buffer() == bytes_of({0, 0, 0, 5, 0, 3, 'x', 'y', 'z'})));
}

BOOST_AUTO_TEST_CASE(writer_can_append_to_caller_vector) {
    std::vector<std::byte> out = bytes_of({0xaa});
    writer w(out);
    w.int16(1);
    BOOST_TEST((out == bytes_of({0xaa, 0x00, 0x01})));
}

BOOST_AUTO_TEST_CASE(reader_rejects_reads_past_the_end) {
    const auto three = bytes_of({1, 2, 3});
    reader r(three);
    BOOST_CHECK_THROW(r.int32(), kb::error);
    reader r2(three);
    BOOST_CHECK_THROW(r2.raw(4), kb::error);
}

BOOST_AUTO_TEST_CASE(errors_are_fatal_corrupt_message) {
    const auto one = bytes_of({1});
    reader r(one);
    try {
        r.int64();
        BOOST_FAIL("expected a throw");
    } catch (const kb::error& e) {
        BOOST_TEST(e.code() == "CORRUPT_MESSAGE");
        BOOST_TEST((e.cls() == kb::error_class::fatal));
        BOOST_TEST(std::string(e.what()).find("int64") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(negative_and_oversized_lengths_throw) {
    const auto neg_string = bytes_of({0xff, 0xfe});  // -2
    reader r1(neg_string);
    BOOST_CHECK_THROW(r1.nullable_string(), kb::error);
    const auto neg_bytes = bytes_of({0xff, 0xff, 0xff, 0xfe});
    reader r2(neg_bytes);
    BOOST_CHECK_THROW(r2.nullable_bytes(), kb::error);
    // A 2 GB claimed length over 4 bytes: must throw before allocating.
    const auto huge = bytes_of({0x7f, 0xff, 0xff, 0xff, 'a', 'b'});
    reader r3(huge);
    BOOST_CHECK_THROW(r3.bytes(), kb::error);
    const auto huge_compact = bytes_of({0xff, 0xff, 0xff, 0xff, 0x07, 'a'});
    reader r4(huge_compact);
    BOOST_CHECK_THROW(r4.compact_bytes(), kb::error);
    // Null where a value is required.
    const auto null_string = bytes_of({0xff, 0xff});
    reader r5(null_string);
    BOOST_CHECK_THROW(r5.string(), kb::error);
}

BOOST_AUTO_TEST_CASE(absurd_array_counts_throw) {
    const auto huge = bytes_of({0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0});
    reader r1(huge);
    BOOST_CHECK_THROW(r1.array_length(), kb::error);
    const auto negative = bytes_of({0xff, 0xff, 0xff, 0xf0});
    reader r2(negative);
    BOOST_CHECK_THROW(r2.array_length(), kb::error);
    const auto null_array = bytes_of({0xff, 0xff, 0xff, 0xff});
    reader r3(null_array);
    BOOST_TEST(r3.array_length() == -1);
    reader r4(null_array);
    BOOST_CHECK_THROW(r4.count(false), kb::error);
    const auto compact_huge = bytes_of({0xff, 0xff, 0xff, 0xff, 0x0f});
    reader r5(compact_huge);
    BOOST_CHECK_THROW(r5.compact_array_length(), kb::error);
    const auto many_tags = bytes_of({0xff, 0xff, 0x03});
    reader r6(many_tags);
    BOOST_CHECK_THROW(r6.tagged_fields(), kb::error);
}

BOOST_AUTO_TEST_SUITE_END()
