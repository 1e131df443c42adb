#pragma once
// segment_packer: the segment_writer of one segment, compressing its frames either
// on the partition's shard (inline, as add() does) or, when the job has more
// shards than partitions, on every shard of the pool in turn, so one busy
// partition keeps every core compressing (runtime::ordered_offload).
//
// Frames go out and come back in order; at most `limit` are out at once, each
// charged to the job's byte budget (its batches and its compressed bytes) with a
// permit that never waits: when the budget has no room, the frame is compressed
// here instead, so the packer never holds the partition back on memory that a
// segment reservation already pays for. Lives on the partition's shard.

#include <kb/runtime/buffer.hpp>
#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/offload.hpp>
#include <kb/runtime/shard_pool.hpp>
#include <kb/storage/format/segment_writer.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace kb::backup {

struct packer_offload {
    runtime::shard_pool* pool = nullptr;  // null: compress inline
    std::size_t home_shard = 0;
    std::size_t limit = 0;  // frames out at once
    std::shared_ptr<runtime::byte_budget> budget;
};

class segment_packer {
  public:
    using pieces = std::vector<runtime::shared_buffer>;

    segment_packer(storage::format::segment_writer_options options, packer_offload offload);

    // The object bytes ready so far, in order (as segment_writer::add returns them).
    boost::asio::awaitable<pieces> add(runtime::shared_buffer batch,
                                       storage::format::batch_meta meta);
    // Every frame still out, then the footer and trailer.
    boost::asio::awaitable<pieces> finish();

    std::size_t batch_count() const noexcept { return writer_.batch_count(); }
    const storage::format::segment_summary& summary() const { return writer_.summary(); }

  private:
    boost::asio::awaitable<pieces> send(storage::format::raw_frame frame);
    boost::asio::awaitable<void> take_oldest(pieces& out);

    storage::format::codec codec_;
    int level_;
    storage::format::segment_writer writer_;
    std::shared_ptr<runtime::byte_budget> budget_;
    std::optional<runtime::ordered_offload<storage::format::packed_frame>> out_;
};

// Whether a job compresses off the partitions' shards: a codec to run and fewer
// partitions than shards.
bool compress_elsewhere(storage::format::codec c, std::size_t partitions, std::size_t shards);

}  // namespace kb::backup
