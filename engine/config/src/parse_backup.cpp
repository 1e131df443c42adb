#include "enums.hpp"
#include "oso_keys.hpp"
#include "parse.hpp"

#include <kb/config/error.hpp>
#include <kb/config/time.hpp>
#include <kb/runtime/units.hpp>

#include <cctype>

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

// `scaled` (OSO's docs write it in another unit) sets `key`, times `factor`
// (rounded up when `factor` divides); both given is an error.
template <class T>
void get_scaled(reader& r, std::string_view key, std::string_view scaled, T& out,
                std::int64_t multiply, std::int64_t divide) {
    auto n = r.take(scaled);
    if (!n) return;
    if (r.take(key))
        throw config_error(config_errc::invalid_value, r.key_path(scaled),
                           r.where(*n) + ": both '" + r.key_path(key) + "' and '" +
                               r.key_path(scaled) + "' are set",
                           "keep one; they set the same thing in other units");
    auto v = r.integer(*n, r.key_path(scaled), 0, max_of<T>() / multiply);
    out = static_cast<T>((v * multiply + divide - 1) / divide);
}

// OSO's duration grammar: <number><unit> pieces, concatenated ("1d12h"); units
// ms s m h d w. A bare number is refused (OSO refuses it: the unit is unclear).
std::optional<std::int64_t> try_parse_duration_ms(std::string_view text) {
    std::int64_t total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t digits = i;
        while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
            ++digits;
        std::size_t unit = digits;
        while (unit < text.size() && std::isalpha(static_cast<unsigned char>(text[unit]))) ++unit;
        if (digits == i || unit == digits || digits - i > 12) return std::nullopt;
        try {
            total += runtime::parse_duration(text.substr(i, unit - i)).count();
        } catch (const std::invalid_argument&) {
            return std::nullopt;
        }
        i = unit;
    }
    if (text.empty()) return std::nullopt;
    return total;
}

// OSO's retention (0.25): after each backup run the oldest segments beyond these
// limits are pruned (engine/inspect retention.hpp has OSO's rules).
void parse_retention(reader& r, backup_options& b) {
    auto s = r.section("retention");
    if (!s) return;
    retention_policy p;
    if (auto age = s->raw_text("max_age")) {
        auto ms = try_parse_duration_ms(*age);
        if (!ms)
            throw config_error(config_errc::wrong_type, s->key_path("max_age"),
                               r.ctx().origin + ": key '" + s->key_path("max_age") +
                                   "' expects a duration such as 30d or 1d12h, got '" + *age + "'");
        p.max_age_ms = *ms;
    }
    s->get_size("max_total_bytes", p.max_total_bytes);
    s->get_int("keep_segments", p.keep_segments);
    s->finish();
    if (!p.max_age_ms && !p.max_total_bytes)
        throw config_error(config_errc::missing_key, s->path(),
                           r.ctx().origin + ": " + s->path() + " needs max_age or max_total_bytes",
                           "e.g. max_age: 30d");
    if (p.keep_segments == 0)
        throw config_error(config_errc::invalid_value, s->key_path("keep_segments"),
                           r.ctx().origin + ": " + s->key_path("keep_segments") +
                               " must be at least 1 (the newest segment of each partition "
                               "always stays)");
    b.retention = p;
}

// OSO keys that only earn a note: what they ask for is what we always do, or
// belongs to OSO's design and not ours.
void note_oso_keys(reader& r, backup_options& b) {
    bool checkpoint = r.take("checkpoint_interval_secs").has_value();
    bool sync = r.take("sync_interval_secs").has_value();
    if (checkpoint || sync)
        r.note(
            "backup.checkpoint_interval_secs and backup.sync_interval_secs have no effect: "
            "the manifest is published for the first segment at once, then at most once a "
            "second, and when the backup ends");
    if (auto n = r.take("include_offset_headers");
        n && r.boolean(*n, r.key_path("include_offset_headers")))
        r.note(
            "backup.include_offset_headers: records are backed up byte-for-byte (whole "
            "Kafka batches); OSO's x-original-offset/x-original-timestamp headers are not "
            "added");
    if (auto n = r.take("shutdown_grace_secs")) {
        r.integer(*n, r.key_path("shutdown_grace_secs"), 0, INT32_MAX);
        r.note(
            "backup.shutdown_grace_secs: the first SIGTERM or SIGINT always ends with a "
            "durable publish however long it takes; a second one stops at once");
    }
    (void)b;
}

}  // namespace

backup_options parse_backup(reader& r) {
    backup_options b;
    r.get_size("segment_max_bytes", b.segment_max_bytes);
    get_scaled(r, "segment_max_interval_ms", "segment_max_age_secs", b.segment_max_interval_ms,
               1000, 1);
    r.get_int("segment_max_interval_ms", b.segment_max_interval_ms);
    r.get_int("segment_max_records", b.segment_max_records);
    r.get_enum("compression", b.codec, compression_names);
    r.get_int("compression_level", b.compression_level);
    if (auto n = r.take("start_offset")) b.start = parse_start(r, *n, r.key_path("start_offset"));
    r.get("continuous", b.continuous);
    r.get("stop_at_current_offsets", b.stop_at_current_offsets);
    r.get("include_internal_topics", b.include_internal_topics);
    r.get("internal_topics", b.internal_topics);
    get_scaled(r, "checkpoint_interval_secs", "checkpoint_interval_ms", b.checkpoint_interval_secs,
               1, 1000);
    note_oso_keys(r, b);
    r.get("source_cluster_id", b.source_cluster_id);
    r.get_int("max_concurrent_partitions", b.max_concurrent_partitions);
    r.get_int("poll_interval_ms", b.poll_interval_ms);
    r.get("consumer_group_snapshot", b.consumer_group_snapshot);
    r.get_size("fetch_max_bytes", b.fetch_max_bytes);
    r.get("consumer_groups", b.consumer_groups);
    r.get("acls", b.acls);
    r.get("cluster_acls", b.cluster_acls);
    r.get("acls_optional", b.acls_optional);
    if (b.cluster_acls) b.acls = true;
    parse_retention(r, b);
    read_circuit_breaker(r);
    check_gated(r, gated_backup_keys());
    r.finish();
    return b;
}

}  // namespace kb::config::detail
