// prune: planning, applying to the manifest, executing, rendering.
#include "text_table.hpp"

#include <kb/inspect/prune.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/manifest_store.hpp>
#include <kb/storage/helpers.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace kb::inspect {
namespace sf = kb::storage::format;
using nlohmann::json;

namespace {

prune_candidate candidate(const sf::topic_manifest& t, const sf::partition_manifest& p,
                          const sf::segment_ref& s) {
    return {t.name,        p.partition,     s.key,         s.first_offset,
            s.last_offset, s.max_timestamp, s.stored_bytes};
}

bool selected_by_age(const prune_criteria& c, const sf::segment_ref& s, std::int64_t now) {
    if (c.older_than_ms) return s.max_timestamp < now - *c.older_than_ms;
    if (c.before_ms) return s.max_timestamp < *c.before_ms;
    return false;
}

// Oldest first across the whole backup until what is left fits.
void select_by_total(const sf::manifest& m, std::uint64_t limit, prune_plan& plan) {
    std::vector<prune_candidate> all;
    std::uint64_t total = 0;
    for (const auto& t : m.topics)
        for (const auto& p : t.partitions)
            for (const auto& s : p.segments) {
                all.push_back(candidate(t, p, s));
                total += s.stored_bytes;
            }
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.max_timestamp < b.max_timestamp;
    });
    for (auto& c : all) {
        if (total <= limit) break;
        total -= c.stored_bytes;
        plan.remove.push_back(std::move(c));
    }
}

}  // namespace

prune_plan plan_prune(const sf::manifest& m, const prune_criteria& c, std::int64_t now_ms) {
    prune_plan plan;
    plan.backup_id = m.backup_id;
    if (c.max_total_bytes) {
        select_by_total(m, *c.max_total_bytes, plan);
    } else {
        for (const auto& t : m.topics)
            for (const auto& p : t.partitions) {
                const std::size_t n = p.segments.size();
                for (std::size_t i = 0; i < n; ++i) {
                    bool drop = c.keep_segments ? i + *c.keep_segments < n
                                                : selected_by_age(c, p.segments[i], now_ms);
                    if (drop) plan.remove.push_back(candidate(t, p, p.segments[i]));
                }
            }
    }
    std::set<std::string> gone;
    for (const auto& r : plan.remove) {
        plan.bytes_removed += r.stored_bytes;
        gone.insert(r.key);
    }
    for (const auto& t : m.topics)
        for (const auto& p : t.partitions)
            for (const auto& s : p.segments)
                if (!gone.count(s.key)) {
                    plan.bytes_kept += s.stored_bytes;
                    ++plan.segments_kept;
                }
    return plan;
}

namespace {

void prune_partition(sf::partition_manifest& p, const std::set<std::string>& gone) {
    const bool last_gone = !p.segments.empty() && gone.count(p.segments.back().key) > 0;
    const bool first_gone = !p.segments.empty() && gone.count(p.segments.front().key) > 0;
    std::vector<sf::segment_ref> kept;
    for (auto& s : p.segments) {
        if (gone.count(s.key)) continue;
        if (!kept.empty() && s.first_offset > kept.back().last_offset + 1)
            p.retention_gaps.push_back({kept.back().last_offset + 1, s.first_offset - 1, "pruned"});
        kept.push_back(std::move(s));
    }
    // A pruned last segment (by age: timestamps need not grow with offsets) leaves a
    // recorded gap up to the end offset, so restore and validate see no lost entries.
    if (last_gone && !kept.empty() && kept.back().last_offset + 1 < p.end_offset)
        p.retention_gaps.push_back({kept.back().last_offset + 1, p.end_offset - 1, "pruned"});
    if (kept.size() != p.segments.size())
        p.log_start_offset = kept.empty() ? p.end_offset : kept.front().first_offset;
    // The backup now starts where its first kept segment does (start_offset unknown
    // stays unknown): restore and validate check the first entry against it.
    if (first_gone && p.start_offset >= 0)
        p.start_offset =
            kept.empty() ? std::max(p.end_offset, p.start_offset) : kept.front().first_offset;
    p.segments = std::move(kept);
    std::sort(p.retention_gaps.begin(), p.retention_gaps.end(),
              [](const auto& a, const auto& b) { return a.first_offset < b.first_offset; });
}

}  // namespace

sf::manifest apply_plan(sf::manifest m, const prune_plan& plan) {
    std::set<std::string> gone;
    for (const auto& r : plan.remove) gone.insert(r.key);
    for (auto& t : m.topics)
        for (auto& p : t.partitions) prune_partition(p, gone);
    m.updated_at = std::max(m.updated_at, sf::now_ms());
    return m;
}

