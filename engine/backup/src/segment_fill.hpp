#pragma once
// Filling one segment: a fetcher reads batches from the partition leader and
// decides where the segment ends (size, time, snapshot end, stop); a segmenter
// feeds them, unchanged, to the segment_writer, which compresses frame by frame,
// and streams the writer's output into the segment's object as it comes.
// Both run on the partition's shard, joined by a bounded channel of batch lists
// (slices of the fetch responses: no copies).

#include "job_state.hpp"

#include <kb/kafka/client/fetch.hpp>
#include <kb/runtime/buffer.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/segment_writer.hpp>
#include <kb/storage/object_stream.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace kb::backup {

struct filled_segment {
    // The object the segment streamed into as it filled, keyed by its first offset;
    // finishing it makes the segment visible whole.
    std::unique_ptr<storage::object_stream> object;
    storage::format::segment_summary summary;
    std::vector<kafka::client::aborted_transaction> aborted;
    std::int64_t log_start_offset = -1;
};

struct fill_result {
    std::optional<filled_segment> segment;  // nullopt: nothing to store this round
    std::vector<storage::format::retention_gap> gaps;
    std::int64_t next_offset = 0;  // where the partition continues
    bool caught_up = false;        // the last fetch found no new data
};

// The segment's object opens with its first batch and receives the bytes as they
// are produced (object_stream: staged on disk, multipart parts on object stores).
// `size`: full-size or small (segment_sizing), reserved by the caller.
boost::asio::awaitable<fill_result> fill_segment(backup_job::state& st, shard_context& ctx,
                                                 partition_task task, segment_size size);

storage::format::codec segment_codec(config::compression c);

}  // namespace kb::backup
