#include "enums.hpp"
#include "parse.hpp"

#include <kb/config/error.hpp>
#include <kb/config/files.hpp>
#include <kb/config/load.hpp>

namespace kb::config {
namespace {

using detail::reader;

metrics_config parse_metrics(reader& r) {
    metrics_config m;
    r.get("enabled", m.enabled);
    r.get_int("port", m.port);
    r.get("bind_address", m.bind_address);
    r.get("path", m.path);
    r.get_int("update_interval_ms", m.update_interval_ms);
    r.get_int("keep_alive_seconds", m.keep_alive_seconds);
    r.get_int("max_partition_labels", m.max_partition_labels);
    r.finish();
    return m;
}

logging_config parse_logging(reader& r) {
    logging_config l;
    detail::get_choice(r, "level", l.level, detail::log_level_names);
    detail::get_choice(r, "format", l.format, detail::log_format_names);
    r.finish();
    return l;
}

offset_storage_config parse_offset_storage(reader& r) {
    offset_storage_config o;
    r.note(
        "offset_storage: kafka-backup keeps its progress with the backup in storage; "
        "OSO's local offset database is not used");
    detail::get_choice(r, "backend", o.backend, detail::offset_store_names);
    r.get("db_path", o.db_path);
    r.get("s3_key", o.s3_key);
    r.get_int("sync_interval_secs", o.sync_interval_secs);
    r.finish();
    return o;
}

engine_config parse_engine(reader& r) {
    engine_config e;
    r.get_size("memory_budget", e.memory_budget);
    r.get_int("shards", e.shards);
    r.get_int("retry_deadline_secs", e.retry_deadline_secs);
    r.finish();
    return e;
}

void parse_sections(reader& r, config& c) {
    if (auto s = r.section("source")) c.source = detail::parse_cluster(*s);
    if (auto s = r.section("target")) c.target = detail::parse_cluster(*s);
    if (auto s = r.section("storage")) c.storage = detail::parse_storage(*s);
    if (auto s = r.section("backup")) c.backup = detail::parse_backup(*s);
    if (auto s = r.section("restore")) c.restore = detail::parse_restore(*s);
    if (auto s = r.section("offset_storage")) c.offset_storage = parse_offset_storage(*s);
    if (auto s = r.section("metrics")) c.metrics = parse_metrics(*s);
    if (auto s = r.section("logging")) c.logging = parse_logging(*s);
    if (auto s = r.section("engine")) c.engine = parse_engine(*s);
    if (r.take("enterprise"))
        r.note(
            "enterprise: settings of Kafka Backup Enterprise are ignored, as OSO's "
            "open-source tool ignores them");
}

// target.topics.mapping joins restore.topic_mapping; the same source topic
// mapped two ways is an error.
void merge_topic_mappings(config& c) {
    if (c.source && !c.source->topic_mapping.empty())
        throw config_error(config_errc::invalid_value, "source.topics.mapping",
                           c.origin + ": 'source.topics.mapping' renames topics on restore",
                           "move it to target.topics.mapping or restore.topic_mapping");
    if (!c.target) return;
    for (const auto& [from, to] : c.target->topic_mapping) {
        auto [it, added] = c.restore.topic_mapping.emplace(from, to);
        if (!added && it->second != to)
            throw config_error(config_errc::invalid_value, "target.topics.mapping." + from,
                               c.origin + ": topic '" + from + "' is mapped to '" + it->second +
                                   "' and to '" + to + "'",
                               "keep one of target.topics.mapping and restore.topic_mapping");
    }
}

YAML::Node load_yaml(std::string_view text, const std::string& origin) {
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        std::string at = e.mark.is_null() ? origin
                                          : origin + ":" + std::to_string(e.mark.line + 1) + ":" +
                                                std::to_string(e.mark.column + 1);
        throw config_error(config_errc::syntax, "", at + ": not valid YAML: " + e.msg);
    }
}

}  // namespace

config parse_yaml(std::string_view text, std::string origin, const env_lookup& env) {
    YAML::Node root = load_yaml(text, origin);
    if (!root.IsDefined() || root.IsNull())
        throw config_error(config_errc::missing_key, "", origin + ": the config is empty",
                           "see docs/config.md for the keys");
    if (!root.IsMap())
        throw config_error(
            config_errc::wrong_type, "",
            origin + ": the config must be a mapping of keys (mode, backup_id, ...)");
    config c;
    detail::context ctx{origin, &env, &c.notes};
    reader r(root, "", ctx);
    c.origin = origin;
    if (r.take("mode")) {
        mode m{};
        r.get_enum("mode", m, detail::mode_names);
        c.mode = m;
    }
    r.get("backup_id", c.backup_id);
    parse_sections(r, c);
    r.finish();
    merge_topic_mappings(c);
    return c;
}

config load_file(const std::string& path, const env_lookup& env) {
    return parse_yaml(read_regular_file(path, "--config", max_config_bytes), path, env);
}

}  // namespace kb::config
