#pragma once
// One partition's backup: fetch -> segment (compress) -> upload -> commit, in a
// loop of segments, on the partition's shard.
//
// Each segment first reserves its whole footprint from the job's byte budget
// (segment_sizing::reservation: the segment's bytes, the fetches feeding it and
// the upload window), so a partition never waits for memory while holding some:
// the budget caps how many segments are open at once and cannot deadlock. Inside
// a segment, a fetcher and a segmenter coroutine are joined by a bounded channel.
// The segment is uploaded once its last offset (part of its key) is known, then
// committed to the manifest; only then does the partition move on.

#include "job_state.hpp"

#include <boost/asio/awaitable.hpp>

namespace kb::backup {

// Runs until the task's end offset (snapshot), a stop request, or an error.
boost::asio::awaitable<void> run_partition(backup_job::state& st, std::size_t shard,
                                           partition_task task);

}  // namespace kb::backup
