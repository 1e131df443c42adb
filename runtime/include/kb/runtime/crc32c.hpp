#pragma once
// CRC32C (Castagnoli): the checksum of Kafka's record batch v2 and of the backup
// format. One implementation for both (kafka/ and storage/ may not include each
// other, so it lives below them). The SSE4.2 `crc32`
// instruction is used when the CPU has it (checked once at runtime); a
// slicing-by-8 table is the fallback. Both are exposed so tests can check each.

#include <cstddef>
#include <cstdint>
#include <span>

namespace kb::runtime {

// `seed` is a previous result, so crc32c(b, crc32c(a)) == crc32c(a ++ b).
uint32_t crc32c(std::span<const std::byte> data, uint32_t seed = 0) noexcept;

uint32_t crc32c_table(std::span<const std::byte> data, uint32_t seed = 0) noexcept;
// Precondition: crc32c_hw_available(). Calling it on a CPU without SSE4.2 is undefined.
uint32_t crc32c_sse42(std::span<const std::byte> data, uint32_t seed = 0) noexcept;
bool crc32c_hw_available() noexcept;

}  // namespace kb::runtime
