// Fuzzes everything that decodes a segment object: the layout (header, trailer,
// footer index), frame decompression for every codec, and batch splitting.
// Classified kb::errors are the expected outcome for bad input; anything else
// (a crash, a sanitizer report, another exception type) is a bug.

#include "codec.hpp"

#include <kb/runtime/error.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

using namespace kb::storage::format;

namespace {

void whole_segment(std::span<const std::byte> bytes) {
    segment_read_options opts{
        .verify_kafka_crc = true, .max_frame_raw = 1u << 20, .max_footer = 1u << 20};
    try {
        verify_segment(bytes, "fuzz", opts);
    } catch (const kb::error&) {
    }
}

// The frame CRC stops random input before decompression, so the codecs also
// get the input directly: byte 0 picks the codec, bytes 1-2 the raw size.
void one_frame(std::span<const std::byte> bytes) {
    if (bytes.size() < 3) return;
    auto c = static_cast<codec>(std::to_integer<unsigned>(bytes[0]) % 4);
    std::size_t raw =
        std::to_integer<std::size_t>(bytes[1]) << 8 | std::to_integer<std::size_t>(bytes[2]);
    std::vector<std::byte> out(raw * 16);
    try {
        detail::decompress_frame(c, bytes.subspan(3), out);
        split_batches(kb::runtime::shared_buffer::adopt(std::move(out)));
    } catch (const std::runtime_error&) {
    } catch (const std::invalid_argument&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    whole_segment(bytes);
    one_frame(bytes);
    return 0;
}
