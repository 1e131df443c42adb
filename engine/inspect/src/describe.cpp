// describe: one backup in detail, as JSON, YAML or text.
#include "text_table.hpp"

#include <kb/inspect/catalog.hpp>
#include <kb/inspect/report.hpp>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>

namespace kb::inspect {
namespace sf = kb::storage::format;
using nlohmann::json;

namespace {

json partition_json(const sf::partition_manifest& p) {
    auto r = summarize_partition(p);
    std::uint64_t stored = 0;
    for (const auto& s : p.segments) stored += s.stored_bytes;
    json gaps = json::array();
    for (const auto& g : p.retention_gaps)
        gaps.push_back({{"first_offset", g.first_offset},
                        {"last_offset", g.last_offset},
                        {"reason", g.reason}});
    return {{"partition", p.partition},      {"start_offset", r.start_offset},
            {"end_offset", r.end_offset},    {"message_count", r.message_count},
            {"segments", p.segments.size()}, {"stored_bytes", stored},
            {"retention_gaps", gaps}};
}

json topic_json(const sf::topic_manifest& t) {
    json parts = json::array();
    for (const auto& p : t.partitions) parts.push_back(partition_json(p));
    return {{"name", t.name},
            {"topic_id", t.topic_id.empty() ? json() : json(t.topic_id)},
            {"partition_count", t.partition_count},
            {"replication_factor", t.replication_factor},
            {"configs", t.configs},
            {"partitions", parts},
            {"empty_partitions", t.empty_partitions}};
}

json groups_json(const sf::manifest& m) {
    json groups = json::array();
    for (const auto& g : m.consumer_groups) {
        json offsets = json::array();
        for (const auto& o : g.offsets)
            offsets.push_back(
                {{"topic", o.topic}, {"partition", o.partition}, {"offset", o.offset}});
        groups.push_back({{"group_id", g.group_id},
                          {"taken_at", sf::format_timestamp(g.taken_at)},
                          {"offsets", offsets}});
    }
    return groups;
}

void emit(YAML::Emitter& out, const json& j) {
    if (j.is_object()) {
        out << YAML::BeginMap;
        for (const auto& [k, v] : j.items()) {
            out << YAML::Key << k << YAML::Value;
            emit(out, v);
        }
        out << YAML::EndMap;
    } else if (j.is_array()) {
        out << YAML::BeginSeq;
        for (const auto& v : j) emit(out, v);
        out << YAML::EndSeq;
    } else if (j.is_string()) {
        out << YAML::DoubleQuoted << j.get<std::string>();
    } else if (j.is_null()) {
        out << YAML::Null;
    } else {
        out << j.dump();
    }
}

}  // namespace

// [earliest, latest] record time of the whole backup in epoch ms (OSO's shape
// for a time range), null when it holds no record.
json time_range_json(const sf::manifest& m) {
    std::optional<std::int64_t> lo, hi;
    for (const auto& t : m.topics)
        for (const auto& p : t.partitions)
            for (const auto& seg : p.segments) {
                if (seg.record_count == 0) continue;
                lo = std::min(lo.value_or(seg.min_timestamp), seg.min_timestamp);
                hi = std::max(hi.value_or(seg.max_timestamp), seg.max_timestamp);
            }
    if (!lo) return nullptr;
    return json::array({*lo, *hi});
}

json describe_json(const sf::manifest& m) {
    auto s = summarize(m);
    json topics = json::array();
    for (const auto& t : m.topics) topics.push_back(topic_json(t));
    return {
        {"backup_id", m.backup_id},
        {"status", s.status},
        {"format_version", m.format_version},
        {"tool_version", m.tool_version},
        {"manifest_sequence", m.sequence},
        {"created_at", s.created_at},
        {"updated_at", s.updated_at},
        {"source",
         {{"cluster_id", m.source.cluster_id}, {"bootstrap_servers", m.source.bootstrap_servers}}},
        {"totals",
         {{"topics", m.topics.size()},
          {"segments", s.segments},
          {"records", s.records},
          {"stored_bytes", s.stored_bytes}}},
        {"time_range", time_range_json(m)},
        {"topics", topics},
        {"consumer_groups", groups_json(m)}};
}

std::string to_yaml(const json& j) {
    YAML::Emitter out;
    emit(out, j);
    return std::string(out.c_str()) + "\n";
}

std::string describe_text(const sf::manifest& m) {
    auto s = summarize(m);
    std::string out = fmt::format(
        "Backup:    {}\nStatus:    {}\nCreated:   {}\nUpdated:   {}\nSource:    {}\n"
        "Totals:    {} topics, {} segments, {} records, {} bytes stored\n\n",
        m.backup_id, s.status, s.created_at, s.updated_at,
        m.source.bootstrap_servers.empty() ? "unknown" : m.source.bootstrap_servers.front(),
        m.topics.size(), s.segments, s.records, s.stored_bytes);
    text_table t({"TOPIC", "PARTITION", "START", "END", "MESSAGES", "SEGMENTS", "GAPS"});
    for (const auto& topic : m.topics)
        for (const auto& p : topic.partitions) {
            auto r = summarize_partition(p);
            t.add({topic.name, std::to_string(p.partition), std::to_string(r.start_offset),
                   std::to_string(r.end_offset), std::to_string(r.message_count),
                   std::to_string(p.segments.size()), std::to_string(p.retention_gaps.size())});
        }
    out += t.render();
    out += "\nTopic ids:";
    for (const auto& topic : m.topics)
        out +=
            fmt::format(" {}={}", topic.name, topic.topic_id.empty() ? "unknown" : topic.topic_id);
    out += "\n";
    if (!m.consumer_groups.empty()) {
        out += "\nConsumer groups:";
        for (const auto& g : m.consumer_groups)
            out += fmt::format(" {} ({} partitions)", g.group_id, g.offsets.size());
        out += "\n";
    }
    return out;
}

}  // namespace kb::inspect
