#pragma once
// What the parts of one backup job share: its settings, the shard pool, the one
// byte budget, the per-shard Kafka client and storage backend, the stop flag and
// the metrics. Each shard_context is touched only from its own shard.

#include "metrics.hpp"

#include <kb/backup/backup.hpp>
#include <kb/kafka/client/cluster.hpp>
#include <kb/runtime/byte_budget.hpp>
#include <kb/runtime/shard_pool.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest_store.hpp>

#include <atomic>
#include <cstdint>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kb::backup {

class coordinator;

// One shard's connections: lives on that shard, used by the partitions placed there.
struct shard_context {
    std::unique_ptr<kafka::client::cluster> kafka;
    std::unique_ptr<storage::backend> storage;
};

// Where one partition's backup starts and (in a snapshot) stops.
struct partition_task {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t next_offset = 0;
    std::optional<std::int64_t> end_offset;  // snapshot: stop before this offset
    // A partition new to the backup: the offset it set out to copy from, recorded as
    // the manifest's start_offset with its first commit; -1 when it resumes.
    std::int64_t start_offset = -1;
};

// How big one segment may get and what one filling segment reserves from the
// budget. One rule for disk and object stores (segment_reservation): three fetch
// responses, the segment writer's pending chunk and codec window, and what the
// object stream holds (disk: its block buffer; object store: the part being
// gathered and the parts in flight). The segment itself is never held: its bytes
// stream out as it fills, so its size does not count.
struct segment_sizing {
    std::uint64_t segment_max_bytes = 0;
    std::int32_t fetch_max_bytes = 0;
    std::size_t part_size = 0;
    int parts_in_flight = 1;
    std::size_t reservation = 0;         // streamed as multipart parts (object store)
    std::size_t staged_reservation = 0;  // streamed to a staged object (disk)
    // A "small" segment holds at most small_segment_bytes (plus the batch that
    // crosses it) from fetches of at most small_fetch_bytes, so it reserves a few
    // MiB instead of a full segment. A partition's first segment is small, and so
    // is every segment after one that held less than small_segment_bytes: a
    // thousand partitions with little data (or idle, in continuous mode) then fill
    // side by side instead of a few at a time. A partition with data to spare fills
    // its small segment and goes on with full-size ones.
    std::uint64_t small_segment_bytes = 0;
    std::int32_t small_fetch_bytes = 0;
    std::size_t small_reservation = 0;
    std::size_t small_staged_reservation = 0;
};

// What one segment may hold and fetch: full-size or small (see segment_sizing).
struct segment_size {
    std::uint64_t max_bytes = 0;
    std::int32_t fetch_bytes = 0;
    std::size_t reservation = 0;
};
segment_size size_of_segment(const segment_sizing& z, bool small, bool staged);

segment_sizing size_segments(const backup_settings& s);

struct backup_job::state {
    explicit state(backup_settings settings);

    backup_settings settings;
    segment_sizing sizing;
    storage::format::backup_layout layout;
    std::shared_ptr<runtime::byte_budget> budget;
    // One unit per partition fetching a segment: backup.max_concurrent_partitions.
    std::shared_ptr<runtime::byte_budget> fetch_slots;
    std::unique_ptr<runtime::shard_pool> pool;
    std::vector<std::unique_ptr<shard_context>> shards;
    std::unique_ptr<storage::backend> coordinator_storage;  // shard 0
    std::unique_ptr<coordinator> coord;                     // shard 0
    std::optional<storage::format::backup_lock> lease;      // shard 0
    std::atomic<bool> lease_done{false};
    std::uint64_t pruned_segments = 0;  // shard 0: deleted by backup.retention
    metrics_registry metrics;

    // Frames are compressed on every shard, not only the partition's (fewer
    // partitions than shards); set before the partitions start.
    bool compress_elsewhere = false;
    std::atomic<bool> stop{false};       // stop fetching: asked for, or a partition failed
    std::atomic<bool> user_stop{false};  // request_stop() was called
    std::atomic<std::uint16_t> metrics_port{0};

    // Partition pipelines in flight, waited for by run().
    std::mutex mutex;
    std::vector<std::future<void>> workers;
    std::exception_ptr first_error;

    bool stopping() const noexcept { return stop.load(std::memory_order_relaxed); }
    void fail(std::exception_ptr e);
    std::size_t shard_of(const std::string& topic, std::int32_t partition) const;
};

}  // namespace kb::backup
