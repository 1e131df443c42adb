#pragma once
// Reading segments back: verify every checksum and every Kafka batch CRC while
// streaming frame by frame, so memory stays at one frame whatever the segment size.
//
// The synchronous pieces (decode_frame, split_batches, verify_segment) are pure
// and shared by the async segment_reader, `validate` and the fuzz target.
// Errors are kb::error(fatal, "CorruptSegment"/"TruncatedSegment") with messages
// like "segment s3://b/x.seg: frame 3 at byte 1048576: checksum mismatch".

#include <kb/runtime/buffer.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/format/segment_layout.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kb::storage::format {

struct segment_read_options {
    bool verify_kafka_crc = true;
    std::uint64_t max_frame_raw = std::uint64_t{1} << 30;  // refuse larger frames (untrusted input)
    std::uint32_t max_footer = 64u << 20;
};

// One frame, decompressed: its batches back to back (a valid Kafka record set).
struct decoded_frame {
    std::size_t index = 0;
    frame_info info;
    runtime::shared_buffer raw;
};

// Checks the frame's CRC, decompresses it, and checks its batches (framing,
// count, offsets, and Kafka CRCs when asked).
decoded_frame decode_frame(codec c, const frame_info& info, std::size_t index,
                           std::span<const std::byte> stored, const std::string& name,
                           const segment_read_options& opts = {});
// The same for a frame held in a shared buffer: an uncompressed frame's batches are then
// slices of `stored` itself, not a copy.
decoded_frame decode_frame(codec c, const frame_info& info, std::size_t index,
                           const runtime::shared_buffer& stored, const std::string& name,
                           const segment_read_options& opts = {});

// The batches of a decoded frame, as zero-copy slices.
std::vector<runtime::shared_buffer> split_batches(const runtime::shared_buffer& raw);

// Verifies a whole segment held in memory; returns its footer.
segment_footer verify_segment(std::span<const std::byte> object, const std::string& name,
                              const segment_read_options& opts = {});

// Frames of a segment of another format, already in memory (OSO kafka-backup's
// segments converted to Kafka batches: see kb/segments/open_segment.hpp). A
// segment_reader made with from_source() serves its frames from here.
class frame_source {
  public:
    virtual ~frame_source() = default;
    virtual decoded_frame frame(std::size_t index) = 0;
};

// segment_reader: one segment object in a backend. open() reads the header and
// the tail (trailer + footer) with ranged GETs; next() then reads one frame per
// GET, in order, from the frame seek() chose. Lives on the backend's executor;
// the backend must outlive it.
class segment_reader {
  public:
    segment_reader() = default;  // an unopened reader (a placeholder); use open()
    static awaitable<segment_reader> open(backend& b, std::string key,
                                          segment_read_options opts = {});
    // A reader whose frames (described by `footer`) come from `source`.
    static segment_reader from_source(std::string key, std::string name, segment_header header,
                                      segment_footer footer, std::shared_ptr<frame_source> source);

    const std::string& name() const noexcept { return name_; }
    const std::string& key() const noexcept { return key_; }
    const segment_header& header() const noexcept { return header_; }
    const segment_footer& footer() const noexcept { return footer_; }
    // Frames served from memory (from_source()), not read from the backend.
    bool in_memory() const noexcept { return source_ != nullptr; }

    // Makes next() start at the first frame holding offsets >= `offset`.
    void seek(std::int64_t offset);
    // The next frame, or std::nullopt after the last.
    awaitable<std::optional<decoded_frame>> next();
    awaitable<decoded_frame> read_frame(std::size_t index);

  private:
    backend* backend_ = nullptr;
    std::string key_;
    std::string name_;
    segment_read_options opts_;
    segment_header header_;
    segment_footer footer_;
    std::size_t next_ = 0;
    std::shared_ptr<frame_source> source_;
};

}  // namespace kb::storage::format
