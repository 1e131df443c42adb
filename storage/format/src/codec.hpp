#pragma once
// Frame compression. A compressor turns a run of batches into one
// independently decodable frame (a zstd frame, an LZ4 frame, a gzip member, a
// snappy framed stream, or the bytes as they are), streaming: input is fed in pieces and output is
// handed to a sink as it is produced, so memory stays bounded by the codec's
// window plus a small scratch buffer, whatever the frame size.

#include <kb/runtime/buffer.hpp>
#include <kb/storage/format/segment_layout.hpp>

#include <cstddef>
#include <memory>
#include <span>

namespace kb::storage::format::detail {

class frame_sink {
  public:
    virtual ~frame_sink() = default;
    virtual void append(std::span<const std::byte> bytes) = 0;
    // Zero-copy path for codec::none: the sink keeps the buffer itself.
    virtual void append_shared(runtime::shared_buffer bytes) = 0;
};

class frame_compressor {
  public:
    virtual ~frame_compressor() = default;
    virtual void begin() = 0;  // starts a new frame
    virtual void feed(const runtime::shared_buffer& input, frame_sink& out) = 0;
    virtual void end(frame_sink& out) = 0;  // closes the frame
};

// level 0 means the codec's default. Throws std::invalid_argument for a bad level.
std::unique_ptr<frame_compressor> make_compressor(codec c, int level);

// Snappy's framing format (codec_snappy.cpp); snappy has no levels.
std::unique_ptr<frame_compressor> make_snappy_compressor();
void inflate_snappy(std::span<const std::byte> in, std::span<std::byte> out);

// Decodes one whole frame into exactly out.size() bytes, consuming all of `in`.
// Throws std::runtime_error saying what is wrong (the caller adds the position).
void decompress_frame(codec c, std::span<const std::byte> in, std::span<std::byte> out);

}  // namespace kb::storage::format::detail
