#pragma once
// Target size limits, checked before anything is produced.
//
// check_target_limits() finds each target topic's max.message.bytes (the topic's
// effective setting when it exists, the config it will be created with, or else
// the broker's message.max.bytes), copies it to the plan's topics and tasks (the
// producing side splits larger batches), and adds a failing preflight check when
// the backup holds a record that could never be produced there. The segment
// footers tell this without downloading data: a frame larger than 1 MiB holds a
// single batch, so a frame of one record is exactly that record's batch. A record
// inside a larger multi-record batch is caught when the batch is split, before that
// record is produced (kb::error "RecordTooLarge").

#include <kb/kafka/client/cluster.hpp>
#include <kb/kafka/client/connection.hpp>
#include <kb/restore/restore.hpp>
#include <kb/storage/backend.hpp>
#include <kb/storage/format/segment_layout.hpp>

#include <map>
#include <optional>

namespace kb::restore::detail {

// The first frame of `frames` that is one record larger than `limit` and chosen by
// the task's offset range and the time window, if any (pure).
std::optional<storage::format::frame_info> oversized_record(
    const std::vector<storage::format::frame_info>& frames, const partition_task& task,
    std::optional<std::int64_t> time_start, std::optional<std::int64_t> time_end,
    std::uint64_t limit);

// One config of several resources of one Kafka resource type (topic, broker):
// name -> its effective value (null when sensitive).
boost::asio::awaitable<std::map<std::string, std::optional<std::string>>> describe_values(
    kafka::client::cluster& c, std::shared_ptr<kafka::client::connection> conn, std::int8_t type,
    std::vector<std::string> names, std::string key);

boost::asio::awaitable<void> check_target_limits(kafka::client::cluster& c, storage::backend& b,
                                                 restore_plan& plan);

}  // namespace kb::restore::detail
