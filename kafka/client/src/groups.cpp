#include <kb/kafka/client/groups.hpp>

#include "gather.hpp"

#include <kb/kafka/protocol/consumer_group_describe.hpp>
#include <kb/kafka/protocol/describe_groups.hpp>
#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/list_groups.hpp>
#include <kb/kafka/protocol/offset_commit.hpp>
#include <kb/kafka/protocol/offset_delete.hpp>
#include <kb/kafka/protocol/offset_fetch.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <map>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

namespace {

bool coordinator_moved(std::int16_t code) {
    return code == proto::err::not_coordinator || code == proto::err::coordinator_not_available;
}

// Checks a group-level code; a moved coordinator is forgotten so the retry looks it up.
void check_group(cluster* c, const std::string& group, std::int16_t code, std::string context) {
    if (coordinator_moved(code)) c->forget_coordinator(group);
    c->check(code, context);
}

// The coordinator's connection; on failure the cached coordinator is dropped too.
asio::awaitable<std::shared_ptr<connection>> coordinator(cluster* c, std::string group) {
    try {
        co_return co_await c->coordinator_connection(group);
    } catch (...) {
        c->forget_coordinator(group);
        throw;
    }
}

asio::awaitable<proto::list_groups_response> list_on(cluster* c, std::int32_t node) {
    auto conn = co_await c->broker_connection(node);
    proto::list_groups_request req;
    auto resp = co_await conn->call<proto::list_groups_response>(std::move(req));
    c->check(resp.error_code, fmt::format("listing groups on broker {}", node));
    co_return resp;
}

asio::awaitable<std::vector<group_listing>> list_round(cluster* c) {
    co_await c->refresh_metadata();
    std::vector<asio::awaitable<proto::list_groups_response>> tasks;
    for (const auto& b : c->metadata().brokers) tasks.push_back(list_on(c, b.node_id));
    std::map<std::string, group_listing> merged;
    for (auto& o : co_await detail::gather(std::move(tasks))) {
        if (o.error) std::rethrow_exception(o.error);
        for (const auto& g : o.value->groups)
            merged[g.group_id] = group_listing{g.group_id, g.protocol_type, g.group_state};
    }
    std::vector<group_listing> out;
    for (auto& [id, g] : merged) out.push_back(std::move(g));
    co_return out;
}

group_description to_description(const proto::describe_groups_response::group& g) {
    group_description d;
    d.group_id = g.group_id;
    d.state = g.group_state;
    d.protocol_type = g.protocol_type;
    d.protocol = g.protocol_data;
    d.error_code = g.error_code;
    for (const auto& m : g.members)
        d.members.push_back({m.member_id, m.group_instance_id, m.client_id, m.client_host});
    return d;
}

group_description to_description(const proto::consumer_group_describe_response::group& g) {
    group_description d;
    d.group_id = g.group_id;
    d.state = g.group_state;
    d.protocol_type = "consumer";
    d.protocol = g.assignor_name;
    for (const auto& m : g.members)
        d.members.push_back({m.member_id, m.instance_id, m.client_id, m.client_host});
    return d;
}

// DescribeGroups (up to v5) answers for a group of the new consumer protocol (KIP-848,
// group.protocol=consumer) as if it did not exist: Dead, no protocol type, no members.
// Brokers that have such groups offer ConsumerGroupDescribe, which describes them; a
// group it does not know either (GROUP_ID_NOT_FOUND) stays Dead.
asio::awaitable<std::optional<group_description>> describe_consumer_protocol(
    cluster* c, std::shared_ptr<connection> conn, std::string group) {
    if (!conn->try_version_for(proto::api_key::ConsumerGroupDescribe)) co_return std::nullopt;
    proto::consumer_group_describe_request req;
    req.group_ids.push_back(group);
    auto resp = co_await conn->call<proto::consumer_group_describe_response>(std::move(req));
    if (resp.groups.empty()) co_return std::nullopt;
    const auto& g = resp.groups.front();
    if (g.error_code == proto::err::group_id_not_found) co_return std::nullopt;
    check_group(c, group, g.error_code, fmt::format("describing consumer group '{}'", group));
    co_return to_description(g);
}

bool looks_absent(const proto::describe_groups_response::group& g) {
    return g.error_code == proto::err::group_id_not_found ||
           (g.group_state == "Dead" && g.protocol_type.empty() && g.members.empty());
}

asio::awaitable<group_description> describe_one(cluster* c, std::string group) {
    auto conn = co_await coordinator(c, group);
    proto::describe_groups_request req;
    req.groups.push_back(group);
    auto resp = co_await conn->call<proto::describe_groups_response>(std::move(req));
    if (resp.groups.empty())
        throw kb::error(error_class::retryable, "COORDINATOR_NOT_AVAILABLE",
                        fmt::format("DescribeGroups for '{}' returned no group", group));
    const auto& g = resp.groups.front();
    if (looks_absent(g)) {
        auto d = co_await describe_consumer_protocol(c, conn, group);
        if (d) co_return std::move(*d);
    }
    // A group that does not exist is described as Dead, not reported as an error.
    if (g.error_code != proto::err::group_id_not_found)
        check_group(c, group, g.error_code, fmt::format("describing group '{}'", group));
    co_return to_description(g);
}

asio::awaitable<std::vector<group_offset>> fetch_offsets_round(
    cluster* c, std::string group,
    std::optional<std::vector<proto::offset_fetch_request::topic>> topics) {
    auto conn = co_await coordinator(c, group);
    proto::offset_fetch_request req;
    req.group_id = group;
    req.topics = std::move(topics);
    auto resp = co_await conn->call<proto::offset_fetch_response>(std::move(req));
    std::vector<group_offset> out;
    for (const auto& g : resp.groups) {
        check_group(c, group, g.error_code, fmt::format("fetching offsets of group '{}'", group));
        for (const auto& t : g.topics) {
            for (const auto& p : t.partitions) {
                c->check(p.error_code, fmt::format("fetching offsets of group '{}' for {}-{}",
                                                   group, t.name, p.partition_index));
                if (p.committed_offset < 0) continue;
                out.push_back({t.name, p.partition_index, p.committed_offset,
                               p.committed_leader_epoch, p.metadata});
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
    });
    co_return out;
}

[[noreturn]] void refuse_active(const std::string& group, std::size_t members,
                                const std::string& state) {
    throw kb::error(error_class::fatal, "GROUP_HAS_ACTIVE_MEMBERS",
                    fmt::format("cannot commit offsets for consumer group '{}': it has {} active "
                                "member(s) (state {}); stop its consumers first",
                                group, members, state.empty() ? "unknown" : state),
                    reason::group_active);
}

proto::offset_commit_request commit_request(const std::string& group,
                                            const std::vector<group_offset>& offsets) {
    proto::offset_commit_request req;
    req.group_id = group;
    req.generation_id_or_member_epoch = -1;  // not a member: an "admin" commit
    for (const auto& o : offsets) {
        auto it = std::find_if(req.topics.begin(), req.topics.end(),
                               [&](const auto& t) { return t.name == o.topic; });
        if (it == req.topics.end()) {
            it = req.topics.emplace(req.topics.end());
            it->name = o.topic;
        }
        auto& p = it->partitions.emplace_back();
        p.partition_index = o.partition;
        p.committed_offset = o.offset;
        p.committed_leader_epoch = o.leader_epoch;
        p.committed_metadata = o.metadata.value_or("");
    }
    return req;
}

asio::awaitable<void> commit_round(cluster* c, std::string group,
                                   std::vector<group_offset> offsets) {
    auto d = co_await describe_one(c, group);
    if (!d.members.empty()) refuse_active(group, d.members.size(), d.state);
    auto conn = co_await coordinator(c, group);
    auto resp = co_await conn->call<proto::offset_commit_response>(commit_request(group, offsets));
    for (const auto& t : resp.topics) {
        for (const auto& p : t.partitions) {
            const auto code = p.error_code;
            // Members joined between our check and the commit.
            if (code == proto::err::unknown_member_id || code == proto::err::illegal_generation ||
                code == proto::err::rebalance_in_progress)
                refuse_active(group, d.members.size(), "rebalancing");
            check_group(c, group, code,
                        fmt::format("committing offsets of group '{}' for {}-{}", group, t.name,
                                    p.partition_index));
        }
    }
}

proto::offset_delete_request delete_request(const std::string& group,
                                            const std::vector<group_partition>& partitions) {
    proto::offset_delete_request req;
    req.group_id = group;
    for (const auto& p : partitions) {
        auto it = std::find_if(req.topics.begin(), req.topics.end(),
                               [&](const auto& t) { return t.name == p.topic; });
        if (it == req.topics.end()) {
            it = req.topics.emplace(req.topics.end());
            it->name = p.topic;
        }
        it->partition_indexes.push_back(p.partition);
    }
    return req;
}

asio::awaitable<void> delete_round(cluster* c, std::string group,
                                   std::vector<group_partition> partitions) {
    auto d = co_await describe_one(c, group);
    if (!d.members.empty()) refuse_active(group, d.members.size(), d.state);
    auto conn = co_await coordinator(c, group);
    auto resp =
        co_await conn->call<proto::offset_delete_response>(delete_request(group, partitions));
    if (resp.error_code == proto::err::group_id_not_found) co_return;  // nothing committed
    check_group(c, group, resp.error_code, fmt::format("deleting offsets of group '{}'", group));
    for (const auto& t : resp.topics) {
        for (const auto& p : t.partitions) {
            if (p.error_code == proto::err::group_subscribed_to_topic)
                throw kb::error(error_class::fatal, "GROUP_SUBSCRIBED_TO_TOPIC",
                                fmt::format("cannot delete the offsets of consumer group '{}' for "
                                            "{}-{}: members subscribed to '{}' joined; stop its "
                                            "consumers first",
                                            group, t.name, p.partition_index, t.name));
            check_group(c, group, p.error_code,
                        fmt::format("deleting offsets of group '{}' for {}-{}", group, t.name,
                                    p.partition_index));
        }
    }
}

}  // namespace

asio::awaitable<std::vector<group_listing>> list_groups(cluster& c) {
    co_return co_await c.with_retry("listing consumer groups", [&c] { return list_round(&c); });
}

asio::awaitable<std::vector<group_description>> describe_groups(cluster& c,
                                                                std::vector<std::string> groups) {
    std::vector<group_description> out;
    for (const auto& g : groups) {
        auto attempt = [&c, g] { return describe_one(&c, g); };
        out.push_back(co_await c.with_retry(fmt::format("describing group '{}'", g), attempt));
    }
    co_return out;
}

asio::awaitable<std::vector<group_offset>> fetch_group_offsets(cluster& c, std::string group,
                                                               std::vector<std::string> topics) {
    std::optional<std::vector<proto::offset_fetch_request::topic>> wanted;
    if (!topics.empty()) {
        wanted.emplace();
        for (const auto& name : topics) {
            auto info = co_await c.topic(name);
            auto& t = wanted->emplace_back();
            t.name = name;
            for (const auto& p : info.partitions) t.partition_indexes.push_back(p.partition);
        }
    }
    auto attempt = [&c, group, wanted] { return fetch_offsets_round(&c, group, wanted); };
    co_return co_await c.with_retry(fmt::format("fetching offsets of group '{}'", group), attempt);
}

asio::awaitable<void> commit_group_offsets(cluster& c, std::string group,
                                           std::vector<group_offset> offsets) {
    auto attempt = [&c, group, offsets] { return commit_round(&c, group, offsets); };
    co_await c.with_retry(fmt::format("committing offsets of group '{}'", group), attempt);
}

asio::awaitable<void> delete_group_offsets(cluster& c, std::string group,
                                           std::vector<group_partition> partitions) {
    if (partitions.empty()) co_return;
    auto attempt = [&c, group, partitions] { return delete_round(&c, group, partitions); };
    co_await c.with_retry(fmt::format("deleting offsets of group '{}'", group), attempt);
}

}  // namespace kb::kafka::client
