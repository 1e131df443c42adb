#include "kafka_batch.hpp"

#include <kb/runtime/batch_v2.hpp>

#include <fmt/format.h>

namespace kb::storage::format::detail {

std::optional<batch_peek> peek_batch(std::span<const std::byte> b, std::string& problem) {
    if (b.size() < batch_header_size) {
        problem = fmt::format("{} bytes cannot hold a record batch header", b.size());
        return std::nullopt;
    }
    const auto h = runtime::batch_v2::read_header(b);
    if (h.magic != 2) {
        problem = fmt::format("record batch magic is {}, expected 2", h.magic);
        return std::nullopt;
    }
    if (h.batch_length < runtime::batch_v2::min_batch_length ||
        static_cast<std::uint64_t>(h.batch_length) + 12 > b.size()) {
        problem = fmt::format("record batch length {} does not fit the {} bytes left",
                              h.batch_length, b.size());
        return std::nullopt;
    }
    batch_peek p;
    p.base_offset = h.base_offset;
    p.size = static_cast<std::uint64_t>(h.batch_length) + runtime::batch_v2::log_overhead;
    p.crc = h.crc;
    // Wrapping add: the bytes are untrusted and signed overflow would be UB.
    p.last_offset = static_cast<std::int64_t>(static_cast<std::uint64_t>(h.base_offset) +
                                              static_cast<std::uint32_t>(h.last_offset_delta));
    p.record_count = h.record_count;
    return p;
}

bool batch_crc_ok(std::span<const std::byte> batch, const batch_peek& p) {
    return batch.size() >= batch_header_size && runtime::batch_v2::compute_crc(batch) == p.crc;
}

}  // namespace kb::storage::format::detail
