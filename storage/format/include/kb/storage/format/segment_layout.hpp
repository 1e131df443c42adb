#pragma once
// The byte layout of a segment object (see docs/format.md for the tables):
//
//   header (24 B) | frame 0 | frame 1 | ... | footer (index + crc) | trailer (28 B)
//
// Frames are independently decodable compressed runs of whole Kafka v2 record
// batches. The fixed-size trailer at the very end points at the footer, so a
// reader opens a segment with one ranged GET of its tail. All integers are
// little-endian. Every byte is covered by a check: the header, footer and
// trailer by their own CRC32C, each frame by the CRC32C in its index entry.
//
// These functions are pure (no I/O) so the reader, `validate` and the fuzz
// target share them. Decoders throw kb::error(fatal, "CorruptSegment" or
// "TruncatedSegment") with a message naming the object and the byte position.

#include <kb/runtime/error.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kb::storage::format {

enum class codec : std::uint8_t { none = 0, gzip = 1, lz4 = 2, zstd = 3, snappy = 4 };
const char* to_string(codec c);
codec parse_codec(std::string_view name);  // throws std::invalid_argument

inline constexpr std::uint16_t segment_version = 1;
inline constexpr std::size_t header_size = 24;
inline constexpr std::size_t trailer_size = 28;
inline constexpr std::size_t frame_entry_size = 72;
inline constexpr std::array<char, 8> header_magic{'K', 'B', 'S', 'E', 'G', 'M', 'N', 'T'};
inline constexpr std::array<char, 8> trailer_magic{'K', 'B', 'S', 'E', 'G', 'E', 'N', 'D'};
inline constexpr std::uint8_t checksum_crc32c = 1;

struct segment_header {
    std::uint16_t version = segment_version;
    codec compression = codec::zstd;
};

// One frame's index entry. Offsets are Kafka offsets; positions are bytes in the object.
struct frame_info {
    std::uint64_t stored_offset = 0;  // where the frame starts in the object
    std::uint64_t stored_size = 0;    // compressed bytes
    std::uint64_t raw_size = 0;       // the batches' bytes once decompressed
    std::int64_t first_offset = 0;    // base offset of the first batch
    std::int64_t last_offset = 0;     // last offset of the last batch
    std::int64_t min_timestamp = 0;
    std::int64_t max_timestamp = 0;
    std::uint64_t record_count = 0;
    std::uint32_t batch_count = 0;
    std::uint32_t checksum = 0;  // CRC32C of the stored bytes
};

struct segment_footer {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t first_offset = 0;
    std::int64_t last_offset = 0;
    std::int64_t min_timestamp = 0;
    std::int64_t max_timestamp = 0;
    std::uint64_t record_count = 0;
    std::uint64_t raw_bytes = 0;
    std::vector<frame_info> frames;
};

struct segment_trailer {
    std::uint64_t footer_offset = 0;
    std::uint32_t footer_size = 0;  // including the footer's CRC
    std::uint16_t version = segment_version;
};

std::vector<std::byte> encode_header(const segment_header& h);
std::vector<std::byte> encode_footer(const segment_footer& f);
std::vector<std::byte> encode_trailer(const segment_trailer& t);

// `name` identifies the object in messages (e.g. "s3://bucket/x/seg").
segment_header decode_header(std::span<const std::byte> bytes, const std::string& name);
// `bytes` are the last trailer_size bytes of an object of `object_size` bytes.
segment_trailer decode_trailer(std::span<const std::byte> bytes, std::uint64_t object_size,
                               const std::string& name);
// Checks the CRC and that frames tile [header_size, footer_offset) exactly.
segment_footer decode_footer(std::span<const std::byte> bytes, const segment_trailer& t,
                             const std::string& name);

// Throws kb::error(fatal) "segment <name>: <where> at byte <pos>: <what>", with reason
// `why` (segment_corrupt or segment_truncated) and the code that names it
// ("CorruptSegment", "TruncatedSegment").
[[noreturn]] void throw_corrupt(const std::string& name, const std::string& where,
                                std::uint64_t pos, const std::string& what,
                                kb::reason why = kb::reason::segment_corrupt);

}  // namespace kb::storage::format
