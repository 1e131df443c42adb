#pragma once
// CRC32C (Castagnoli), the checksum of the backup format and of the filesystem
// backend's part etags: runtime's implementation (the one Kafka's record batches
// use too), and its textual form.

#include <kb/runtime/crc32c.hpp>

#include <cstdint>
#include <string>

namespace kb::storage {

// Continues a running CRC: crc32c(b, crc32c(a)) == crc32c(a ++ b). Start with 0.
using runtime::crc32c;

// "crc32c:0a1b2c3d", the textual form used in manifests and etags.
std::string format_crc32c(std::uint32_t crc);

}  // namespace kb::storage
