#pragma once
// cluster: the broker pool and metadata cache of one Kafka cluster.
//
// Owns up to `connections_per_broker` connections per broker (opened lazily, replaced
// when broken), the metadata cache (brokers, topics, partition leaders) and the group
// coordinator cache. Operations (admin.hpp, offsets.hpp, fetch.hpp, producer.hpp,
// groups.hpp) route requests through it and call check() on every Kafka error code,
// which marks the metadata stale when a leader moved; with_retry() then refreshes it
// before the next attempt.
//
// Lifecycle: construct, co_await bootstrap(), use, co_await close(). The destructor
// aborts connections still open.
// Threading: a cluster lives on one executor (one shard) and is not thread-safe; all
// coroutines using it must run on that executor.

#include <kb/kafka/client/config.hpp>
#include <kb/kafka/client/connection.hpp>
#include <kb/kafka/client/metadata.hpp>
#include <kb/runtime/retry.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kb::kafka::protocol {
struct metadata_response;
}

namespace kb::kafka::client {

namespace detail {
class waiters;
}

class cluster {
  public:
    cluster(boost::asio::any_io_executor executor, client_config config);
    ~cluster();
    cluster(const cluster&) = delete;
    cluster& operator=(const cluster&) = delete;

    const client_config& config() const noexcept;
    const boost::asio::any_io_executor& executor() const noexcept { return executor_; }

    // Reaches the cluster through the bootstrap servers and loads metadata for all
    // topics, retrying per config().retry. When no server answers, throws
    // kb::error(retryable, "BROKER_UNREACHABLE", "...cannot reach Kafka at host:port: ...").
    boost::asio::awaitable<void> bootstrap();
    // Closes every connection, letting in-flight requests finish first.
    boost::asio::awaitable<void> close();

    // The cached metadata (complete after bootstrap(); refreshed on demand).
    const cluster_metadata& metadata() const noexcept { return metadata_; }
    // One Metadata request (all topics when `topics` is nullopt); updates the cache.
    boost::asio::awaitable<void> refresh_metadata(
        std::optional<std::vector<std::string>> topics = std::nullopt);
    void mark_stale() noexcept { stale_ = true; }
    boost::asio::awaitable<void> refresh_if_stale();

    // A partition's current metadata; refreshes once when the topic or partition is not
    // cached. Throws kb::error(not_found, "UNKNOWN_TOPIC_OR_PARTITION") when it does not
    // exist, and a retryable LEADER_NOT_AVAILABLE when it has no leader right now.
    boost::asio::awaitable<partition_info> leader_of(std::string topic, std::int32_t partition);
    boost::asio::awaitable<topic_info> topic(std::string name);

    // Connections. `affinity` picks one of the broker's connections stably (a partition
    // that needs ordered requests always uses the same one).
    boost::asio::awaitable<std::shared_ptr<connection>> broker_connection(std::int32_t node_id,
                                                                          std::size_t affinity = 0);
    boost::asio::awaitable<std::shared_ptr<connection>> any_connection();
    boost::asio::awaitable<std::shared_ptr<connection>> controller_connection();
    boost::asio::awaitable<std::shared_ptr<connection>> coordinator_connection(std::string group);
    void forget_coordinator(const std::string& group) { coordinators_.erase(group); }

    // Throws for a non-zero Kafka error code: codes that mean "the leader or coordinator
    // moved" mark the metadata stale and throw retryable; the rest become the class
    // protocol::make_error gives them.
    void check(std::int16_t code, std::string_view context,
               const std::optional<std::string>& message = std::nullopt);

    // Retries `attempt` (a callable returning a fresh awaitable) per config().retry,
    // refreshing stale metadata before every attempt.
    template <class Attempt>
    auto with_retry(std::string what, Attempt attempt) -> decltype(attempt()) {
        return runtime::retry(config().retry, std::move(what),
                              [this, attempt]() { return refreshed_then(attempt()); });
    }

    struct slot;  // one pooled connection; defined in the .cpp

  private:
    template <class T>
    boost::asio::awaitable<T> refreshed_then(boost::asio::awaitable<T> work) {
        co_await refresh_if_stale();
        co_return co_await std::move(work);
    }
    boost::asio::awaitable<std::shared_ptr<connection>> bootstrap_connection();
    boost::asio::awaitable<std::shared_ptr<connection>> lease(std::shared_ptr<slot> s,
                                                              std::int32_t node_id);
    broker_address address_of(std::int32_t node_id) const;
    void apply(const protocol::metadata_response& response, bool all_topics);

    boost::asio::any_io_executor executor_;
    std::shared_ptr<const connector> connector_;
    cluster_metadata metadata_;
    bool stale_ = false;
    bool refreshing_ = false;
    std::map<std::int32_t, std::vector<std::shared_ptr<slot>>> pool_;
    std::vector<std::shared_ptr<slot>> bootstrap_slots_;
    std::map<std::string, std::int32_t> coordinators_;
    std::size_t next_any_ = 0;
    std::shared_ptr<detail::waiters> refresh_waiters_;
};

}  // namespace kb::kafka::client
