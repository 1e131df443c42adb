// CRC32C known vectors (RFC 3720 B.4 and the common check value), for both the
// table and the SSE4.2 implementation.

#include <kb/runtime/crc32c.hpp>

#include <boost/test/unit_test.hpp>

#include <random>
#include <span>
#include <string_view>
#include <vector>

using namespace kb::runtime;

namespace {

std::span<const std::byte> span_of(std::string_view s) {
    return std::as_bytes(std::span(s.data(), s.size()));
}

using crc_fn = uint32_t (*)(std::span<const std::byte>, uint32_t);

std::vector<crc_fn> implementations() {
    std::vector<crc_fn> fns{&crc32c_table};
    if (crc32c_hw_available()) fns.push_back(&crc32c_sse42);
    return fns;
}

std::vector<std::byte> filled(std::size_t n, int (*f)(std::size_t)) {
    std::vector<std::byte> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = std::byte(f(i));
    return v;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(crc32c_suite)

BOOST_AUTO_TEST_CASE(known_vectors) {
    const auto zeros = std::vector<std::byte>(32);
    const auto ones = filled(32, [](std::size_t) { return 0xff; });
    const auto ascending = filled(32, [](std::size_t i) { return int(i); });
    const auto descending = filled(32, [](std::size_t i) { return int(31 - i); });
    for (auto fn : implementations()) {
        BOOST_TEST(fn(span_of("123456789"), 0) == 0xE3069283u);
        BOOST_TEST(fn(zeros, 0) == 0x8A9136AAu);
        BOOST_TEST(fn(ones, 0) == 0x62A8AB43u);
        BOOST_TEST(fn(ascending, 0) == 0x46DD794Eu);
        BOOST_TEST(fn(descending, 0) == 0x113FDB5Cu);
        BOOST_TEST(fn({}, 0) == 0u);
    }
}

BOOST_AUTO_TEST_CASE(seed_continues_a_running_crc) {
    const auto whole = span_of("The quick brown fox jumps over the lazy dog");
    for (auto fn : implementations()) {
        for (std::size_t cut = 0; cut <= whole.size(); cut += 5) {
            const uint32_t a = fn(whole.first(cut), 0);
            BOOST_TEST(fn(whole.subspan(cut), a) == fn(whole, 0));
        }
    }
}

BOOST_AUTO_TEST_CASE(hardware_and_table_agree_on_random_data) {
    if (!crc32c_hw_available()) {
        BOOST_TEST_MESSAGE("no SSE4.2 on this CPU: hardware path not compared");
        return;
    }
    std::mt19937 rng(7);
    std::vector<std::byte> data(10000);
    for (auto& b : data) b = std::byte(rng());
    // Every length and misalignment up to 64 bytes, then a large buffer.
    for (std::size_t off = 0; off < 8; ++off)
        for (std::size_t len = 0; len < 64; ++len) {
            const auto s = std::span<const std::byte>(data).subspan(off, len);
            BOOST_TEST(crc32c_sse42(s, 0) == crc32c_table(s, 0));
        }
    BOOST_TEST(crc32c_sse42(data, 0) == crc32c_table(data, 0));
    BOOST_TEST(crc32c(data) == crc32c_table(data, 0));
}

BOOST_AUTO_TEST_CASE(hardware_three_way_blocks_match_the_table) {
    if (!crc32c_hw_available()) {
        BOOST_TEST_MESSAGE("no SSE4.2 on this CPU: hardware path not compared");
        return;
    }
    // Lengths around the 3 x 8192 and 3 x 256 interleaving thresholds, plus a large one.
    std::mt19937 rng(11);
    std::vector<std::byte> data(200000);
    for (auto& b : data) b = std::byte(rng());
    for (std::size_t len :
         {767u, 768u, 769u, 24575u, 24576u, 24577u, 25344u, 49152u + 768u + 7u, 100003u, 200000u}) {
        const auto s = std::span<const std::byte>(data).subspan(200000 - len);
        BOOST_TEST(crc32c_sse42(s, 0x12345678u) == crc32c_table(s, 0x12345678u), "length " << len);
    }
}

BOOST_AUTO_TEST_SUITE_END()
