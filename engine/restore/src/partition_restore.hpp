#pragma once
// restore_partition: one source partition's pipeline on its shard.
//
//   reader (ranged GET per frame, several read ahead; frame CRC + batch CRCs checked,
//           decoded on other shards when partitions are fewer; budget-charged)
//     -> bounded channel of frames
//     -> txn filter -> select (pass / re-encode / skip) -> partition by key when asked
//     -> produce_window (idempotent producer, several requests in flight)
//
// A corrupt frame fails the reader; the channel carries the error to the producing
// side, which stops before producing anything from that frame or later.

#include "produce_window.hpp"

#include <kb/restore/offset_mapping.hpp>
#include <kb/restore/restore.hpp>
#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/progress.hpp>
#include <kb/runtime/rate_limit.hpp>
#include <kb/runtime/shard_pool.hpp>
#include <kb/storage/backend.hpp>

#include <atomic>
#include <memory>

namespace kb::restore::detail {

struct shard_context {
    storage::backend* backend = nullptr;
    kafka::client::producer* producer = nullptr;
    std::shared_ptr<runtime::byte_budget> budget;
    runtime::progress_reporter* progress = nullptr;  // may be null
    int max_in_flight = 4;
    std::size_t max_request_bytes = 1 << 20;  // small batches are joined up to this
    // rate_limit_records_per_sec / _bytes_per_sec: one limiter for the whole restore,
    // shared by every shard (null: no limit).
    std::shared_ptr<runtime::rate_limiter> limiter;
    int read_ahead = 4;  // frames of a partition read (GET) at once, charged to the budget
    // Fewer partitions than shards: frames are decoded on the pool's shards in turn.
    runtime::shard_pool* decode_pool = nullptr;
    std::size_t home_shard = 0;
};

struct task_result {
    partition_mapping mapping;
    std::uint64_t records = 0, bytes = 0, passed = 0, reencoded = 0, dropped = 0, segments = 0;
    // Records left out as a read_committed consumer would: of aborted transactions,
    // and of transactions with no marker in the backup (open when it stopped).
    std::uint64_t aborted_transactions = 0, aborted_records = 0;
    std::uint64_t open_transactions = 0, uncommitted_records = 0;
};

// A resumed restore: the first `skip_records` chosen records are already on the
// target, at the offsets of `target_runs` in order (runs of consecutive offsets:
// another producer may have written between them).
struct resume_from {
    struct run {
        std::int64_t first = 0;
        std::int64_t count = 0;
    };
    std::int64_t skip_records = 0;
    std::vector<run> target_runs;
    std::size_t next_run = 0;  // runs before it are used up

    // Adds `count` records at `first`, joining the previous run when adjacent.
    void add(std::int64_t first, std::int64_t count);
    // The target offset of the next skipped record (consumes it).
    std::int64_t take_target_offset();
};

boost::asio::awaitable<task_result> restore_partition(shard_context ctx, partition_task task,
                                                      std::optional<std::int64_t> time_start,
                                                      std::optional<std::int64_t> time_end,
                                                      resume_from resume);

}  // namespace kb::restore::detail
