// Records the target's retention would delete (see retention_check.hpp).
#include "retention_check.hpp"

#include "size_check.hpp"

#include <kb/kafka/protocol/describe_configs.hpp>
#include <kb/runtime/log.hpp>
#include <kb/storage/format/manifest.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace kb::restore::detail {

namespace kc = kafka::client;
namespace proto = kafka::protocol;
namespace sf = storage::format;
using boost::asio::awaitable;

namespace {

std::int64_t parse_ms(const std::optional<std::string>& v) {
    std::int64_t n = -1;
    if (!v) return -1;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    return ec == std::errc{} && end == v->data() + v->size() ? n : -1;
}

std::string when(std::int64_t ms) {
    return sf::format_timestamp(sf::timestamp(std::chrono::milliseconds(ms)));
}

void count_segment(const sf::segment_ref& s, std::int64_t cutoff, retention_risk& r) {
    if (s.min_timestamp >= cutoff) return;
    const bool first = r.records_up_to == 0;
    if (s.max_timestamp < cutoff) r.records += s.record_count;
    r.records_up_to += s.record_count;
    r.oldest = first ? s.min_timestamp : std::min(r.oldest, s.min_timestamp);
    r.newest = first ? std::min(s.max_timestamp, cutoff - 1)
                     : std::max(r.newest, std::min(s.max_timestamp, cutoff - 1));
}

void warn(const retention_risk& r, bool created) {
    kb::log::warn(
        "restore",
        "target topic {}: {} records (up to {}) have timestamps from {} to {}, older than its "
        "retention.ms ({}): the broker deletes them soon after they are restored; {}",
        r.topic, r.records, r.records_up_to, when(r.oldest), when(r.newest), r.retention_ms,
        created ? "--keep-restored-records (restore.preserve_retention: true) creates the "
                  "topic with retention.ms=-1"
                : "raise its retention.ms before restoring (kafka-configs.sh --alter)");
}

}  // namespace

std::vector<retention_risk> records_at_risk(const restore_plan& plan,
                                            const std::map<std::string, std::int64_t>& retention,
                                            std::int64_t now_ms) {
    std::vector<retention_risk> out;
    for (const auto& tp : plan.topics) {
        auto it = retention.find(tp.target_topic);
        if (it == retention.end() || it->second < 0) continue;
        retention_risk r{tp.target_topic, it->second};
        const auto cutoff = now_ms - it->second;
        for (const auto& t : plan.tasks)
            if (t.target_topic == tp.target_topic)
                for (const auto& s : t.segments) count_segment(s, cutoff, r);
        if (r.records_up_to > 0) out.push_back(r);
    }
    return out;
}

awaitable<std::vector<retention_risk>> check_retention(kc::cluster& c, const restore_plan& plan) {
    std::vector<std::string> topics;
    for (const auto& tp : plan.topics) topics.push_back(tp.target_topic);
    std::vector<retention_risk> none;  // a named local, not a temporary, for GCC 12
    if (topics.empty()) co_return none;
    auto conn = co_await c.any_connection();
    std::string key = "retention.ms";  // named: no temporaries in a co_await (GCC 12)
    auto values = co_await describe_values(c, conn, proto::resource_type_topic, std::move(topics),
                                           std::move(key));
    std::map<std::string, std::int64_t> retention;
    for (const auto& [topic, value] : values) retention[topic] = parse_ms(value);
    auto now = sf::now_ms().time_since_epoch().count();
    auto risks = records_at_risk(plan, retention, now);
    for (const auto& r : risks)
        for (const auto& tp : plan.topics)
            if (tp.target_topic == r.topic) warn(r, tp.create);
    co_return risks;
}

}  // namespace kb::restore::detail
