// The three checks of validation run, and running them in order.
#include <kb/kafka/client/groups.hpp>
#include <kb/runtime/error.hpp>
#include <kb/validation/checks.hpp>
#include <kb/validation/signing.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace kb::validation {
namespace kc = kb::kafka::client;
namespace sf = kb::storage::format;
using boost::asio::awaitable;
using nlohmann::json;
using steady = std::chrono::steady_clock;

const char* to_string(outcome o) noexcept {
    switch (o) {
        case outcome::passed:
            return "PASSED";
        case outcome::failed:
            return "FAILED";
        case outcome::warning:
            return "WARNING";
        default:
            return "SKIPPED";
    }
}

std::size_t validation_summary::count(outcome o) const noexcept {
    return static_cast<std::size_t>(std::count_if(
        results.begin(), results.end(), [o](const check_result& r) { return r.result == o; }));
}

outcome validation_summary::overall() const noexcept {
    for (auto o : {outcome::failed, outcome::warning, outcome::passed})
        if (count(o) > 0) return o;
    return outcome::skipped;
}

std::string segments_sha256(const sf::partition_manifest& p) {
    std::string joined;
    for (const auto& s : p.segments) joined += s.checksum + "\n";
    return sha256_hex(joined);
}

namespace {

std::uint64_t ms_since(steady::time_point t) {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - t).count());
}

std::uint64_t records_of(const sf::partition_manifest& p) {
    std::uint64_t n = 0;
    for (const auto& s : p.segments) n += s.record_count;
    return n;
}

bool selected(const std::vector<std::string>& topics, const std::string& name) {
    return topics.empty() || std::find(topics.begin(), topics.end(), name) != topics.end();
}

const target_range& range_of(const target_offsets& t, const std::string& topic, std::int32_t p) {
    static const target_range missing{-1, -1, "not read"};
    auto it = t.find({topic, p});
    return it == t.end() ? missing : it->second;
}

}  // namespace

check_result message_count_check(const config::validation_config& cfg, const sf::manifest& m,
                                 const target_offsets& t) {
    auto started = steady::now();
    std::size_t topics = 0;
    std::int64_t expected_total = 0, restored_total = 0;
    json partitions = json::array(), discrepancies = json::array();
    for (const auto& topic : m.topics) {
        if (!selected(cfg.message_count.topics, topic.name)) continue;
        ++topics;
        for (const auto& p : topic.partitions) {
            const auto& r = range_of(t, topic.name, p.partition);
            auto expected = static_cast<std::int64_t>(records_of(p));
            auto restored = r.error.empty() ? r.latest - r.earliest : 0;
            expected_total += expected;
            restored_total += restored;
            json row = {{"topic", topic.name},           {"partition", p.partition},
                        {"expected_records", expected},  {"restored_records", restored},
                        {"target_earliest", r.earliest}, {"target_latest", r.latest},
                        {"segments", p.segments.size()}, {"segments_sha256", segments_sha256(p)}};
            auto diff = static_cast<std::uint64_t>(std::llabs(expected - restored));
            if (!r.error.empty())
                discrepancies.push_back(
                    {{"topic", topic.name}, {"partition", p.partition}, {"error", r.error}});
            else if (diff > cfg.message_count.fail_threshold)
                discrepancies.push_back({{"topic", topic.name},
                                         {"partition", p.partition},
                                         {"expected", expected},
                                         {"restored", restored},
                                         {"difference", diff}});
            partitions.push_back(std::move(row));
        }
    }
    check_result r{"MessageCountCheck",
                   discrepancies.empty() ? outcome::passed : outcome::failed,
                   fmt::format("{} topics; {} messages expected, {} restored; {} discrepancies",
                               topics, expected_total, restored_total, discrepancies.size()),
                   {{"check", "MessageCountCheck"},
                    {"topics_verified", topics},
                    {"total_messages_expected", expected_total},
                    {"total_messages_restored", restored_total},
                    {"discrepancies", discrepancies},
                    {"partitions", partitions}},
                   0};
    r.duration_ms = ms_since(started);
    return r;
}

