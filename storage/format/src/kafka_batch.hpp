#pragma once
// The few fields of a Kafka v2 record batch header the format needs, read in
// place (storage does not depend on kafka/). Layout (big-endian):
//   0 baseOffset i64 | 8 batchLength i32 | 12 partitionLeaderEpoch i32 | 16 magic i8
//   17 crc u32 (CRC32C of bytes 21..end) | 21 attributes i16 | 23 lastOffsetDelta i32
//   27 baseTimestamp i64 | 35 maxTimestamp i64 | 43 producerId i64 | 51 producerEpoch i16
//   53 baseSequence i32 | 57 recordCount i32 | 61 records...

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace kb::storage::format::detail {

inline constexpr std::size_t batch_header_size = 61;

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
