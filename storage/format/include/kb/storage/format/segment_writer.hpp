#pragma once
// segment_writer: builds one segment object from Kafka v2 record batches.
//
// Feed batches in offset order with add(); each call returns the object bytes
// that are ready (header, compressed frame data in chunks of about
// `chunk_size`), which the caller streams on, e.g. into a multipart_writer, so
// memory stays bounded by one chunk plus the codec's window. finish() closes
// the last frame and returns the rest (footer index and trailer). A frame holds
// whole batches: it is closed before a batch that would take it past
// `max_frame_raw`, so a frame is at least one batch even when that batch is larger.
// Synchronous and single-threaded; one writer per segment.

#include <kb/runtime/buffer.hpp>
#include <kb/storage/format/segment_layout.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kb::storage::format {

struct segment_writer_options {
    std::string topic;
    std::int32_t partition = 0;
    codec compression = codec::zstd;
    int level = 0;                            // 0: the codec's default
    std::size_t max_frame_raw = 1024 * 1024;  // raw bytes per frame (soft, see above)
    std::size_t chunk_size = 256 * 1024;      // size of the returned output pieces
};

// What the caller decoded from the batch header. The writer checks the offsets
// and record count against the batch itself and rejects a mismatch.
struct batch_meta {
    std::int64_t first_offset = 0;
    std::int64_t last_offset = 0;
    std::int64_t min_timestamp = 0;  // smallest record timestamp (or the batch's first)
    std::int64_t max_timestamp = 0;
    std::uint32_t record_count = 0;
};

struct segment_summary {
    std::int64_t first_offset = 0;
    std::int64_t last_offset = 0;
    std::int64_t min_timestamp = 0;
    std::int64_t max_timestamp = 0;
    std::uint64_t record_count = 0;
    std::uint64_t raw_bytes = 0;     // the batches, uncompressed
    std::uint64_t stored_bytes = 0;  // the whole object
    std::uint32_t crc32c = 0;        // of the whole object
    std::size_t frames = 0;
};

class segment_writer {
  public:
    explicit segment_writer(segment_writer_options opts);
    ~segment_writer();
    segment_writer(segment_writer&&) noexcept;
    segment_writer& operator=(segment_writer&&) noexcept;

    // Throws std::invalid_argument when the batch is not a v2 batch, disagrees with
    // `meta`, or does not follow the previous batch's offsets.
    std::vector<runtime::shared_buffer> add(runtime::shared_buffer batch, const batch_meta& meta);
    // Throws std::logic_error when no batch was added (a segment is never empty).
    std::vector<runtime::shared_buffer> finish();

    std::size_t batch_count() const noexcept;
    std::uint64_t raw_bytes() const noexcept;     // so far, for roll decisions
    std::uint64_t stored_bytes() const noexcept;  // emitted so far
    const segment_summary& summary() const;       // after finish()

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace kb::storage::format
