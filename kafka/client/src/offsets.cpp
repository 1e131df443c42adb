#include <kb/kafka/client/offsets.hpp>

#include "gather.hpp"
#include "routing.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/list_offsets.hpp>

#include <fmt/core.h>

#include <algorithm>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

namespace {

proto::list_offsets_request make_request(const std::vector<offset_query>& queries,
                                         const std::vector<std::size_t>& indices,
                                         isolation_level isolation) {
    proto::list_offsets_request req;
    req.isolation_level = static_cast<std::int8_t>(isolation);
    for (auto i : indices) {
        const auto& q = queries[i];
        auto it = std::find_if(req.topics.begin(), req.topics.end(),
                               [&](const auto& t) { return t.name == q.topic; });
        if (it == req.topics.end()) {
            it = req.topics.emplace(req.topics.end());
            it->name = q.topic;
        }
        auto& p = it->partitions.emplace_back();
        p.partition_index = q.partition;
        p.timestamp = q.spec.timestamp;
    }
    return req;
}

asio::awaitable<proto::list_offsets_response> ask(cluster* c, std::int32_t leader,
                                                  proto::list_offsets_request req) {
    auto conn = co_await c->broker_connection(leader);
    co_return co_await conn->call<proto::list_offsets_response>(std::move(req));
}

const proto::list_offsets_response::partition* find(const proto::list_offsets_response& resp,
                                                    const offset_query& q) {
    for (const auto& t : resp.topics) {
        if (t.name != q.topic) continue;
        for (const auto& p : t.partitions)
            if (p.partition_index == q.partition) return &p;
    }
    return nullptr;
}

partition_offset to_result(const offset_query& q,
                           const proto::list_offsets_response::partition& p) {
    partition_offset out;
    out.topic = q.topic;
    out.partition = q.partition;
    out.offset = p.offset;
    out.timestamp = p.timestamp;
    out.leader_epoch = p.leader_epoch;
    // v0 answers with a list of offsets instead.
    if (out.offset < 0 && !p.old_style_offsets.empty()) out.offset = p.old_style_offsets.front();
    return out;
}

}  // namespace

asio::awaitable<std::vector<partition_offset>> list_offsets(cluster& c,
                                                            std::vector<offset_query> queries,
                                                            isolation_level isolation) {
    std::vector<std::optional<partition_offset>> results(queries.size());
    std::vector<detail::partition_retry::key> keys;
    for (const auto& q : queries) keys.emplace_back(q.topic, q.partition);
    // Named first: arguments are evaluated in no set order, and `keys` is moved.
    auto what = fmt::format("listing offsets of {} partition(s)", keys.size());
    detail::partition_retry state(c, std::move(what), std::move(keys));
    while (!state.pending().empty()) {
        co_await state.before_attempt();
        auto routes = co_await state.route_pending();
        std::vector<asio::awaitable<proto::list_offsets_response>> tasks;
        for (const auto& r : routes)
            tasks.push_back(ask(&c, r.leader, make_request(queries, r.indices, isolation)));
        auto outcomes = co_await detail::gather(std::move(tasks));
        for (std::size_t g = 0; g < routes.size(); ++g) {
            if (!state.accept_request(routes[g], outcomes[g].error)) continue;
            for (auto i : routes[g].indices) {
                const auto* p = find(*outcomes[g].value, queries[i]);
                auto code = p ? p->error_code : proto::err::unknown_server_error;
                auto context =
                    fmt::format("listing offsets of {}-{}", queries[i].topic, queries[i].partition);
                if (!state.accept_partition(i, code, context)) continue;
                if (code != 0) throw proto::make_error(code, context);
                results[i] = to_result(queries[i], *p);
            }
        }
    }
    std::vector<partition_offset> out;
    for (auto& r : results) out.push_back(std::move(*r));
    co_return out;
}

namespace {

asio::awaitable<std::vector<partition_offset>> topic_offsets_impl(
    cluster& c, std::string topic, offset_spec spec, std::vector<std::int32_t> partitions) {
    if (partitions.empty()) {
        auto info = co_await c.topic(topic);
        for (const auto& p : info.partitions) partitions.push_back(p.partition);
    }
    std::vector<offset_query> queries;
    for (auto p : partitions) queries.push_back(offset_query{topic, p, spec});
    co_return co_await list_offsets(c, std::move(queries));
}

}  // namespace

// A plain function in front of the coroutine (GCC 12 double-destroys braced aggregate
// temporaries passed straight to a coroutine).
asio::awaitable<std::vector<partition_offset>> topic_offsets(cluster& c, std::string topic,
                                                             offset_spec spec,
                                                             std::vector<std::int32_t> partitions) {
    return topic_offsets_impl(c, std::move(topic), spec, std::move(partitions));
}

}  // namespace kb::kafka::client
