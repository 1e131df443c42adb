#pragma once
// offset-reset: move consumer groups' committed offsets in bulk.
//
// For each group: find the partitions to move (the selected topics' partitions,
// or the group's committed partitions when no topic is named), read the current
// commits and each partition's earliest/latest offsets, and compute the new
// offset (clamped into [earliest, latest], as kafka-consumer-groups.sh does).
// execute commits the plan, refusing groups that have active members (their
// consumers would overwrite it). Groups are handled with at most
// `max_concurrent` in flight; one group's failure does not stop the others.
//
// Threading: everything runs on the cluster's executor.

#include <kb/config/cluster.hpp>
#include <kb/kafka/client/cluster.hpp>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::offsets {

using boost::asio::awaitable;

struct topic_partition {
    std::string topic;
    std::int32_t partition = 0;
    auto operator<=>(const topic_partition&) const = default;
};

struct reset_spec {
    enum class kind { earliest, latest, offset, timestamp, shift_by, explicit_offsets };
    kind to = kind::earliest;
    std::int64_t value = 0;  // offset, epoch ms or shift, by kind
    // explicit_offsets: per group, the partitions and offsets to commit (e.g.
    // translated by a restore). Partitions not listed are left alone.
    std::map<std::string, std::map<topic_partition, std::int64_t>> targets;
};

struct reset_request {
    std::vector<std::string> groups;
    config::topic_selection topics;  // empty include: the group's committed partitions
    reset_spec spec;
    bool execute = false;
    std::uint32_t max_concurrent = 8;
};

struct partition_move {
    std::string topic;
    std::int32_t partition = 0;
    std::optional<std::int64_t> current;  // none: nothing committed
    std::int64_t target = 0;
    std::int64_t earliest = -1;
    std::int64_t latest = -1;
};

enum class group_status { planned, reset, refused, failed };
const char* to_string(group_status s) noexcept;

struct group_outcome {
    std::string group;
    group_status status = group_status::planned;
    std::size_t active_members = 0;
    std::string message;  // why it failed or was refused; a warning for plans
    std::vector<partition_move> moves;
};

struct reset_report {
    std::string action;  // plan | execute
    std::string spec;    // e.g. "shift-by -20"
    std::vector<group_outcome> groups;
    std::size_t succeeded() const noexcept;
    std::size_t failed() const noexcept;  // failed or refused
};

std::string describe_spec(const reset_spec& s);

// The new offset of one partition under `s` (for every kind but timestamp and
// explicit_offsets, which need the broker or the mapping).
std::int64_t compute_target(const reset_spec& s, std::optional<std::int64_t> current,
                            std::int64_t earliest, std::int64_t latest);

// Plans one group (and commits it when req.execute). Never throws for the
// group's own failures: they come back in the outcome.
awaitable<group_outcome> reset_group(kafka::client::cluster& c, std::string group,
                                     const reset_request& req);
// All groups, bounded by req.max_concurrent; outcomes in req.groups order.
awaitable<reset_report> run_resets(kafka::client::cluster& c, reset_request req);

nlohmann::json to_json(const reset_report& r);
std::string to_text(const reset_report& r);
std::string to_csv(const reset_report& r);
// A bash script of kafka-consumer-groups.sh calls committing the same offsets.
std::string to_script(const reset_report& r, const std::vector<std::string>& bootstrap);

}  // namespace kb::offsets
