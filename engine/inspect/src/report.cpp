// Building the offset report from a manifest.
#include <kb/inspect/report.hpp>

#include <fmt/format.h>

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

void add_groups(offset_report& r, const fmtns::manifest& m) {
    for (const auto& g : m.consumer_groups) {
        auto& rows = r.groups[g.group_id];
        for (const auto& o : g.offsets)
            rows.push_back({o.topic, o.partition, o.offset, lag_of(r, o)});
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
