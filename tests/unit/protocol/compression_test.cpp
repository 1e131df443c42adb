// Codecs: round trips, the exact framings Kafka expects, output caps, corrupt input.

#include <kb/kafka/protocol/compression.hpp>
#include <kb/runtime/error.hpp>

#include <boost/test/unit_test.hpp>

#include <random>

#include "test_util.hpp"

using namespace kb::kafka::protocol;
using kb::kafka::protocol::test::bytes_of;

namespace {

const codec all_codecs[] = {codec::none, codec::gzip, codec::snappy, codec::lz4, codec::zstd};

std::vector<std::byte> sample(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<std::byte> v(n);
    // Half random, half repetitive, so every codec has something to compress.
    for (std::size_t i = 0; i < n; ++i) v[i] = std::byte(i % 2 ? rng() % 7 : rng());
    return v;
}

std::string code_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const kb::error& e) {
        return e.code();
    }
    return "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compression)

BOOST_AUTO_TEST_CASE(every_codec_round_trips) {
    for (auto c : all_codecs) {
        for (std::size_t n :
             {std::size_t{0}, std::size_t{1}, std::size_t{1000}, std::size_t{200000}}) {
            const auto input = sample(n, unsigned(n));
            const auto packed = compress(c, input);
            BOOST_TEST((decompress(c, packed) == input), codec_name(c) << " size " << n);
        }
    }
}

BOOST_AUTO_TEST_CASE(framings_are_the_ones_kafka_writes) {
    const auto input = sample(100000, 1);
    const auto gz = compress(codec::gzip, input);
    BOOST_TEST((std::vector<std::byte>(gz.begin(), gz.begin() + 2) == bytes_of({0x1f, 0x8b})));
    const auto lz = compress(codec::lz4, input);
    BOOST_TEST(
        (std::vector<std::byte>(lz.begin(), lz.begin() + 4) == bytes_of({0x04, 0x22, 0x4d, 0x18})));
    const auto zs = compress(codec::zstd, input);
    BOOST_TEST(
        (std::vector<std::byte>(zs.begin(), zs.begin() + 4) == bytes_of({0x28, 0xb5, 0x2f, 0xfd})));
    // xerial: magic, version 1, compatible version 1, then 32 KiB blocks.
    const auto sn = compress(codec::snappy, input);
    BOOST_TEST((std::vector<std::byte>(sn.begin(), sn.begin() + 16) ==
                bytes_of({0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1})));
}

BOOST_AUTO_TEST_CASE(raw_snappy_is_accepted_on_read) {
    const auto input = bytes_of("hello hello hello");
    const auto xerial = compress(codec::snappy, input);
    // The first block of the xerial stream is a raw snappy block on its own.
    const std::vector<std::byte> raw(xerial.begin() + 20, xerial.end());
    BOOST_TEST((decompress(codec::snappy, raw) == input));
}

BOOST_AUTO_TEST_CASE(output_cap_stops_decompression_bombs) {
    const std::vector<std::byte> zeros(16 << 20);
    for (auto c : {codec::gzip, codec::snappy, codec::lz4, codec::zstd}) {
        const auto packed = compress(c, zeros);
        BOOST_TEST(packed.size() < zeros.size() / 10, codec_name(c));
        BOOST_TEST(code_of([&] { decompress(c, packed, 1 << 20); }) == "DECOMPRESSED_TOO_LARGE",
                   codec_name(c));
        BOOST_TEST(decompress(c, packed, zeros.size()).size() == zeros.size());
    }
    BOOST_TEST(code_of([&] { decompress(codec::none, zeros, 10); }) == "DECOMPRESSED_TOO_LARGE");
}

BOOST_AUTO_TEST_CASE(cap_is_exact) {
    const auto input = sample(300000, 9);
    for (auto c : all_codecs) {
        const auto packed = compress(c, input);
        BOOST_TEST(decompress(c, packed, input.size()).size() == input.size(), codec_name(c));
        BOOST_TEST(
            code_of([&] { decompress(c, packed, input.size() - 1); }) == "DECOMPRESSED_TOO_LARGE",
            codec_name(c));
    }
}

BOOST_AUTO_TEST_CASE(corrupt_or_truncated_input_throws) {
    const auto input = sample(50000, 3);
    for (auto c : {codec::gzip, codec::snappy, codec::lz4, codec::zstd}) {
        auto packed = compress(c, input);
        const std::vector<std::byte> truncated(packed.begin(), packed.begin() + packed.size() / 2);
        BOOST_TEST(code_of([&] { decompress(c, truncated); }) == "CORRUPT_MESSAGE", codec_name(c));
        BOOST_TEST(code_of([&] {
                       decompress(c, bytes_of({1, 2, 3, 4, 5, 6, 7, 8, 9}));
                   }) == "CORRUPT_MESSAGE",
                   codec_name(c));
    }
}

BOOST_AUTO_TEST_CASE(codec_names) {
    for (auto c : all_codecs) BOOST_TEST((parse_codec(codec_name(c)) == c));
    BOOST_TEST(!parse_codec("brotli").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
