// The metadata cache of `cluster`: refresh, partition leaders, group coordinators.

#include <kb/kafka/client/cluster.hpp>

#include "waiters.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/find_coordinator.hpp>
#include <kb/kafka/protocol/metadata.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

int topic_info::replication_factor() const noexcept {
    return partitions.empty() ? 0 : static_cast<int>(partitions.front().replicas.size());
}

const partition_info* topic_info::find(std::int32_t partition) const noexcept {
    for (const auto& p : partitions)
        if (p.partition == partition) return &p;
    return nullptr;
}

const broker_info* cluster_metadata::broker(std::int32_t node_id) const noexcept {
    for (const auto& b : brokers)
        if (b.node_id == node_id) return &b;
    return nullptr;
}

const topic_info* cluster_metadata::topic(const std::string& name) const noexcept {
    auto it = topics.find(name);
    return it == topics.end() ? nullptr : &it->second;
}

namespace {

topic_info to_topic_info(const proto::metadata_response::topic& t) {
    topic_info info;
    info.name = t.name.value_or("");
    info.id = t.topic_id;
    info.internal = t.is_internal;
    for (const auto& p : t.partitions) {
        info.partitions.push_back(partition_info{.partition = p.partition_index,
                                                 .leader = p.leader_id,
                                                 .leader_epoch = p.leader_epoch,
                                                 .replicas = p.replica_nodes,
                                                 .isr = p.isr_nodes,
                                                 .offline_replicas = p.offline_replicas,
                                                 .error_code = p.error_code});
    }
    std::sort(info.partitions.begin(), info.partitions.end(),
              [](const auto& a, const auto& b) { return a.partition < b.partition; });
    return info;
}

// Built outside the co_await expression: GCC 12 miscompiles initializer-list temporaries
// that live across a suspension point.
std::optional<std::vector<std::string>> one_topic(const std::string& name) {
    std::vector<std::string> v;
    v.push_back(name);
    return v;
}

}  // namespace

void cluster::apply(const proto::metadata_response& response, bool all_topics) {
    metadata_.brokers.clear();
    for (const auto& b : response.brokers)
        metadata_.brokers.push_back(broker_info{b.node_id, b.host, b.port, b.rack});
    if (response.cluster_id) metadata_.cluster_id = *response.cluster_id;
    metadata_.controller_id = response.controller_id;
    if (all_topics) metadata_.topics.clear();
    for (const auto& t : response.topics) {
        if (!t.name) continue;
        if (t.error_code == proto::err::unknown_topic_or_partition) {
            metadata_.topics.erase(*t.name);
            continue;
        }
        metadata_.topics[*t.name] = to_topic_info(t);
    }
}

asio::awaitable<void> cluster::refresh_metadata(std::optional<std::vector<std::string>> topics) {
    const bool all = !topics.has_value();
    proto::metadata_request req;
    if (topics) {
        req.topics.emplace();
        for (auto& name : *topics) req.topics->push_back({.topic_id = {}, .name = std::move(name)});
    }
    if (all) refreshing_ = true;
    std::exception_ptr failure;
    try {
        auto conn = co_await any_connection();
        apply(co_await conn->call<proto::metadata_response>(std::move(req)), all);
        if (all) stale_ = false;
    } catch (...) {
        failure = std::current_exception();
    }
    if (all) {
        refreshing_ = false;
        refresh_waiters_->notify_all();
    }
    if (failure) std::rethrow_exception(failure);
}

asio::awaitable<void> cluster::refresh_if_stale() {
    if (!stale_) co_return;
    if (refreshing_) {
        // Someone else is refreshing: share their result (and retry if it failed).
        auto w = refresh_waiters_;
        co_await w->wait();
        if (!stale_) co_return;
    }
    co_await refresh_metadata();
}

asio::awaitable<topic_info> cluster::topic(std::string name) {
    if (!metadata_.topic(name)) co_await refresh_metadata(one_topic(name));
    const auto* t = metadata_.topic(name);
    if (!t)
        throw kb::error(
            error_class::not_found, "UNKNOWN_TOPIC_OR_PARTITION",
            fmt::format("topic '{}' does not exist in cluster {}", name, metadata_.cluster_id),
            reason::topic_unknown);
    co_return *t;
}

asio::awaitable<partition_info> cluster::leader_of(std::string topic_name, std::int32_t partition) {
    const auto* cached = metadata_.topic(topic_name);
    if (!cached || !cached->find(partition)) co_await refresh_metadata(one_topic(topic_name));
    auto t = co_await topic(topic_name);
    const auto* p = t.find(partition);
    if (!p)
        throw kb::error(error_class::not_found, "UNKNOWN_TOPIC_OR_PARTITION",
                        fmt::format("topic '{}' has no partition {} (it has {})", topic_name,
                                    partition, t.partitions.size()),
                        reason::topic_unknown);
    if (p->leader < 0 || !metadata_.broker(p->leader)) {
        mark_stale();
        throw kb::error(error_class::retryable, "LEADER_NOT_AVAILABLE",
                        fmt::format("{}-{} has no leader right now", topic_name, partition));
    }
    co_return *p;
}

asio::awaitable<std::shared_ptr<connection>> cluster::coordinator_connection(std::string group) {
    auto it = coordinators_.find(group);
    if (it != coordinators_.end()) co_return co_await broker_connection(it->second);

    auto conn = co_await any_connection();
    proto::find_coordinator_request req;
    req.coordinator_key = group;
    req.key_type = 0;  // a consumer group
    auto resp = co_await conn->call<proto::find_coordinator_response>(std::move(req));
    if (resp.coordinators.empty())
        throw kb::error(error_class::retryable, "COORDINATOR_NOT_AVAILABLE",
                        fmt::format("FindCoordinator for group '{}' returned nothing", group));
    const auto& c = resp.coordinators.front();
    check(c.error_code, fmt::format("finding the coordinator of group '{}'", group),
          c.error_message);
    if (!metadata_.broker(c.node_id)) co_await refresh_metadata();
    coordinators_[group] = c.node_id;
    co_return co_await broker_connection(c.node_id);
}

}  // namespace kb::kafka::client
