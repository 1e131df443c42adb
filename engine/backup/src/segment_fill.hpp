#pragma once
// Filling one segment: a fetcher reads batches from the partition leader and
// decides where the segment ends (size, time, snapshot end, stop); a segmenter
// feeds them, unchanged, to the segment_writer, which compresses frame by frame.
// Both run on the partition's shard, joined by a bounded channel of batch lists
// (slices of the fetch responses: no copies).

#include "job_state.hpp"

#include <kb/kafka/client/fetch.hpp>
#include <kb/runtime/buffer.hpp>
#include <kb/storage/format/manifest.hpp>
#include <kb/storage/format/segment_writer.hpp>
#include <kb/storage/staged_object.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace kb::backup {

struct filled_segment {
    // Where the object's bytes went: streamed into a staged object (a backend that
    // can rename, the disk), or kept here, in order, for a multipart upload (S3).
    std::unique_ptr<storage::staged_object> staged;
    std::vector<runtime::shared_buffer> bytes;
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

// `staged` (may be null) receives the object's bytes as they are produced.
// `size`: full-size or small (segment_sizing), reserved by the caller.
boost::asio::awaitable<fill_result> fill_segment(backup_job::state& st, shard_context& ctx,
                                                 partition_task task,
                                                 std::unique_ptr<storage::staged_object> staged,
                                                 segment_size size);

storage::format::codec segment_codec(config::compression c);

}  // namespace kb::backup