namespace {

// A continuous backup's checkpoint is its manifest: it stays in progress and is
// republished as segments roll. Fresh means a writer may publish again any moment.
awaitable<std::optional<std::string>> fresh_manifest(storage::backend& b, sf::backup_layout layout,
                                                     std::chrono::seconds freshness) {
    sf::manifest_store store(b, layout);
    auto latest = co_await store.read_latest();
    if (!latest || latest->value.status != sf::backup_status::in_progress) co_return std::nullopt;
    const auto age = sf::now_ms() - latest->value.updated_at;
    if (age > freshness) co_return std::nullopt;
    co_return fmt::format(
        "backup '{}' is still in progress (continuous?): its manifest, the checkpoint it "
        "resumes from, was updated at {}, less than {}s ago",
        layout.backup_id(), sf::format_timestamp(latest->value.updated_at), freshness.count());
}

}  // namespace

awaitable<std::optional<std::string>> active_writer(storage::backend& b, std::string backup_id,
                                                    std::chrono::seconds freshness) {
    sf::backup_layout layout(backup_id);
    auto now = sf::now_ms();
    if (auto lock = co_await sf::backup_lock::read(b, layout); lock && lock->expires_at > now)
        co_return fmt::format("backup '{}' is locked by {} until {}", backup_id, lock->owner,
                              sf::format_timestamp(lock->expires_at));
    auto cutoff = std::chrono::system_clock::now() - freshness;
    for (const auto& o : co_await storage::list_all(b, layout.checkpoints_prefix()))
        if (o.last_modified > cutoff)
            co_return fmt::format("a continuous backup wrote its checkpoint {} less than {}s ago",
                                  o.key, freshness.count());
    co_return co_await fresh_manifest(b, layout, freshness);
}

awaitable<prune_plan> execute_prune(storage::backend& b, prune_plan plan,
                                    std::chrono::seconds freshness) {
    if (auto why = co_await active_writer(b, plan.backup_id, freshness))
        throw kb::error(error_class::fatal, "BackupActive",
                        fmt::format("refusing to prune: {}", *why));
    sf::manifest_store store(b, sf::backup_layout(plan.backup_id));
    // No writer is active: temporary manifests are leftovers of a killed run.
    co_await store.remove_stale_temporaries();
    if (plan.remove.empty()) co_return plan;
    auto latest = co_await store.read_latest();
    if (!latest)
        throw kb::error(error_class::not_found, "NoSuchBackup",
                        fmt::format("no backup '{}'", plan.backup_id));
    co_await store.publish(apply_plan(std::move(latest->value), plan));
    std::vector<std::string> keys;
    for (const auto& r : plan.remove) keys.push_back(r.key);
    co_await b.remove_many(std::move(keys));
    plan.executed = true;
    co_return plan;
}

json to_json(const prune_plan& p) {
    json segs = json::array();
    for (const auto& r : p.remove)
        segs.push_back({{"key", r.key},
                        {"topic", r.topic},
                        {"partition", r.partition},
                        {"first_offset", r.first_offset},
                        {"last_offset", r.last_offset},
                        {"max_timestamp", r.max_timestamp},
                        {"stored_bytes", r.stored_bytes}});
    return {{"backup_id", p.backup_id},
            {"executed", p.executed},
            {"refused", p.refused ? json(*p.refused) : json(nullptr)},
            {"segments_removed", p.remove.size()},
            {"bytes_removed", p.bytes_removed},
            {"segments_kept", p.segments_kept},
            {"bytes_kept", p.bytes_kept},
            {"segments", segs}};
}

std::string to_text(const prune_plan& p) {
    std::string out;
    if (!p.remove.empty()) {
        text_table t({"TOPIC", "PARTITION", "FIRST", "LAST", "BYTES", "SEGMENT"});
        for (const auto& r : p.remove)
            t.add({r.topic, std::to_string(r.partition), std::to_string(r.first_offset),
                   std::to_string(r.last_offset), std::to_string(r.stored_bytes), r.key});
        out += t.render();
    }
    out += fmt::format("{} {} segment(s), {} bytes; keeping {} segment(s), {} bytes.\n",
                       p.executed ? "Deleted" : "Would delete", p.remove.size(), p.bytes_removed,
                       p.segments_kept, p.bytes_kept);
    if (p.refused)
        out += "Refused: " + *p.refused + "\n";
    else if (!p.executed && !p.remove.empty())
        out += "Run again with --execute to delete.\n";
    return out;
}

}  // namespace kb::inspect
