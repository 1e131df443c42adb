// validate: quick checks, continuity, and rendering.
#include "validate_detail.hpp"

#include <kb/inspect/validate.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace kb::inspect {
namespace sf = kb::storage::format;
using nlohmann::json;

bool gap_recorded(const sf::partition_manifest& p, std::int64_t first, std::int64_t last) {
    // Gaps recorded one after another (retention moved on twice) cover a range together.
    auto next = first;
    for (bool grew = true; grew && next <= last;) {
        grew = false;
        for (const auto& g : p.retention_gaps)
            if (g.first_offset <= next && g.last_offset >= next) {
                next = g.last_offset + 1;
                grew = true;
            }
    }
    return next > last;
}

namespace {

bool compacted(const sf::topic_manifest& t) {
    auto it = t.configs.find("cleanup.policy");
    return it != t.configs.end() && it->second.find("compact") != std::string::npos;
}

// The backup sets end_offset one past the last segment (or gap) it committed: offsets
// after the last listed segment lost their manifest entries (a deleted last entry, or
// every entry of a partition).
void check_partition_end(const sf::topic_manifest& t, const sf::partition_manifest& p,
                         std::vector<validation_issue>& out) {
    if (compacted(t) || p.end_offset < 0) return;
    const std::int64_t from = p.segments.empty() ? std::max<std::int64_t>(p.log_start_offset, 0)
                                                 : p.segments.back().last_offset + 1;
    if (from >= p.end_offset || gap_recorded(p, from, p.end_offset - 1)) return;
    out.push_back({p.segments.empty() ? "manifest" : p.segments.back().key, t.name, p.partition,
                   "offset_gap", fmt::format("offset {}", from),
                   fmt::format("offsets {}..{} were backed up (end offset {}) but no segment "
                               "holds them and no gap is recorded",
                               from, p.end_offset - 1, p.end_offset)});
}

// start_offset is where the backup set out to copy from: a first segment that starts
// later lost the entry (or entries) before it, unless a gap is recorded there.
void check_partition_start(const sf::topic_manifest& t, const sf::partition_manifest& p,
                           std::vector<validation_issue>& out) {
    if (compacted(t) || p.start_offset < 0 || p.segments.empty()) return;
    const auto& front = p.segments.front();
    if (front.first_offset <= p.start_offset ||
        gap_recorded(p, p.start_offset, front.first_offset - 1))
        return;
    out.push_back({front.key, t.name, p.partition, "offset_gap",
                   fmt::format("offset {}", p.start_offset),
                   fmt::format("offsets {}..{} are missing before the first segment (the backup "
                               "started at offset {}) and no gap is recorded",
                               p.start_offset, front.first_offset - 1, p.start_offset)});
}

void check_partition(const sf::topic_manifest& t, const sf::partition_manifest& p,
                     std::vector<validation_issue>& out) {
    for (std::size_t i = 1; i < p.segments.size(); ++i) {
        const auto& prev = p.segments[i - 1];
        const auto& next = p.segments[i];
        if (next.first_offset <= prev.last_offset) {
            out.push_back({next.key, t.name, p.partition, "offset_overlap",
                           fmt::format("offset {}", next.first_offset),
                           fmt::format("starts at offset {} but the previous segment ends at {}",
                                       next.first_offset, prev.last_offset)});
        } else if (next.first_offset > prev.last_offset + 1 &&
                   !gap_recorded(p, prev.last_offset + 1, next.first_offset - 1)) {
            out.push_back({next.key, t.name, p.partition, "offset_gap",
                           fmt::format("offset {}", prev.last_offset + 1),
                           fmt::format("offsets {}..{} are missing and no gap is recorded",
                                       prev.last_offset + 1, next.first_offset - 1)});
        }
    }
    check_partition_start(t, p, out);
    check_partition_end(t, p, out);
}

awaitable<void> check_exists(storage::backend& b, const sf::topic_manifest& t,
                             const sf::partition_manifest& p, const sf::segment_ref& s,
                             std::vector<validation_issue>& out) {
    auto info = co_await b.head(s.key);
    if (!info) {
        out.push_back(
            {s.key, t.name, p.partition, "missing", "", "the segment object does not exist"});
    } else if (info->size != s.stored_bytes) {
        out.push_back(
            {s.key, t.name, p.partition, "size_mismatch",
             fmt::format("byte {}", std::min(info->size, s.stored_bytes)),
             fmt::format("object has {} bytes, the manifest says {}", info->size, s.stored_bytes)});
    }
}

}  // namespace

std::vector<validation_issue> check_continuity(const sf::manifest& m) {
    std::vector<validation_issue> out;
    for (const auto& t : m.topics)
        for (const auto& p : t.partitions) check_partition(t, p, out);
    return out;
}

awaitable<validation_result> validate_backup(storage::backend& b, sf::manifest m, bool deep) {
    validation_result r;
    r.backup_id = m.backup_id;
    r.deep = deep;
    r.issues = check_continuity(m);
    for (const auto& t : m.topics)
        for (const auto& p : t.partitions)
            for (const auto& s : p.segments) {
                ++r.segments_checked;
                auto before = r.issues.size();
                co_await check_exists(b, t, p, s, r.issues);
                bool missing = r.issues.size() > before && r.issues.back().kind == "missing";
                if (deep && !missing) co_await deep_check_segment(b, t, p, s, r);
            }
    co_return r;
}

json to_json(const validation_result& r) {
    json issues = json::array();
    for (const auto& i : r.issues)
        issues.push_back({{"object", i.object},
                          {"topic", i.topic},
                          {"partition", i.partition},
                          {"kind", i.kind},
                          {"position", i.position},
                          {"message", i.message}});
    return {{"backup_id", r.backup_id},
            {"mode", r.deep ? "deep" : "quick"},
            {"ok", r.ok()},
            {"segments_checked", r.segments_checked},
            {"bytes_checked", r.bytes_checked},
            {"batches_checked", r.batches_checked},
            {"records_checked", r.records_checked},
            {"issues", issues}};
}

std::string to_text(const validation_result& r) {
    std::string out;
    for (const auto& i : r.issues)
        out += fmt::format("BAD {} [{} {}-{}{}]: {}\n", i.object, i.kind, i.topic, i.partition,
                           i.position.empty() ? "" : ", " + i.position, i.message);
    out += fmt::format("{} validation of backup {}: {} segments", r.deep ? "Deep" : "Quick",
                       r.backup_id, r.segments_checked);
    if (r.deep)
        out += fmt::format(", {} batches, {} records, {} bytes", r.batches_checked,
                           r.records_checked, r.bytes_checked);
    out += r.ok() ? ": OK\n" : fmt::format(": {} problem(s)\n", r.issues.size());
    return out;
}

}  // namespace kb::inspect
