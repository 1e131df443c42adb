// OSO's backup.retention: planning (see retention.hpp) and its manifest record.
#include <kb/inspect/retention.hpp>

#include <algorithm>
#include <set>

namespace kb::inspect {
namespace sf = kb::storage::format;

namespace {

// One partition's segments and how many of the oldest the plan removes so far.
struct partition_prefix {
    const sf::topic_manifest* topic;
    const sf::partition_manifest* partition;
    std::size_t removed = 0;
    std::size_t removable = 0;  // all but the newest keep_segments
};

struct size_candidate {
    std::size_t prefix;  // index into the partition_prefix list
    std::size_t segment;
    std::int64_t max_timestamp;
};

std::vector<partition_prefix> age_prefixes(const sf::manifest& m, const retention_rules& r,
                                           std::int64_t now_ms) {
    const auto keep = std::max<std::uint64_t>(r.keep_segments, 1);
    std::vector<partition_prefix> out;
    for (const auto& t : m.topics)
        for (const auto& p : t.partitions) {
            partition_prefix pp{&t, &p, 0, p.segments.size() > keep ? p.segments.size() - keep : 0};
            if (r.max_age_ms)
                while (pp.removed < pp.removable &&
                       p.segments[pp.removed].max_timestamp < now_ms - *r.max_age_ms)
                    ++pp.removed;
            out.push_back(pp);
        }
    return out;
}

std::uint64_t stored_bytes(const std::vector<partition_prefix>& prefixes, bool removed_only) {
    std::uint64_t total = 0;
    for (const auto& pp : prefixes) {
        const auto n = removed_only ? pp.removed : pp.partition->segments.size();
        for (std::size_t i = 0; i < n; ++i) total += pp.partition->segments[i].stored_bytes;
    }
    return total;
}

// Oldest first across the backup, each partition's prefix only ever extended by
// the segment right after it (OSO skips a candidate that is not next in line).
void extend_to_fit(std::vector<partition_prefix>& prefixes, std::uint64_t cap) {
    auto remaining = stored_bytes(prefixes, false) - stored_bytes(prefixes, true);
    std::vector<size_candidate> candidates;
    for (std::size_t i = 0; i < prefixes.size(); ++i)
        for (auto s = prefixes[i].removed; s < prefixes[i].removable; ++s)
            candidates.push_back({i, s, prefixes[i].partition->segments[s].max_timestamp});
    std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return a.max_timestamp < b.max_timestamp;
    });
    for (const auto& c : candidates) {
        if (remaining <= cap) break;
        auto& pp = prefixes[c.prefix];
        if (c.segment != pp.removed) continue;
        remaining -= pp.partition->segments[c.segment].stored_bytes;
        ++pp.removed;
    }
}

void add_pruned_gap(sf::partition_manifest& p, std::int64_t first, std::int64_t last) {
    for (auto& g : p.retention_gaps)
        if (g.reason == "pruned" && g.last_offset + 1 == first) {  // an earlier run's prefix
            g.last_offset = last;
            return;
        }
    p.retention_gaps.push_back({first, last, "pruned"});
}

}  // namespace

prune_plan plan_retention(const sf::manifest& m, const retention_rules& r, std::int64_t now_ms) {
    auto prefixes = age_prefixes(m, r, now_ms);
    if (r.max_total_bytes) extend_to_fit(prefixes, *r.max_total_bytes);
    prune_plan plan;
    plan.backup_id = m.backup_id;
    for (const auto& pp : prefixes)
        for (std::size_t i = 0; i < pp.partition->segments.size(); ++i) {
            const auto& s = pp.partition->segments[i];
            if (i < pp.removed) {
                plan.remove.push_back({pp.topic->name, pp.partition->partition, s.key,
                                       s.first_offset, s.last_offset, s.max_timestamp,
                                       s.stored_bytes});
                plan.bytes_removed += s.stored_bytes;
            } else {
                plan.bytes_kept += s.stored_bytes;
                ++plan.segments_kept;
            }
        }
    return plan;
}

sf::manifest apply_retention(sf::manifest m, const prune_plan& plan) {
    std::set<std::string> gone;
    for (const auto& r : plan.remove) gone.insert(r.key);
    for (auto& t : m.topics)
        for (auto& p : t.partitions) {
            std::size_t n = 0;
            while (n < p.segments.size() && gone.count(p.segments[n].key)) ++n;
            if (n > 0 && n < p.segments.size())
                add_pruned_gap(p, p.segments.front().first_offset, p.segments[n].first_offset - 1);
        }
    return apply_plan(std::move(m), plan);
}

}  // namespace kb::inspect
