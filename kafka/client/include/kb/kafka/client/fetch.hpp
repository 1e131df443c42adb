#pragma once
// fetch(): read raw record batches from partition leaders.
//
// Partitions are grouped by leader and each leader gets one Fetch request; the
// requests run concurrently. Each partition's records are a slice of the one buffer
// its response was read into (zero copy) holding whole batches only: a trailing batch
// cut short by the size limits is dropped, so the caller simply fetches again from
// `next_offset`. A batch larger than partition_max_bytes still comes back whole when
// it is the first one (brokers since 0.10.1 guarantee progress).
//
// Leader moves, missing leaders and connection loss are retried (metadata refreshed)
// per the cluster's retry policy, for the failed partitions only. Other per-partition
// errors are returned in `error_code` (OFFSET_OUT_OF_RANGE in particular, so the caller
// can decide where to restart); fetch_one() throws them instead.

#include <kb/kafka/client/cluster.hpp>
#include <kb/runtime/buffer.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace kb::kafka::client {

enum class isolation_level : std::int8_t { read_uncommitted = 0, read_committed = 1 };

struct fetch_options {
    std::int32_t max_bytes = 64 << 20;  // whole response (clamped to max_response_bytes)
    std::int32_t min_bytes = 1;
    std::chrono::milliseconds max_wait{500};
    isolation_level isolation = isolation_level::read_uncommitted;
    // Which of a broker's connections_per_broker connections to use. A broker serves one
    // request per connection at a time, so fetch loops that should overlap (one per
    // partition, say) pass different values.
    std::size_t connection = 0;
};

struct fetch_partition {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    std::int32_t max_bytes = 16 << 20;  // partition_max_bytes
};

struct aborted_transaction {
    std::int64_t producer_id = 0;
    std::int64_t first_offset = 0;
};

struct fetched_partition {
    std::string topic;
    std::int32_t partition = 0;
    std::int16_t error_code = 0;  // 0, or a non-retriable Kafka error (OFFSET_OUT_OF_RANGE...)
    std::int64_t fetch_offset = 0;
    std::int64_t high_watermark = -1;
    std::int64_t last_stable_offset = -1;
    std::int64_t log_start_offset = -1;
    std::vector<aborted_transaction> aborted_transactions;
    // Whole batches (v2) or legacy messages, as the broker sent them. The first batch may
    // start before fetch_offset (a compressed batch is returned whole).
    runtime::shared_buffer records;
    std::size_t batch_count = 0;
    std::int64_t next_offset = 0;  // where to fetch next: after the last whole batch
    bool truncated_tail = false;   // a partial trailing batch was dropped
};

// (Overloads instead of a defaulted `fetch_options{}`: GCC 12 destroys aggregate
// temporaries inside a co_await expression twice. See README.md.)
boost::asio::awaitable<std::vector<fetched_partition>> fetch(
    cluster& c, std::vector<fetch_partition> partitions, fetch_options options);
boost::asio::awaitable<std::vector<fetched_partition>> fetch(
    cluster& c, std::vector<fetch_partition> partitions);

// One partition; throws kb::error for any Kafka error, with code OFFSET_OUT_OF_RANGE
// (class not_found) when the offset is before the log start or past the end.
boost::asio::awaitable<fetched_partition> fetch_one(cluster& c, fetch_partition partition,
                                                    fetch_options options);
boost::asio::awaitable<fetched_partition> fetch_one(cluster& c, fetch_partition partition);

}  // namespace kb::kafka::client
