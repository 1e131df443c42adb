#pragma once
// Consumer groups: list, describe, read, write and delete committed offsets.
//
// Requests go to the group's coordinator (FindCoordinator, cached by the cluster) and
// are retried when the coordinator moved or is loading. Committing is for groups that
// have no active members (the tool is not a member): it sends generation -1 and an
// empty member id, and refuses up front, with GROUP_HAS_ACTIVE_MEMBERS, a group whose
// consumers are running — their own commits would overwrite ours.

#include <kb/kafka/client/cluster.hpp>

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::client {

struct group_listing {
    std::string group_id;
    std::string protocol_type;  // "consumer" for Kafka consumers, "" for offset-only groups
    std::string state;          // empty when the broker does not report it
};

struct group_member {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
};

struct group_description {
    std::string group_id;
    std::string state;  // "Empty", "Stable", "PreparingRebalance", "Dead", ...
    std::string protocol_type;
    std::string protocol;
    std::vector<group_member> members;
    std::int16_t error_code = 0;
};

struct group_offset {
    std::string topic;
    std::int32_t partition = 0;
    std::int64_t offset = -1;  // -1: nothing committed
    std::int32_t leader_epoch = -1;
    std::optional<std::string> metadata;
};

struct group_partition {
    std::string topic;
    std::int32_t partition = 0;
};

// Every group of the cluster (asks every broker), sorted by id.
boost::asio::awaitable<std::vector<group_listing>> list_groups(cluster& c);

boost::asio::awaitable<std::vector<group_description>> describe_groups(
    cluster& c, std::vector<std::string> groups);

// Committed offsets of `group` (all partitions it has offsets for when `topics` is
// empty). Partitions without a commit are left out.
boost::asio::awaitable<std::vector<group_offset>> fetch_group_offsets(
    cluster& c, std::string group, std::vector<std::string> topics = {});

// Commits `offsets` for a group without active members. Throws
// kb::error(fatal, "GROUP_HAS_ACTIVE_MEMBERS") naming the group and its member count
// when consumers are running, and the Kafka error per partition otherwise.
boost::asio::awaitable<void> commit_group_offsets(cluster& c, std::string group,
                                                  std::vector<group_offset> offsets);

// Deletes the committed offsets of `partitions` (OffsetDelete) for a group without
// active members, so they read as "nothing committed" again. A group that does not
// exist has nothing to delete and is not an error. Throws
// kb::error(fatal, "GROUP_HAS_ACTIVE_MEMBERS") when consumers are running, and
// kb::error(fatal, "GROUP_SUBSCRIBED_TO_TOPIC") when members joined in between and
// subscribe to one of the topics.
boost::asio::awaitable<void> delete_group_offsets(cluster& c, std::string group,
                                                  std::vector<group_partition> partitions);

}  // namespace kb::kafka::client
