// Target size limits (see size_check.hpp).
#include "size_check.hpp"

#include <kb/kafka/client/connection.hpp>
#include <kb/kafka/protocol/describe_configs.hpp>
#include <kb/runtime/log.hpp>
#include <kb/segments/open_segment.hpp>
#include <kb/storage/format/segment_reader.hpp>

#include <fmt/format.h>

#include <charconv>
#include <map>

namespace kb::restore::detail {

namespace {

namespace kc = kafka::client;
namespace proto = kafka::protocol;
namespace sf = storage::format;
using boost::asio::awaitable;

std::uint64_t parse_limit(const std::optional<std::string>& v) {
    std::uint64_t n = 0;
    if (!v) return 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    return ec == std::errc{} && end == v->data() + v->size() ? n : 0;
}

}  // namespace

awaitable<std::map<std::string, std::optional<std::string>>> describe_values(
    kc::cluster& c, std::shared_ptr<kc::connection> conn, std::int8_t type,
    std::vector<std::string> names, std::string key) {
    proto::describe_configs_request req;
    for (auto& n : names) {
        auto& r = req.resources.emplace_back();
        r.resource_type = type;
        r.resource_name = std::move(n);
        r.configuration_keys = std::vector<std::string>{key};
    }
    auto resp = co_await conn->call<proto::describe_configs_response>(std::move(req));
    std::map<std::string, std::optional<std::string>> out;
    for (const auto& r : resp.results) {
        c.check(r.error_code, fmt::format("describing {} of {}", key, r.resource_name),
                r.error_message);
        for (const auto& cfg : r.configs)
            if (cfg.name == key) out[r.resource_name] = cfg.value;
    }
    co_return out;
}

namespace {

// One config of several resources of one type: name -> value (0 when missing).
awaitable<std::map<std::string, std::uint64_t>> describe_limit(kc::cluster& c,
                                                               std::shared_ptr<kc::connection> conn,
                                                               std::int8_t type,
                                                               std::vector<std::string> names,
                                                               std::string key) {
    auto values = co_await describe_values(c, std::move(conn), type, std::move(names), key);
    std::map<std::string, std::uint64_t> out;
    for (const auto& [name, value] : values) out[name] = parse_limit(value);
    co_return out;
}

// The broker default for topics created without max.message.bytes (first broker's).
awaitable<std::uint64_t> broker_limit(kc::cluster& c) {
    const auto& brokers = c.metadata().brokers;
    if (brokers.empty()) co_return 0;
    auto id = brokers.front().node_id;
    auto conn = co_await c.broker_connection(id);
    std::vector<std::string> names{std::to_string(id)};
    std::string key = "message.max.bytes";
    auto got = co_await describe_limit(c, conn, proto::resource_type_broker, std::move(names),
                                       std::move(key));
    co_return got.empty() ? 0 : got.begin()->second;
}

awaitable<void> find_limits(kc::cluster& c, restore_plan& plan) {
    std::vector<std::string> existing;
    bool need_broker = false;
    for (const auto& tp : plan.topics) {
        if (tp.exists)
            existing.push_back(tp.target_topic);
        else if (!tp.configs.contains("max.message.bytes"))
            need_broker = true;
    }
    std::map<std::string, std::uint64_t> topic_limits;
    if (!existing.empty()) {
        auto conn = co_await c.any_connection();
        std::string key = "max.message.bytes";
        topic_limits = co_await describe_limit(c, conn, proto::resource_type_topic,
                                               std::move(existing), std::move(key));
    }
    std::uint64_t broker = 0;
    if (need_broker) broker = co_await broker_limit(c);
    for (auto& tp : plan.topics) {
        if (tp.exists)
            tp.max_message_bytes = topic_limits[tp.target_topic];
        else if (auto it = tp.configs.find("max.message.bytes"); it != tp.configs.end())
            tp.max_message_bytes = parse_limit(it->second);
        else
            tp.max_message_bytes = broker;
    }
}

const topic_plan* topic_of(const restore_plan& plan, const std::string& target) {
    for (const auto& tp : plan.topics)
        if (tp.target_topic == target) return &tp;
    return nullptr;
}

// Looks at the footers of the task's segments that could hold a too large record.
awaitable<std::optional<sf::frame_info>> scan_task(storage::backend& b, const partition_task& t,
                                                   const restore_plan& plan) {
    for (const auto& seg : t.segments) {
        if (seg.raw_bytes <= t.max_batch_bytes) continue;  // no frame of it can be larger
        auto reader = co_await segments::open_segment(b, seg.key);
        auto hit = oversized_record(reader.footer().frames, t, plan.time_window_start,
                                    plan.time_window_end, t.max_batch_bytes);
        if (hit) co_return hit;
    }
    co_return std::nullopt;
}

}  // namespace

std::optional<sf::frame_info> oversized_record(const std::vector<sf::frame_info>& frames,
                                               const partition_task& task,
                                               std::optional<std::int64_t> time_start,
                                               std::optional<std::int64_t> time_end,
                                               std::uint64_t limit) {
    if (limit == 0) return std::nullopt;
    for (const auto& f : frames) {
        if (f.batch_count != 1 || f.record_count != 1 || f.raw_size <= limit) continue;
        if (f.last_offset < task.first_offset || f.first_offset > task.last_offset) continue;
        if ((time_start && f.max_timestamp < *time_start) ||
            (time_end && f.min_timestamp > *time_end))
            continue;
        return f;
    }
    return std::nullopt;
}

namespace {

// zstd batches need Produce v7 (Kafka 2.1); an older target answers
// UNSUPPORTED_COMPRESSION_TYPE, so they are re-encoded uncompressed for it.
awaitable<bool> target_reads_zstd(kc::cluster& c) {
    auto conn = co_await c.any_connection();
    co_return conn->version_for(proto::api_key::Produce) >= 7;
}

}  // namespace

awaitable<void> check_target_limits(kc::cluster& c, storage::backend& b, restore_plan& plan) {
    co_await find_limits(c, plan);
    const bool zstd_ok = co_await target_reads_zstd(c);
    if (!zstd_ok)
        kb::log::warn("restore",
                      "the target does not accept zstd batches (Produce < v7): "
                      "they are re-encoded uncompressed");
    std::map<std::string, std::string> failures;  // target topic -> first too large record
    for (auto& t : plan.tasks) {
        const auto* tp = topic_of(plan, t.target_topic);
        t.max_batch_bytes = tp ? tp->max_message_bytes : 0;
        t.zstd_to_none = !zstd_ok;
        if (t.max_batch_bytes == 0 || failures.contains(t.target_topic)) continue;
        auto hit = co_await scan_task(b, t, plan);
        if (hit)
            failures[t.target_topic] = fmt::format(
                "the record at offset {} of {}-{} is {} bytes, more than its "
                "max.message.bytes ({}); raise max.message.bytes on the target "
                "topic (or restore.topic_config_overrides when it is created)",
                hit->first_offset, t.source_topic, t.source_partition, hit->raw_size,
                t.max_batch_bytes);
    }
    for (const auto& tp : plan.topics) {
        auto it = failures.find(tp.target_topic);
        preflight_check check{fmt::format("target topic {} record sizes", tp.target_topic), true,
                              fmt::format("max.message.bytes {}", tp.max_message_bytes)};
        if (tp.max_message_bytes == 0) check.detail = "max.message.bytes unknown";
        if (it != failures.end()) check.ok = false, check.detail = it->second;
        plan.checks.push_back(std::move(check));
    }
}

}  // namespace kb::restore::detail
