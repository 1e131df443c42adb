#include <kb/storage/checksum.hpp>

#include <fmt/format.h>

namespace kb::storage {

std::string format_crc32c(std::uint32_t crc) {
    return fmt::format("crc32c:{:08x}", crc);
}

}  // namespace kb::storage
