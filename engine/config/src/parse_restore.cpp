#include "enums.hpp"
#include "oso_keys.hpp"
#include "parse.hpp"

#include <kb/config/error.hpp>

namespace kb::config::detail {
namespace {

std::int32_t partition_of(const reader& r, const YAML::Node& n, const std::string& key) {
    return static_cast<std::int32_t>(r.integer(n, key, 0, INT32_MAX));
}

std::map<std::int32_t, std::int32_t> parse_partition_mapping(const reader& r, const YAML::Node& n,
                                                             const std::string& key) {
    std::map<std::int32_t, std::int32_t> out;
    for (const auto& e : r.entries(n, key))
        out[partition_of(r, e.key, key)] = partition_of(r, e.value, key + "." + e.name);
    return out;
}

std::map<std::string, std::string> parse_string_map(const reader& r, const YAML::Node& n,
                                                    const std::string& key) {
    std::map<std::string, std::string> out;
    for (const auto& e : r.entries(n, key)) out[e.name] = r.text(e.value, key + "." + e.name);
    return out;
}

std::map<std::string, repartitioning> parse_repartitioning(const reader& r, const YAML::Node& n,
                                                           const std::string& key) {
    std::map<std::string, repartitioning> out;
    for (const auto& e : r.entries(n, key)) {
        reader t = r.child(e.value, key + "." + e.name);
        repartitioning rp;
        t.get_enum("strategy", rp.strategy, repartition_names);
        if (!t.take("target_partitions"))
            throw config_error(config_errc::missing_key, t.key_path("target_partitions"),
                               r.where(e.value) + ": missing required key '" +
                                   t.key_path("target_partitions") + "'",
                               "give the partition count of the target topic");
        t.get_int("target_partitions", rp.target_partitions);
        t.finish();
        out[e.name] = rp;
    }
    return out;
}

std::map<std::string, std::map<std::int32_t, offset_range>> parse_offset_ranges(
    const reader& r, const YAML::Node& n, const std::string& key) {
    std::map<std::string, std::map<std::int32_t, offset_range>> out;
    for (const auto& t : r.entries(n, key)) {
        std::string tkey = key + "." + t.name;
        for (const auto& p : r.entries(t.value, tkey)) {
            reader range = r.child(p.value, tkey + "." + p.name);
            offset_range o;
            range.get_int("start_offset", o.start_offset);
            range.get_int("end_offset", o.end_offset);
            range.finish();
            out[t.name][partition_of(r, p.key, tkey)] = o;
        }
    }
    return out;
}

std::map<std::string, std::map<std::string, std::string>> parse_overrides(const reader& r,
                                                                          const YAML::Node& n,
                                                                          const std::string& key) {
    std::map<std::string, std::map<std::string, std::string>> out;
    for (const auto& e : r.entries(n, key))
        out[e.name] = parse_string_map(r, e.value, key + "." + e.name);
    return out;
}

void parse_partitions(reader& r, restore_options& o) {
    if (auto n = r.take("source_partitions")) {
        std::string key = r.key_path("source_partitions");
        if (!n->IsSequence()) r.wrong_type(*n, key, "a list of partition numbers");
        std::vector<std::int32_t> parts;
        for (std::size_t i = 0; i < n->size(); ++i)
            parts.push_back(partition_of(r, (*n)[i], key + "[" + std::to_string(i) + "]"));
        o.source_partitions = parts;
    }
    if (auto n = r.take("partition_mapping"))
        o.partition_mapping = parse_partition_mapping(r, *n, r.key_path("partition_mapping"));
    if (auto n = r.take("repartitioning"))
        o.repartition = parse_repartitioning(r, *n, r.key_path("repartitioning"));
    if (auto n = r.take("offset_ranges"))
        o.offset_ranges = parse_offset_ranges(r, *n, r.key_path("offset_ranges"));
}

void parse_groups(reader& r, restore_options& o) {
    r.get_enum("consumer_group_strategy", o.consumer_group_strategy, strategy_names);
    r.get("include_original_offset_header", o.include_original_offset_header);
    r.get("strip_offset_headers", o.strip_offset_headers);
    r.get("consumer_groups", o.consumer_groups);
    r.get("reset_consumer_offsets", o.reset_consumer_offsets);
    r.get("auto_consumer_groups", o.auto_consumer_groups);
    r.get("force_reset_active_groups", o.force_reset_active_groups);
    r.get("offset_report", o.offset_report);
}

void parse_topics(reader& r, restore_options& o) {
    if (auto n = r.take("topic_mapping"))
        o.topic_mapping = parse_string_map(r, *n, r.key_path("topic_mapping"));
    r.get("create_topics", o.create_topics);
    r.get("preserve_retention", o.preserve_retention);
    auto legacy = r.take("default_replication_factor");
    auto ours = r.take("replication_factor");
    if (legacy && ours)
        throw config_error(config_errc::invalid_value, r.key_path("replication_factor"),
                           r.where(*ours) + ": both '" + r.key_path("replication_factor") +
                               "' and '" + r.key_path("default_replication_factor") + "' are set",
                           "keep one; they mean the same");
    r.get_int("default_replication_factor", o.default_replication_factor);
    r.get_int("replication_factor", o.default_replication_factor);
    if (auto n = r.take("topic_config_overrides"))
        o.topic_config_overrides = parse_overrides(r, *n, r.key_path("topic_config_overrides"));
    r.get("purge_topics", o.purge_topics);
    r.get("restore_acls", o.restore_acls);
}

void parse_producer(reader& r, restore_options& o) {
    r.get("dry_run", o.dry_run);
    r.get_int("rate_limit_records_per_sec", o.rate_limit_records_per_sec);
    r.get_size("rate_limit_bytes_per_sec", o.rate_limit_bytes_per_sec);
    r.get_int("max_concurrent_partitions", o.max_concurrent_partitions);
    r.get_int("produce_batch_size", o.produce_batch_size);
    r.get_int("produce_acks", o.produce_acks);
    r.get_int("produce_timeout_ms", o.produce_timeout_ms);
    if (auto path = r.raw_text("checkpoint_state")) {
        o.checkpoint_state = path;
        r.note(
            "restore.checkpoint_state: restore progress is kept in the backup location "
            "(a re-run resumes from it); no local checkpoint file is written");
    }
    r.get_int("checkpoint_interval_secs", o.checkpoint_interval_secs);
    r.get_size("produce_max_batch_bytes", o.produce_max_batch_bytes);
    if (o.produce_max_batch_bytes)
        r.note(
            "restore.produce_max_batch_bytes: produce batches are sized by the target "
            "topic's max.message.bytes (and the batches as backed up), not by this key");
    r.get("restore_id", o.restore_id);
}

// Names OSO's docs use for keys its code spells otherwise.
void apply_aliases(reader& r) {
    r.alias("batch_size", "produce_batch_size");
    r.alias("produce_batch_size_bytes", "produce_max_batch_bytes");
    r.alias("from_timestamp", "time_window_start");
    r.alias("to_timestamp", "time_window_end");
}

}  // namespace

restore_options parse_restore(reader& r) {
    restore_options o;
    apply_aliases(r);
    r.get_timestamp("time_window_start", o.time_window_start);
    r.get_timestamp("time_window_end", o.time_window_end);
    parse_partitions(r, o);
    parse_groups(r, o);
    parse_topics(r, o);
    parse_producer(r, o);
    read_circuit_breaker(r);
    check_gated(r, gated_restore_keys());
    r.finish();
    return o;
}

}  // namespace kb::config::detail

namespace kb::config {

bool adds_offset_headers(const restore_options& r) noexcept {
    return r.include_original_offset_header ||
           r.consumer_group_strategy == offset_strategy::header_based;
}

}  // namespace kb::config
