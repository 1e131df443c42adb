// CRC32C, reflected polynomial 0x82F63B78. The hardware path uses the SSE4.2 crc32
// instruction 8 bytes at a time; the software path is slicing-by-8 over tables built
// at compile time. Dispatch is decided once, on first use.

#include <kb/runtime/crc32c.hpp>

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define KB_CRC32C_X86 1
#endif

namespace kb::runtime {
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

uint32_t crc32c_table(std::span<const std::byte> data, uint32_t seed) noexcept {
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

namespace {

// The crc32 instruction has a latency of 3 cycles but a throughput of 1, so three
// independent streams over adjacent blocks run about three times faster than one.
// Their results are joined with the identity
//   reg(A ++ B) = shift(reg(A), |B|) ^ reg(B, starting from 0),
// where shift(r, n) is the CRC register after feeding n zero bytes: a linear map on
// r, precomputed as four byte-indexed tables per block size.

using gf2_matrix = std::array<uint32_t, 32>;  // column i = image of bit i

constexpr uint32_t gf2_apply(const gf2_matrix& m, uint32_t v) {
    uint32_t out = 0;
    for (int i = 0; v != 0; ++i, v >>= 1)
        if (v & 1) out ^= m[std::size_t(i)];
    return out;
}

constexpr gf2_matrix gf2_square(const gf2_matrix& m) {
    gf2_matrix out{};
    for (std::size_t i = 0; i < 32; ++i) out[i] = gf2_apply(m, m[i]);
    return out;
}

// The operator that feeds 2^log2_bytes zero bytes through the (reflected) CRC register.
constexpr gf2_matrix zeros_operator(int log2_bytes) {
    gf2_matrix one_bit{};
    one_bit[0] = poly;
    for (std::size_t i = 1; i < 32; ++i) one_bit[i] = uint32_t{1} << (i - 1);
    gf2_matrix m = one_bit;
    for (int i = 0; i < 3 + log2_bytes; ++i) m = gf2_square(m);  // 2^3 bits = 1 byte
    return m;
}

using shift_tables = std::array<std::array<uint32_t, 256>, 4>;

constexpr shift_tables make_shift(int log2_bytes) {
    const gf2_matrix op = zeros_operator(log2_bytes);
    shift_tables t{};
    for (std::size_t k = 0; k < 4; ++k)
        for (uint32_t n = 0; n < 256; ++n) t[k][n] = gf2_apply(op, n << (8 * k));
    return t;
}

constexpr std::size_t long_block = 8192;  // 2^13
constexpr std::size_t short_block = 256;  // 2^8
constexpr shift_tables long_shift = make_shift(13);
constexpr shift_tables short_shift = make_shift(8);

uint32_t shift(const shift_tables& t, uint32_t crc) {
    return t[0][crc & 0xff] ^ t[1][(crc >> 8) & 0xff] ^ t[2][(crc >> 16) & 0xff] ^ t[3][crc >> 24];
}

__attribute__((target("sse4.2"))) uint64_t load64(const unsigned char* p) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    return word;
}

// Three interleaved streams over blocks of `block` bytes each; returns the joined register.
__attribute__((target("sse4.2"))) uint64_t three_way(const unsigned char*& p, std::size_t& n,
                                                     uint64_t c0, std::size_t block,
                                                     const shift_tables& t) {
    while (n >= 3 * block) {
        uint64_t c1 = 0, c2 = 0;
        const unsigned char* end = p + block;
        for (; p < end; p += 8) {
            c0 = _mm_crc32_u64(c0, load64(p));
            c1 = _mm_crc32_u64(c1, load64(p + block));
            c2 = _mm_crc32_u64(c2, load64(p + 2 * block));
        }
        c0 = shift(t, uint32_t(c0)) ^ uint32_t(c1);
        c0 = shift(t, uint32_t(c0)) ^ uint32_t(c2);
        p += 2 * block;
        n -= 3 * block;
    }
    return c0;
}

}  // namespace

__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(std::span<const std::byte> data,
                                                        uint32_t seed) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t n = data.size();
    uint64_t c = ~seed;
    c = three_way(p, n, c, long_block, long_shift);
    c = three_way(p, n, c, short_block, short_shift);
    for (; n >= 8; n -= 8, p += 8) c = _mm_crc32_u64(c, load64(p));
    auto c32 = static_cast<uint32_t>(c);
    for (; n > 0; --n, ++p) c32 = _mm_crc32_u8(c32, *p);
    return ~c32;
}

bool crc32c_hw_available() noexcept {
    static const bool available = __builtin_cpu_supports("sse4.2");
    return available;
}

#else

uint32_t crc32c_sse42(std::span<const std::byte> data, uint32_t seed) noexcept {
    return crc32c_table(data, seed);
}
bool crc32c_hw_available() noexcept {
    return false;
}

#endif

uint32_t crc32c(std::span<const std::byte> data, uint32_t seed) noexcept {
    return crc32c_hw_available() ? crc32c_sse42(data, seed) : crc32c_table(data, seed);
}

}  // namespace kb::runtime
