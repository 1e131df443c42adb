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
//
// Compression elsewhere (another thread or shard): cut() takes batches like add()
// but hands back each frame it closes uncompressed (a raw_frame); pack_frame()
// compresses it on any thread; put() takes the packed frames back in the order
// cut() gave them and returns the object bytes. cut_last() closes the open frame
// before finish(). A writer uses add() or cut()/put(), never both.

#include <kb/runtime/buffer.hpp>
#include <kb/storage/format/segment_layout.hpp>

#include <cstdint>
#include <memory>
#include <optional>
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

// A frame closed by segment_writer::cut(): its batches, uncompressed, and its index
// entry (offsets, timestamps, counts, raw size; put() fills in where it is stored).
struct raw_frame {
    std::vector<runtime::shared_buffer> batches;
    frame_info info;
};

// A frame compressed by pack_frame(), ready for segment_writer::put().
struct packed_frame {
    std::vector<runtime::shared_buffer> bytes;
    frame_info info;
};

// Compresses one frame with `c` at `level` (0: the codec's default), the way add()
// does. Pure and thread-agnostic: each thread keeps its own codec contexts, so it
// may run on any shard. Throws std::invalid_argument for a bad level.
packed_frame pack_frame(codec c, int level, raw_frame frame);

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

    // Compression elsewhere (see the top). cut() checks `batch` as add() does and
    // returns the frame it closed, if any; cut_last() returns the open frame, if any.
    std::optional<raw_frame> cut(runtime::shared_buffer batch, const batch_meta& meta);
    std::optional<raw_frame> cut_last();
    // Throws std::logic_error when `frame` is not the oldest frame cut and not put.
    std::vector<runtime::shared_buffer> put(packed_frame frame);

    std::size_t batch_count() const noexcept;
    std::uint64_t raw_bytes() const noexcept;     // so far, for roll decisions
    std::uint64_t stored_bytes() const noexcept;  // emitted so far
    const segment_summary& summary() const;       // after finish()

  private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace kb::storage::format
