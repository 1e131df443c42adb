#include "enums.hpp"
#include "parse.hpp"

#include <kb/config/error.hpp>
#include <kb/config/time.hpp>

namespace kb::config::detail {
namespace {

// topic -> partition -> offset
std::map<std::string, std::map<std::int32_t, std::int64_t>> parse_specific(const reader& r,
                                                                           const YAML::Node& n,
                                                                           const std::string& key) {
    std::map<std::string, std::map<std::int32_t, std::int64_t>> out;
    for (const auto& t : r.entries(n, key)) {
        std::string tkey = key + "." + t.name;
        for (const auto& p : r.entries(t.value, tkey)) {
            auto partition = static_cast<std::int32_t>(r.integer(p.key, tkey, 0, INT32_MAX));
            out[t.name][partition] = r.integer(p.value, tkey + "." + p.name, 0, INT64_MAX);
        }
    }
    return out;
}

std::int64_t parse_time(const reader& r, const YAML::Node& n, const std::string& key) {
    std::string v = r.text(n, key);
    if (auto ms = try_parse_timestamp_ms(v)) return *ms;
    r.wrong_type(n, key, "epoch milliseconds or an RFC 3339 time", v);
}

// OSO writes `start_offset: earliest|latest`, and the per-partition form as
// `!specific {topic: {partition: offset}}` (serde's tag) or `{specific: ...}`.
// We add `{timestamp: <time>}` / `!timestamp <time>`.
start_offset parse_start(const reader& r, const YAML::Node& n, const std::string& key) {
    start_offset s;
    std::string tag = n.Tag();
    if (tag == "!specific" || tag == "!timestamp") {
        YAML::Node body = n;
        if (tag == "!specific") {
            s.where = start_offset::kind::specific;
            s.offsets = parse_specific(r, body, key + ".specific");
        } else {
            s.where = start_offset::kind::timestamp;
            s.timestamp_ms = parse_time(r, body, key + ".timestamp");
        }
        return s;
    }
    if (n.IsMap()) {
        auto entries = r.entries(n, key);
        if (entries.size() == 1 && entries[0].name == "specific") {
            s.where = start_offset::kind::specific;
            s.offsets = parse_specific(r, entries[0].value, key + ".specific");
            return s;
        }
        if (entries.size() == 1 && entries[0].name == "timestamp") {
            s.where = start_offset::kind::timestamp;
            s.timestamp_ms = parse_time(r, entries[0].value, key + ".timestamp");
            return s;
        }
        r.wrong_type(n, key,
                     "earliest, latest, {specific: {topic: {partition: offset}}} or "
                     "{timestamp: <time>}");
    }
    std::string v = r.text(n, key);
    if (v == "earliest")
        s.where = start_offset::kind::earliest;
    else if (v == "latest")
        s.where = start_offset::kind::latest;
    else
        r.bad_enum(n, key, v, {"earliest", "latest"});
    return s;
}

}  // namespace

backup_options parse_backup(reader& r) {
    backup_options b;
    r.get_size("segment_max_bytes", b.segment_max_bytes);
    r.get_int("segment_max_interval_ms", b.segment_max_interval_ms);
    r.get_int("segment_max_records", b.segment_max_records);
    r.get_enum("compression", b.codec, compression_names);
    r.get_int("compression_level", b.compression_level);
    if (auto n = r.take("start_offset")) b.start = parse_start(r, *n, r.key_path("start_offset"));
    r.get("continuous", b.continuous);
    r.get("stop_at_current_offsets", b.stop_at_current_offsets);
    r.get("include_internal_topics", b.include_internal_topics);
    r.get("internal_topics", b.internal_topics);
    r.get_int("checkpoint_interval_secs", b.checkpoint_interval_secs);
    r.get_int("sync_interval_secs", b.sync_interval_secs);
    r.get("include_offset_headers", b.include_offset_headers);
    r.get("source_cluster_id", b.source_cluster_id);
    r.get_int("max_concurrent_partitions", b.max_concurrent_partitions);
    r.get_int("poll_interval_ms", b.poll_interval_ms);
    r.get("consumer_group_snapshot", b.consumer_group_snapshot);
    r.get_size("fetch_max_bytes", b.fetch_max_bytes);
    r.get("consumer_groups", b.consumer_groups);
    r.finish();
    return b;
}

}  // namespace kb::config::detail
