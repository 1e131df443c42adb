#pragma once
// Discovery: what to back up and from where. Reads the cluster (topics,
// partitions, configs, earliest/latest offsets, committed group offsets), merges
// it into the manifest (a resumed one or a new one) and returns one task per
// partition with data left to copy. Runs on shard 0 with the coordinator.

#include "coordinator.hpp"
#include "job_state.hpp"

#include <kb/kafka/client/cluster.hpp>

#include <boost/asio/awaitable.hpp>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kb::backup {

using partition_key = std::pair<std::string, std::int32_t>;

struct backup_plan {
    std::vector<partition_task> tasks;
    std::set<partition_key> known;  // every selected partition, with or without a task
    bool resumed = false;
};

// The first plan of a run. Publishes the manifest it built (status in_progress).
boost::asio::awaitable<backup_plan> plan_backup(backup_job::state& st, kafka::client::cluster& c);

// Continuous mode: tasks for selected partitions not in `known` (new topics, or
// partitions added to a topic), starting at their earliest offset. Adds them to
// `known` and to the manifest, and publishes when anything changed.
boost::asio::awaitable<std::vector<partition_task>> discover_new(backup_job::state& st,
                                                                 kafka::client::cluster& c,
                                                                 std::set<partition_key>& known);

// Continuous mode: reads the selected groups' committed offsets again and publishes
// them when they moved, so the manifest's group snapshot follows the consumers (a
// restore translates the newest one) instead of staying as it was at the start.
boost::asio::awaitable<void> refresh_group_offsets(backup_job::state& st,
                                                   kafka::client::cluster& c);

}  // namespace kb::backup
