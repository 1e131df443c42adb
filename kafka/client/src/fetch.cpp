#include <kb/kafka/client/fetch.hpp>

#include "gather.hpp"
#include "routing.hpp"

#include <kb/kafka/protocol/errors.hpp>
#include <kb/kafka/protocol/fetch.hpp>
#include <kb/kafka/protocol/record_batch.hpp>
#include <kb/runtime/error.hpp>

#include <fmt/core.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

namespace kb::kafka::client {
namespace asio = boost::asio;
namespace proto = kb::kafka::protocol;

namespace {

proto::fetch_request make_request(const std::vector<fetch_partition>& parts,
                                  const std::vector<std::size_t>& indices, const fetch_options& opt,
                                  std::size_t response_limit) {
    proto::fetch_request req;
    req.max_wait_ms = static_cast<std::int32_t>(opt.max_wait.count());
    req.min_bytes = opt.min_bytes;
    // Leave room for the response framing so a full response still fits our limit.
    const auto cap = static_cast<std::int64_t>(response_limit) - (1 << 20);
    req.max_bytes = static_cast<std::int32_t>(std::clamp<std::int64_t>(opt.max_bytes, 1, cap));
    req.isolation_level = static_cast<std::int8_t>(opt.isolation);
    for (auto i : indices) {
        const auto& p = parts[i];
        auto it = std::find_if(req.topics.begin(), req.topics.end(),
                               [&](const auto& t) { return t.name == p.topic; });
        if (it == req.topics.end()) {
            it = req.topics.emplace(req.topics.end());
            it->name = p.topic;
        }
        auto& out = it->partitions.emplace_back();
        out.partition_index = p.partition;
        out.fetch_offset = p.offset;
        out.partition_max_bytes = p.max_bytes;
    }
    return req;
}

asio::awaitable<proto::fetch_response> fetch_from(cluster* c, std::int32_t leader,
                                                  proto::fetch_request req,
                                                  std::chrono::milliseconds max_wait,
                                                  std::size_t connection) {
    auto conn = co_await c->broker_connection(leader, connection);
    const auto v = conn->version_for(proto::api_key::Fetch);
    std::function<void(proto::writer&)> encode = [&req, v](proto::writer& w) { req.encode(w, v); };
    auto body = co_await conn->send(proto::api_key::Fetch, v, std::move(encode), max_wait);
    proto::reader r(body.bytes());
    co_return proto::fetch_response::decode(r, v, body);
}

// Keeps whole batches only and works out where the next fetch starts.
fetched_partition to_result(const fetch_partition& in, const proto::fetch_response::partition& p) {
    fetched_partition out;
    out.topic = in.topic;
    out.partition = in.partition;
    out.error_code = p.error_code;
    out.fetch_offset = in.offset;
    out.high_watermark = p.high_watermark;
    out.last_stable_offset = p.last_stable_offset;
    out.log_start_offset = p.log_start_offset;
    out.next_offset = in.offset;
    if (p.aborted_transactions)
        for (const auto& a : *p.aborted_transactions)
            out.aborted_transactions.push_back({a.producer_id, a.first_offset});
    if (p.error_code != 0 || p.records.empty()) return out;
    auto batches = proto::split_batches(p.records, &out.truncated_tail);
    out.batch_count = batches.size();
    if (batches.empty()) return out;
    const auto& last = batches.back();
    const auto whole =
        static_cast<std::size_t>(last.bytes.data() + last.bytes.size() - p.records.data());
    out.records = p.records.slice(0, whole);
    out.next_offset = std::max(in.offset, last.next_offset());
    return out;
}

asio::awaitable<void> hold_off(std::chrono::milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::use_awaitable);
}

// A partition the broker's answer did not include: asked again after a backoff.
std::exception_ptr left_out(const fetch_partition& want) {
    return std::make_exception_ptr(kb::error(
        error_class::retryable, "PARTITION_NOT_IN_RESPONSE",
        fmt::format("fetching {}-{}: the broker's answer left the partition out (throttled by "
                    "a quota?)",
                    want.topic, want.partition)));
}

const proto::fetch_response::partition* find_partition(const proto::fetch_response& resp,
                                                       const fetch_partition& want) {
    for (const auto& t : resp.responses) {
        if (t.name != want.topic) continue;
        for (const auto& p : t.partitions)
            if (p.partition_index == want.partition) return &p;
    }
    return nullptr;
}

}  // namespace

