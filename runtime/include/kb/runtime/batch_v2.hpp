#pragma once
// The fixed 61-byte header of a Kafka record batch v2 (magic 2), read in place.
// kafka/protocol (which speaks Kafka) and storage/format (which keeps batches byte
// for byte and checks them) both read it and may not include each other, so the
// one reader of the layout lives here, below both. Pure, no I/O, no allocation.
//
// Layout (big-endian):
//   0 base_offset i64 | 8 batch_length i32 | 12 partition_leader_epoch i32 | 16 magic i8
//   17 crc u32 (CRC32C of bytes 21..end) | 21 attributes i16 | 23 last_offset_delta i32
//   27 base_timestamp i64 | 35 max_timestamp i64 | 43 producer_id i64 | 51 producer_epoch i16
//   53 base_sequence i32 | 57 record_count i32 | 61 records...

#include <cstddef>
#include <cstdint>
#include <span>

namespace kb::runtime::batch_v2 {

inline constexpr std::size_t header_size = 61;
inline constexpr std::size_t log_overhead = 12;  // base_offset + batch_length
inline constexpr std::size_t partition_leader_epoch_offset = 12;
inline constexpr std::size_t magic_offset = 16;
inline constexpr std::size_t crc_offset = 17;
inline constexpr std::size_t attributes_offset = 21;  // where the CRC'd bytes start
inline constexpr std::size_t producer_id_offset = 43;
// The smallest batch_length a v2 batch can have: its header after the length field.
inline constexpr std::int32_t min_batch_length = std::int32_t(header_size - log_overhead);

struct header {
    std::int64_t base_offset = 0;
    std::int32_t batch_length = 0;  // bytes after this field
    std::int32_t partition_leader_epoch = -1;
    std::int8_t magic = 2;
    std::uint32_t crc = 0;
    std::int16_t attributes = 0;
    std::int32_t last_offset_delta = 0;
    std::int64_t base_timestamp = -1;
    std::int64_t max_timestamp = -1;
    std::int64_t producer_id = -1;
    std::int16_t producer_epoch = -1;
    std::int32_t base_sequence = -1;
    std::int32_t record_count = 0;
};

// Reads the fields of the header at the start of `bytes`, as they are: no field is
// checked (the callers classify bad values their own way). Precondition:
// bytes.size() >= header_size.
header read_header(std::span<const std::byte> bytes) noexcept;

// The CRC32C a v2 batch carries at crc_offset: of its bytes from attributes_offset to
// its end. Precondition: batch.size() >= header_size.
std::uint32_t compute_crc(std::span<const std::byte> batch) noexcept;

}  // namespace kb::runtime::batch_v2
