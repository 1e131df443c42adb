#pragma once
// One partition's backup: fetch -> segment (compress) -> upload -> commit, in a
// loop of segments, on the partition's shard.
//
// Each segment first reserves its whole footprint from the job's byte budget
// (segment_sizing: the fetches feeding it, the writer and the object stream's
// window), so a partition never waits for memory while holding some: the budget
// caps how many segments are open at once and cannot deadlock. Inside a segment,
// a fetcher and a segmenter coroutine are joined by a bounded channel. The
// segment's object is keyed by its first offset, so its bytes stream out as it
// fills; once full it is finished (visible whole), then committed to the
// manifest, while the partition's next segment already fills.

#include "job_state.hpp"

#include <boost/asio/awaitable.hpp>

namespace kb::backup {

// Runs until the task's end offset (snapshot), a stop request, or an error.
boost::asio::awaitable<void> run_partition(backup_job::state& st, std::size_t shard,
                                           partition_task task);

}  // namespace kb::backup
