#pragma once
// Kafka's default partitioner for keyed records, as the Java client computes it:
// partition = toPositive(murmur2(key)) % partitions, with murmur2 seeded 0x9747b28c.
// Pure.

#include <cstddef>
#include <cstdint>
#include <span>

namespace kb::restore {

std::int32_t murmur2(std::span<const std::byte> key) noexcept;
std::int32_t partition_for_key(std::span<const std::byte> key, std::int32_t partitions) noexcept;

}  // namespace kb::restore
