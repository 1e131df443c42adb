// CRC32C, reflected polynomial 0x82F63B78. The hardware path uses the SSE4.2 crc32
// instruction 8 bytes at a time; the software path is slicing-by-8 over tables built
// at compile time. Dispatch is decided once, on first use.

#include <kb/kafka/protocol/crc32c.hpp>

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define KB_CRC32C_X86 1
#endif

namespace kb::kafka::protocol {
namespace {

constexpr uint32_t poly = 0x82F63B78u;

using tables_t = std::array<std::array<uint32_t, 256>, 8>;

constexpr tables_t make_tables() {
    tables_t t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
        t[0][i] = c;
    }
    for (std::size_t s = 1; s < 8; ++s)
        for (uint32_t i = 0; i < 256; ++i) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    return t;
}

constexpr tables_t tables = make_tables();

uint32_t load_le32(const unsigned char* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

}  // namespace

uint32_t crc32c_table(std::span<const std::byte> data, uint32_t seed) {
    uint32_t c = ~seed;
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t n = data.size();
    for (; n >= 8; n -= 8, p += 8) {
        const uint32_t lo = load_le32(p) ^ c;
        const uint32_t hi = load_le32(p + 4);
        c = tables[7][lo & 0xff] ^ tables[6][(lo >> 8) & 0xff] ^ tables[5][(lo >> 16) & 0xff] ^
            tables[4][lo >> 24] ^ tables[3][hi & 0xff] ^ tables[2][(hi >> 8) & 0xff] ^
            tables[1][(hi >> 16) & 0xff] ^ tables[0][hi >> 24];
    }
    for (; n > 0; --n, ++p) c = tables[0][(c ^ *p) & 0xff] ^ (c >> 8);
    return ~c;
}

#ifdef KB_CRC32C_X86

__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(std::span<const std::byte> data,
                                                        uint32_t seed) {
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t n = data.size();
    uint64_t c = ~seed;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
    }
    auto c32 = static_cast<uint32_t>(c);
    for (; n > 0; --n, ++p) c32 = _mm_crc32_u8(c32, *p);
    return ~c32;
}

bool crc32c_hw_available() noexcept {
    static const bool available = __builtin_cpu_supports("sse4.2");
    return available;
}

#else

uint32_t crc32c_sse42(std::span<const std::byte> data, uint32_t seed) {
    return crc32c_table(data, seed);
}
bool crc32c_hw_available() noexcept {
    return false;
}

#endif

uint32_t crc32c(std::span<const std::byte> data, uint32_t seed) {
    return crc32c_hw_available() ? crc32c_sse42(data, seed) : crc32c_table(data, seed);
}

}  // namespace kb::kafka::protocol
