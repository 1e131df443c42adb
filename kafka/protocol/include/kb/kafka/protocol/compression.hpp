#pragma once
// The record batch compression codecs, in the exact framings Kafka clients write:
// gzip (RFC 1952), snappy in the xerial block framing of Kafka's Java client (raw
// snappy is accepted on read too, as some clients send it), lz4 frame format, zstd.
//
// Decompression takes an output cap and throws kb::error(fatal, "DECOMPRESSED_TOO_LARGE")
// past it, so a small hostile batch cannot make us allocate gigabytes. Corrupt input
// throws kb::error(fatal, "CORRUPT_MESSAGE"). Pure functions, safe from any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace kb::kafka::protocol {

enum class codec : int8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };

std::string_view codec_name(codec c);                     // "none", "gzip", ...
std::optional<codec> parse_codec(std::string_view name);  // inverse of codec_name

// Default cap for one decompressed batch (256 MiB: above any sane max.message.bytes).
inline constexpr std::size_t default_max_decompressed = std::size_t{256} << 20;

// `level` < 0 means the codec's default.
std::vector<std::byte> compress(codec c, std::span<const std::byte> input, int level = -1);
std::vector<std::byte> decompress(codec c, std::span<const std::byte> input,
                                  std::size_t max_output = default_max_decompressed);

}  // namespace kb::kafka::protocol
