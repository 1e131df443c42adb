#include "kafka_batch.hpp"

#include "bytes.hpp"

#include <kb/storage/checksum.hpp>

#include <fmt/format.h>

namespace kb::storage::format::detail {

std::optional<batch_peek> peek_batch(std::span<const std::byte> b, std::string& problem) {
    if (b.size() < batch_header_size) {
        problem = fmt::format("{} bytes cannot hold a record batch header", b.size());
        return std::nullopt;
    }
    auto length = get_be<std::int32_t>(b.data() + 8);
    auto magic = std::to_integer<int>(b[16]);
    if (magic != 2) {
        problem = fmt::format("record batch magic is {}, expected 2", magic);
        return std::nullopt;
    }
    if (length < static_cast<std::int32_t>(batch_header_size - 12) ||
        static_cast<std::uint64_t>(length) + 12 > b.size()) {
        problem =
            fmt::format("record batch length {} does not fit the {} bytes left", length, b.size());
        return std::nullopt;
    }
    batch_peek p;
    p.base_offset = get_be<std::int64_t>(b.data());
    p.size = static_cast<std::uint64_t>(length) + 12;
    p.crc = get_be<std::uint32_t>(b.data() + 17);
    // Wrapping add: the bytes are untrusted and signed overflow would be UB.
    p.last_offset = static_cast<std::int64_t>(static_cast<std::uint64_t>(p.base_offset) +
                                              get_be<std::uint32_t>(b.data() + 23));
    p.record_count = get_be<std::int32_t>(b.data() + 57);
    return p;
}

bool batch_crc_ok(std::span<const std::byte> batch, const batch_peek& p) {
    return crc32c(batch.subspan(21)) == p.crc;
}

}  // namespace kb::storage::format::detail
