// Hostile input: every decoder must throw kb::error (never crash, never allocate the
// claimed size) on truncated bytes, negative lengths, lengths past the buffer and
// absurd counts.

#include <kb/kafka/protocol/fetch.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

#include <random>

#include "test_util.hpp"

using namespace kb::kafka::protocol;
using kb::kafka::protocol::test::bytes_of;
using kb::runtime::shared_buffer;

namespace {

std::vector<std::byte> one_batch() {
    record_input in;
    in.timestamp = 1;
    const auto key = bytes_of("k");
    in.key = std::span<const std::byte>(key);
    in.headers = {{"h", std::nullopt}};
    return encode_batch({}, std::span(&in, 1));
}

// Runs for_each_record over every entry; true when it threw kb::error.
bool decode_throws(const std::vector<std::byte>& bytes) {
    try {
        for (const auto& b : split_batches(shared_buffer::copy_of(bytes), nullptr))
            for_each_record(b, [](const record&) {});
    } catch (const kb::error&) {
        return true;
    }
    return false;
}

void put_be32(std::vector<std::byte>& b, std::size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = std::byte(v >> (24 - 8 * i));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(malformed)

BOOST_AUTO_TEST_CASE(batch_length_below_minimum_throws) {
    auto b = one_batch();
    put_be32(b, 8, 10);
    BOOST_TEST(decode_throws(b));
    put_be32(b, 8, 0xfffffff0u);  // negative
    BOOST_TEST(decode_throws(b));
}

BOOST_AUTO_TEST_CASE(huge_batch_length_is_a_truncated_tail_not_an_allocation) {
    auto b = one_batch();
    put_be32(b, 8, 0x7fffffffu);  // claims 2 GB
    bool truncated = false;
    BOOST_TEST(split_batches(shared_buffer::copy_of(b), &truncated).empty());
    BOOST_TEST(truncated);
}

BOOST_AUTO_TEST_CASE(bad_record_count_and_record_lengths_throw) {
    auto b = one_batch();
    put_be32(b, 57, 0x7fffffffu);  // record count far above what is there
    BOOST_TEST(decode_throws(b));
    put_be32(b, 57, 0xffffffffu);  // negative count
    BOOST_TEST(decode_throws(b));
    auto extra = one_batch();
    put_be32(extra, 57, 0);  // zero records but bytes remain
    BOOST_TEST(decode_throws(extra));
    auto neg_len = one_batch();
    neg_len[61] = std::byte{0x01};  // record length varint -1
    BOOST_TEST(decode_throws(neg_len));
}

BOOST_AUTO_TEST_CASE(unknown_magic_throws) {
    auto b = one_batch();
    b[16] = std::byte{7};
    BOOST_TEST(decode_throws(b));
}

BOOST_AUTO_TEST_CASE(bad_codec_id_throws) {
    auto b = one_batch();
    b[22] = std::byte{0x07};  // attributes: codec 7 does not exist
    BOOST_TEST(decode_throws(b));
}

BOOST_AUTO_TEST_CASE(random_mutations_never_crash) {
    // Mutated batches must either decode or throw kb::error; sanitizer builds also
    // check that no read goes out of bounds.
    std::mt19937 rng(1234);
    const auto base = one_batch();
    for (int i = 0; i < 20000; ++i) {
        auto b = base;
        const int flips = 1 + int(rng() % 4);
        for (int f = 0; f < flips; ++f) b[rng() % b.size()] = std::byte(rng());
        if (rng() % 4 == 0) b.resize(rng() % b.size());
        decode_throws(b);  // must simply return
    }
    BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(metadata_with_absurd_counts_throws) {
    // throttle, brokers count 2^31-1 with 4 bytes left.
    const auto body = bytes_of({0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1});
    reader r(body);
    BOOST_CHECK_THROW(metadata_response::decode(r, 3), kb::error);
    // Flexible: compact count 2^32-2 topics.
    const auto flex = bytes_of({0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f});
    reader rf(flex);
    BOOST_CHECK_THROW(metadata_response::decode(rf, 12), kb::error);
}

BOOST_AUTO_TEST_CASE(fetch_with_records_length_past_the_buffer_throws) {
    fetch_response resp;
    fetch_response::partition p;
    p.records = shared_buffer::copy_of(one_batch());
    resp.responses = {{"t", {}, {p}}};
    writer w;
    resp.encode(w, 11);
    auto bytes = w.take();
    // The records length is the 4 bytes before the batch itself, at the end.
    const std::size_t len_pos = bytes.size() - p.records.size() - 4;
    put_be32(bytes, len_pos, 0x7fffffffu);
    const auto owner = shared_buffer::copy_of(bytes);
    reader r(owner.bytes());
    BOOST_CHECK_THROW(fetch_response::decode(r, 11, owner), kb::error);
    put_be32(bytes, len_pos, 0xfffffff0u);
    const auto owner2 = shared_buffer::copy_of(bytes);
    reader r2(owner2.bytes());
    BOOST_CHECK_THROW(fetch_response::decode(r2, 11, owner2), kb::error);
}

BOOST_AUTO_TEST_SUITE_END()
