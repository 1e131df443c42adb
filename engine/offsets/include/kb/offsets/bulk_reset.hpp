#pragma once
// offset-reset-bulk (OSO's command): commit given offsets (a restore's translation)
// for many groups in parallel, retrying a failed group, and report each group's
// outcome in OSO's BulkOffsetResetReport shape (docs/cli.md).
//
// Each group goes through reset_group() (reset.hpp) with explicit offsets, so it is
// planned, checked for active members and committed exactly as offset-reset does.
// A group that fails is retried up to max_retries times with doubling backoff from
// 100 ms; a group refused for active members is not retried (its consumers would
// overwrite the commit). Named groups with no offsets to commit fail at once.
//
// Threading: everything runs on the cluster's executor.

#include <kb/offsets/reset.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kb::offsets {

struct bulk_reset_request {
    std::vector<std::string> groups;  // the groups to reset, in report order
    // Per group, the offsets to commit; a group absent here fails ("not in the mapping").
    std::map<std::string, std::map<topic_partition, std::int64_t>> targets;
    std::uint32_t max_concurrent = 50;
    std::uint32_t max_retries = 3;
    std::chrono::milliseconds retry_base{100};
};

struct bulk_partition_error {
    std::string topic;  // empty when the failure is the group's, not one partition's
    std::int32_t partition = -1;
    std::int32_t error_code = -1;  // Kafka error code when known, else -1
    std::string message;
};

struct bulk_group_outcome {
    std::string group_id;
    std::size_t partitions_reset = 0;
    std::size_t partitions_failed = 0;
    std::vector<bulk_partition_error> errors;
    std::uint64_t duration_ms = 0;
    std::uint32_t retry_attempts = 0;
    bool ok() const noexcept { return errors.empty(); }
};

struct bulk_reset_report {
    std::vector<bulk_group_outcome> groups;
    std::uint64_t duration_ms = 0;
    std::uint32_t max_concurrency = 0;  // the most groups in flight at once
    std::string status() const;         // success | partial_success | failed
    std::size_t failed_groups() const noexcept;
};

awaitable<bulk_reset_report> run_bulk_reset(kafka::client::cluster& c, bulk_reset_request req);

nlohmann::json to_json(const bulk_reset_report& r);
std::string to_text(const bulk_reset_report& r);

}  // namespace kb::offsets
