#pragma once
// Topic administration: list, create, delete, grow, describe configs.
// Each call is retried per the cluster's policy on transient errors (NOT_CONTROLLER,
// connection loss) and throws kb::error naming the topic otherwise.

#include <kb/kafka/client/cluster.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kb::kafka::client {

struct topic_listing {
    std::string cluster_id;
    std::vector<topic_info> topics;  // sorted by name
};

// Fresh metadata for all topics (internal ones such as __consumer_offsets only when asked).
boost::asio::awaitable<topic_listing> list_topics(cluster& c, bool include_internal = false);

struct new_topic {
    std::string name;
    std::int32_t partitions = -1;          // -1: broker default
    std::int16_t replication_factor = -1;  // -1: broker default
    std::map<std::string, std::string> configs;
};

struct admin_options {
    std::chrono::milliseconds timeout{60'000};  // broker-side operation timeout
    bool ignore_existing = false;               // create: TOPIC_ALREADY_EXISTS is not an error
    bool ignore_missing = false;    // delete: UNKNOWN_TOPIC_OR_PARTITION is not an error
    bool wait_for_metadata = true;  // return once metadata shows the change with leaders
};

// (Overloads instead of a defaulted `admin_options{}`: GCC 12 destroys aggregate
// temporaries inside a co_await expression twice. See README.md.)
boost::asio::awaitable<void> create_topics(cluster& c, std::vector<new_topic> topics,
                                           admin_options options);
boost::asio::awaitable<void> create_topics(cluster& c, std::vector<new_topic> topics);
boost::asio::awaitable<void> delete_topics(cluster& c, std::vector<std::string> names,
                                           admin_options options);
boost::asio::awaitable<void> delete_topics(cluster& c, std::vector<std::string> names);
// Grows `topic` to `total_partitions` partitions.
boost::asio::awaitable<void> create_partitions(cluster& c, std::string topic,
                                               std::int32_t total_partitions,
                                               admin_options options);
boost::asio::awaitable<void> create_partitions(cluster& c, std::string topic,
                                               std::int32_t total_partitions);

struct config_entry {
    std::string name;
    std::optional<std::string> value;  // null for sensitive values
    bool read_only = false;
    bool sensitive = false;
    std::int8_t source = -1;  // Kafka ConfigSource (1 = set on the topic)
};

// The configs set on each topic (its overrides of the broker defaults), by topic name.
boost::asio::awaitable<std::map<std::string, std::vector<config_entry>>> describe_topic_configs(
    cluster& c, std::vector<std::string> topics);

}  // namespace kb::kafka::client
