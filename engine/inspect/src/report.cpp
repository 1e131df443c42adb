// Building the offset report from a manifest.
#include <kb/inspect/report.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace kb::inspect {
namespace fmtns = kb::storage::format;

partition_report summarize_partition(const fmtns::partition_manifest& p) {
    partition_report r;
    for (const auto& s : p.segments) r.message_count += s.record_count;
    if (!p.segments.empty()) {
        r.start_offset = p.segments.front().first_offset;
        r.end_offset = p.segments.back().last_offset + 1;
    } else if (p.log_start_offset >= 0) {
        r.start_offset = p.log_start_offset;
    }
    // The high watermark the backup reached can lie past the last stored batch
    // (trailing records compacted away); it is the offset a consumer would be at.
    if (p.end_offset > r.end_offset) r.end_offset = p.end_offset;
    if (r.start_offset > r.end_offset) r.start_offset = r.end_offset;
    return r;
}

namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
    return out;
}

void add_topics(offset_report& r, const fmtns::manifest& m) {
    for (const auto& t : m.topics) {
        auto& parts = r.topics[t.name];
        for (const auto& p : t.partitions) parts[p.partition] = summarize_partition(p);
        for (auto e : t.empty_partitions) parts.emplace(e, partition_report{});
    }
}

std::optional<std::int64_t> lag_of(const offset_report& r, const fmtns::group_offset& o) {
    auto t = r.topics.find(o.topic);
    if (t == r.topics.end()) return std::nullopt;
    auto p = t->second.find(o.partition);
    if (p == t->second.end()) return std::nullopt;
    return p->second.end_offset - o.offset;
}

// The partitions of the topics `rows` commit on that have no commit of their own:
// listed with no offset and the lag of a consumer starting at the partition's start.
void add_uncommitted(const offset_report& r, std::vector<group_partition_report>& rows) {
    std::set<std::pair<std::string, std::int32_t>> committed;
    for (const auto& row : rows) committed.emplace(row.topic, row.partition);
    std::set<std::string> topics;
    for (const auto& row : rows) topics.insert(row.topic);
    for (const auto& name : topics) {
        auto t = r.topics.find(name);
        if (t == r.topics.end()) continue;
        for (const auto& [p, v] : t->second)
            if (!committed.contains({name, p}))
                rows.push_back({name, p, std::nullopt, v.end_offset - v.start_offset});
    }
    std::ranges::sort(rows, {}, [](const auto& x) { return std::tie(x.topic, x.partition); });
}

void add_groups(offset_report& r, const fmtns::manifest& m) {
    for (const auto& g : m.consumer_groups) {
        auto& rows = r.groups[g.group_id];
        for (const auto& o : g.offsets)
            rows.push_back({o.topic, o.partition, o.offset, lag_of(r, o)});
        add_uncommitted(r, rows);
    }
}

}  // namespace

offset_report build_report(const fmtns::manifest& m) {
    offset_report r;
    r.backup_id = m.backup_id;
    r.generated_at = fmtns::format_timestamp(fmtns::now_ms());
    r.source_cluster = join(m.source.bootstrap_servers, ",");
    add_topics(r, m);
    add_groups(r, m);
    return r;
}

}  // namespace kb::inspect
