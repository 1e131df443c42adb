#pragma once
// list_offsets(): earliest, latest or by-timestamp offsets of partitions (ListOffsets),
// asked of each partition's leader, with leader moves retried.

#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/fetch.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace kb::kafka::client {

// What to ask for: the special timestamps of ListOffsets, or a time in ms since epoch.
struct offset_spec {
    std::int64_t timestamp = -1;
    static offset_spec latest() { return {-1}; }
    static offset_spec earliest() { return {-2}; }
    static offset_spec at_time(std::int64_t ms) { return {ms}; }
};

struct partition_offset {
    std::string topic;
    std::int32_t partition = 0;
    // For latest: the high watermark (read_uncommitted) or last stable offset
    // (read_committed). For a timestamp: the first offset whose timestamp is >= it,
    // or -1 when there is none (every record is older).
    std::int64_t offset = -1;
    std::int64_t timestamp = -1;  // the record's timestamp for by-time lookups
    std::int32_t leader_epoch = -1;
};

struct offset_query {
    std::string topic;
    std::int32_t partition = 0;
    offset_spec spec;
};

// One result per query, in query order. Throws kb::error naming the partition for a
// non-retriable Kafka error, not_found for an unknown topic or partition.
boost::asio::awaitable<std::vector<partition_offset>> list_offsets(
    cluster& c, std::vector<offset_query> queries,
    isolation_level isolation = isolation_level::read_uncommitted);

// Convenience: the same spec for every partition of `topic` (all of them when empty).
boost::asio::awaitable<std::vector<partition_offset>> topic_offsets(
    cluster& c, std::string topic, offset_spec spec, std::vector<std::int32_t> partitions = {});

}  // namespace kb::kafka::client
