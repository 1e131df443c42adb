#pragma once
// partition_retry: send per-partition work to partition leaders, retrying only the
// partitions that failed for a transient reason (leader moved, no leader yet,
// connection lost), with the cluster's backoff policy and metadata refresh between
// attempts. Used by fetch, list_offsets and produce.
//
// Loop shape:
//   partition_retry st(cluster, what, keys);
//   while (!st.pending().empty()) {
//       co_await st.before_attempt();
//       for (auto& r : co_await st.route()) ... send, then accept_request / accept_partition
//   }

#include <kb/kafka/client/cluster.hpp>
#include <kb/runtime/retry.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kb::kafka::client::detail {

class partition_retry {
  public:
    using key = std::pair<std::string, std::int32_t>;  // topic, partition
    struct route {
        std::int32_t leader = -1;
        std::int32_t leader_epoch = -1;
        std::vector<std::size_t> indices;  // into the caller's partition list
    };

    partition_retry(cluster& c, std::string what, std::vector<key> keys);
    ~partition_retry();
    partition_retry(const partition_retry&) = delete;
    partition_retry& operator=(const partition_retry&) = delete;

    const std::vector<std::size_t>& pending() const noexcept { return pending_; }
    // Before every attempt but the first: gives up (kb::retries_exhausted naming the
    // last error) when the retry budget is spent, else sleeps the backoff. Then
    // refreshes stale metadata.
    boost::asio::awaitable<void> before_attempt();
    // Takes every pending partition and groups it by leader; partitions whose leader is
    // unknown right now stay pending. Throws for a topic or partition that does not exist.
    boost::asio::awaitable<std::vector<route>> route_pending();
    // False (partitions pending again) when a leader's request failed transiently;
    // rethrows other failures.
    bool accept_request(const route& r, const std::exception_ptr& error);
    // True when the partition's outcome is final: no error or a non-retriable one.
    bool accept_partition(std::size_t index, std::int16_t code, const std::string& context);
    // Puts a partition back for the next attempt because of `error`.
    void retry_later(std::size_t index, std::exception_ptr error);
    // Puts a partition back for an attempt that neither sleeps nor counts against the
    // limits (the wait that made it worth retrying already happened).
    void retry_now(std::size_t index);

  private:
    boost::asio::awaitable<void> backoff();

    cluster& cluster_;
    std::string what_;
    std::vector<key> keys_;
    std::vector<std::size_t> pending_;
    int attempts_ = 0;
    bool skip_backoff_ = false;
    runtime::retry_budget budget_;
    std::exception_ptr last_error_;
};

}  // namespace kb::kafka::client::detail
