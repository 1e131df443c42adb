#pragma once
// The few fields of a Kafka v2 record batch header the format needs, and the
// checks that the bytes can hold such a batch. The header is read by
// runtime/batch_v2.hpp (storage does not depend on kafka/; both use that reader).

#include <kb/runtime/batch_v2.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace kb::storage::format::detail {

inline constexpr std::size_t batch_header_size = runtime::batch_v2::header_size;

struct batch_peek {
    std::int64_t base_offset = 0;
    std::int64_t last_offset = 0;
    std::uint64_t size = 0;  // whole batch, 12 + batchLength
    std::int32_t record_count = 0;
    std::uint32_t crc = 0;
};

// Reads the header of the batch starting at `bytes`; returns nullopt and says
// why in `problem` when the bytes cannot hold a v2 batch.
std::optional<batch_peek> peek_batch(std::span<const std::byte> bytes, std::string& problem);

// True when the stored CRC matches the batch's bytes (`bytes` is exactly one batch).
bool batch_crc_ok(std::span<const std::byte> batch, const batch_peek& p);

}  // namespace kb::storage::format::detail
