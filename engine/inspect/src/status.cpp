// status from the backup location: manifest totals, per-partition progress, the lease.
#include <kb/inspect/status.hpp>
#include <kb/runtime/error.hpp>
#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/oso.hpp>

#include <fmt/format.h>

namespace kb::inspect {

namespace sf = kb::storage::format;
using boost::asio::awaitable;
using nlohmann::json;

bool backup_status::running() const noexcept {
    return lease && lease->expires_at > now;
}

awaitable<backup_status> read_backup_status(storage::backend& b, std::string backup_id) {
    sf::backup_layout layout(backup_id);
    backup_status s;
    s.backup_id = backup_id;
    s.now = sf::now_ms();
    s.manifest = co_await sf::read_backup_manifest(b, backup_id);  // ours or OSO's
    s.lease = co_await sf::backup_lock::read(b, layout);
    if (!s.manifest && !s.lease)
        throw kb::error(error_class::not_found, "NoSuchBackup",
                        "backup '" + backup_id +
                            "' not found ('kafka-backup list --path ...' "
                            "shows the backups there)");
    co_return s;
}

namespace {

struct totals {
    std::size_t topics = 0, partitions = 0, segments = 0;
    std::uint64_t records = 0, stored = 0, raw = 0;
};

totals totals_of(const sf::manifest& m) {
    totals t;
    t.topics = m.topics.size();
    for (const auto& topic : m.topics)
        for (const auto& p : topic.partitions) {
            ++t.partitions;
            for (const auto& seg : p.segments) {
                ++t.segments;
                t.records += seg.record_count;
                t.stored += seg.stored_bytes;
                t.raw += seg.raw_bytes;
            }
        }
    return t;
}

double ratio(const totals& t) {
    return t.stored == 0 ? 0.0 : static_cast<double>(t.raw) / static_cast<double>(t.stored);
}

// The last offset backed up, and the last one the backup aims at (end offset - 1).
std::int64_t last_backed_up(const sf::partition_manifest& p) {
    return p.segments.empty() ? -1 : p.segments.back().last_offset;
}
bool up_to_date(const sf::partition_manifest& p) {
    return p.end_offset < 0 || last_backed_up(p) >= p.end_offset - 1;
}

const char* state_of(const backup_status& s) {
    if (s.running()) return "running";
    if (!s.manifest) return "starting";
    return s.manifest->status == sf::backup_status::complete ? "complete" : "incomplete";
}

json lease_json(const backup_status& s) {
    if (!s.lease) return nullptr;
    return {{"owner", s.lease->owner},
            {"acquired_at", sf::format_timestamp(s.lease->acquired_at)},
            {"expires_at", sf::format_timestamp(s.lease->expires_at)},
            {"expired", !s.running()}};
}

json partitions_json(const sf::manifest& m) {
    json out = json::array();
    for (const auto& t : m.topics)
        for (const auto& p : t.partitions)
            out.push_back({{"topic", t.name},
                           {"partition", p.partition},
                           {"last_offset", last_backed_up(p)},
                           {"end_offset", p.end_offset},
                           {"segments", p.segments.size()},
                           {"state", up_to_date(p) ? "up-to-date" : "in-progress"}});
    return out;
}

}  // namespace

json to_json(const backup_status& s) {
    json j = {{"backup_id", s.backup_id},
              {"state", state_of(s)},
              {"in_progress", s.running()},
              {"lease", lease_json(s)}};
    if (!s.manifest) return j;
    const auto& m = *s.manifest;
    auto t = totals_of(m);
    j["manifest_sequence"] = m.sequence;
    j["created_at"] = sf::format_timestamp(m.created_at);
    j["updated_at"] = sf::format_timestamp(m.updated_at);
    j["source_cluster_id"] = m.source.cluster_id;
    j["topics"] = t.topics;
    j["partitions"] = t.partitions;
    j["segments"] = t.segments;
    j["records"] = t.records;
    j["compressed_bytes"] = t.stored;
    j["uncompressed_bytes"] = t.raw;
    j["compression_ratio"] = ratio(t);
    j["consumer_groups"] = m.consumer_groups.size();
    j["partition_status"] = partitions_json(m);
    return j;
}

std::string to_text(const backup_status& s) {
    std::string out = fmt::format("=== Backup Status: {} ===\n\n", s.backup_id);
    out += fmt::format("State: {}\n", state_of(s));
    if (s.lease)
        out +=
            fmt::format("Backup in progress: {} (lease of {}, {} {})\n", s.running() ? "yes" : "no",
                        s.lease->owner, s.running() ? "expires" : "expired",
                        sf::format_timestamp(s.lease->expires_at));
    else
        out += "Backup in progress: no\n";
    if (!s.manifest) return out + "\nManifest: Not found (no version published yet)\n";
    const auto& m = *s.manifest;
    auto t = totals_of(m);
    out += "\nManifest:\n";
    out += fmt::format("  Created: {}\n  Updated: {}\n", sf::format_timestamp(m.created_at),
                       sf::format_timestamp(m.updated_at));
    if (!m.source.cluster_id.empty())
        out += fmt::format("  Source Cluster: {}\n", m.source.cluster_id);
    out += fmt::format("  Topics: {}\n  Partitions: {}\n  Segments: {}\n  Total Records: {}\n",
                       t.topics, t.partitions, t.segments, t.records);
    out +=
        fmt::format("  Size: {} MB compressed ({} MB uncompressed)\n", t.stored >> 20, t.raw >> 20);
    if (t.raw > 0) out += fmt::format("  Compression Ratio: {:.2f}x\n", ratio(t));
    out += fmt::format("  Consumer Groups: {}\n\nOffset Tracking:\n", m.consumer_groups.size());
    for (const auto& topic : m.topics) {
        out += fmt::format("  {}:\n", topic.name);
        for (const auto& p : topic.partitions)
            out += fmt::format("    partition-{}: offset {} (end offset: {}) [{}]\n", p.partition,
                               last_backed_up(p), p.end_offset,
                               up_to_date(p) ? "up-to-date" : "in-progress");
    }
    return out;
}

}  // namespace kb::inspect
