// The one reader of the Kafka v2 batch header (used by kafka/protocol and storage/format):
// every field at its offset, big-endian, negative values kept, and the CRC over bytes 21..end.

#include <kb/runtime/batch_v2.hpp>
#include <kb/runtime/crc32c.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <vector>

using namespace kb::runtime;

namespace {

void put_be(std::vector<std::byte>& b, std::size_t at, std::uint64_t v, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) b[at + i] = std::byte(v >> (8 * (width - 1 - i)));
}

// A header with a distinct value in every field, followed by `body` bytes of records.
std::vector<std::byte> sample_batch(std::size_t body) {
    std::vector<std::byte> b(batch_v2::header_size + body, std::byte{0x5a});
    put_be(b, 0, 0x0102030405060708, 8);                 // base_offset
    put_be(b, 8, batch_v2::header_size - 12 + body, 4);  // batch_length
    put_be(b, 12, 7, 4);                                 // partition_leader_epoch
    put_be(b, 16, 2, 1);                                 // magic
    put_be(b, 21, 0x0013, 2);                            // attributes
    put_be(b, 23, 41, 4);                                // last_offset_delta
    put_be(b, 27, 1'700'000'000'000, 8);                 // base_timestamp
    put_be(b, 35, 1'700'000'000'999, 8);                 // max_timestamp
    put_be(b, 43, std::uint64_t(-1), 8);                 // producer_id
    put_be(b, 51, std::uint16_t(-1), 2);                 // producer_epoch
    put_be(b, 53, 0x7fffffff, 4);                        // base_sequence
    put_be(b, 57, 42, 4);                                // record_count
    put_be(b, 17, crc32c(std::span(b).subspan(21)), 4);  // crc
    return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batch_v2_suite)

BOOST_AUTO_TEST_CASE(reads_every_field_at_its_offset) {
    const auto b = sample_batch(100);
    const auto h = batch_v2::read_header(b);
    BOOST_TEST(h.base_offset == 0x0102030405060708);
    BOOST_TEST(h.batch_length == 149);
    BOOST_TEST(h.partition_leader_epoch == 7);
    BOOST_TEST(h.magic == 2);
    BOOST_TEST(h.attributes == 0x13);
    BOOST_TEST(h.last_offset_delta == 41);
    BOOST_TEST(h.base_timestamp == 1'700'000'000'000);
    BOOST_TEST(h.max_timestamp == 1'700'000'000'999);
    BOOST_TEST(h.producer_id == -1);
    BOOST_TEST(h.producer_epoch == -1);
    BOOST_TEST(h.base_sequence == 0x7fffffff);
    BOOST_TEST(h.record_count == 42);
    BOOST_TEST(h.crc == crc32c(std::span(b).subspan(21)));
}

BOOST_AUTO_TEST_CASE(crc_covers_attributes_to_the_end) {
    auto b = sample_batch(10);
    const auto stored = batch_v2::read_header(b).crc;
    BOOST_TEST(batch_v2::compute_crc(b) == stored);
    b[16] = std::byte{3};  // magic lies before the CRC'd bytes
    BOOST_TEST(batch_v2::compute_crc(b) == stored);
    b.back() ^= std::byte{1};  // the last record byte is covered
    BOOST_TEST(batch_v2::compute_crc(b) != stored);
}

BOOST_AUTO_TEST_CASE(layout_constants) {
    BOOST_TEST(batch_v2::header_size == 61u);
    BOOST_TEST(batch_v2::min_batch_length == 49);
    BOOST_TEST(batch_v2::attributes_offset == 21u);
}

BOOST_AUTO_TEST_SUITE_END()
