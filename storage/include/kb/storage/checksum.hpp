#pragma once
// CRC32C (Castagnoli), the checksum of the backup format and of the filesystem
// backend's part etags. Kafka uses the same polynomial for record batches, but
// storage never includes kafka/, so it carries its own small implementation.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace kb::storage {

// Continues a running CRC: crc32c(b, crc32c(a)) == crc32c(a ++ b). Start with 0.
std::uint32_t crc32c(std::span<const std::byte> data, std::uint32_t crc = 0) noexcept;

// "crc32c:0a1b2c3d", the textual form used in manifests and etags.
std::string format_crc32c(std::uint32_t crc);

}  // namespace kb::storage
