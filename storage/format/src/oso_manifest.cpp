// OSO kafka-backup's manifest.json (0.17.x and the 0.25 engine) in our manifest model.
#include "json_reader.hpp"

#include <kb/storage/format/keys.hpp>
#include <kb/storage/format/oso.hpp>

#include <algorithm>
#include <limits>

namespace kb::storage::format {

using detail::json_reader;
using detail::manifest_fail;
using nlohmann::json;

namespace {

constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();

// OSO's segment key says how the records are compressed (the object's header says so too).
std::string compression_of(const std::string& key) {
    if (key.ends_with(".zst")) return "zstd";
    if (key.ends_with(".lz4")) return "lz4";
    return "none";
}

segment_ref segment_from(const json_reader& r) {
    segment_ref s;
    s.key = r.str("key");
    s.first_offset = r.integer<std::int64_t>("start_offset", 0);
    s.last_offset = r.integer<std::int64_t>("end_offset", 0);
    if (s.last_offset < s.first_offset)
        manifest_fail(r.field_path("end_offset"), "below start_offset");
    // OSO records the first and last record's timestamps, not the extremes.
    auto a = r.integer_or<std::int64_t>("start_timestamp", 0);
    auto b = r.integer_or<std::int64_t>("end_timestamp", a);
    s.min_timestamp = std::min(a, b);
    s.max_timestamp = std::max(a, b);
    s.record_count = r.integer<std::uint64_t>("record_count");
    s.raw_bytes = r.integer_or<std::uint64_t>("uncompressed_size", 0);
    s.stored_bytes = r.integer_or<std::uint64_t>("compressed_size", 0);
    s.compression = compression_of(s.key);
    return s;
}

// OSO's gaps end exclusive; its pruned ranges (0.25) inclusive. Both are offsets the
// backup knowingly does not hold.
void read_gaps(const json_reader& r, partition_manifest& p) {
    for (auto& [e, path] : r.array("gaps", false)) {
        json_reader g(*e, path);
        auto first = g.integer<std::int64_t>("start_offset", 0);
        auto end = g.integer<std::int64_t>("end_offset", 0, i64_max);
        if (end <= first) continue;
        p.retention_gaps.push_back({first, end - 1, g.str_or("reason", "offset_out_of_range")});
    }
    for (auto& [e, path] : r.array("pruned", false)) {
        json_reader g(*e, path);
        auto first = g.integer<std::int64_t>("start_offset", 0);
        auto last = g.integer<std::int64_t>("end_offset", first);
        p.retention_gaps.push_back(
            {first, last, "pruned (" + g.str_or("reason", "retention") + ")"});
    }
}

partition_manifest partition_from(const json_reader& r) {
    partition_manifest p;
    p.partition = r.integer<std::int32_t>("partition_id", 0);
    for (auto& [e, path] : r.array("segments", false))
        p.segments.push_back(segment_from(json_reader(*e, path)));
    std::stable_sort(p.segments.begin(), p.segments.end(),
                     [](const auto& x, const auto& y) { return x.first_offset < y.first_offset; });
    for (std::size_t i = 1; i < p.segments.size(); ++i)
        if (p.segments[i].first_offset <= p.segments[i - 1].last_offset)
            manifest_fail(r.field_path("segments"),
                          "segments '" + p.segments[i - 1].key + "' and '" + p.segments[i].key +
                              "' overlap (re-run backups of OSO 0.25 are not read yet)");
    read_gaps(r, p);
    if (!p.segments.empty()) p.end_offset = p.segments.back().last_offset + 1;
    return p;
}

topic_manifest topic_from(const json_reader& r) {
    topic_manifest t;
    t.name = r.str("name");
    if (!valid_topic_name(t.name)) manifest_fail(r.field_path("name"), "not a valid topic name");
    std::int32_t highest = -1;
    for (auto& [e, path] : r.array("partitions")) {
        auto p = partition_from(json_reader(*e, path));
        highest = std::max(highest, p.partition);
        if (p.segments.empty())
            t.empty_partitions.push_back(p.partition);
        else
            t.partitions.push_back(std::move(p));
    }
    // OSO lists partitions in hash order; ours ascend.
    std::sort(t.partitions.begin(), t.partitions.end(),
              [](const auto& x, const auto& y) { return x.partition < y.partition; });
    std::sort(t.empty_partitions.begin(), t.empty_partitions.end());
    t.partition_count =
        std::max(r.integer_or<std::int32_t>("original_partition_count", 0), highest + 1);
    t.partition_count = std::max(t.partition_count, 1);
    auto rf = r.integer_or<std::int16_t>("source_replication_factor", -1);
    t.replication_factor = rf > 0 ? rf : std::int16_t{-1};
    if (r.has("configurations")) {
        auto& c = r.at("configurations");
        if (!c.is_object()) manifest_fail(r.field_path("configurations"), "expected an object");
        for (auto& [k, v] : c.items())
            if (v.is_string()) t.configs[k] = v.get<std::string>();
    }
    return t;
}

timestamp from_ms(std::int64_t ms) {
    return timestamp(std::chrono::milliseconds(ms));
}

}  // namespace

std::string oso_manifest_key(std::string_view backup_id) {
    return std::string(backup_id) + "/manifest.json";
}

std::optional<std::string> oso_backup_id_of(std::string_view key) {
    constexpr std::string_view tail = "/manifest.json";
    if (!key.ends_with(tail)) return std::nullopt;
    auto id = key.substr(0, key.size() - tail.size());
    if (id.empty() || id.find('/') != std::string_view::npos) return std::nullopt;
    return std::string(id);
}

bool looks_like_oso_manifest(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (!j.is_object() || j.contains("format_version")) return false;
    if (!j.contains("backup_id") || !j.contains("created_at") ||
        !j["created_at"].is_number_integer())
        return false;
    auto topics = j.find("topics");
    if (topics == j.end() || !topics->is_array()) return false;
    for (auto& t : *topics) {
        if (!t.is_object() || !t.contains("partitions") || !t["partitions"].is_array())
            return false;
        for (auto& p : t["partitions"])
            if (!p.is_object() || !p.contains("partition_id")) return false;
    }
    return true;
}

manifest parse_oso_manifest(std::string_view text) {
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) manifest_fail("(document)", "not valid JSON");
    json_reader r(j, "");
    manifest m;
    m.backup_id = r.str("backup_id");
    if (!valid_backup_id(m.backup_id))
        manifest_fail("backup_id", "expected 1..128 characters of [A-Za-z0-9._-]");
    m.tool_version = "OSO kafka-backup";
    m.writer_id = "oso";
    m.status = backup_status::complete;
    m.created_at = from_ms(r.integer<std::int64_t>("created_at", 0));
    m.updated_at = m.created_at;
    m.source.cluster_id = r.str_or("source_cluster_id", "");
    for (auto& [e, path] : r.array("source_brokers", false))
        if (e->is_string()) m.source.bootstrap_servers.push_back(e->get<std::string>());
    for (auto& [e, path] : r.array("topics")) {
        json_reader t(*e, path);
        m.topics.push_back(topic_from(t));
        for (auto& p : t.array("partitions"))
            for (auto& s : json_reader(*p.first, p.second).array("segments", false))
                m.updated_at = std::max(m.updated_at,
                                        from_ms(json_reader(*s.first, s.second)
                                                    .integer_or<std::int64_t>("uploaded_at", 0)));
    }
    return m;
}

}  // namespace kb::storage::format