check_result offset_range_check(const config::validation_config& cfg, const sf::manifest& m,
                                const target_offsets& t) {
    auto started = steady::now();
    std::size_t checked = 0, passed = 0;
    json issues = json::array();
    auto issue = [&](const std::string& topic, std::int32_t p, json what) {
        what["topic"] = topic;
        what["partition"] = p;
        issues.push_back(std::move(what));
    };
    for (const auto& topic : m.topics)
        for (const auto& p : topic.partitions) {
            ++checked;
            if (p.segments.empty()) {
                ++passed;
                continue;
            }
            const auto& r = range_of(t, topic.name, p.partition);
            auto before = issues.size();
            auto first = p.segments.front().first_offset, last = p.segments.back().last_offset;
            if (!r.error.empty())
                issue(topic.name, p.partition, {{"issue", "query_failed"}, {"error", r.error}});
            else {
                if (cfg.offset_range.verify_high_watermark && r.latest < last + 1)
                    issue(topic.name, p.partition,
                          {{"issue", "high_watermark_mismatch"},
                           {"expected_min_hwm", last + 1},
                           {"actual_hwm", r.latest}});
                if (cfg.offset_range.verify_low_watermark && r.earliest > first)
                    issue(topic.name, p.partition,
                          {{"issue", "low_watermark_mismatch"},
                           {"expected_max_lwm", first},
                           {"actual_lwm", r.earliest}});
            }
            passed += issues.size() == before;
        }
    check_result r{
        "OffsetRangeCheck",
        issues.empty() ? outcome::passed : outcome::failed,
        fmt::format("{} partitions checked; {} passed; {} issues", checked, passed, issues.size()),
        {{"check", "OffsetRangeCheck"},
         {"partitions_checked", checked},
         {"partitions_passed", passed},
         {"issues", issues}},
        0};
    r.duration_ms = ms_since(started);
    return r;
}

namespace {

std::vector<std::string> groups_to_check(const config::validation_config& cfg,
                                         const sf::manifest& m) {
    const auto& g = cfg.consumer_group_offsets;
    if (!g.groups.empty()) return g.groups;
    std::vector<std::string> out;
    if (g.verify_all_groups)
        for (const auto& s : m.consumer_groups) out.push_back(s.group_id);
    return out;
}

// The issues of one group on the target: no commits, or commits past a partition's end.
awaitable<json> group_issues(kc::cluster& c, std::string group, std::vector<std::string> topics,
                             const target_offsets& t, std::size_t& offsets) {
    json issues = json::array();
    auto committed = co_await kc::fetch_group_offsets(c, group, topics);
    offsets += committed.size();
    if (committed.empty()) issues.push_back({{"group", group}, {"issue", "no_offsets_committed"}});
    for (const auto& o : committed) {
        auto it = t.find({o.topic, o.partition});
        if (it != t.end() && it->second.error.empty() && o.offset > it->second.latest)
            issues.push_back({{"group", group},
                              {"topic", o.topic},
                              {"partition", o.partition},
                              {"committed", o.offset},
                              {"high_watermark", it->second.latest},
                              {"issue", "offset_beyond_end"}});
    }
    co_return issues;
}

}  // namespace

awaitable<check_result> group_offsets_check(kc::cluster& c, config::validation_config cfg,
                                            const sf::manifest& m, const target_offsets& t) {
    auto started = steady::now();
    auto groups = groups_to_check(cfg, m);
    check_result r{"ConsumerGroupOffsetCheck", outcome::skipped, "", {}, 0};
    if (groups.empty()) {
        r.detail = "No consumer groups in the backup to verify";
        r.data = {{"check", r.check_name}, {"groups_checked", 0}, {"reason", "no_groups_found"}};
        co_return r;
    }
    std::vector<std::string> topics;
    for (const auto& topic : m.topics) topics.push_back(topic.name);
    std::size_t offsets = 0;
    json issues = json::array();
    for (const auto& g : groups) {
        try {
            for (auto& i : co_await group_issues(c, g, topics, t, offsets)) issues.push_back(i);
        } catch (const kb::error& e) {
            if (kb::is_cancellation(e)) throw;
            issues.push_back({{"group", g}, {"issue", "fetch_failed"}, {"error", e.what()}});
        }
    }
    r.result = issues.empty() ? outcome::passed : outcome::failed;
    r.detail = fmt::format("{} consumer groups verified; {} offsets checked; {} issues",
                           groups.size(), offsets, issues.size());
    r.data = {{"check", r.check_name},
              {"groups", groups},
              {"groups_checked", groups.size()},
              {"total_offsets", offsets},
              {"issues", issues}};
    r.duration_ms = ms_since(started);
    co_return r;
}

awaitable<validation_summary> run_checks(kc::cluster& c, config::validation_config cfg,
                                         const sf::manifest& m) {
    auto started = steady::now();
    validation_summary s;
    auto t = co_await read_target_offsets(c, m);
    if (cfg.message_count.enabled) s.results.push_back(message_count_check(cfg, m, t));
    if (cfg.offset_range.enabled) s.results.push_back(offset_range_check(cfg, m, t));
    if (cfg.consumer_group_offsets.enabled)
        s.results.push_back(co_await group_offsets_check(c, cfg, m, t));
    s.total_duration_ms = ms_since(started);
    co_return s;
}

}  // namespace kb::validation
