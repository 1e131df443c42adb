// The offset report as JSON, CSV and text.
#include "text_table.hpp"

#include <kb/inspect/report.hpp>

#include <fmt/format.h>

namespace kb::inspect {
namespace {

using nlohmann::json;

json opt_json(const std::optional<std::int64_t>& v) {
    return v ? json(*v) : json(nullptr);
}

json group_partition_json(const group_partition_report& o) {
    json j = {{"offset", opt_json(o.offset)}, {"lag", opt_json(o.lag)}};
    if (!o.offset) j["uncommitted"] = true;
    return j;
}

json restore_json(const restore_report& r) {
    json parts = json::array();
    for (const auto& p : r.partitions) {
        json ranges = json::array();
        for (const auto& g : p.ranges)
            ranges.push_back({{"source_first_offset", g.source_first},
                              {"source_last_offset", g.source_last},
                              {"target_first_offset", g.target_first},
                              {"target_partition", g.target_partition}});
        parts.push_back({{"source_topic", p.source_topic},
                         {"source_partition", p.source_partition},
                         {"target_topic", p.target_topic},
                         {"target_partition", p.target_partition},
                         {"ranges", ranges}});
    }
    json groups = json::object();
    for (const auto& o : r.group_offsets) {
        groups[o.group]["partitions"][fmt::format("{}-{}", o.source_topic, o.source_partition)] = {
            {"source_offset", o.source_offset},
            {"target_topic", o.target_topic},
            {"target_partition", o.target_partition},
            {"target_offset", o.target_offset ? json(*o.target_offset) : json(nullptr)}};
    }
    return {{"restore_id", r.restore_id},
            {"target_cluster", r.target_cluster},
            {"completed_at", r.completed_at},
            {"partitions", parts},
            {"consumer_groups", groups}};
}

}  // namespace

nlohmann::json to_json(const offset_report& r) {
    json topics = json::object();
    for (const auto& [name, parts] : r.topics) {
        json ps = json::object();
        for (const auto& [p, v] : parts)
            ps[std::to_string(p)] = {{"start_offset", v.start_offset},
                                     {"end_offset", v.end_offset},
                                     {"message_count", v.message_count}};
        topics[name] = {{"partitions", ps}};
    }
    json groups = json::object();
    for (const auto& [g, rows] : r.groups) {
        json ps = json::object();
        for (const auto& o : rows)
            ps[fmt::format("{}-{}", o.topic, o.partition)] = group_partition_json(o);
        groups[g] = {{"partitions", ps}};
    }
    json out = {{"backup_id", r.backup_id},
                {"generated_at", r.generated_at},
                {"source_cluster", r.source_cluster},
                {"topics", topics},
                {"consumer_groups", groups}};
    if (!r.restores.empty()) {
        out["restores"] = json::array();
        for (const auto& x : r.restores) out["restores"].push_back(restore_json(x));
    }
    return out;
}

namespace {

std::string opt_number(const std::optional<std::int64_t>& v) {
    return v ? std::to_string(*v) : "";
}

void restore_csv(std::string& out, const restore_report& x) {
    for (const auto& p : x.partitions)
        for (const auto& g : p.ranges)
            out +=
                fmt::format("restored,{},{},,{},{},{},,,{},{},{},{}\n", csv_field(p.source_topic),
                            p.source_partition, g.source_first, g.source_last + 1,
                            g.source_last - g.source_first + 1, csv_field(x.restore_id),
                            csv_field(p.target_topic), g.target_partition, g.target_first);
    for (const auto& t : x.group_offsets)
        out += fmt::format("translated,{},{},{},,,,{},,{},{},{},{}\n", csv_field(t.source_topic),
                           t.source_partition, csv_field(t.group), t.source_offset,
                           csv_field(x.restore_id), csv_field(t.target_topic), t.target_partition,
                           opt_number(t.target_offset));
}

std::string range_text(std::int64_t first, std::int64_t last) {
    return first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
}

std::string restore_text(const restore_report& x) {
    std::string out = fmt::format("\nRestore {} to {}{}\n", x.restore_id,
                                  x.target_cluster.empty() ? "unknown" : x.target_cluster,
                                  x.completed_at.empty() ? "" : ", " + x.completed_at);
    text_table ranges({"SOURCE", "SOURCE OFFSETS", "TARGET", "TARGET OFFSETS", "RECORDS"});
    for (const auto& p : x.partitions)
        for (const auto& g : p.ranges) {
            const auto n = g.source_last - g.source_first + 1;
            ranges.add({fmt::format("{}-{}", p.source_topic, p.source_partition),
                        range_text(g.source_first, g.source_last),
                        fmt::format("{}-{}", p.target_topic, g.target_partition),
                        range_text(g.target_first, g.target_first + n - 1), std::to_string(n)});
        }
    out += ranges.empty() ? std::string("No records restored.\n") : ranges.render();
    if (x.group_offsets.empty()) return out + "No consumer group offsets translated.\n";
    text_table t({"GROUP", "SOURCE", "OFFSET", "TARGET", "TARGET OFFSET"});
    for (const auto& o : x.group_offsets)
        t.add({o.group, fmt::format("{}-{}", o.source_topic, o.source_partition),
               std::to_string(o.source_offset),
               fmt::format("{}-{}", o.target_topic, o.target_partition),
               o.target_offset ? std::to_string(*o.target_offset) : "-"});
    return out + "\n" + t.render();
}

}  // namespace

std::string to_csv(const offset_report& r) {
    std::string out =
        "kind,topic,partition,group,start_offset,end_offset,message_count,committed_offset,lag,"
        "restore_id,target_topic,target_partition,target_offset\n";
    for (const auto& [name, parts] : r.topics)
        for (const auto& [p, v] : parts)
            out += fmt::format("partition,{},{},,{},{},{},,,,,,\n", csv_field(name), p,
                               v.start_offset, v.end_offset, v.message_count);
    for (const auto& [g, rows] : r.groups)
        for (const auto& o : rows)
            out += fmt::format("group,{},{},{},,,,{},{},,,,\n", csv_field(o.topic), o.partition,
                               csv_field(g), opt_number(o.offset), opt_number(o.lag));
    for (const auto& x : r.restores) restore_csv(out, x);
    return out;
}

// Says what the LAG column counts, under the group table.
constexpr const char* lag_legend =
    "LAG: records from the committed offset to the partition's end offset in the backup. "
    "COMMITTED none: the group\nhas no commit on that partition of a topic it reads; its LAG "
    "counts from the partition's start.\n";

std::string to_text(const offset_report& r) {
    std::string out =
        fmt::format("Backup {} (source {}), generated {}\n\n", r.backup_id,
                    r.source_cluster.empty() ? "unknown" : r.source_cluster, r.generated_at);
    text_table parts({"TOPIC", "PARTITION", "START", "END", "MESSAGES"});
    for (const auto& [name, ps] : r.topics)
        for (const auto& [p, v] : ps)
            parts.add({name, std::to_string(p), std::to_string(v.start_offset),
                       std::to_string(v.end_offset), std::to_string(v.message_count)});
    out += parts.render();
    text_table groups({"GROUP", "TOPIC", "PARTITION", "COMMITTED", "LAG"});
    for (const auto& [g, rows] : r.groups)
        for (const auto& o : rows)
            groups.add({g, o.topic, std::to_string(o.partition),
                        o.offset ? std::to_string(*o.offset) : "none",
                        o.lag ? std::to_string(*o.lag) : "-"});
    out += "\n" +
           (groups.empty() ? std::string("No consumer groups in this backup.\n") : groups.render());
    if (!groups.empty()) out += lag_legend;
    for (const auto& x : r.restores) out += restore_text(x);
    return out;
}

}  // namespace kb::inspect