namespace {

asio::awaitable<std::vector<fetched_partition>> fetch_impl(cluster& c,
                                                           std::vector<fetch_partition> parts,
                                                           fetch_options options) {
    std::vector<std::optional<fetched_partition>> results(parts.size());
    std::vector<detail::partition_retry::key> keys;
    for (const auto& p : parts) keys.emplace_back(p.topic, p.partition);
    detail::partition_retry state(c, fmt::format("fetch of {} partition(s)", parts.size()),
                                  std::move(keys));
    while (!state.pending().empty()) {
        co_await state.before_attempt();
        auto routes = co_await state.route_pending();
        std::vector<asio::awaitable<proto::fetch_response>> tasks;
        for (const auto& r : routes)
            tasks.push_back(
                fetch_from(&c, r.leader,
                           make_request(parts, r.indices, options, c.config().max_response_bytes),
                           options.max_wait, options.connection));
        auto outcomes = co_await detail::gather(std::move(tasks));
        std::chrono::milliseconds throttled{0};
        for (std::size_t g = 0; g < routes.size(); ++g) {
            if (!state.accept_request(routes[g], outcomes[g].error)) continue;
            for (auto i : routes[g].indices) {
                const auto* p = find_partition(*outcomes[g].value, parts[i]);
                if (!p) {
                    // A broker over a fetch quota answers with no partitions (KIP-219) and
                    // says how long to hold off: a quota is not an outage, so the wait
                    // does not count against the retry budget.
                    auto hold = std::chrono::milliseconds(outcomes[g].value->throttle_time_ms);
                    if (hold.count() > 0) {
                        throttled = std::max(throttled, hold);
                        state.retry_now(i);
                    } else {
                        state.retry_later(i, left_out(parts[i]));
                    }
                    continue;
                }
                if (state.accept_partition(
                        i, p->error_code,
                        fmt::format("fetching {}-{}", parts[i].topic, parts[i].partition)))
                    results[i] = to_result(parts[i], *p);
            }
        }
        if (throttled.count() > 0) co_await hold_off(throttled);
    }
    std::vector<fetched_partition> out;
    for (auto& r : results) out.push_back(std::move(*r));
    co_return out;
}

asio::awaitable<fetched_partition> fetch_one_impl(cluster& c, fetch_partition partition,
                                                  fetch_options options) {
    auto what = fmt::format("fetching {}-{} at offset {}", partition.topic, partition.partition,
                            partition.offset);
    std::vector<fetch_partition> one;
    one.push_back(std::move(partition));
    auto results = co_await fetch_impl(c, std::move(one), options);
    auto& r = results.front();
    if (r.error_code == proto::err::offset_out_of_range)
        throw kb::error(error_class::not_found, "OFFSET_OUT_OF_RANGE",
                        fmt::format("{}: the offset is outside the partition's log (log start {}, "
                                    "high watermark {})",
                                    what, r.log_start_offset, r.high_watermark));
    if (r.error_code != 0) throw proto::make_error(r.error_code, what);
    co_return std::move(r);
}

}  // namespace

// Plain functions in front of the coroutines: GCC 12 destroys a braced aggregate
// temporary (such as a defaulted `fetch_options{}`) twice when it is passed straight
// to a coroutine by value.
asio::awaitable<std::vector<fetched_partition>> fetch(cluster& c,
                                                      std::vector<fetch_partition> partitions,
                                                      fetch_options options) {
    return fetch_impl(c, std::move(partitions), std::move(options));
}

asio::awaitable<fetched_partition> fetch_one(cluster& c, fetch_partition partition,
                                             fetch_options options) {
    return fetch_one_impl(c, std::move(partition), std::move(options));
}

asio::awaitable<std::vector<fetched_partition>> fetch(cluster& c,
                                                      std::vector<fetch_partition> partitions) {
    return fetch_impl(c, std::move(partitions), fetch_options{});
}

asio::awaitable<fetched_partition> fetch_one(cluster& c, fetch_partition partition) {
    return fetch_one_impl(c, std::move(partition), fetch_options{});
}

}  // namespace kb::kafka::client
