// murmur2 as in org.apache.kafka.common.utils.Utils.murmur2 (32-bit, little-endian
// words, seed 0x9747b28c), computed in unsigned arithmetic (Java's int wraps).
#include <kb/restore/partitioner.hpp>

namespace kb::restore {

namespace {

std::uint32_t word_at(std::span<const std::byte> d, std::size_t i) noexcept {
    return std::uint32_t(d[i]) | std::uint32_t(d[i + 1]) << 8 | std::uint32_t(d[i + 2]) << 16 |
           std::uint32_t(d[i + 3]) << 24;
}

}  // namespace

std::int32_t murmur2(std::span<const std::byte> data) noexcept {
    constexpr std::uint32_t seed = 0x9747b28c, m = 0x5bd1e995;
    constexpr int r = 24;
    const std::size_t length = data.size();
    std::uint32_t h = seed ^ static_cast<std::uint32_t>(length);
    const std::size_t words = length / 4;
    for (std::size_t i = 0; i < words; ++i) {
        std::uint32_t k = word_at(data, i * 4);
        k *= m;
        k ^= k >> r;
        k *= m;
        h *= m;
        h ^= k;
    }
    const std::size_t tail = words * 4;
    switch (length % 4) {  // fall through, as the Java code does
        case 3:
            h ^= std::uint32_t(data[tail + 2]) << 16;
            [[fallthrough]];
        case 2:
            h ^= std::uint32_t(data[tail + 1]) << 8;
            [[fallthrough]];
        case 1:
            h ^= std::uint32_t(data[tail]);
            h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return static_cast<std::int32_t>(h);
}

std::int32_t partition_for_key(std::span<const std::byte> key, std::int32_t partitions) noexcept {
    // Utils.toPositive: clear the sign bit (not abs, which fails for INT_MIN).
    auto positive =
        static_cast<std::int32_t>(static_cast<std::uint32_t>(murmur2(key)) & 0x7fffffffu);
    return partitions > 0 ? positive % partitions : 0;
}

}  // namespace kb::restore
